//! What real editor clients (Neovim, Helix) need from the server, over the
//! protocol against the built binary: completion items whose text survives
//! Neovim's "word" rule, readiness without arguments (Helix's
//! `:lsp-workspace-command`), and a quiet stderr.


use std::io::{Read, Write};
use std::process::{Command, Stdio};

use crate::lsp::{file_uri, Lsp};
use serde_json::{json, Value};

const DRAFT: &str = include_str!("../../examples/draft.packet.md");

fn snippet_caps() -> Value {
    json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}})
}

/// What Neovim 0.11's `get_completion_word` (runtime/lua/vim/lsp/completion.lua)
/// puts in the buffer for an item, given the typed `prefix` (the text between
/// the edit's start and the cursor): a plain-text edit's first run of
/// non-blanks; for a snippet, the label, or the filter text when the label
/// does not start with the prefix. (The omnifunc path, with no re-application.)
fn neovim_word(item: &Value, prefix: &str) -> String {
    let label = item["label"].as_str().unwrap();
    let new_text = item["textEdit"]["newText"].as_str().unwrap();
    if item["insertTextFormat"] == 2 {
        let word = if new_text.len() < label.len() { new_text.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap() } else { label };
        match item["filterText"].as_str() {
            Some(f) if !prefix.is_empty() && !word.to_lowercase().starts_with(&prefix.to_lowercase()) => f.to_string(),
            _ => word.to_string(),
        }
    } else {
        new_text.split(char::is_whitespace).next().unwrap().to_string()
    }
}

fn items(r: &Value) -> Vec<Value> {
    r["result"].as_array().cloned().unwrap_or_default()
}

#[test]
fn heading_completions_replace_the_line_with_the_whole_heading() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("draft.packet.md"));
    let mut s = Lsp::start_in(dir.path());
    s.initialize(snippet_caps(), json!({}));
    // The last line of the text, after a blank one.
    let lines = DRAFT.trim_end().lines().count() as u64 + 1;
    s.open(&uri, &format!("{}\n\n# Cro", DRAFT.trim_end()), 1);
    let c = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": lines, "character": 5}}));
    let item = items(&c).into_iter().find(|i| i["label"] == "Cross-Functional Collaboration").expect("offered");
    assert_eq!(item["insertTextFormat"], 2, "{item}");
    assert_eq!(item["filterText"], "# Cross-Functional Collaboration");
    assert_eq!(
        item["textEdit"],
        json!({"newText": "# Cross-Functional Collaboration",
               "range": {"start": {"line": lines, "character": 0}, "end": {"line": lines, "character": 5}}})
    );
    // Neovim's omnifunc inserts the whole heading, not "# Cross-Functional".
    assert_eq!(neovim_word(&item, "# Cro"), "# Cross-Functional Collaboration");

    // Right after "##" under Overview: the hashes are kept and a space added.
    s.change(&uri, 2, json!([{"text": "---\npacket: senior-em\n---\n# Overview\n\n##\n"}]));
    let c = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 2}}));
    let all = items(&c);
    let labels: Vec<&str> = all.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Background", "Statement of Intent"]);
    for i in &all {
        let title = i["label"].as_str().unwrap();
        assert_eq!(i["textEdit"]["newText"], format!("## {title}"));
        assert_eq!(neovim_word(i, "##"), format!("## {title}"));
    }
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn without_snippet_support_items_are_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("p.packet.md"));
    let mut s = Lsp::start_in(dir.path());
    s.initialize(json!({}), json!({}));
    s.open(&uri, "---\npacket: senior-em\nsponsor: \n---\n", 1);
    let c = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 0}}));
    let all = items(&c);
    let letters = all.iter().find(|i| i["label"] == "letters").expect("letters offered");
    assert_eq!(letters["insertTextFormat"], 1);
    // A brace is not escaped for a client that takes the text literally.
    assert_eq!(letters["textEdit"]["newText"], "letters:\n  - { name: , role: staff-engineer, relation: same-team }");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn front_matter_snippets_escape_braces() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("p.packet.md"));
    let mut s = Lsp::start_in(dir.path());
    s.initialize(snippet_caps(), json!({}));
    s.open(&uri, "---\npacket: senior-em\n\n---\n", 1);
    let c = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 0}}));
    let sponsor = items(&c).into_iter().find(|i| i["label"] == "sponsor").expect("sponsor offered");
    assert_eq!(sponsor["insertTextFormat"], 2);
    assert_eq!(sponsor["textEdit"]["newText"], "sponsor: { name: , relation: direct-manager, role: director \\}");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn show_readiness_without_arguments_answers_for_the_latest_packet() {
    let dir = tempfile::tempdir().unwrap();
    // (A space in the name: the message names the file, not its percent-encoded URI.)
    let packet = file_uri(&dir.path().join("my draft.packet.md")).replace(' ', "%20");
    let other = file_uri(&dir.path().join("notes.md"));
    let mut s = Lsp::start_in(dir.path());
    s.initialize(json!({}), json!({}));
    let none = s.request("workspace/executeCommand", json!({"command": "packet-ls.showReadiness", "arguments": []}));
    assert_eq!(none["error"]["code"], -32602, "{none}");
    assert!(none["error"]["message"].as_str().unwrap().contains("no packet is open"), "{none}");

    s.open(&packet, DRAFT, 1);
    // A plain Markdown file opened after it is not a packet: the packet still answers.
    s.open(&other, "# Notes\n", 1);
    let r = s.request("workspace/executeCommand", json!({"command": "packet-ls.showReadiness"}));
    assert_eq!(r["result"], "5/9 sections · 0/2 initiatives complete · mentoring 1/3 · letter kinds 0/3 · sponsor's letter missing", "{r}");
    let shown = s.wait_for(|m| m["method"] == "window/showMessage");
    assert!(shown["params"]["message"].as_str().unwrap().starts_with("Readiness of my draft.packet.md: "), "{shown}");

    // Two packets: the one edited last.
    let second = file_uri(&dir.path().join("empty.packet.md"));
    s.open(&second, "# Overview\n", 1);
    let r = s.request("workspace/executeCommand", json!({"command": "packet-ls.showReadiness"}));
    assert!(r["result"].as_str().unwrap().starts_with("1/9 sections"), "{r}");
    s.change(&packet, 2, json!([{"text": DRAFT}]));
    let r = s.request("workspace/executeCommand", json!({"command": "packet-ls.showReadiness"}));
    assert_eq!(r["result"], "5/9 sections · 0/2 initiatives complete · mentoring 1/3 · letter kinds 0/3 · sponsor's letter missing", "{r}");
    // A wrong argument is still an error.
    let bad = s.request("workspace/executeCommand", json!({"command": "packet-ls.showReadiness", "arguments": [42]}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    assert_eq!(s.shutdown(), 0);
}

fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// A session with routine logs (start-up, configuration) and one that only
/// warns writes nothing to stderr; `PACKET_LS_LOG_STDERR=1` writes them all.
#[test]
fn routine_logs_stay_off_stderr() {
    let run = |all: bool| -> String {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_packet-ls"));
        cmd.arg("server").current_dir(dir.path()).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        if all {
            cmd.env("PACKET_LS_LOG_STDERR", "1");
        } else {
            cmd.env_remove("PACKET_LS_LOG_STDERR");
        }
        let mut child = cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let uri = file_uri(&dir.path().join("a.packet.md"));
        let mut out = String::new();
        // Reads messages until the response to request `id`.
        let mut until = |id: i64, out: &mut String| loop {
            let mut len = 0usize;
            loop {
                let mut h = String::new();
                assert!(std::io::BufRead::read_line(&mut stdout, &mut h).unwrap() > 0, "server closed stdout");
                if h == "\r\n" {
                    break;
                }
                if let Some(v) = h.strip_prefix("Content-Length: ") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            stdout.read_exact(&mut body).unwrap();
            let v: Value = serde_json::from_slice(&body).unwrap();
            out.push_str(&v.to_string());
            if v["id"] == id && v.get("method").is_none() {
                break;
            }
        };
        stdin
            .write_all(&frame(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": null, "rootUri": null, "capabilities": {},
                   "initializationOptions": {"settings": {"packet-ls": {"rubric": "no-such-rubric"}}}}})))
            .unwrap();
        until(1, &mut out);
        for m in [
            json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "# Overview\n"}}}),
            json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}}),
        ] {
            stdin.write_all(&frame(&m)).unwrap();
        }
        until(2, &mut out);
        stdin.write_all(&frame(&json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}))).unwrap();
        until(3, &mut out);
        stdin.write_all(&frame(&json!({"jsonrpc": "2.0", "method": "exit"}))).unwrap();
        drop(stdin);
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        assert!(child.wait().unwrap().success());
        assert!(out.contains("ready"), "the start-up message still goes to window/logMessage: {out}");
        err
    };
    let quiet = run(false);
    assert_eq!(quiet, "", "stderr should stay empty");
    let all = run(true);
    assert!(all.contains("packet-ls 0.1.0 ready"), "{all}");
}
