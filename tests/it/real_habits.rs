//! Packets as people write them (`tests/corpus/real-habits/`): numbered,
//! decorated and qualified headings, setext headings, bold labels, tables,
//! the mentee vocabulary, no front matter, CRLF. Their diagnostics are
//! snapshots in `tests/it/corpus.rs` (`NAME.snap`); here is what `check --fix`
//! makes of each, as exact text (`NAME.fixed`, "unchanged" when it changes
//! nothing; a CR shown as `␍`), and what must hold of it: a second run changes nothing, no
//! section present before is inserted again, every original line is kept
//! (a bold label turned into a heading keeps its words), and a packet with
//! errors is not made error-free by the fix alone.
//! `UPDATE_EXPECT=1 cargo test --test it real_habits::` rewrites the snapshots.

use crate::common;

use expect_test::expect_file;
use packet_ls::cli::fix::fix_text;
use packet_ls::{RuleCode, Severity};

const FILES: &[&str] = &[
    "google-docs-export.packet.md",
    "bold-labels.packet.md",
    "no-front-matter.packet.md",
    "half-filled-template.packet.md",
    "crlf-emoji.packet.md",
    "werkstudent/mentoring.packet.md",
];

fn lines(s: &str) -> Vec<&str> {
    s.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

/// Whether every line of `small` is in `big`, in order, reading a bold
/// label line (`**Overview:** text`) as the words it keeps (`text`).
fn lines_kept(small: &str, big: &str) -> bool {
    let mut it = lines(big).into_iter();
    lines(small).into_iter().all(|l| {
        let kept = match l.strip_prefix("**").and_then(|r| r.split_once("**")) {
            Some((_, rest)) => rest.trim_start_matches(':').trim(),
            None => l,
        };
        it.any(|b| b == kept || kept.is_empty() && b.is_empty())
    })
}

fn errors(f: &common::Loaded) -> usize {
    f.analyze().diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
}

#[test]
fn check_fix_output_of_each_real_packet() {
    for name in FILES {
        let f = common::load(&format!("real-habits/{name}"));
        assert!(f.is_packet, "{name}");
        let packet_ls::cli::fix::Fixed { text: fixed, titles, .. } = fix_text(&f.text, &f.settings, &f.env);
        let snap = format!("../corpus/real-habits/{}.fixed", name.strip_suffix(".md").unwrap());
        // (CRs shown as ␍: expect-test reads snapshot files with CRLF turned to LF.)
        let shown = if fixed == f.text { "unchanged\n".to_string() } else { fixed.replace('\r', "␍") };
        expect_file![snap].assert_eq(&shown);

        // A second run changes nothing.
        let packet_ls::cli::fix::Fixed { text: again, titles: more, .. } = fix_text(&fixed, &f.settings, &f.env);
        assert_eq!(again, fixed, "{name}: a second --fix changes the text ({more:?})");
        assert!(more.is_empty(), "{name}: a second --fix applies {more:?}");
        // Every original line is kept, in order.
        assert!(lines_kept(&f.text, &fixed), "{name}: a line was lost:\n{fixed}");
        // No line ending of the other kind.
        if f.text.contains("\r\n") {
            assert!(!fixed.replace("\r\n", "").contains('\n'), "{name}: bare LF in a CRLF file");
        }
        // Nothing inserted twice: no section is duplicated by the fix.
        let after = f.with_text(fixed.clone());
        let a = after.analyze();
        let dups = |diags: &[packet_ls::Diagnostic]| diags.iter().filter(|d| d.code == RuleCode::DuplicateSection).count();
        assert_eq!(dups(&a.diagnostics), dups(&f.analyze().diagnostics), "{name}: --fix made a duplicate section:\n{fixed}");
        // --fix alone does not write the packet: a packet whose count rules
        // fail still fails after it.
        let counts = |l: &common::Loaded| {
            l.analyze()
                .diagnostics
                .iter()
                .filter(|d| matches!(d.code, RuleCode::TooFewInitiatives | RuleCode::TooFewComponents | RuleCode::InsufficientMentoring))
                .count()
        };
        assert!(counts(&after) >= counts(&f).min(1), "{name}: --fix satisfied a count rule with stubs:\n{fixed}");
        if !titles.is_empty() && counts(&f) > 0 {
            assert!(errors(&after) > 0, "{name}: --fix alone made the packet error-free");
        }
    }
}

/// Decorated, numbered and qualified headings are their sections: the
/// Google Docs export has every section and subsection, so no structural
/// diagnostic, and `--fix` leaves it alone.
#[test]
fn decorated_headings_are_their_sections() {
    let f = common::load("real-habits/google-docs-export.packet.md");
    let a = f.analyze();
    let structural: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                RuleCode::MissingSection
                    | RuleCode::MissingSubsection
                    | RuleCode::InitiativeMissingSubsection
                    | RuleCode::DuplicateSection
                    | RuleCode::HeadingLevel
                    | RuleCode::InsufficientMentoring
            )
        })
        .map(|d| d.message.as_str())
        .collect();
    assert!(structural.is_empty(), "{structural:#?}");
    assert_eq!(a.readiness.to_string(), "9/9 sections · 2/2 initiatives complete · mentoring 3/3 · letter kinds 3/3 · sponsor's letter missing");
}

/// The bold labels become the headings, with the candidate's words under
/// them, and nothing is appended.
#[test]
fn bold_labels_become_headings() {
    let f = common::load("real-habits/bold-labels.packet.md");
    let packet_ls::cli::fix::Fixed { text: fixed, titles, .. } = fix_text(&f.text, &f.settings, &f.env);
    assert!(fixed.contains("## Ledger migration\n\n### Overview\n\nWe moved every card payment"), "{fixed}");
    assert!(fixed.contains("### My role\n\nI wrote the migration plan"), "{fixed}");
    assert!(fixed.contains("### Overview\n\nA program to bring checkout"), "{fixed}");
    assert!(fixed.contains("### Results\n\np99 fell from 1.2 s to 380 ms."), "{fixed}");
    assert_eq!(fixed.matches("### Overview").count(), 2, "{fixed}");
    assert_eq!(titles.len(), 2, "{titles:?}");
    let after = f.with_text(fixed);
    assert!(!after.analyze().diagnostics.iter().any(|d| d.code == RuleCode::InitiativeMissingSubsection));
}
