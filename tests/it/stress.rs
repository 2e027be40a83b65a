//! The engine on hostile sizes and depths: no panic, no stack overflow. (The
//! same inputs over LSP are the server's end-to-end tests.) No timing is
//! asserted; docs/reliability.md records how long these take.

use crate::harness;

use packet_ls::analysis::{analyze, Env};
use packet_ls::config::Settings;
use packet_ls::fix::fix_all;

fn run(text: &str) -> usize {
    let s = Settings::default();
    let a = analyze(text, &s, &Env::default());
    let _ = fix_all(&a.doc, &a.diagnostics);
    a.diagnostics.len()
}

#[test]
fn ten_thousand_nested_block_quotes() {
    let t = format!("# Overview\n\n{}deep\n", "> ".repeat(10_000));
    assert!(run(&t) > 0);
    let t = format!("# Overview\n\n{}", (1..=10_000).map(|i| format!("{}\n", ">".repeat(i))).collect::<String>());
    assert!(run(&t) > 0);
}

#[test]
fn ten_thousand_nested_list_levels() {
    let t: String = (0..10_000).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect();
    let t = format!("# Mentoring and Coaching\n\n{t}");
    assert!(run(&t) > 0);
    let t = format!("# Overview\n\n{}x\n", "- ".repeat(10_000));
    assert!(run(&t) > 0);
}

#[test]
fn ten_thousand_unterminated_comments_and_fences() {
    let t = "<!--\n# Overview\n```\n".repeat(10_000);
    harness::check_analysis_with(&t[..t.len() / 100], true);
    assert!(run(&t) > 0);
}

#[test]
fn fifty_megabyte_document() {
    let dana = include_str!("../../examples/dana.packet.md");
    let body = &dana[dana.find("\n---\n").unwrap() + 5..];
    let mut t = String::with_capacity(50 << 20);
    t.push_str("---\npacket: senior-em\n---\n");
    while t.len() < 50 << 20 {
        t.push_str(body);
    }
    let n = run(&t);
    assert!(n > 0, "the repeated sections are reported as duplicates");
}
