//! Letter files as documents: a letter that is empty, holds only
//! placeholders and prompt comments, never names the candidate, or whose own
//! front matter disagrees with its entry is reported on its entry in the
//! packet (`missing-recommender`, warning); one that cannot be read is
//! `letter-not-found`. The texts come to the analysis through `Env`, read by
//! `workspace::env_for` beneath the workspace root.

use std::fs;
use std::path::Path;

use packet_ls::analysis::analyze;
use packet_ls::config::Settings;
use packet_ls::workspace::env_for;
use packet_ls::{RuleCode, Severity};

fn write(p: &Path, s: &[u8]) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

const PACKET: &str = "---
packet: senior-em
candidate: Jordan Rivera
sponsor: { name: Morgan Lee, relation: direct-manager, role: director, file: letters/morgan.md }
letters:
  - { name: Priya Natarajan, role: staff-engineer, relation: same-team, file: letters/priya.md }
  - { name: Tomás Ortega, role: product-manager, relation: other-team, file: letters/tomas.md }
  - { name: Wei Chen, role: engineer, relation: other-team, file: letters/wei.md }
---
# Overview
";

/// (code, severity, the text the diagnostic points at, message) of the
/// letter diagnostics of `PACKET` with these letter files.
fn letter_diagnostics(files: &[(&str, &[u8])]) -> (Vec<(RuleCode, Severity, String, String)>, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join("packet.toml"), b"");
    let p = root.join("jordan.packet.md");
    write(&p, PACKET.as_bytes());
    for (f, t) in files {
        write(&root.join(f), t);
    }
    let env = env_for(&p, PACKET);
    let settings = Settings::default();
    let a = analyze(PACKET, &settings, &env);
    let got = a
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, RuleCode::MissingRecommender | RuleCode::LetterNotFound))
        .map(|d| (d.code, d.severity, PACKET[d.range.clone()].to_string(), d.message.clone()))
        .collect();
    (got, a.readiness.sponsor_letter)
}

const GOOD: &[(&str, &[u8])] = &[
    ("letters/morgan.md", b"I sponsor Jordan Rivera."),
    ("letters/priya.md", b"Jordan led the rewrite."),
    ("letters/tomas.md", b"# For JORDAN RIVERA\n\nWe planned every quarter."),
    ("letters/wei.md", b"Jordan's help made our migration possible."),
];

fn with(replace: &[(&'static str, &'static [u8])]) -> Vec<(&'static str, &'static [u8])> {
    GOOD.iter().map(|(f, t)| replace.iter().find(|(g, _)| g == f).copied().unwrap_or((*f, *t))).collect()
}

#[test]
fn written_letters_naming_the_candidate_get_nothing() {
    let (got, sponsor) = letter_diagnostics(GOOD);
    assert_eq!(got, vec![]);
    assert!(sponsor);
}

#[test]
fn empty_and_placeholder_letters_are_reported_on_their_entries() {
    let (got, sponsor) = letter_diagnostics(&with(&[
        ("letters/priya.md", b""),
        ("letters/tomas.md", b"---\nwriter: Tom\xc3\xa1s Ortega\n---\n# Letter for Jordan\n\n<!-- Say how you worked with Jordan. -->\n\nTODO <what Jordan did>\n"),
        ("letters/morgan.md", b"   \n"),
    ]));
    let w = |at: &str, msg: &str| (RuleCode::MissingRecommender, Severity::Warning, at.to_string(), msg.to_string());
    assert_eq!(
        got,
        vec![
            w("letters/morgan.md", "The sponsor's letter (`letters/morgan.md`, Morgan Lee) is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it"),
            w("letters/priya.md", "Priya Natarajan's letter (`letters/priya.md`) is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it"),
            w("letters/tomas.md", "Tomás Ortega's letter (`letters/tomas.md`) is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it"),
        ]
    );
    assert!(!sponsor, "an empty sponsor's letter is not there");
}

#[test]
fn a_letter_that_never_names_the_candidate_is_reported() {
    let (got, _) = letter_diagnostics(&with(&[
        ("letters/wei.md", b"Sam Someone is a great engineer. <!-- Jordan -->\n\n```\nJordan\n```\n"),
        ("letters/priya.md", b"Jordanna is great."),
    ]));
    let msg = |who: &str, f: &str| format!("{who}'s letter (`{f}`) never names the candidate (\"Jordan Rivera\" or \"Jordan\"): is it the letter for this packet?");
    assert_eq!(
        got,
        vec![
            (RuleCode::MissingRecommender, Severity::Warning, "letters/priya.md".into(), msg("Priya Natarajan", "letters/priya.md")),
            (RuleCode::MissingRecommender, Severity::Warning, "letters/wei.md".into(), msg("Wei Chen", "letters/wei.md")),
        ]
    );
}

#[test]
fn a_letter_front_matter_that_disagrees_with_its_entry_names_both_values() {
    let (got, sponsor) = letter_diagnostics(&with(&[
        (
            "letters/priya.md",
            b"---\nwriter: Priya N.\nrole: principal-engineer\nrelation: other-team\ncandidate: Jordan Rivera\n---\nJordan led the rewrite.",
        ),
        ("letters/morgan.md", b"---\nwriter: morgan  LEE\nrole: director\ncandidate: Sam Someone\n---\nI sponsor Jordan."),
        // Agreeing front matter (case and spacing aside): nothing.
        ("letters/wei.md", b"---\nwriter: Wei  Chen\nrole: Engineer\nrelation: other-team\ncandidate: jordan rivera\n---\nJordan helped us."),
    ]));
    let w = |at: &str, msg: &str| (RuleCode::MissingRecommender, Severity::Warning, at.to_string(), msg.to_string());
    assert_eq!(
        got,
        vec![
            w("letters/morgan.md", "The sponsor's letter (`letters/morgan.md`, Morgan Lee) says `candidate: Sam Someone`, but this packet's candidate is `Jordan Rivera`: is it the letter for this packet?"),
            w("Priya Natarajan", "Priya Natarajan's letter (`letters/priya.md`) says `writer: Priya N.`, but its entry here has `name: Priya Natarajan`: make them agree"),
            w("staff-engineer", "Priya Natarajan's letter (`letters/priya.md`) says `role: principal-engineer`, but its entry here has `role: staff-engineer`: make them agree"),
            w("same-team", "Priya Natarajan's letter (`letters/priya.md`) says `relation: other-team`, but its entry here has `relation: same-team`: make them agree"),
        ]
    );
    assert!(sponsor, "a disagreement is reported, the letter is still there");
}

#[test]
fn an_unreadable_letter_is_letter_not_found_and_aliases_are_not_expanded() {
    let bomb: &[u8] = b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\nwriter: *a\n---\nJordan is great.";
    let (got, _) = letter_diagnostics(&with(&[("letters/tomas.md", b"Jordan \xff\xfe"), ("letters/wei.md", bomb)]));
    assert_eq!(
        got,
        vec![(RuleCode::LetterNotFound, Severity::Warning, "letters/tomas.md".into(), "Letter file letters/tomas.md is not UTF-8 text".into())]
    );
}

#[test]
fn the_rule_can_be_silenced_like_any_other() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(&root.join("packet.toml"), b"[rules]\nmissing-recommender = \"off\"\n");
    let p = root.join("jordan.packet.md");
    write(&p, PACKET.as_bytes());
    for (f, t) in with(&[("letters/priya.md", b"")]) {
        write(&root.join(f), t);
    }
    let reports = packet_ls::cli::check_paths(&[p], false);
    assert!(reports[0].diagnostics.iter().all(|d| d.code != RuleCode::MissingRecommender), "{:?}", reports[0].diagnostics);
}
