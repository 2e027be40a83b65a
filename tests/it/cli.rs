//! The `packet-ls` binary end to end: `check` in its three formats, exit
//! statuses, folders, `--fix`, `init` and `explain`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use expect_test::expect;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_packet-ls");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary in `dir` (relative paths in the output stay short).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run packet-ls")
}

fn run(args: &[&str]) -> Output {
    run_in(root(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit status")
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn human_output_is_compiler_style_with_a_readiness_summary() {
    let o = run(&["check", "tests/corpus/initiative-missing-subsection.packet.md"]);
    assert_eq!(code(&o), 1);
    expect![[r#"
        error[initiative-missing-subsection]: Initiative "Ranking platform migration" is missing "Overview"; 2 of 3 subsections present
          --> tests/corpus/initiative-missing-subsection.packet.md:30:1
           |
        30 | ## Ranking platform migration
           | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

        error[initiative-missing-subsection]: Initiative "Index freshness program" is missing "Results and Impact"; 2 of 3 subsections present
          --> tests/corpus/initiative-missing-subsection.packet.md:40:1
           |
        40 | ## Index freshness program
           | ^^^^^^^^^^^^^^^^^^^^^^^^^^

        tests/corpus/initiative-missing-subsection.packet.md: 9/9 sections · 0/2 initiatives complete · mentoring 3/3 · letter kinds 3/3 · sponsor's letter missing — 2 errors, 0 warnings, 0 notes

        Checked 1 file: 2 errors, 0 warnings.
    "#]]
    .assert_eq(&stdout(&o));
}

#[test]
fn human_caret_sits_under_the_token_on_a_non_ascii_line() {
    let o = run(&["check", "tests/corpus/non-ascii.packet.md"]);
    assert_eq!(code(&o), 0, "warnings only");
    let out = stdout(&o);
    // 中 is two columns wide on a terminal: the caret is under "TBD".
    assert!(
        out.contains(" --> tests/corpus/non-ascii.packet.md:66:4\n   |\n66 | 中文 TBD 😀 I set the data contracts")
            && out.contains("\n   |      ^^^\n"),
        "{out}"
    );
}

#[test]
fn clean_packet_exits_zero() {
    let o = run(&["check", "tests/corpus/complete.packet.md"]);
    assert_eq!(code(&o), 0);
    expect![[r#"
        tests/corpus/complete.packet.md: 9/9 sections · 2/2 initiatives complete · mentoring 3/3 · letter kinds 3/3 · sponsor's letter missing — 0 errors, 0 warnings, 0 notes

        Checked 1 file: 0 errors, 0 warnings.
    "#]]
    .assert_eq(&stdout(&o));
}

#[test]
fn warnings_and_notes_alone_exit_zero_errors_exit_one_in_every_format() {
    for format in ["human", "json", "sarif"] {
        let o = run(&["check", "--format", format, "tests/corpus/placeholder.packet.md"]);
        assert_eq!(code(&o), 0, "{format}: warnings only");
        let o = run(&["check", "--format", format, "tests/corpus/missing-section.packet.md"]);
        assert_eq!(code(&o), 1, "{format}: an error");
        let o = run(&["check", "--format", format, "tests/corpus/complete.packet.md", "no/such/file.packet.md"]);
        assert_eq!(code(&o), 2, "{format}: a missing path");
        if format == "sarif" {
            // Still a valid log when a path is missing.
            crate::sarif::assert_valid(&json(&o));
        }
    }
}

#[test]
fn missing_path_is_exit_two_with_a_message() {
    let o = run(&["check", "does-not-exist.packet.md"]);
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).contains("does-not-exist.packet.md: no such file or folder"), "{}", stdout(&o));
    let o = run(&["check", "--format", "json", "does-not-exist.packet.md"]);
    assert_eq!(code(&o), 2);
    expect![[r#"
        [
          {
            "diagnostics": [],
            "error": "no such file or folder",
            "path": "does-not-exist.packet.md"
          }
        ]
    "#]]
    .assert_eq(&stdout(&o));
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(code(&run(&["check"])), 2, "no path");
    assert_eq!(code(&run(&["check", "--format", "xml", "tests/corpus"])), 2, "unknown format");
    assert_eq!(code(&run(&["frobnicate"])), 2, "unknown command");
}

/// `--format json`: LSP-shaped diagnostics, 0-based lines, UTF-16 characters.
#[test]
fn json_is_lsp_shaped_with_utf16_columns() {
    let o = run(&["check", "--format", "json", "tests/corpus/non-ascii.packet.md"]);
    assert_eq!(code(&o), 0);
    expect![[r#"
        [
          {
            "diagnostics": [
              {
                "code": "placeholder",
                "message": "Unfilled placeholder \"TODO\": replace it with your own text",
                "range": {
                  "end": {
                    "character": 101,
                    "line": 61
                  },
                  "start": {
                    "character": 97,
                    "line": 61
                  }
                },
                "severity": 2,
                "source": "packet-ls"
              },
              {
                "code": "placeholder",
                "message": "Unfilled placeholder \"TBD\": replace it with your own text",
                "range": {
                  "end": {
                    "character": 6,
                    "line": 65
                  },
                  "start": {
                    "character": 3,
                    "line": 65
                  }
                },
                "severity": 2,
                "source": "packet-ls"
              },
              {
                "code": "heading-near-miss",
                "message": "Heading \"Mentoring and Coching 🎓\" looks like the required \"Mentoring and Coaching\"",
                "range": {
                  "end": {
                    "character": 26,
                    "line": 67
                  },
                  "start": {
                    "character": 2,
                    "line": 67
                  }
                },
                "severity": 2,
                "source": "packet-ls"
              }
            ],
            "path": "tests/corpus/non-ascii.packet.md"
          }
        ]
    "#]]
    .assert_eq(&stdout(&o));

    // The same columns worked out independently from the file's text.
    let text = std::fs::read_to_string(root().join("tests/corpus/non-ascii.packet.md")).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    let v = json(&o);
    for d in v[0]["diagnostics"].as_array().unwrap() {
        let line = lines[d["range"]["start"]["line"].as_u64().unwrap() as usize];
        let s = d["range"]["start"]["character"].as_u64().unwrap() as usize;
        let e = d["range"]["end"]["character"].as_u64().unwrap() as usize;
        let units: Vec<u16> = line.encode_utf16().collect();
        let covered = String::from_utf16(&units[s..e]).unwrap();
        let msg = d["message"].as_str().unwrap();
        assert!(msg.contains(&format!("\"{covered}\"")), "{covered:?} not named in {msg}");
    }
}

#[test]
fn json_lists_every_file_of_a_folder_non_packets_with_no_diagnostics() {
    let o = run(&["check", "--format", "json", "tests/corpus"]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    let files = v.as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    expect![[r#"
        [
            "tests/corpus/README.md",
            "tests/corpus/bad-config/packet.toml",
            "tests/corpus/bad-config/plan.md",
            "tests/corpus/complete.packet.md",
            "tests/corpus/configured/missing-competency.packet.md",
            "tests/corpus/configured/missing-value.packet.md",
            "tests/corpus/crlf.packet.md",
            "tests/corpus/duplicate-section.packet.md",
            "tests/corpus/empty-section.packet.md",
            "tests/corpus/heading-level.packet.md",
            "tests/corpus/heading-near-miss.packet.md",
            "tests/corpus/initiative-missing-subsection.packet.md",
            "tests/corpus/insufficient-mentoring.packet.md",
            "tests/corpus/missing-section.packet.md",
            "tests/corpus/missing-subsection.packet.md",
            "tests/corpus/no-cross-functional-partner.packet.md",
            "tests/corpus/non-ascii.packet.md",
            "tests/corpus/placeholder.packet.md",
            "tests/corpus/raw-template.md",
            "tests/corpus/real-habits/bold-labels.packet.md",
            "tests/corpus/real-habits/crlf-emoji.packet.md",
            "tests/corpus/real-habits/google-docs-export.packet.md",
            "tests/corpus/real-habits/half-filled-template.packet.md",
            "tests/corpus/real-habits/no-front-matter.packet.md",
            "tests/corpus/real-habits/werkstudent/mentoring.packet.md",
            "tests/corpus/results-without-metrics.packet.md",
            "tests/corpus/roles-without-first-person.packet.md",
            "tests/corpus/section-order.packet.md",
            "tests/corpus/section-too-short.packet.md",
            "tests/corpus/self-focused-intent.packet.md",
            "tests/corpus/suppressions.packet.md",
            "tests/corpus/too-few-components.packet.md",
            "tests/corpus/too-few-initiatives.packet.md",
            "tests/corpus/too-few-product-areas.packet.md",
        ]
    "#]]
    .assert_debug_eq(&paths);
    let readme = files.iter().find(|f| f["path"] == "tests/corpus/README.md").unwrap();
    assert_eq!(readme["diagnostics"], serde_json::json!([]));
    assert!(readme.get("error").is_none());
    // config-invalid is reported on packet.toml itself, 0-based.
    let cfg = files.iter().find(|f| f["path"] == "tests/corpus/bad-config/packet.toml").unwrap();
    let starts: Vec<(String, u64, u64)> = cfg["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["range"]["start"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(starts, vec![("config-invalid".into(), 5, 14), ("config-invalid".into(), 6, 0)]);
    // A file checked in a folder gets exactly what it gets alone.
    for rel in ["tests/corpus/crlf.packet.md", "tests/corpus/configured/missing-value.packet.md"] {
        let alone = json(&run(&["check", "--format", "json", rel]));
        let entry = files.iter().find(|f| f["path"] == rel).unwrap();
        assert_eq!(&alone[0], entry, "{rel}");
    }
}

#[test]
fn explicit_non_packet_is_named_as_such() {
    let o = run(&["check", "tests/corpus/README.md"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("tests/corpus/README.md: not a packet"), "{}", stdout(&o));
    let o = run(&["check", "--format", "json", "tests/corpus/README.md"]);
    expect![[r#"
        [
          {
            "diagnostics": [],
            "path": "tests/corpus/README.md"
          }
        ]
    "#]]
    .assert_eq(&stdout(&o));
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let o = run(&["check", "--format", "sarif", "tests/corpus/non-ascii.packet.md", "tests/corpus/missing-subsection.packet.md"]);
    assert_eq!(code(&o), 1);
    let v = json(&o);
    // The structure the SARIF 2.1.0 schema requires (crate::sarif), then
    // what code scanning needs of every result, then the exact content.
    crate::sarif::assert_valid(&v);
    crate::sarif::assert_complete_results(&v);
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "packet-ls");
    assert!(driver["version"].is_string());
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let all: Vec<&str> = packet_ls::RuleCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(ids, all);
    for r in rules {
        assert!(r["shortDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(["error", "warning", "note"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
        assert!(r["helpUri"].as_str().unwrap().ends_with(&format!("#{}", r["id"].as_str().unwrap())));
    }
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let results = run["results"].as_array().unwrap();
    let summary: Vec<String> = results
        .iter()
        .map(|r| {
            let idx = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[idx]["id"], r["ruleId"], "ruleIndex points at its rule");
            assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
            let locs = r["locations"].as_array().unwrap();
            assert_eq!(locs.len(), 1);
            let pl = &locs[0]["physicalLocation"];
            let reg = &pl["region"];
            format!(
                "{} {} {}:{}-{}:{} {}",
                pl["artifactLocation"]["uri"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                reg["startLine"],
                reg["startColumn"],
                reg["endLine"],
                reg["endColumn"],
                r["ruleId"].as_str().unwrap()
            )
        })
        .collect();
    // 1-based lines and columns, columns in UTF-16 units as columnKind says.
    expect![[r#"
        [
            "tests/corpus/missing-subsection.packet.md error 12:1-12:11 missing-subsection",
            "tests/corpus/non-ascii.packet.md warning 62:98-62:102 placeholder",
            "tests/corpus/non-ascii.packet.md warning 66:4-66:7 placeholder",
            "tests/corpus/non-ascii.packet.md warning 68:3-68:27 heading-near-miss",
        ]
    "#]]
    .assert_debug_eq(&summary);
}

fn temp_copy(files: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    for f in files {
        let to = dir.path().join(Path::new(f).file_name().unwrap());
        std::fs::copy(root().join("tests/corpus").join(f), &to).unwrap();
        out.push(to);
    }
    (dir, out)
}

#[test]
fn fix_inserts_reports_and_is_idempotent() {
    let files = ["missing-section.packet.md", "crlf.packet.md", "insufficient-mentoring.packet.md", "placeholder.packet.md"];
    let (dir, paths) = temp_copy(&files);
    let before: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let o = run_in(dir.path(), &["check", "--fix", "."]);
    let out = stdout(&o);
    // The inserted mentoring stub does not count (honest counts): still an error.
    assert_eq!(code(&o), 1, "{out}");
    assert!(out.contains("(1 example is still a stub to fill in)"), "{out}");
    let fixed_lines: Vec<&str> = out.lines().filter(|l| l.contains(": fixed: ")).collect();
    expect![[r#"
        [
            "./crlf.packet.md: fixed: Insert \"Results and Impact\" into \"Index freshness program\"",
            "./crlf.packet.md: fixed: Insert section \"Summary\"",
            "./insufficient-mentoring.packet.md: fixed: Insert mentoring example stubs",
            "./missing-section.packet.md: fixed: Insert section \"Cross-Functional Collaboration\"",
        ]
    "#]]
    .assert_debug_eq(&fixed_lines);
    let after: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    // Exactly what the library's fix_all produces; untouched files stay untouched.
    for (i, f) in files.iter().enumerate() {
        let text = &before[i];
        let settings = packet_ls::Settings::default();
        let a = packet_ls::analyze(text, &settings, &packet_ls::Env::default());
        let expected = packet_ls::apply_edits(text, &packet_ls::fix::fix_all(&a.doc, &a.diagnostics));
        assert_eq!(after[i], expected, "{f}");
    }
    assert_eq!(after[3], before[3], "placeholder has nothing to insert");
    assert!(after[1].contains("\r\n# Summary\r\n"), "CRLF kept");
    assert!(!after[1].replace("\r\n", "").contains('\n'), "no bare LF in the CRLF file");

    // Second run: nothing to insert, nothing changed.
    let o = run_in(dir.path(), &["check", "--fix", "."]);
    assert_eq!(code(&o), 1, "the stub is still a stub");
    assert!(!stdout(&o).contains(": fixed: "), "{}", stdout(&o));
    let again: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    assert_eq!(again, after);
}

#[test]
fn init_writes_the_template_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_in(dir.path(), &["init"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.path().join("promotion.packet.md")).unwrap();
    let template = std::fs::read_to_string(root().join("crates/core/templates/senior-em.packet.md")).unwrap();
    assert_eq!(written, template);
    assert!(stdout(&o).contains("Wrote promotion.packet.md"), "{}", stdout(&o));

    let o = run_in(dir.path(), &["init", "mine.packet.md"]);
    assert_eq!(code(&o), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("mine.packet.md")).unwrap(), template);

    std::fs::write(dir.path().join("mine.packet.md"), "my own words\n").unwrap();
    let o = run_in(dir.path(), &["init", "mine.packet.md"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.path().join("mine.packet.md")).unwrap(), "my own words\n");

    // The new packet is a packet, and checks with no errors of structure:
    // every section is there, only its content is to be written.
    let o = run_in(dir.path(), &["check", "--format", "json", "promotion.packet.md"]);
    let v = json(&o);
    let codes: std::collections::BTreeSet<&str> =
        v[0]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.contains("missing-section") && !codes.contains("missing-subsection"), "{codes:?}");
    assert!(codes.contains("placeholder") && codes.contains("empty-section"), "{codes:?}");
}

#[test]
fn explain_prints_a_rules_documentation() {
    let o = run(&["explain", "missing-section"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert_eq!(out, packet_ls::rules::explain(packet_ls::RuleCode::MissingSection));
    assert!(out.starts_with("## `missing-section`\n\nDefault severity: **error**. Quick fix: yes."), "{out}");
    for c in packet_ls::RuleCode::ALL {
        let o = run(&["explain", c.as_str()]);
        assert_eq!(code(&o), 0, "{}", c.as_str());
        assert!(stdout(&o).contains(packet_ls::rules::info(*c).summary));
    }
}

#[test]
fn explain_unknown_rule_is_exit_two_and_lists_the_rules() {
    let o = run(&["explain", "no-such-rule"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("unknown rule \"no-such-rule\""), "{err}");
    assert!(err.contains("missing-section") && err.contains("self-focused-intent"), "{err}");
    assert!(stdout(&o).is_empty());
}

/// Letters written as a flow list (`letters: [...]`): `check --fix` adds the
/// missing entries inside the brackets, commas between them, and a second
/// run changes nothing.
#[test]
fn fix_adds_letter_entries_to_a_flow_list() {
    let dir = tempfile::tempdir().unwrap();
    let body = "# Overview\n\nText.\n";
    for (name, letters, want) in [
        (
            "empty.packet.md",
            "[]",
            "[{ name: TODO, role: staff-engineer, relation: same-team }, { name: TODO, role: product-manager }, { name: TODO, role: engineer, relation: other-team }]",
        ),
        (
            "one.packet.md",
            "[{ name: Ana, role: product-manager }]",
            "[{ name: Ana, role: product-manager }, { name: TODO, role: staff-engineer, relation: same-team }, { name: TODO, role: engineer, relation: other-team }]",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("---\npacket: senior-em\nletters: {letters}\n---\n{body}")).unwrap();
        let o = run_in(dir.path(), &["check", "--fix", name]);
        let out = stdout(&o);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&format!("---\npacket: senior-em\nletters: {want}\n---\n# Overview\n")), "{name}:\n{text}");
        assert!(!out.contains("missing-recommender"), "{name}: every kind covered:\n{out}");
        assert!(out.contains(": fixed: Add a letter entry for "), "{name}: reported:\n{out}");
        let o = run_in(dir.path(), &["check", "--fix", name]);
        assert!(!stdout(&o).contains(": fixed: Add a letter"), "{name}: {}", stdout(&o));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "{name}: second run changed the file");
    }
}

/// `--fix` alone never turns exit status 1 into 0: errors it made go away
/// by inserting skeletons still to be written keep the run failing (and it
/// says so); the next run, with nothing to insert, reports what is left.
/// Bold labels turned into headings are the candidate's own words: fixing
/// those alone may pass.
#[test]
fn fix_alone_never_turns_a_failing_run_into_a_passing_one() {
    let (dir, paths) = temp_copy(&["crlf.packet.md"]);
    assert_eq!(code(&run_in(dir.path(), &["check", "crlf.packet.md"])), 1);
    let o = run_in(dir.path(), &["check", "--fix", "crlf.packet.md"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("crlf.packet.md: 2 errors fixed by inserting skeletons that are still to be written (exit status 1)\n"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("0 errors, 2 warnings"), "{}", stdout(&o));
    let o = run_in(dir.path(), &["check", "--fix", "--format", "json", "crlf.packet.md"]);
    assert_eq!(code(&o), 0, "nothing more inserted: the empty sections are warnings");
    drop(paths);

    let labels = std::fs::read_to_string(root().join("tests/corpus/real-habits/bold-labels.packet.md"))
        .unwrap()
        .replace("**Results**: p99", "**My role:** I set the latency budget.\n\n**Results**: p99");
    std::fs::write(dir.path().join("labels.packet.md"), &labels).unwrap();
    assert_eq!(code(&run_in(dir.path(), &["check", "labels.packet.md"])), 1);
    let o = run_in(dir.path(), &["check", "--fix", "labels.packet.md"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(!stdout(&o).contains("skeletons"), "{}", stdout(&o));
    let fixed = std::fs::read_to_string(dir.path().join("labels.packet.md")).unwrap();
    assert!(fixed.contains("### My role\n\nI set the latency budget.\n\n### Results\n\np99 fell"), "{fixed}");
}

/// CI gates: `--deny warnings` and `--max-warnings N` turn warnings into exit
/// status 1, the same in every format, saying why on stderr (stdout stays the
/// report); notes, hints and a clean packet still pass; errors and I/O errors
/// keep their statuses.
#[test]
fn deny_warnings_and_max_warnings_gate_the_exit_status_in_every_format() {
    let warned = "tests/corpus/placeholder.packet.md"; // 0 errors, 3 warnings
    let notes = "tests/corpus/results-without-metrics.packet.md"; // notes only
    for format in ["human", "json", "sarif"] {
        let gate = |extra: &[&str], paths: &[&str]| {
            let mut args = vec!["check", "--format", format];
            args.extend_from_slice(extra);
            args.extend_from_slice(paths);
            run(&args)
        };
        let o = gate(&["--deny", "warnings"], &[warned]);
        assert_eq!(code(&o), 1, "{format}: --deny warnings with 3 warnings");
        assert_eq!(stderr(&o), "packet-ls: 3 warnings and --deny warnings: exit status 1\n", "{format}");
        if format != "human" {
            let v = json(&o); // still one JSON document
            if format == "sarif" {
                crate::sarif::assert_valid(&v);
                crate::sarif::assert_complete_results(&v);
            }
        }
        assert_eq!(code(&gate(&["--deny", "warnings"], &[notes])), 0, "{format}: notes are not warnings");
        assert_eq!(code(&gate(&["--deny", "warnings"], &["tests/corpus/complete.packet.md"])), 0, "{format}: clean");
        assert_eq!(code(&gate(&["--deny", "warnings"], &["tests/corpus/missing-section.packet.md"])), 1, "{format}: errors");
        assert_eq!(code(&gate(&["--deny", "warnings"], &[warned, "no/such.packet.md"])), 2, "{format}: I/O error first");

        let o = gate(&["--max-warnings", "2"], &[warned]);
        assert_eq!(code(&o), 1, "{format}: 3 > 2");
        assert_eq!(stderr(&o), "packet-ls: 3 warnings, more than --max-warnings 2: exit status 1\n", "{format}");
        let o = gate(&["--max-warnings", "3"], &[warned]);
        assert_eq!((code(&o), stderr(&o)), (0, String::new()), "{format}: 3 is not more than 3");
        // The limit is over all files together (3 + 2 warnings).
        let two = "tests/corpus/heading-level.packet.md";
        assert_eq!(code(&gate(&["--max-warnings", "4"], &[warned, two])), 1, "{format}: 5 > 4");
        assert_eq!(code(&gate(&["--max-warnings", "5"], &[warned, two])), 0, "{format}: 5 is not more than 5");
        // Both: the stricter wins.
        assert_eq!(code(&gate(&["--max-warnings", "10", "--deny", "warnings"], &[warned])), 1, "{format}");
    }
    assert_eq!(code(&run(&["check", "--deny", "notes", warned])), 2, "unknown --deny level");
    assert_eq!(code(&run(&["check", "--max-warnings", "-1", warned])), 2, "negative limit");
}

/// A packet.toml that is not UTF-8 is reported as `config-invalid` (exit 1)
/// instead of being ignored without a word; the packet is checked with the defaults.
#[test]
fn a_packet_toml_that_is_not_utf8_is_an_error_not_silence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("packet.toml"), b"# caf\xe9\n[rules]\nplaceholder = \"off\"\n").unwrap();
    std::fs::write(dir.path().join("p.packet.md"), "---\npacket: senior-em\n---\n# Overview\n\nTODO\n").unwrap();
    let o = run_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v = json(&o);
    let files = v.as_array().unwrap();
    let cfg = files.iter().find(|f| f["path"].as_str().unwrap().ends_with("packet.toml")).expect("packet.toml reported");
    assert_eq!(cfg["diagnostics"][0]["code"], "config-invalid");
    assert_eq!(cfg["diagnostics"][0]["message"], "packet.toml is not UTF-8 text (save it as UTF-8): it is ignored and the defaults apply");
    let p = files.iter().find(|f| f["path"].as_str().unwrap().ends_with("p.packet.md")).unwrap();
    assert!(p["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "placeholder"), "the defaults apply: {p}");
}
