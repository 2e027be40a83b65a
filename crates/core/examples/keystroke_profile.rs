//! A profiling driver for the keystroke path: types one character at a time
//! in the middle of a generated packet and re-analyses as the server does
//! (the next version re-parsed from the kept analysis of the previous one,
//! which is then dropped).
//!
//! `cargo run --release -p packet-ls-core --example keystroke_profile -- LINES TIMES`
//!
//! Instruction counts per keystroke, repeatable on a busy machine: run it
//! under `valgrind --tool=callgrind` with two TIMES and divide the difference
//! (docs/performance.md §5).

use std::time::Instant;

use packet_ls_core::document::Document;
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
    // The kept version: its text and its analysis (which borrows the text).
    let mut prev_text: &'static str = Box::leak(text.clone().into_boxed_str());
    let mut prev = analyze_document(Document::parse(prev_text), &settings, &env);
    let (mut tp, mut ta, mut tk) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..times {
        text.insert(at, (b'a' + (k % 26) as u8) as char);
        at += 1;
        let new_text: &'static str = Box::leak(text.clone().into_boxed_str());
        let t0 = Instant::now();
        let doc = Document::parse_after(new_text, Some((prev_text, &prev.doc)));
        let t1 = Instant::now();
        let a = analyze_document(doc, &settings, &env);
        let n = a.diagnostics.len();
        let t2 = Instant::now();
        if k == 0 {
            eprintln!("{n} diagnostics, {} facts; {} headings, {} runs, {} items, {} skip, {} block starts, {} lines", a.doc.memo.len(), a.doc.headings.len(), a.doc.runs.len(), a.doc.items.len(), a.doc.skip.len(), a.doc.block_starts.len(), a.doc.index.line_count());
        }
        let old = std::mem::replace(&mut prev, a);
        drop(old);
        let t3 = Instant::now();
        // The old text is freed like the server frees it (after its analysis).
        // SAFETY: nothing borrows the old text any more: its analysis is dropped.
        drop(unsafe { Box::from_raw(prev_text as *const str as *mut str) });
        prev_text = new_text;
        std::hint::black_box(n);
        tp.push(t1 - t0);
        ta.push(t2 - t1);
        tk.push(t3 - t2);
    }
    let med = |v: &mut Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    eprintln!(
        "{lines} lines: parse_after {:.3} ms, analyze {:.3} ms, drop the previous {:.3} ms (medians of {times})",
        med(&mut tp),
        med(&mut ta),
        med(&mut tk)
    );
}
