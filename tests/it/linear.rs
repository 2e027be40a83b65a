//! Inputs that used to cost the square of their size (issue 12), at modest
//! sizes, with the exact result asserted (timings are in
//! `scripts/adversarial-bench.sh` and docs/reliability.md, not here).

use std::path::Path;
use std::process::{Command, Output};

use packet_ls::analysis::{analyze, Env};
use packet_ls::cap::MAX_PER_RULE;
use packet_ls::config::Settings;
use packet_ls::rules::RuleCode;

const BIN: &str = env!("CARGO_BIN_EXE_packet-ls");

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run packet-ls")
}

fn codes(text: &str, code: RuleCode) -> Vec<(usize, String)> {
    let settings = Settings::default();
    let a = analyze(text, &settings, &Env::default());
    a.diagnostics.iter().filter(|d| d.code == code).map(|d| (d.range.start, d.message.clone())).collect()
}

#[test]
fn front_matter_with_many_keys_reports_exactly_its_duplicates() {
    let mut text = String::from("---\npacket: senior-em\n");
    for i in 0..20_000 {
        text.push_str(&format!("k{i}: v\n"));
    }
    let dup_at = text.len();
    text.push_str("k777: again\n---\n# Overview\n");
    let found = codes(&text, RuleCode::FrontMatterInvalid);
    assert_eq!(found, vec![(dup_at, "Duplicate key `k777`: only one is allowed".to_string())]);
}

#[test]
fn many_suppression_comments_silence_exactly_their_lines() {
    // 2,000 silenced TODO lines; every 100th TODO is not silenced.
    let mut text = String::from("---\npacket: senior-em\n---\n# Overview\n\n");
    let mut expected = Vec::new();
    for i in 0..2_000 {
        if i % 100 == 0 {
            let prefix = format!("n{i} ");
            expected.push(text.len() + prefix.len());
            text.push_str(&format!("{prefix}TODO\n\n"));
        } else {
            text.push_str("<!-- packet-ls-disable-next-line placeholder -->\nTODO\n\n");
        }
    }
    // A disabled region, an enable for another rule that does not end it, then the enable.
    text.push_str("<!-- packet-ls-disable placeholder -->\n\nTODO\n\n<!-- packet-ls-enable section-order -->\n\nTODO\n\n<!-- packet-ls-enable placeholder -->\n\n");
    expected.push(text.len());
    text.push_str("TODO after the region\n\n");
    // Everything disabled, then placeholder alone enabled again.
    text.push_str("<!-- packet-ls-disable -->\n\nTODO\n\n<!-- packet-ls-enable placeholder -->\n\n");
    expected.push(text.len());
    text.push_str("TODO last\n");
    let found: Vec<usize> = codes(&text, RuleCode::Placeholder).into_iter().map(|(s, _)| s).collect();
    assert_eq!(found, expected);
    // disable-file silences the rule everywhere, whatever comes after it.
    let text = text.replacen("# Overview", "<!-- packet-ls-disable-file placeholder -->\n# Overview", 1);
    assert_eq!(codes(&text, RuleCode::Placeholder), vec![]);
}

#[test]
fn one_long_line_of_placeholders_is_capped_and_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2_000;
    let line = "TODO ".repeat(n);
    std::fs::write(dir.path().join("a.packet.md"), format!("---\npacket: senior-em\n---\n# Summary\n\n{line}\n")).unwrap();

    let o = run_in(dir.path(), &["check", "--format", "json", "a.packet.md"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p: Vec<&serde_json::Value> =
        v[0]["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "placeholder").collect();
    assert_eq!(p.len(), MAX_PER_RULE + 1);
    assert_eq!(p[MAX_PER_RULE - 1]["range"]["start"], serde_json::json!({"line": 5, "character": (MAX_PER_RULE - 1) * 5}));
    let note = p[MAX_PER_RULE];
    assert_eq!(note["range"]["start"], serde_json::json!({"line": 5, "character": MAX_PER_RULE * 5}));
    assert_eq!(
        note["message"],
        format!("… and {} more `placeholder` diagnostics in this file (only the first {MAX_PER_RULE} of a rule are reported)", n - MAX_PER_RULE)
    );
    // No diagnostic carries the line: the output is far smaller than one copy per diagnostic.
    assert!(o.stdout.len() < 100_000, "{} bytes of JSON", o.stdout.len());

    // Human output shows a part of the line around each diagnostic, not all of it.
    let o = run_in(dir.path(), &["check", "a.packet.md"]);
    let out = String::from_utf8(o.stdout).unwrap();
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 400, "a line of {longest} chars");
    assert!(out.contains(&format!("\n6 | …{}TODO TODO", "TODO ".repeat(16))), "{}", &out[..2000]);
    assert!(out.len() < 250 * (MAX_PER_RULE + 1) * 3, "{} bytes", out.len());
    // The caret of the 101st diagnostic sits under its TODO, after the 80 characters shown before it.
    let at = out.find(":6:501\n").expect("101st diagnostic");
    let caret = out[at..].lines().nth(3).unwrap();
    assert_eq!(caret, format!("  | {}^^^^", " ".repeat(81)));
}
