//! A profiling driver for the keystroke path: types one character at a time
//! in the middle of a generated packet and re-analyses, as the server does.
//!
//! `cargo run --release -p packet-ls-core --example keystroke_profile -- LINES TIMES`

use std::time::Instant;

use packet_ls_core::document::{Document, Reusable};
use packet_ls_core::{analyze_document, Env, Settings};

#[path = "../../../benches/support/packet_gen.rs"]
mod packet_gen;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "30000".into());
    let times: usize = args.next().map_or(200, |s| s.parse().expect("TIMES"));
    let (lines, mut text) = match what.parse::<usize>() {
        Ok(n) => (n, packet_gen::packet(n, 7)),
        Err(_) => {
            let t = std::fs::read_to_string(&what).expect("a LINES count or a FILE");
            (t.lines().count(), t)
        }
    };
    let settings = Settings::default();
    let env = Env::default();
    let mid = text.len() / 2;
    let mut at = mid + text[mid..].find("\n\n").expect("a paragraph end");
    let mut prev = Reusable::new(text.clone(), Document::parse(&text).detach());
    let (mut tp, mut ta, mut tk) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..times {
        text.insert(at, (b'a' + (k % 26) as u8) as char);
        at += 1;
        let t0 = Instant::now();
        let doc = Document::parse_reusing(&text, Some(&prev));
        let t1 = Instant::now();
        let a = analyze_document(doc, &settings, &env);
        let n = a.diagnostics.len();
        let t2 = Instant::now();
        let d = a.doc.detach();
        prev = Reusable::new(text.clone(), d);
        let t3 = Instant::now();
        if k == 0 {
            eprintln!("{n} diagnostics, {} facts, partial re-parse: {}", prev.doc_memo_len(), Document::reparse(&format!("{text}x"), &prev).is_some());
        }
        std::hint::black_box(n);
        tp.push(t1 - t0);
        ta.push(t2 - t1);
        tk.push(t3 - t2);
    }
    let med = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    eprintln!("{lines} lines: parse_reusing {:.3} ms, analyze {:.3} ms, keep {:.3} ms (medians of {times})", med(&mut tp), med(&mut ta), med(&mut tk));
}
