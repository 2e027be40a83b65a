//! `packet-ls check` against hostile inputs, with real files in a temporary
//! folder: absurd configured numbers, control characters in contents and file
//! names, and outputs that would grow with the input squared (issue 12).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_packet-ls");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run packet-ls")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

fn template() -> String {
    std::fs::read_to_string(root().join("tests/corpus/raw-template.md")).unwrap()
}

/// The config-invalid diagnostics of `packet.toml` in a `--format json` run, as (line, col, message), 1-based.
fn config_errors(v: &Value) -> Vec<(u64, u64, String)> {
    let cfg = v.as_array().unwrap().iter().find(|f| f["path"].as_str().unwrap().ends_with("packet.toml")).expect("packet.toml entry");
    cfg["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["code"], "config-invalid");
            (
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn absurd_minimums_are_config_invalid_and_check_exits_promptly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("packet.toml"),
        "[rubric]\nmin-initiatives = 4294967295\nmin-components = 4294967295\nmin-new-grad-mentees = 4294967295\nmin-interns = 4294967295\nmin-values = 4294967295\nmin-product-areas = 4294967295\n[rubric.min-words]\nsummary = 4294967295\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.packet.md"), template()).unwrap();
    let t = Instant::now();
    let o = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert!(t.elapsed() < Duration::from_secs(20), "took {:?}", t.elapsed());
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let errs = config_errors(&json(&o));
    let at: Vec<(u64, u64)> = errs.iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(at, vec![(2, 19), (3, 18), (4, 24), (5, 15), (6, 14), (7, 21), (9, 11)], "{errs:#?}");
    assert!(errs[0].2.contains("at most 100"), "{}", errs[0].2);
    assert!(errs[6].2.contains("at most 10000"), "{}", errs[6].2);

    // The clamped count is what the packet is checked against.
    let v = json(&o);
    let packet = v.as_array().unwrap().iter().find(|f| f["path"].as_str().unwrap().ends_with("a.packet.md")).unwrap();
    let msg = packet["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "too-few-initiatives").unwrap()["message"].as_str().unwrap().to_string();
    assert!(msg.contains("of 100"), "{msg}");

    // --fix inserts at most the bounded number of stubs: the file stays small.
    let o = run_in(dir.path(), &["check", "--fix", "a.packet.md"]);
    assert!(o.status.code().is_some());
    let len = std::fs::metadata(dir.path().join("a.packet.md")).unwrap().len();
    assert!(len < 200_000, "fixed file is {len} bytes");
}

#[test]
fn absurd_minimums_in_a_named_rubric_and_a_deep_base_chain() {
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from("[rubrics.big]\nmin-interns = 1000\n[rubrics.big.min-words]\nstatement-of-intent = 10001\n");
    for i in 0..2000 {
        toml.push_str(&format!("[rubrics.c{i}]\nbase = \"c{}\"\n", i + 1));
    }
    toml.push_str("[rubrics.c2000]\nmin-values = 1\n");
    std::fs::write(dir.path().join("packet.toml"), &toml).unwrap();
    std::fs::write(dir.path().join("a.packet.md"), template().replacen("packet: senior-em", "packet: big", 1)).unwrap();
    let o = run_in(dir.path(), &["check", "--format", "json", "."]);
    let errs = config_errors(&json(&o));
    let at: Vec<(u64, u64)> = errs.iter().map(|e| (e.0, e.1)).collect();
    // Two bounds, and one error for the whole chain of 2,001 `base`s (not one per rubric).
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert_eq!(&at[..2], &[(2, 15), (4, 23)]);
    assert!(errs[2].2.contains("rubric \"c1991\" is based on a chain of `base` rubrics that is too deep"), "{errs:#?}");
    // The packet naming `big` is checked against it, clamped.
    let v = json(&o);
    let packet = v.as_array().unwrap().iter().find(|f| f["path"].as_str().unwrap().ends_with("a.packet.md")).unwrap();
    let msg = packet["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "insufficient-mentoring").unwrap()["message"].as_str().unwrap().to_string();
    assert!(msg.contains("100"), "{msg}");
}

/// No byte below 0x20 (except the line breaks of the output itself) and no C1
/// control reaches the terminal.
fn assert_no_controls(out: &str) {
    for (i, c) in out.char_indices() {
        let bad = (c.is_control() && c != '\n') || ('\u{80}'..='\u{9f}').contains(&c);
        assert!(!bad, "control {:?} at byte {i} of:\n{out}", c);
    }
}

#[test]
#[cfg(unix)]
fn human_output_escapes_control_characters_of_contents_and_names() {
    let dir = tempfile::tempdir().unwrap();
    // A name with a newline and an ESC: it could fake a line "0 errors".
    let name = "evil\n\x1b[1A\x1b[2Kname.packet.md";
    let mut text = template();
    text = text.replace(
        "# Summary",
        "# Summary\n\nTODO \x1b[2J\x1b]0;owned\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \u{9b}31m \r\n",
    );
    text = text.replace("## <Initiative 1>", "## <Initiative 1>\x1b[31m");
    std::fs::write(dir.path().join(name), &text).unwrap();
    let o = run_in(dir.path(), &["check", "."]);
    let out = stdout(&o);
    assert_no_controls(&out);
    assert!(out.contains("evil\\n\\x1b[1A\\x1b[2Kname.packet.md:"), "{out}");
    assert!(out.contains("TODO \\x1b[2J\\x1b]0;owned\\x07 \\x1b]8;;http://x\\x1b\\link"), "{out}");
    assert!(out.contains("\\u{9b}31m"), "{out}");
    // The caret still sits under the placeholder, after the escapes.
    let at = out.find("| TODO \\x1b[2J").expect("source line");
    let caret_line = &out[at..].lines().nth(1).unwrap();
    assert!(caret_line.ends_with("| ^^^^"), "{caret_line:?}");
    // A message quoting a heading with an ESC in it.
    assert!(out.contains("\\x1b[31m"), "{out}");

    // JSON keeps the text exact (serde escapes it).
    let o = run_in(dir.path(), &["check", "--format", "json", "."]);
    let v = json(&o);
    assert_eq!(v[0]["path"].as_str().unwrap(), format!("./{name}"));
}
