//! The engine on hostile sizes and depths: no panic, no stack overflow. (The
//! same inputs over LSP are the server's end-to-end tests.) Each asserts the
//! exact number of diagnostics of each rule. No timing is asserted;
//! docs/reliability.md records how long these take.

use crate::harness;

use std::collections::BTreeMap;

use packet_ls::analysis::{analyze, Env};
use packet_ls::config::Settings;
use packet_ls::fix::fix_all;

fn counts(c: &[(&'static str, usize)]) -> BTreeMap<&'static str, usize> {
    c.iter().copied().collect()
}

/// The diagnostics of `text` by rule code, counted (and `fix_all` run over them).
fn run(text: &str) -> BTreeMap<&'static str, usize> {
    let s = Settings::default();
    let a = analyze(text, &s, &Env::default());
    let _ = fix_all(&a.doc, &a.diagnostics);
    let mut by_code = BTreeMap::new();
    for d in &a.diagnostics {
        *by_code.entry(d.code.as_str()).or_insert(0) += 1;
    }
    by_code
}

#[test]
fn ten_thousand_nested_block_quotes() {
    // An Overview with text in it (however deep) and nothing else: the eight
    // other sections and Overview's two subsections are missing.
    let only_overview = counts(&[("missing-recommender", 1), ("missing-section", 8), ("missing-subsection", 2)]);
    let t = format!("# Overview\n\n{}deep\n", "> ".repeat(10_000));
    assert_eq!(run(&t), only_overview);
    let t = format!("# Overview\n\n{}", (1..=10_000).map(|i| format!("{}\n", ">".repeat(i))).collect::<String>());
    // Only quote markers: no text, so Overview is also empty.
    let mut empty = only_overview.clone();
    empty.insert("empty-section", 1);
    assert_eq!(run(&t), empty);
}

#[test]
fn ten_thousand_nested_list_levels() {
    let t: String = (0..10_000).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect();
    let t = format!("# Mentoring and Coaching\n\n{t}");
    // The mentoring section alone: eight sections missing, and its list counts
    // as too few mentoring examples (a single top-level item, the rest nested in it).
    assert_eq!(run(&t), counts(&[("insufficient-mentoring", 1), ("missing-recommender", 1), ("missing-section", 8)]));
    let t = format!("# Overview\n\n{}x\n", "- ".repeat(10_000));
    assert_eq!(run(&t), counts(&[("missing-recommender", 1), ("missing-section", 8), ("missing-subsection", 2)]));
}

#[test]
fn ten_thousand_unterminated_comments_and_fences() {
    let t = "<!--\n# Overview\n```\n".repeat(10_000);
    harness::check_analysis_with(&t[..t.len() / 100], true);
    // The first comment never ends: no heading is seen, all nine sections are missing.
    assert_eq!(run(&t), counts(&[("missing-recommender", 1), ("missing-section", 9)]));
}

#[test]
fn fifty_megabyte_document() {
    let dana = include_str!("../../examples/dana.packet.md");
    let body = &dana[dana.find("\n---\n").unwrap() + 5..];
    let mut t = String::with_capacity(50 << 20);
    t.push_str("---\npacket: senior-em\n---\n");
    let mut copies = 0;
    while t.len() < 50 << 20 {
        t.push_str(body);
        copies += 1;
    }
    let h1 = body.lines().filter(|l| l.starts_with("# ")).count();
    assert_eq!((copies, h1), (13_072, 9), "the example changed: recount");
    // Every H1 section after the first copy is a duplicate; the front matter
    // names no letters and no sponsor.
    let n = run(&t);
    assert_eq!(n, counts(&[("duplicate-section", h1 * (copies - 1)), ("missing-recommender", 3), ("sponsor-role", 1)]), "the repeated sections are reported as duplicates");
}
