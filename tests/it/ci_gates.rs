//! The CI files users copy: `.pre-commit-hooks.yaml` and the example GitHub
//! workflow in docs/examples, checked as data, and their commands run against
//! the built binary the way pre-commit and the workflow would run them.

use std::path::Path;
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

const BIN: &str = env!("CARGO_BIN_EXE_packet-ls");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn load(rel: &str) -> Yaml {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

/// Runs a command line whose first word is `packet-ls` with the built binary.
fn run(words: &[String]) -> (i32, String, String) {
    assert_eq!(words[0], "packet-ls", "{words:?}");
    let o = Command::new(BIN).args(&words[1..]).current_dir(root()).env("NO_COLOR", "1").output().unwrap();
    (o.status.code().unwrap(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

#[test]
fn pre_commit_hooks_run_check_on_markdown_files() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hooks = hooks.as_vec().expect("a list of hooks");
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["packet-ls", "packet-ls-system"]);
    for h in hooks {
        // The keys pre-commit requires, and nothing it would reject.
        for key in ["id", "name", "entry", "language"] {
            assert!(h[key].as_str().is_some_and(|v| !v.is_empty()), "{key} in {h:?}");
        }
        for (k, _) in h.as_hash().unwrap() {
            let k = k.as_str().unwrap();
            assert!(["id", "name", "description", "entry", "language", "types", "args", "pass_filenames"].contains(&k), "unexpected key {k}");
        }
        assert!(["rust", "system"].contains(&h["language"].as_str().unwrap()));
        assert_eq!(h["types"].as_vec().unwrap(), &[Yaml::String("markdown".into())]);
        // pre-commit appends the staged files to the entry (pass_filenames defaults to true).
        let entry = words(h["entry"].as_str().unwrap());
        assert_eq!(entry, ["packet-ls", "check"]);
        let with = |extra: &[&str]| {
            let mut w = entry.clone();
            w.extend(extra.iter().map(|s| s.to_string()));
            run(&w)
        };
        // A clean packet and a non-packet Markdown file pass; a draft with errors fails.
        assert_eq!(with(&["examples/dana.packet.md", "README.md"]).0, 0);
        assert_eq!(with(&["examples/dana.packet.md", "examples/draft.packet.md"]).0, 1);
        // The documented `args: [--deny, warnings]` go between the entry and the files.
        assert_eq!(with(&["--deny", "warnings", "tests/corpus/placeholder.packet.md"]).0, 1);
    }
}

#[test]
fn example_workflow_uploads_sarif_then_gates() {
    let wf = load("docs/examples/packets-ci.yml");
    assert_eq!(wf["permissions"]["security-events"].as_str(), Some("write"));
    let jobs = wf["jobs"].as_hash().unwrap();
    assert_eq!(jobs.len(), 1);
    let steps = jobs.values().next().unwrap()["steps"].as_vec().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.contains(&"actions/checkout@v4"), "{uses:?}");
    let upload = steps.iter().position(|s| s["uses"].as_str() == Some("github/codeql-action/upload-sarif@v3")).expect("upload-sarif");
    let sarif_file = steps[upload]["with"]["sarif_file"].as_str().unwrap();

    let runs: Vec<(usize, &str)> = steps.iter().enumerate().filter_map(|(i, s)| s["run"].as_str().map(|r| (i, r.trim()))).collect();
    assert!(runs.iter().any(|(_, r)| *r == "pip install packet-ls"), "{runs:?}");
    // The SARIF step: before the upload, writes the file it uploads, and does not stop the job.
    let (i, sarif_run) = *runs.iter().find(|(_, r)| r.contains("--format sarif")).unwrap();
    assert!(i < upload);
    assert_eq!(steps[i]["continue-on-error"].as_bool(), Some(true));
    let (cmd, out) = sarif_run.split_once(" > ").unwrap();
    assert_eq!(out, sarif_file);
    let mut w = words(cmd);
    *w.last_mut().unwrap() = "examples".into(); // the repository's packets: here, the examples
    let (code, stdout, _) = run(&w);
    assert_eq!(code, 1, "the draft has errors");
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    crate::sarif::assert_valid(&sarif);
    crate::sarif::assert_complete_results(&sarif);
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());

    // The gate, after the upload.
    let (g, gate) = *runs.iter().find(|(_, r)| r.contains("--deny warnings")).unwrap();
    assert!(g > upload);
    let mut w = words(gate);
    *w.last_mut().unwrap() = "examples/dana.packet.md".into();
    assert_eq!(run(&w).0, 0, "a complete packet passes the gate");
    *w.last_mut().unwrap() = "tests/corpus/placeholder.packet.md".into();
    assert_eq!(run(&w).0, 1, "warnings fail it");
}
