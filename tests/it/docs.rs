//! `docs/rules.md` is generated from the rules' own documentation in
//! `crates/core/src/rules/*.rs` (`packet-ls explain --all`); this test fails when the two
//! drift apart.

use std::path::Path;

const REGENERATE: &str = "cargo run -- explain --all > docs/rules.md";

#[test]
fn docs_rules_md_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default().replace("\r\n", "\n");
    let generated = packet_ls::rules::rules_markdown();
    if on_disk != generated {
        let first_diff = on_disk
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(on_disk.lines().count().min(generated.lines().count()));
        panic!(
            "docs/rules.md is out of date with crates/core/src/rules/*.rs (first difference at line {}).\nRegenerate it with:\n\n    {REGENERATE}\n",
            first_diff + 1
        );
    }
}

/// What each rule's own documentation (`RuleInfo` in crates/core/src/rules/*.rs)
/// says, read from the rule and not from `explain()`'s output (which writes the
/// severity, the configuration line and the table row for every rule whatever
/// its doc holds): a one-line summary of when it fires; a "why" paragraph of
/// its own, more than the summary again; and, for a rule with a quick fix, a
/// `**Fix:**` paragraph saying what the fix does — and none for a rule without one.
#[test]
fn docs_cover_every_rule_with_what_why_fix_and_configuration() {
    let words = |s: &str| s.split_whitespace().count();
    let doc_md = packet_ls::rules::rules_markdown();
    for c in packet_ls::RuleCode::ALL {
        let i = packet_ls::rules::info(*c);
        let code = c.as_str();
        // What: one sentence on one line.
        let summary = i.summary.trim();
        assert!(!summary.is_empty() && !summary.contains('\n'), "{code}: the summary is one line");
        assert!(summary.ends_with('.'), "{code}: the summary is a sentence: {summary:?}");
        assert!(words(summary) >= 5, "{code}: the summary says when the rule fires: {summary:?}");
        // Why: the doc's paragraphs other than the Fix paragraph.
        let paragraphs: Vec<&str> = i.doc.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
        let (fix, why): (Vec<&str>, Vec<&str>) = paragraphs.iter().partition(|p| p.starts_with("**Fix:**"));
        let first = why.first().unwrap_or_else(|| panic!("{code}: the doc has no paragraph besides **Fix:**"));
        assert!(words(first) >= 15, "{code}: the first paragraph explains why it matters (15 words or more): {first:?}");
        assert_ne!(first.trim_end_matches('.'), summary.trim_end_matches('.'), "{code}: the doc repeats the summary");
        assert!(!i.doc.contains(summary), "{code}: the doc repeats the summary");
        // Fix: a paragraph of the rule's own doc, exactly when the rule has a fix.
        if i.has_fix {
            assert_eq!(fix.len(), 1, "{code}: has a quick fix, so its doc has one **Fix:** paragraph: {:?}", i.doc);
            let said = fix[0].trim_start_matches("**Fix:**").trim();
            assert!(words(said) >= 5, "{code}: the **Fix:** paragraph says what the fix does: {:?}", fix[0]);
        } else {
            assert!(fix.is_empty() && !i.doc.contains("**Fix:**"), "{code}: has no quick fix but its doc has a **Fix:** paragraph");
        }
        // No paragraph is there twice, and the doc is Markdown, not a heading of its own.
        for (n, p) in paragraphs.iter().enumerate() {
            assert!(!paragraphs[..n].contains(p), "{code}: paragraph repeated: {p:?}");
            assert!(!p.starts_with('#'), "{code}: the doc brings its own heading: {p:?}");
        }
        // And it is what docs/rules.md prints for the rule.
        let heading = format!("## `{code}`\n");
        let at = doc_md.find(&heading).unwrap_or_else(|| panic!("no section for {code}"));
        let section = &doc_md[at..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
        assert!(section.contains(i.doc.trim()), "{code}: docs/rules.md prints the rule's doc");
        assert!(section.contains(&format!("Quick fix: {}.", if i.has_fix { "yes" } else { "no" })), "{code}");
    }
}

/// Whether a rule offers a fix is documented as it behaves: over the corpus,
/// every diagnostic with a fix comes from a rule whose doc says it has one, and
/// every rule documented with a fix offers one on some corpus file.
#[test]
fn documented_quick_fixes_are_the_fixes_rules_offer() {
    use std::collections::BTreeSet;
    let mut fixed = BTreeSet::new();
    for rel in crate::common::corpus_files() {
        let f = crate::common::load(&rel);
        if !f.is_packet {
            continue;
        }
        for d in &f.analyze().diagnostics {
            if !d.fixes.is_empty() {
                assert!(packet_ls::rules::info(d.code).has_fix, "{rel}: {} offers a fix its doc does not mention", d.code.as_str());
                fixed.insert(d.code.as_str());
            }
        }
    }
    let documented: BTreeSet<&str> = packet_ls::RuleCode::ALL.iter().filter(|c| packet_ls::rules::info(**c).has_fix).map(|c| c.as_str()).collect();
    let never: Vec<&&str> = documented.difference(&fixed).collect();
    assert!(never.is_empty(), "documented with a quick fix, but no corpus file gets one: {never:?}");
}

#[test]
fn explain_all_prints_docs_rules_md() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_packet-ls")).args(["explain", "--all"]).output().unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), packet_ls::rules::rules_markdown());
}
