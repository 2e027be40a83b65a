//! Snapshot tests of the exact diagnostics of every corpus file: each
//! `tests/corpus/NAME.md` has its diagnostics in `tests/corpus/NAME.snap`
//! next to it (position, severity, code, message, the source line with
//! carets, and every fix with the exact text it inserts).
//! `UPDATE_EXPECT=1 cargo test --test it corpus::` rewrites the snapshots.

use crate::common;

use expect_test::expect_file;

fn snapshot(rel: &str) -> String {
    let f = common::load(rel);
    if !f.is_packet {
        return "not a packet: no diagnostics\n".to_string();
    }
    let a = f.analyze();
    format!("readiness: {}\n\n{}", a.readiness, common::render(&f.text, &a.diagnostics))
}

macro_rules! corpus {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                let snap = format!("../corpus/{}.snap", $file.strip_suffix(".md").unwrap());
                expect_file![snap].assert_eq(&snapshot($file));
            }
        )*

        const LISTED: &[&str] = &[$($file,)*];
    };
}

corpus! {
    complete => "complete.packet.md",
    missing_section => "missing-section.packet.md",
    missing_subsection => "missing-subsection.packet.md",
    empty_section => "empty-section.packet.md",
    placeholder => "placeholder.packet.md",
    heading_level => "heading-level.packet.md",
    heading_near_miss => "heading-near-miss.packet.md",
    duplicate_section => "duplicate-section.packet.md",
    section_order => "section-order.packet.md",
    too_few_initiatives => "too-few-initiatives.packet.md",
    initiative_missing_subsection => "initiative-missing-subsection.packet.md",
    results_without_metrics => "results-without-metrics.packet.md",
    roles_without_first_person => "roles-without-first-person.packet.md",
    insufficient_mentoring => "insufficient-mentoring.packet.md",
    too_few_components => "too-few-components.packet.md",
    too_few_product_areas => "too-few-product-areas.packet.md",
    missing_value => "configured/missing-value.packet.md",
    missing_competency => "configured/missing-competency.packet.md",
    no_cross_functional_partner => "no-cross-functional-partner.packet.md",
    section_too_short => "section-too-short.packet.md",
    self_focused_intent => "self-focused-intent.packet.md",
    crlf => "crlf.packet.md",
    non_ascii => "non-ascii.packet.md",
    raw_template => "raw-template.md",
    readme_is_not_a_packet => "README.md",
    suppressions => "suppressions.packet.md",
    bad_config_packet => "bad-config/plan.md",
    real_google_docs_export => "real-habits/google-docs-export.packet.md",
    real_bold_labels => "real-habits/bold-labels.packet.md",
    real_no_front_matter => "real-habits/no-front-matter.packet.md",
    real_half_filled_template => "real-habits/half-filled-template.packet.md",
    real_crlf_emoji => "real-habits/crlf-emoji.packet.md",
    real_werkstudent => "real-habits/werkstudent/mentoring.packet.md",
}

#[test]
fn every_corpus_file_has_a_snapshot_test() {
    let mut listed: Vec<&str> = LISTED.to_vec();
    listed.sort();
    assert_eq!(listed, common::corpus_files(), "add the new corpus file to the corpus! list in tests/it/corpus.rs");
}

/// A file named after a rule violates that rule, and only that rule.
#[test]
fn each_rule_file_reports_only_its_rule() {
    for rel in common::corpus_files() {
        let name = rel.rsplit('/').next().unwrap().strip_suffix(".packet.md").unwrap_or("");
        let Some(code) = packet_ls::RuleCode::parse(name) else { continue };
        let f = common::load(&rel);
        let a = f.analyze();
        assert!(!a.diagnostics.is_empty(), "{rel}: reports nothing");
        for d in &a.diagnostics {
            assert_eq!(d.code, code, "{rel}: also reports {}: {}", d.code.as_str(), d.message);
        }
    }
}

#[test]
fn the_complete_packet_and_the_readme_are_clean() {
    assert!(common::load("complete.packet.md").analyze().diagnostics.is_empty());
    assert!(!common::load("README.md").is_packet);
    assert!(common::load("raw-template.md").is_packet, "front matter `packet:` makes it a packet");
}

/// `config-invalid` is reported on `packet.toml` itself, at the offending
/// key or value (1-based line:column).
#[test]
fn invalid_config_errors_point_at_the_offending_place() {
    let path = common::corpus_dir().join("bad-config/packet.toml");
    let cfg = packet_ls::workspace::LoadedConfig::load(&path).unwrap();
    let index = packet_ls::text::LineIndex::new(&cfg.text);
    let got: Vec<String> = cfg
        .errors
        .iter()
        .map(|e| format!("{} {:?} {}", common::line_col(&cfg.text, &index, e.range.start), &cfg.text[e.range.clone()], e.message))
        .collect();
    expect_test::expect![[r#"
        [
            "6:15 \"\\\"loud\\\"\" unknown level \"loud\" for rule \"placeholder\"; use \"off\", \"hint\", \"info\", \"warning\" or \"error\"",
            "7:1 \"no-such-rule\" unknown rule \"no-such-rule\"; see `packet-ls explain --all`",
        ]
    "#]]
    .assert_debug_eq(&got);
}
