//! `cargo bench`: the analysis of generated packets of about 300, 3,000 and
//! 30,000 lines, each beside bare pulldown-cmark parsing of the same text
//! (same extensions, offsets on, every event visited), then a table of the
//! ratio analysis / parse and the cost per KB, measured interleaved so that
//! load on the machine hits both sides alike.
//!
//! The `keystroke` benchmarks time what the server does after a one-character
//! edit in the middle of the packet: the re-parse that re-uses the previous
//! (analysed) parse (`Document::parse_reusing`, which also carries over the
//! facts memoised for the unchanged sections) and the analysis of the result.
//!
//! Short runs: `cargo bench --bench analyze -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use packet_ls::document::{Document, Reusable};
use packet_ls::{analyze, analyze_document, Env, Settings};
use pulldown_cmark::{Options, Parser};

#[path = "support/packet_gen.rs"]
mod packet_gen;

const SIZES: [usize; 3] = [300, 3_000, 30_000];

/// Bare parsing: what any Markdown tool pays at least.
fn parse_only(text: &str) -> usize {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    Parser::new_ext(text, opts).into_offset_iter().count()
}

fn analysis(text: &str, settings: &Settings, env: &Env) -> usize {
    analyze(text, settings, env).diagnostics.len()
}

/// The text after typing one character at the end of a prose line near the
/// middle (as `scripts/latency.py` types), and the analysed parse of the
/// text before (with the facts its analysis memoised, as the server keeps it).
fn keystroke_input(text: &str) -> (Reusable, String) {
    let mid = text.len() / 2;
    let line_end = mid + text[mid..].find("\n\n").expect("a paragraph ends after the middle");
    let edited = format!("{}x{}", &text[..line_end], &text[line_end..]);
    let (settings, env) = (Settings::default(), Env::default());
    let doc = analyze_document(Document::parse(text), &settings, &env).doc.detach();
    (Reusable::new(text.to_string(), doc), edited)
}

fn keystroke(prev: &Reusable, edited: &str, settings: &Settings, env: &Env) -> usize {
    analyze_document(Document::parse_reusing(edited, Some(prev)), settings, env).diagnostics.len()
}

fn benches(c: &mut Criterion, packets: &[(usize, String)]) {
    let settings = Settings::default();
    let env = Env::default();
    for (lines, text) in packets {
        let mut g = c.benchmark_group(format!("{lines}_lines"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        if *lines >= 30_000 {
            g.sample_size(10);
        } else {
            g.sample_size(30);
        }
        g.bench_with_input(BenchmarkId::new("parse", lines), text, |b, t| b.iter(|| parse_only(black_box(t))));
        g.bench_with_input(BenchmarkId::new("analyze", lines), text, |b, t| {
            b.iter(|| analysis(black_box(t), &settings, &env))
        });
        let (prev, edited) = keystroke_input(text);
        assert!(Document::reparse(&edited, &prev).is_some(), "the edit is re-parsed partially");
        g.bench_with_input(BenchmarkId::new("keystroke", lines), &edited, |b, t| {
            b.iter(|| keystroke(&prev, black_box(t), &settings, &env))
        });
        g.finish();
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Parse, analysis and a keystroke's analysis timed alternately for about
/// `budget`, medians compared.
fn ratio_table(packets: &[(usize, String)], budget: Duration) {
    let settings = Settings::default();
    let env = Env::default();
    println!();
    println!(
        "{:>7} {:>9} {:>12} {:>12} {:>7} {:>15} {:>12} {:>9}",
        "lines", "KB", "parse", "analyze", "ratio", "analyze µs/KB", "keystroke", "/ parse"
    );
    for (lines, text) in packets {
        let (prev, edited) = keystroke_input(text);
        let (mut p, mut a, mut k) = (Vec::new(), Vec::new(), Vec::new());
        let start = Instant::now();
        while p.len() < 5 || (start.elapsed() < budget && p.len() < 2_000) {
            let t = Instant::now();
            black_box(parse_only(black_box(text)));
            p.push(t.elapsed());
            let t = Instant::now();
            black_box(analysis(black_box(text), &settings, &env));
            a.push(t.elapsed());
            let t = Instant::now();
            black_box(keystroke(&prev, black_box(&edited), &settings, &env));
            k.push(t.elapsed());
        }
        let (mp, ma, mk) = (median(&mut p), median(&mut a), median(&mut k));
        let kb = text.len() as f64 / 1024.0;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{:>7} {:>9.1} {:>9.3} ms {:>9.3} ms {:>6.2}x {:>15.2} {:>9.3} ms {:>8.2}x",
            lines,
            kb,
            ms(mp),
            ms(ma),
            ma.as_secs_f64() / mp.as_secs_f64(),
            ma.as_secs_f64() * 1e6 / kb,
            ms(mk),
            mk.as_secs_f64() / mp.as_secs_f64()
        );
    }
}

fn main() {
    let packets: Vec<(usize, String)> = SIZES.iter().map(|&n| (n, packet_gen::packet(n, 7))).collect();
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, &packets);
    c.final_summary();
    // Only under `cargo bench` (which passes `--bench`), not in test mode.
    if std::env::args().any(|a| a == "--bench") {
        ratio_table(&packets, Duration::from_secs(2));
    }
}
