//! `packet-ls init --letter NAME [PACKET]`: the letter file from the letter
//! template, and `file:` added to the entry with one insertion.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_packet-ls")
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin()).current_dir(dir).args(args).output().unwrap()
}

fn ws(packet: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("packet.toml"), "").unwrap();
    fs::write(tmp.path().join("jordan.packet.md"), packet).unwrap();
    tmp
}

const FLOW: &str = "---
packet: senior-em
candidate: Jordan Rivera
sponsor: { name: Morgan Lee, relation: direct-manager, role: director, file: letters/morgan.md }
letters:
  - { name: Priya Natarajan, role: staff-engineer, relation: same-team }
  - {name: Tomás Ortega}
---
# Overview
";

#[test]
fn a_flow_entry_gets_its_file_key_and_the_letter_its_template() {
    let tmp = ws(FLOW);
    let o = run(tmp.path(), &["init", "--letter", "priya natarajan", "jordan.packet.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "Wrote letters/priya-natarajan.md from the letter template for Priya Natarajan.\n\
Added `file: letters/priya-natarajan.md` to the entry of Priya Natarajan in jordan.packet.md.\n\
Next: the writer writes the letter (its prompt comments say what goes in it), then run `packet-ls check jordan.packet.md`.\n"
    );
    let packet = fs::read_to_string(tmp.path().join("jordan.packet.md")).unwrap();
    assert_eq!(
        packet,
        FLOW.replace(
            "relation: same-team }",
            "relation: same-team, file: letters/priya-natarajan.md }"
        )
    );
    let letter = fs::read_to_string(tmp.path().join("letters/priya-natarajan.md")).unwrap();
    assert_eq!(letter, crate::letter_documents::PRIYA_LETTER);
    // A compact flow entry, and a non-ASCII name.
    let o = run(tmp.path(), &["init", "--letter", "Tomás Ortega", "jordan.packet.md"]);
    assert_eq!(o.status.code(), Some(0));
    let packet = fs::read_to_string(tmp.path().join("jordan.packet.md")).unwrap();
    assert!(packet.contains("  - {name: Tomás Ortega, file: letters/tomás-ortega.md}\n"), "{packet}");
    assert!(tmp.path().join("letters/tomás-ortega.md").is_file());
    // The new letter is only prompts: `check` says it is still to be written, on its entry.
    let o = run(tmp.path(), &["check", "--format", "json", "jordan.packet.md"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let on_priya: Vec<&str> = v[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["range"]["start"]["line"] == 5)
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(on_priya, ["Priya Natarajan's letter (`letters/priya-natarajan.md`) is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it"]);
}

#[test]
fn a_block_entry_gets_a_line_of_its_own_with_the_packets_line_ending() {
    let packet = "---\r\npacket: senior-em\r\ncandidate: Jordan\r\nletters:\r\n  - name: Wei Chen\r\n    role: engineer\r\n    relation: other-team\r\n  - name: B\r\n---\r\n# Overview\r\n";
    let tmp = ws(packet);
    let o = run(tmp.path(), &["init", "--letter", "Wei Chen"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let got = fs::read_to_string(tmp.path().join("jordan.packet.md")).unwrap();
    assert_eq!(got, packet.replace("relation: other-team\r\n", "relation: other-team\r\n    file: letters/wei-chen.md\r\n"));
    let letter = fs::read_to_string(tmp.path().join("letters/wei-chen.md")).unwrap();
    assert!(letter.starts_with("---\r\nwriter: Wei Chen\r\nrole: engineer\r\nrelation: other-team\r\ncandidate: Jordan\r\n---\r\n"), "{letter:?}");
    assert!(!letter.replace("\r\n", "").contains('\n'));
    // The packet still parses and the entry has the file.
    let o = run(tmp.path(), &["report", "--format", "json", "jordan.packet.md"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["letters"][0]["file"], "letters/wei-chen.md");
    assert_eq!(v[0]["letters"][0]["status"], "empty");
}

#[test]
fn the_sponsors_missing_letter_is_created_at_its_named_path_without_editing_the_packet() {
    let tmp = ws(FLOW);
    let o = run(tmp.path(), &["init", "--letter", "Morgan Lee"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(fs::read_to_string(tmp.path().join("jordan.packet.md")).unwrap(), FLOW);
    let letter = fs::read_to_string(tmp.path().join("letters/morgan.md")).unwrap();
    assert!(letter.contains("# Sponsor's recommendation for Jordan Rivera"), "{letter}");
    assert!(letter.contains("writer: Morgan Lee\nrole: director\nrelation: direct-manager\n"));
}

#[test]
fn it_never_overwrites_and_refuses_unknown_names() {
    let tmp = ws(FLOW);
    fs::create_dir_all(tmp.path().join("letters")).unwrap();
    fs::write(tmp.path().join("letters/priya-natarajan.md"), "mine").unwrap();
    let o = run(tmp.path(), &["init", "--letter", "Priya Natarajan", "jordan.packet.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("letters/priya-natarajan.md already exists; not overwriting it"));
    assert_eq!(fs::read_to_string(tmp.path().join("letters/priya-natarajan.md")).unwrap(), "mine");
    assert_eq!(fs::read_to_string(tmp.path().join("jordan.packet.md")).unwrap(), FLOW, "the packet is unchanged");
    let o = run(tmp.path(), &["init", "--letter", "Nobody", "jordan.packet.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "packet-ls: jordan.packet.md has no sponsor or letter entry named \"Nobody\"; its entries: \"Morgan Lee\", \"Priya Natarajan\", \"Tomás Ortega\"\n"
    );
    // No packet named and none (or several) here.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(run(empty.path(), &["init", "--letter", "X"]).status.code(), Some(2));
    // An entry whose file: leads out of the workspace: refused, nothing created outside.
    let out = ws("---\npacket: senior-em\nletters:\n  - { name: Eve, file: ../eve.md }\n---\n");
    let o = run(out.path(), &["init", "--letter", "Eve"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside the workspace root"));
    assert!(!out.path().parent().unwrap().join("eve.md").exists());
    // Plain `init` is unchanged.
    let o = run(empty.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(empty.path().join("promotion.packet.md").is_file());
}
