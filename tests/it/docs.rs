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
            "docs/rules.md is out of date with src/rules/*.rs (first difference at line {}).\nRegenerate it with:\n\n    {REGENERATE}\n",
            first_diff + 1
        );
    }
}

#[test]
fn docs_cover_every_rule_with_what_why_fix_and_configuration() {
    let doc = packet_ls::rules::rules_markdown();
    for c in packet_ls::RuleCode::ALL {
        let i = packet_ls::rules::info(*c);
        let code = c.as_str();
        let heading = format!("## `{}`\n", code);
        let at = doc.find(&heading).unwrap_or_else(|| panic!("no section for {}", code));
        let section = &doc[at..];
        let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
        assert!(section.contains(&format!("Default severity: **{}**", c.default_severity().as_str())), "{}", code);
        assert!(section.contains(i.summary), "{}: what", code);
        assert!(!i.doc.trim().is_empty(), "{}: why", code);
        assert!(section.contains(&format!("[rules] {} = ", code)), "{}: how to configure", code);
        assert!(doc.contains(&format!("[`{0}`](#{0})", code)), "{}: table row", code);
        if i.has_fix {
            assert!(section.contains("**Fix:**"), "{}: says what its quick fix does", code);
        }
    }
}

#[test]
fn explain_all_prints_docs_rules_md() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_packet-ls")).args(["explain", "--all"]).output().unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), packet_ls::rules::rules_markdown());
}
