//! Front matter: positions (with non-ASCII text), types and vocabulary,
//! letter kinds, sponsor cases, letter files, and the missing-recommender fix.

use std::collections::BTreeMap;
use std::ops::Range;

use packet_ls::diagnostic::Severity;
use packet_ls::fix::fix_all;
use packet_ls::frontmatter::{LetterKind, Role};
use packet_ls::{analyze, apply_edits, Env, LetterStatus, RuleCode, Settings};

static SETTINGS: std::sync::LazyLock<Settings> = std::sync::LazyLock::new(Settings::default);

const BODY: &str = "\n# Overview\n\nText.\n";

fn fm_codes() -> [RuleCode; 4] {
    [RuleCode::FrontMatterInvalid, RuleCode::MissingRecommender, RuleCode::SponsorRole, RuleCode::LetterNotFound]
}

/// The front-matter diagnostics of a text: (code, severity, text under the range, message).
fn fm_diags_env(text: &str, env: &Env) -> Vec<(RuleCode, Severity, String, String)> {
    let settings = Settings::default();
    let a = analyze(text, &settings, env);
    a.diagnostics
        .iter()
        .filter(|d| fm_codes().contains(&d.code))
        .map(|d| (d.code, d.severity, text[d.range.clone()].to_string(), d.message.clone()))
        .collect()
}

fn fm_diags(text: &str) -> Vec<(RuleCode, Severity, String, String)> {
    fm_diags_env(text, &Env::default())
}

fn find(text: &str, needle: &str) -> Range<usize> {
    let s = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    s..s + needle.len()
}

const GOOD_LETTERS: &str = "letters:\n  - { name: A, role: staff-engineer, relation: same-team }\n  - { name: B, role: product-manager }\n  - { name: C, role: engineer, relation: other-team }\n";
const GOOD_SPONSOR: &str = "sponsor: { name: Lee, relation: direct-manager, role: director }\n";

#[test]
fn positions_with_non_ascii_text_are_byte_ranges_into_the_full_text() {
    let text = "\u{feff}---\npacket: senior-em\ncandidate: Zoë 山田\ntarget: \"Sénior EM 🎉\"\nsponsor: { name: Łukasz Ñ, relation: direct-manager, role: directr }\nletters:\n  - name: 李雷 🎉\n    role: staff-engineer\n    relation: same-team\n    file: 'letters/é''s.md'\n  - { name: Ærø, role: product-manager }\n---\n# Overview\n";
    let a = analyze(text, &SETTINGS, &Env::default());
    let f = &a.front;
    assert!(f.present && f.parsed());
    let cand = f.candidate.as_ref().unwrap();
    assert_eq!(cand.value.range, find(text, "Zoë 山田"));
    assert_eq!(cand.key, find(text, "candidate"));
    assert_eq!(cand.text(), "Zoë 山田");
    // Exact numbers too: BOM (3) + "---\n" (4) + "packet: senior-em\n" (18) = 25.
    assert_eq!(cand.key, 25..34);
    assert_eq!(cand.value.range, 36..47);
    let target = f.target.as_ref().unwrap();
    assert_eq!(target.text(), "Sénior EM 🎉");
    assert_eq!(target.value.range, find(text, "\"Sénior EM 🎉\""));
    let sponsor = f.sponsor.as_ref().unwrap();
    assert_eq!(sponsor.name.as_ref().unwrap().value.range, find(text, "Łukasz Ñ"));
    assert_eq!(sponsor.range, find(text, "{ name: Łukasz Ñ, relation: direct-manager, role: directr }"));
    assert_eq!(f.sponsor_key, Some(find(text, "sponsor")));
    assert_eq!(f.letters_key, Some(find(text, "letters")));
    assert_eq!(f.letters.len(), 2);
    let l0 = &f.letters[0];
    assert_eq!(l0.name.as_ref().unwrap().value.range, find(text, "李雷 🎉"));
    assert_eq!(l0.role.as_ref().unwrap().value.range, find(text, "staff-engineer"));
    let file = l0.file.as_ref().unwrap();
    assert_eq!(file.text(), "letters/é's.md");
    assert_eq!(file.value.range, find(text, "'letters/é''s.md'"));
    assert_eq!(file.key, find(text, "file"));
    assert_eq!(l0.kinds(), vec![LetterKind::SameTeamSeniorEngineer]);
    assert_eq!(f.letters[1].name.as_ref().unwrap().value.range, find(text, "Ærø"));
    assert_eq!(f.letters[1].range, find(text, "{ name: Ærø, role: product-manager }"));
    assert_eq!(f.letter_at(find(text, "Ærø").start).map(|l| l.range.clone()), Some(f.letters[1].range.clone()));

    // The unknown role is a warning on the value, naming the accepted ones;
    // sponsor-role stays quiet about it (one problem, one diagnostic).
    let d = fm_diags(text);
    let accepted = Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
    assert_eq!(
        d,
        vec![
            (
                RuleCode::FrontMatterInvalid,
                Severity::Warning,
                "directr".into(),
                format!("Unknown role `directr`: use one of {accepted}")
            ),
            (
                RuleCode::MissingRecommender,
                Severity::Warning,
                "letters".into(),
                "No recommendation letter from an engineer from another team, or a manager/director from another org: the letters cover 2 of 3 required kinds".into()
            ),
        ]
    );
    assert!(accepted.starts_with("engineer, senior-engineer, lead-engineer, staff-engineer,") && accepted.ends_with("qa-manager, support-manager, other"));
}

#[test]
fn positions_after_a_block_scalar_with_non_ascii_text() {
    // yaml-rust2 counts block scalar lines in bytes but other text in
    // characters; positions must not drift after one.
    let text = format!("---\npacket: senior-em\nnotes: |\n  ééé 山田\n  ü\ncandidate: Zoë\n{GOOD_SPONSOR}{GOOD_LETTERS}---\n{BODY}");
    let a = analyze(&text, &SETTINGS, &Env::default());
    let c = a.front.candidate.as_ref().unwrap();
    assert_eq!(&text[c.value.range.clone()], "Zoë");
    assert_eq!(c.key, find(&text, "candidate"));
    assert_eq!(fm_diags(&text), vec![]);
}

#[test]
fn crlf_front_matter_positions() {
    let text = "---\r\npacket: senior-em\r\ncandidate: Zoë\r\nsponsor: { name: L, relation: peer, role: director }\r\n---\r\n# Overview\r\n";
    let d = fm_diags(text);
    assert!(d.contains(&(
        RuleCode::SponsorRole,
        Severity::Warning,
        "peer".into(),
        "The sponsor must be your direct manager (or, by exception, a skip-level manager), not a peer relation".into()
    )));
}

#[test]
fn invalid_yaml_gives_one_diagnostic_at_the_error_and_the_rest_is_still_checked() {
    let text = "---\npacket: senior-em\ncandidate: Zoë: 山田\nletters: 3\n---\n# Overview\n";
    let settings = Settings::default();
    let a = analyze(text, &settings, &Env::default());
    let fm: Vec<_> = a.diagnostics.iter().filter(|d| fm_codes().contains(&d.code)).collect();
    assert_eq!(fm.len(), 1, "{fm:#?}");
    let d = fm[0];
    assert_eq!(d.code, RuleCode::FrontMatterInvalid);
    assert_eq!(d.severity, Severity::Error);
    // At the second `:` on the candidate line, after the two-byte `ë`.
    let at = text.find("Zoë:").unwrap() + "Zoë".len();
    assert_eq!(d.range, at..at + 1);
    assert_eq!(d.message, "Front matter is not valid YAML: mapping values are not allowed in this context");
    // The document is still checked.
    assert!(a.diagnostics.iter().any(|d| d.code == RuleCode::MissingSubsection));
    assert!(a.diagnostics.iter().any(|d| d.code == RuleCode::MissingSection));
    assert!(!a.front.parsed());
}

#[test]
fn unclosed_flow_mapping_is_reported_inside_the_front_matter() {
    let text = "---\npacket: senior-em\nsponsor: { name: Lee, role: director\nletters: []\n---\n# Overview\n";
    let a = analyze(text, &SETTINGS, &Env::default());
    let fm = a.front.body.clone();
    let d: Vec<_> = a.diagnostics.iter().filter(|d| fm_codes().contains(&d.code)).collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, RuleCode::FrontMatterInvalid);
    assert!(d[0].message.starts_with("Front matter is not valid YAML: "), "{}", d[0].message);
    assert!(fm.contains(&d[0].range.start) || d[0].range.start == fm.end);
}

#[test]
fn keys_of_the_wrong_type_are_errors_on_the_value() {
    let text = "---\npacket: senior-em\ncandidate: [Dana, Example]\nsponsor: Lee\nletters:\n  - Priya\n  - { name: [x], role: product-manager }\n---\n# Overview\n";
    let d = fm_diags(text);
    assert_eq!(
        d,
        vec![
            (RuleCode::FrontMatterInvalid, Severity::Error, "[Dana, Example]".into(), "`candidate` must be a text value, not a list".into()),
            (RuleCode::FrontMatterInvalid, Severity::Error, "Lee".into(), "`sponsor` must be a mapping such as `{ name: …, relation: direct-manager, role: director }`, not a text value".into()),
            (RuleCode::MissingRecommender, Severity::Warning, "letters".into(), "No recommendation letter from a staff/lead (or higher) engineer from the same team: the letters cover 1 of 3 required kinds".into()),
            (RuleCode::MissingRecommender, Severity::Warning, "letters".into(), "No recommendation letter from an engineer from another team, or a manager/director from another org: the letters cover 1 of 3 required kinds".into()),
            (RuleCode::FrontMatterInvalid, Severity::Error, "Priya".into(), "`each letter` must be a mapping such as `{ name: …, role: staff-engineer, relation: same-team }`, not a text value".into()),
            (RuleCode::FrontMatterInvalid, Severity::Error, "[x]".into(), "`letter name` must be a text value, not a list".into()),
        ]
    );
    // `letters:` that is not a list: an error, and no missing-recommender on top.
    let text = format!("---\npacket: senior-em\n{GOOD_SPONSOR}letters: 3\n---\n{BODY}");
    assert_eq!(
        fm_diags(&text),
        vec![(RuleCode::FrontMatterInvalid, Severity::Error, "3".into(), "`letters` must be a list of letters, not a text value".into())]
    );
}

#[test]
fn unknown_keys_are_allowed_and_unknown_relations_are_warnings() {
    let text = format!(
        "---\npacket: senior-em\nteam: Billing\nextra: {{ a: [1, 2] }}\n{GOOD_SPONSOR}letters:\n  - {{ name: A, role: staff-engineer, relation: same-team, phone: 123 }}\n  - {{ name: B, role: product-manager, relation: cousin }}\n  - {{ name: C, role: engineer, relation: other-team }}\n---\n{BODY}"
    );
    assert_eq!(
        fm_diags(&text),
        vec![(
            RuleCode::FrontMatterInvalid,
            Severity::Warning,
            "cousin".into(),
            "Unknown relation `cousin`: use one of same-team, other-team, other-org, direct-manager, skip-level, peer".into()
        )]
    );
}

#[test]
fn duplicate_keys_are_errors() {
    let text = format!("---\npacket: senior-em\ncandidate: A\ncandidate: B\n{GOOD_SPONSOR}{GOOD_LETTERS}---\n{BODY}");
    let d = fm_diags(&text);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, RuleCode::FrontMatterInvalid);
    assert_eq!(d[0].3, "Duplicate key `candidate`: only one is allowed");
    assert_eq!(analyze(&text, &SETTINGS, &Env::default()).diagnostics.iter().find(|x| x.code == RuleCode::FrontMatterInvalid).unwrap().range, {
        let s = text.rfind("candidate").unwrap();
        s..s + 9
    });
}

fn kinds(role: &str, relation: Option<&str>) -> Vec<LetterKind> {
    let rel = relation.map(|r| format!(", relation: {r}")).unwrap_or_default();
    let text = format!("---\npacket: senior-em\nletters:\n  - {{ name: X, role: {role}{rel} }}\n---\n");
    let a = analyze(&text, &SETTINGS, &Env::default());
    assert!(a.front.problems.is_empty(), "{:?}", a.front.problems);
    a.front.letters[0].kinds()
}

#[test]
fn each_letter_kind_is_counted_right() {
    use LetterKind::*;
    let cases: &[(&str, Option<&str>, &[LetterKind])] = &[
        ("staff-engineer", Some("same-team"), &[SameTeamSeniorEngineer]),
        ("lead-engineer", Some("same-team"), &[SameTeamSeniorEngineer]),
        ("senior-staff-engineer", Some("same-team"), &[SameTeamSeniorEngineer]),
        ("principal-engineer", Some("same-team"), &[SameTeamSeniorEngineer]),
        ("distinguished-engineer", Some("same-team"), &[SameTeamSeniorEngineer]),
        ("senior-engineer", Some("same-team"), &[]),
        ("engineer", Some("same-team"), &[]),
        ("staff-engineer", None, &[]),
        ("staff-engineer", Some("other-team"), &[CrossTeam]),
        ("engineer", Some("other-team"), &[CrossTeam]),
        ("senior-engineer", Some("other-org"), &[CrossTeam]),
        ("product-manager", None, &[ProductOrProgramManager]),
        ("program-manager", Some("other-org"), &[ProductOrProgramManager]),
        ("product-manager", Some("same-team"), &[ProductOrProgramManager]),
        ("engineering-manager", Some("other-org"), &[CrossTeam]),
        ("director", Some("other-org"), &[CrossTeam]),
        ("vp", Some("other-org"), &[CrossTeam]),
        ("director", Some("other-team"), &[]),
        ("engineering-manager", Some("other-team"), &[]),
        ("qa-manager", Some("other-org"), &[]),
        ("support-manager", Some("other-team"), &[]),
        ("other", Some("other-org"), &[]),
    ];
    for (role, rel, want) in cases {
        assert_eq!(kinds(role, *rel), want.to_vec(), "{role} {rel:?}");
    }
}

fn recommender_count(letters: &str) -> usize {
    let text = format!("---\npacket: senior-em\n{GOOD_SPONSOR}letters:\n{letters}---\n{BODY}");
    fm_diags(&text).iter().filter(|d| d.0 == RuleCode::MissingRecommender).count()
}

#[test]
fn missing_recommender_names_each_missing_kind() {
    assert_eq!(recommender_count("  - { name: A, role: staff-engineer, relation: same-team }\n  - { name: B, role: program-manager }\n  - { name: C, role: director, relation: other-org }\n"), 0);
    assert_eq!(recommender_count("  - { name: A, role: staff-engineer, relation: same-team }\n  - { name: B, role: program-manager }\n"), 1);
    assert_eq!(recommender_count("  - { name: A, role: senior-engineer, relation: same-team }\n"), 3);
    // Two letters of one kind do not make up for another.
    assert_eq!(recommender_count("  - { name: A, role: product-manager }\n  - { name: B, role: program-manager }\n"), 2);
    // One letter may cover two kinds? No kind overlaps: a PM is never cross-team.
    assert_eq!(recommender_count("  - { name: A, role: product-manager, relation: other-org }\n"), 2);

    let text = format!("---\npacket: senior-em\n{GOOD_SPONSOR}letters:\n  - {{ name: B, role: product-manager }}\n---\n{BODY}");
    let msgs: Vec<String> = fm_diags(&text).into_iter().filter(|d| d.0 == RuleCode::MissingRecommender).map(|d| d.3).collect();
    assert_eq!(
        msgs,
        vec![
            "No recommendation letter from a staff/lead (or higher) engineer from the same team: the letters cover 1 of 3 required kinds",
            "No recommendation letter from an engineer from another team, or a manager/director from another org: the letters cover 1 of 3 required kinds",
        ]
    );
}

#[test]
fn missing_recommender_points_at_letters_or_first_line_or_line_zero() {
    // No letters key: the front matter's first line.
    let text = format!("---\npacket: senior-em\n{GOOD_SPONSOR}---\n{BODY}");
    let a = analyze(&text, &SETTINGS, &Env::default());
    let d: Vec<_> = a.diagnostics.iter().filter(|d| d.code == RuleCode::MissingRecommender).collect();
    assert_eq!(d.len(), 3);
    assert!(d.iter().all(|d| d.range == (0..3)));
    // No front matter: one diagnostic on line 0 (after a BOM), for letters
    // and sponsor together.
    let text = "\u{feff}# Overview\n\nText.\n";
    let a = analyze(text, &SETTINGS, &Env::default());
    let d: Vec<_> = a.diagnostics.iter().filter(|d| d.code == RuleCode::MissingRecommender).collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].range, 3..text.find("\n").unwrap());
    assert_eq!(
        d[0].message,
        "No front matter: the sponsor and the recommendation letters are not named; add a front matter with `sponsor:` and `letters:` covering the 3 required kinds"
    );
    assert!(!a.diagnostics.iter().any(|d| d.code == RuleCode::SponsorRole));
}

/// Applies the (only) fix of the first missing-recommender diagnostic.
fn apply_first_recommender_fix(text: &str) -> String {
    let settings = Settings::default();
    let a = analyze(text, &settings, &Env::default());
    let d = a.diagnostics.iter().find(|d| d.code == RuleCode::MissingRecommender).expect("a missing-recommender");
    assert_eq!(d.fixes.len(), 1);
    assert!(d.fixes[0].preferred);
    apply_edits(text, &d.fixes[0].edits)
}

fn recommender_left(text: &str) -> usize {
    let a = analyze(text, &SETTINGS, &Env::default());
    assert!(a.front.parsed() && a.front.problems.is_empty(), "{:?} {:?}", a.front.syntax_error, a.front.problems);
    a.diagnostics.iter().filter(|d| d.code == RuleCode::MissingRecommender).count()
}

#[test]
fn fix_appends_to_a_block_list() {
    let text = format!("---\npacket: senior-em\nletters:\n    - name: B\n      role: product-manager\n    # a comment\n{GOOD_SPONSOR}---\n{BODY}");
    let fixed = apply_first_recommender_fix(&text);
    assert_eq!(
        fixed,
        format!("---\npacket: senior-em\nletters:\n    - name: B\n      role: product-manager\n    - {{ name: TODO, role: staff-engineer, relation: same-team }}\n    # a comment\n{GOOD_SPONSOR}---\n{BODY}")
    );
    assert_eq!(recommender_left(&fixed), 1);
}

#[test]
fn fix_keeps_crlf() {
    let text = "---\r\npacket: senior-em\r\nletters:\r\n  - { name: B, role: product-manager }\r\n---\r\n# Overview\r\n";
    let fixed = apply_first_recommender_fix(text);
    assert_eq!(fixed, "---\r\npacket: senior-em\r\nletters:\r\n  - { name: B, role: product-manager }\r\n  - { name: TODO, role: staff-engineer, relation: same-team }\r\n---\r\n# Overview\r\n");
}

#[test]
fn fix_fills_an_empty_or_flow_list() {
    let text = format!("---\npacket: senior-em\nletters:\n{GOOD_SPONSOR}---\n{BODY}");
    let fixed = apply_first_recommender_fix(&text);
    assert_eq!(fixed, format!("---\npacket: senior-em\nletters:\n  - {{ name: TODO, role: staff-engineer, relation: same-team }}\n{GOOD_SPONSOR}---\n{BODY}"));
    assert_eq!(recommender_left(&fixed), 2);

    let text = format!("---\npacket: senior-em\nletters: []\n---\n{BODY}");
    let fixed = apply_first_recommender_fix(&text);
    assert_eq!(fixed, format!("---\npacket: senior-em\nletters: [{{ name: TODO, role: staff-engineer, relation: same-team }}]\n---\n{BODY}"));
    let fixed = apply_first_recommender_fix(&fixed);
    assert_eq!(fixed, format!("---\npacket: senior-em\nletters: [{{ name: TODO, role: staff-engineer, relation: same-team }}, {{ name: TODO, role: product-manager }}]\n---\n{BODY}"));
    assert_eq!(recommender_left(&fixed), 1);
}

#[test]
fn fix_adds_a_letters_key_or_a_whole_front_matter() {
    let text = format!("---\npacket: senior-em\n{GOOD_SPONSOR}---\n{BODY}");
    let fixed = apply_first_recommender_fix(&text);
    assert_eq!(fixed, format!("---\npacket: senior-em\n{GOOD_SPONSOR}letters:\n  - {{ name: TODO, role: staff-engineer, relation: same-team }}\n---\n{BODY}"));
    assert_eq!(recommender_left(&fixed), 2);

    // No front matter: a whole skeleton, sponsor and the three letters.
    let text = "# Overview\n\nText.\n";
    let fixed = apply_first_recommender_fix(text);
    assert_eq!(fixed, format!("{SKELETON}\n# Overview\n\nText.\n"));
    assert_eq!(recommender_left(&fixed), 0);
    let a = analyze(&fixed, &SETTINGS, &Env::default());
    assert!(!a.diagnostics.iter().any(|d| d.code == RuleCode::SponsorRole || d.code == RuleCode::FrontMatterInvalid));
    // The names are left to fill in.
    assert_eq!(a.diagnostics.iter().filter(|d| d.code == RuleCode::Placeholder).count(), 5);
}

/// What a packet without front matter gets from the fix.
const SKELETON: &str = "---\npacket: senior-em\ncandidate: TODO\ntarget: Senior Engineering Manager\nsponsor: { name: TODO, relation: direct-manager, role: director }\nletters:\n  - { name: TODO, role: staff-engineer, relation: same-team }\n  - { name: TODO, role: product-manager }\n  - { name: TODO, role: engineer, relation: other-team }\n---\n";

#[test]
fn fix_all_merges_entries_under_one_letters_key() {
    // No front matter, and missing sections inserted at the same place: the
    // front matter must come first and hold all three entries.
    let text = "## Background\n\nText.\n";
    let settings = Settings::default();
    let a = analyze(text, &settings, &Env::default());
    let edits = fix_all(&a.doc, &a.diagnostics);
    let fixed = apply_edits(text, &edits);
    assert!(fixed.starts_with(&format!("{SKELETON}\n")), "{fixed}");
    assert!(fixed.contains("## Background\n\nText.\n"));
    assert_eq!(recommender_left(&fixed), 0);

    let text = format!("---\npacket: senior-em\n{GOOD_SPONSOR}---\n{BODY}");
    let a = analyze(&text, &settings, &Env::default());
    let fixed = apply_edits(&text, &fix_all(&a.doc, &a.diagnostics));
    assert!(fixed.starts_with(&format!("---\npacket: senior-em\n{GOOD_SPONSOR}letters:\n  - {{ name: TODO, role: staff-engineer, relation: same-team }}\n  - {{ name: TODO, role: product-manager }}\n  - {{ name: TODO, role: engineer, relation: other-team }}\n---\n")), "{fixed}");
    assert_eq!(recommender_left(&fixed), 0);
}

fn sponsor_diags(sponsor: &str) -> Vec<(String, String)> {
    let text = format!("---\npacket: senior-em\n{sponsor}{GOOD_LETTERS}---\n{BODY}");
    fm_diags(&text).into_iter().filter(|d| d.0 == RuleCode::SponsorRole).map(|d| (d.2, d.3)).collect()
}

#[test]
fn sponsor_cases() {
    let ok = |s: &str| assert_eq!(sponsor_diags(s), vec![], "{s}");
    ok("sponsor: { name: L, relation: direct-manager, role: director }\n");
    ok("sponsor: { name: L, relation: direct-manager, role: senior-engineering-manager }\n");
    ok("sponsor: { name: L, relation: skip-level, role: vp, exception: direct manager on leave }\n");
    ok("sponsor:\n  name: L\n  relation: skip-level\n  role: senior-director\n  exception: |\n    Manager left in March.\n");
    ok("sponsor: { name: L, relation: skip-level, role: director, exception: reorg }\n");
    assert_eq!(
        sponsor_diags("sponsor: { name: L, relation: direct-manager, role: engineering-manager }\n"),
        vec![("engineering-manager".into(), "A direct-manager sponsor must be a senior-engineering-manager or director, not engineering-manager".into())]
    );
    assert_eq!(
        sponsor_diags("sponsor: { name: L, relation: skip-level, role: vp }\n"),
        vec![("skip-level".into(), "A skip-level sponsor is accepted only by exception: add `exception:` to the sponsor entry saying why the direct manager cannot sponsor".into())]
    );
    assert_eq!(
        sponsor_diags("sponsor: { name: L, relation: skip-level, role: vp, exception: \"  \" }\n").len(),
        1
    );
    assert_eq!(
        sponsor_diags("sponsor: { name: L, relation: skip-level, role: senior-engineering-manager, exception: x }\n"),
        vec![("senior-engineering-manager".into(), "A skip-level sponsor must be a director, senior-director or vp, not senior-engineering-manager".into())]
    );
    assert_eq!(
        sponsor_diags("sponsor: { name: L, relation: peer, role: director }\n"),
        vec![("peer".into(), "The sponsor must be your direct manager (or, by exception, a skip-level manager), not a peer relation".into())]
    );
    assert_eq!(
        sponsor_diags("sponsor: { name: L, role: director }\n"),
        vec![("sponsor".into(), "The sponsor has no `relation:`: use `direct-manager` (or `skip-level` with an `exception:` reason)".into())]
    );
    assert_eq!(
        sponsor_diags("sponsor: { name: L, relation: direct-manager }\n"),
        vec![("sponsor".into(), "The sponsor has no `role:`: a direct-manager sponsor must be a senior-engineering-manager or director".into())]
    );
    assert_eq!(
        sponsor_diags(""),
        vec![("---".into(), "No sponsor in front matter: add `sponsor:` with your direct manager (senior-engineering-manager or director), or a skip-level manager with an `exception:` reason".into())]
    );
    assert_eq!(
        sponsor_diags("sponsor:\n"),
        vec![("sponsor".into(), "The sponsor entry is empty: name your direct manager with `relation: direct-manager` and `role: senior-engineering-manager` or `director`".into())]
    );
    // Unknown values: front-matter-invalid only.
    assert_eq!(sponsor_diags("sponsor: { name: L, relation: boss, role: director }\n"), vec![]);
}

#[test]
fn letter_not_found_uses_what_the_caller_looked_up() {
    let text = format!(
        "---\npacket: senior-em\n{GOOD_SPONSOR}letters:\n  - {{ name: A, role: staff-engineer, relation: same-team, file: letters/a.md }}\n  - {{ name: B, role: product-manager, file: letters/ü.md }}\n  - {{ name: C, role: engineer, relation: other-team, file: ../out.md }}\n  - {{ name: D, role: engineer, file: /etc/passwd }}\n  - {{ name: E, role: engineer, file: unknown.md }}\n---\n{BODY}"
    );
    let mut letters = BTreeMap::new();
    letters.insert("letters/a.md".to_string(), LetterStatus::Found("/w/letters/a.md".into()));
    letters.insert("letters/ü.md".to_string(), LetterStatus::Missing);
    letters.insert("../out.md".to_string(), LetterStatus::OutsideRoot);
    letters.insert("/etc/passwd".to_string(), LetterStatus::Absolute);
    let env = Env { path: None, root: None, letters, ..Env::default() };
    let d = fm_diags_env(&text, &env);
    assert_eq!(
        d,
        vec![
            (RuleCode::LetterNotFound, Severity::Warning, "letters/ü.md".into(), "Letter file `letters/ü.md` not found (paths are relative to the packet)".into()),
            (RuleCode::LetterNotFound, Severity::Warning, "../out.md".into(), "Letter file `../out.md` is outside the workspace root: keep letters inside the packet's workspace".into()),
            (RuleCode::LetterNotFound, Severity::Warning, "/etc/passwd".into(), "Letter file `/etc/passwd` is an absolute path: name it relative to the packet, inside the workspace".into()),
        ]
    );
}

#[test]
fn dana_example_has_no_front_matter_diagnostics() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dana.packet.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let env = packet_ls::workspace::env_for(&path, &text);
    assert!(matches!(env.letters.get("letters/priya.md"), Some(LetterStatus::Found(_))), "{:?}", env.letters);
    let a = analyze(&text, &SETTINGS, &env);
    assert_eq!(a.diagnostics, vec![]);
    assert_eq!(a.front.candidate.as_ref().unwrap().text(), "Dana Example");
    assert_eq!(a.front.covered_kinds(), LetterKind::ALL.to_vec());
    // The sponsor's own letter (examples/letters/lee.md) is there: the package is complete.
    assert!(a.readiness.sponsor_letter && a.readiness.package_complete(), "{}", a.readiness);
}

/// Exact diagnostics of small packet files under tests/packets/front-matter,
/// as `check` reports them (0-based line, UTF-16 column).
fn checked(name: &str) -> Vec<(u32, u32, u32, u32, &'static str, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packets/front-matter").join(name);
    let reports = packet_ls::cli::check_paths(&[path], false);
    reports[0]
        .diagnostics
        .iter()
        .filter(|d| fm_codes().contains(&d.code))
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1, d.code.as_str(), d.message.clone()))
        .collect()
}

#[test]
fn small_packet_files_exact_diagnostics() {
    assert_eq!(
        checked("broken-yaml.packet.md"),
        // yaml-rust2 reports an unterminated quote at its opening `"`.
        vec![(2, 11, 2, 12, "front-matter-invalid", "Front matter is not valid YAML: invalid indentation in quoted scalar".to_string())]
    );
    assert_eq!(
        checked("sponsor-and-letters.packet.md"),
        vec![
            (3, 35, 3, 45, "sponsor-role", "A skip-level sponsor is accepted only by exception: add `exception:` to the sponsor entry saying why the direct manager cannot sponsor".to_string()),
            (4, 0, 4, 7, "missing-recommender", "No recommendation letter from a staff/lead (or higher) engineer from the same team: the letters cover 1 of 3 required kinds".to_string()),
            (4, 0, 4, 7, "missing-recommender", "No recommendation letter from an engineer from another team, or a manager/director from another org: the letters cover 1 of 3 required kinds".to_string()),
            (5, 22, 5, 35, "front-matter-invalid", format!("Unknown role `staf-engineer`: use one of {}", Role::accepted())),
            (6, 68, 6, 82, "letter-not-found", "Letter file `letters/ana.md` not found (paths are relative to the packet)".to_string()),
        ]
    );
}
