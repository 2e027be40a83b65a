//! Inputs the property tests and fuzzers found, kept as plain tests with the
//! exact behaviour expected (see docs/reliability.md for the story of each).

use crate::harness;

use packet_ls::analysis::{analyze, Env};
use packet_ls::config::Settings;
use packet_ls::diagnostic::apply_edits;
use packet_ls::fix::fix_all;
use packet_ls::rules::RuleCode;

fn codes(text: &str) -> Vec<&'static str> {
    let s = Settings::default();
    analyze(text, &s, &Env::default()).diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// `check --fix` on an empty packet inserted a bare Mentoring section; a
/// second run then inserted the mentoring stubs. The section now comes with
/// them; they do not count (honest counts), and a second run adds no more.
#[test]
fn fix_all_on_empty_packet_is_idempotent() {
    let s = Settings::default();
    let once = harness::check_fix_all("", &s);
    assert!(once.contains(
        "# Mentoring and Coaching\n\n<!-- Examples of formally mentoring new-grad or new-hire engineers and interns, and guiding them to complete their assigned work. -->\n\n- <New-grad mentee>: <what you guided them to complete, and the outcome>\n- <New-grad mentee>: <what you guided them to complete, and the outcome>\n- <Intern mentee>: <the project you guided them through, and the outcome>\n\n# Scope of Responsibilities\n"
    ), "{once}");
    let a = analyze(&once, &s, &Env::default());
    assert!(fix_all(&a.doc, &a.diagnostics).is_empty());
    let mentoring: Vec<_> = a.diagnostics.iter().filter(|d| d.code == RuleCode::InsufficientMentoring).collect();
    assert_eq!(mentoring.len(), 1);
    assert!(mentoring[0].message.contains("(3 examples are still stubs to fill in)"), "{}", mentoring[0].message);
    assert!(mentoring[0].fixes.is_empty());
    // The same after a near-miss heading, the shrunk input proptest reported.
    harness::check_fix_all("# Overview\n# Overview\n# Overview\nverview\n===", &s);
}

/// With CRLF, a comment after a heading counted as content, so the template
/// lost its empty-section diagnostics.
#[test]
fn crlf_template_gives_the_same_diagnostics() {
    let lf = packet_ls::template::TEMPLATE;
    let crlf = lf.replace('\n', "\r\n");
    assert_eq!(codes(&crlf), codes(lf));
    // (The template's empty initiatives, components and values are reported
    // once each, as placeholders, not also as empty.)
    assert_eq!(codes(lf).iter().filter(|c| **c == "empty-section").count(), 6);
    let s = Settings::default();
    let a = analyze(&crlf, &s, &Env::default());
    let fixed = apply_edits(&crlf, &fix_all(&a.doc, &a.diagnostics));
    assert!(!fixed.replace("\r\n", "").contains('\n'), "fixes keep CRLF");
}

/// `check --fix` inserted initiative subsections a second time when the
/// initiative's heading was written inside a deeply nested list item: the
/// insertion lands next to the list, under another heading. Such fixes are
/// now withheld (`fix::under`). The shrunk input proptest found.
#[test]
fn fix_all_idempotent_with_parent_headings_in_list_items() {
    let t = "# Overview\nOverview\r\n===\r# 1. **Overview**: \r\n# Overview\r# Overview\r# Overview\r# verview\n# verview\r# <Initiative 1>\n\r\r\n<div>\r\nI\r\nI\r# Overview\r\n# Overview\r# Overview\n# Overview\r\n# Overview\r\t# verviews ##\r\n\n- - - - - - - - - - - - - - - - x\r\n\t\t\t# Projects and Initiatives\r\n  \t### Alignment with Values\r \t ## Cross Functional Collaboration\n";
    harness::check_fix_all(t, &Settings::default());
    // The mentoring section's heading inside a list item: no stubs offered.
    let t = "  - { name: A, role: staff-engineer, relation: same-team, file: ../../etc/passwd }\nOverview\n-\n  # Mentoring and Coaching\n  # Overview";
    harness::check_fix_all(t, &Settings::default());
    // Front matter that is a scalar, not a mapping: no `letters:` key offered.
    let t = "---\n<!-- prompt -->\n# Overview\n# Overview\nOverview\n---";
    harness::check_fix_all(t, &Settings::default());
}

/// Mentoring stubs (and missing sections) wanted before a heading nested in
/// a list item went before the whole list, moving the list's examples out
/// of the mentoring section, so a second `check --fix` added stubs again.
/// An insertion now goes after such a container when the container holds
/// content before the nested heading. The shrunk input proptest found.
#[test]
fn fix_all_idempotent_when_a_list_before_the_insertion_holds_a_heading() {
    let t = "## Mentoring and Coaching\n~~~\n~~~\n1. \n    - intern\n\t# Overview";
    harness::check_fix_all(t, &Settings::default());
}

/// The same analysis invariants on a BOM followed directly by a heading, a
/// lone-CR document with indented code, an unclosed fence at the end and a
/// heading nested in a list item, each found by the property tests.
#[test]
fn found_inputs_hold_every_invariant() {
    for t in [
        "\u{feff}",
        "\u{feff}# Overview\n",
        "---\nOverview\n---",
        "\u{feff}<!--",
        "---\nOverview\n---",
        "# Overview\r# Overview\r\r    - \r\r",
        "# Overview\n# Overview\n# Overview\n```",
        "###### 1. **Selected Projects & Initiatives**: ",
        "- x\n\t# Alignment with Engineering Competency Framework",
        "# Scope of Responsibilities\n\n Product Areas\n\n- Search\n\n### Team Leadership\n\nTBD\n",
        "## Selected Projects and Initiatives\n## Search relevance\n\n### Overview\n\nx\n\n### Roles and Responsibilities\n\ny\n",
    ] {
        harness::check_analysis(t);
    }
}

/// Still open: a heading nested two list levels deep under a container, with
/// a near-miss of it at another level, makes a second `check --fix` insert
/// "Overview" again. Shrunk by proptest; run with `cargo test -- --ignored`.
#[test]
#[ignore = "known: fix_all is not idempotent on headings nested in list items under a near-miss container"]
fn known_fix_all_not_idempotent() {
    let t = "# elected Projects and Initiatives\n  -   - x\n\t\t## Overview\n### Overview\n\t# Overview";
    harness::check_fix_all(t, &Settings::default());
}
