//! A profiling driver: analyses one file N times, so that a profiler sees
//! the analysis and nothing else.
//!
//! `cargo build --release --example analyze_loop`, then e.g.
//! `valgrind --tool=callgrind target/release/examples/analyze_loop FILE 5`.

use std::time::Instant;

use packet_ls::{analyze, Env, Settings};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: analyze_loop FILE [TIMES]");
    let times: usize = args.next().map_or(20, |s| s.parse().expect("TIMES is a number"));
    let text = std::fs::read_to_string(&path).expect("read the file");
    let settings = Settings::default();
    let env = Env::default();
    let start = Instant::now();
    let mut diags = 0;
    for _ in 0..times {
        diags = analyze(&text, &settings, &env).diagnostics.len();
    }
    let per = start.elapsed().as_secs_f64() * 1e3 / times as f64;
    eprintln!("{path}: {diags} diagnostics, {per:.3} ms per analysis ({times} runs)");
}
