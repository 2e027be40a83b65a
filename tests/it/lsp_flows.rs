//! End-to-end flows of the language server against the built binary, checked
//! against the library: what the server publishes for each version typed, and
//! the exact text each code action produces, must be what `packet_ls::analyze`
//! and its fixes give for the same text, with positions converted by the test
//! harness's own counting (not the crate's LineIndex) in each encoding.


use std::path::Path;
use std::time::Duration;

use crate::lsp::{apply_workspace_edit, file_uri, has_code, position, wait_publish, Lsp};
use packet_ls::analysis::analyze;
use packet_ls::config::EditorOverrides;
use packet_ls::diagnostic::apply_edits;
use packet_ls::fix::fix_all;
use packet_ls::workspace;
use serde_json::{json, Value};

fn caps(enc: &str) -> Value {
    json!({
        "general": {"positionEncodings": [enc]},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}, "codeAction": {}},
        "workspace": {"workspaceEdit": {"documentChanges": true}, "configuration": true,
                      "didChangeWatchedFiles": {"dynamicRegistration": true}}
    })
}

fn start(enc: &str, options: Value) -> (Lsp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    let init = s.initialize(caps(enc), options);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], enc, "{init}");
    (s, dir)
}

/// The library's diagnostics for `text` at `path`, as the server should
/// publish them: (code, severity, range, message), in order.
fn expected(path: &Path, text: &str, enc: &str) -> Vec<Value> {
    let settings = workspace::settings_for(text, None, &EditorOverrides::default());
    let env = workspace::env_for(path, text);
    let a = analyze(text, &settings, &env);
    a.diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.code.as_str(),
                "severity": d.severity.lsp_number(),
                "range": {"start": position(text, d.range.start, enc), "end": position(text, d.range.end, enc)},
                "message": d.message,
            })
        })
        .collect()
}

fn summary(published: &[Value]) -> Vec<Value> {
    published
        .iter()
        .map(|d| json!({"code": d["code"], "severity": d["severity"], "range": d["range"], "message": d["message"]}))
        .collect()
}

const MINIMAL: &str = "---\npacket: senior-em\n---\n\n# Overview\n\n## Background\n\nI lead two teams.\n";

/// Types a new section and its text one character at a time (the position of
/// each keystroke computed in the client's encoding), waits for each version's
/// diagnostics and compares every one of them with the library's.
#[test]
fn each_keystroke_publishes_that_versions_exact_diagnostics() {
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let (mut s, dir) = start(enc, json!({"debounceMs": 0}));
        let path = dir.path().join("typing.packet.md");
        let uri = file_uri(&path);
        let mut text = MINIMAL.replace("I lead two teams.", "I lead two teams 😀 in 東京.");
        s.open(&uri, &text, 1);
        assert_eq!(summary(&s.diagnostics(&uri, 1)), expected(&path, &text, enc), "{enc} v1");
        let typed = "\n# Summry\n\nTODO 中文 ✓";
        let mut version = 1;
        for c in typed.chars() {
            version += 1;
            let at = position(&text, text.len(), enc);
            s.change(&uri, version, json!([{"range": {"start": at, "end": at}, "text": c.to_string()}]));
            text.push(c);
            let got = summary(&s.diagnostics(&uri, version));
            assert_eq!(got, expected(&path, &text, enc), "{enc} v{version} after typing {c:?}");
        }
        // Pinned, independently of the library: the near-miss heading and the placeholder.
        let last = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
        let items = last["result"]["items"].as_array().unwrap();
        let near = items.iter().find(|d| d["code"] == "heading-near-miss").unwrap_or_else(|| panic!("{items:#?}"));
        assert_eq!(near["range"], json!({"start": {"line": 10, "character": 2}, "end": {"line": 10, "character": 8}}), "{enc}");
        assert_eq!(near["message"], "Heading \"Summry\" looks like the required \"Summary\"", "{enc}");
        let ph = items.iter().find(|d| d["code"] == "placeholder").unwrap();
        assert_eq!(ph["range"], json!({"start": {"line": 12, "character": 0}, "end": {"line": 12, "character": 4}}), "{enc}");
        assert_eq!(s.shutdown(), 0);
    }
}

/// Debounce: keystrokes 40 ms apart under a 500 ms debounce are analysed once,
/// after the last one, and not before the debounce has passed; versions are
/// published in increasing order and the last one's diagnostics are exact.
#[test]
fn keystrokes_within_the_debounce_are_analysed_once() {
    let (mut s, dir) = start("utf-16", json!({"debounceMs": 500}));
    let path = dir.path().join("burst.packet.md");
    let uri = file_uri(&path);
    let mut text = MINIMAL.to_string();
    s.open(&uri, &text, 1);
    s.diagnostics(&uri, 1);
    let typed = "\n# Summary\n\nI grew it.\n";
    let mut version = 1;
    let mut last_sent = std::time::Instant::now();
    for c in typed.chars() {
        version += 1;
        let at = position(&text, text.len(), "utf-16");
        s.change(&uri, version, json!([{"range": {"start": at, "end": at}, "text": c.to_string()}]));
        last_sent = std::time::Instant::now();
        text.push(c);
        std::thread::sleep(Duration::from_millis(40));
    }
    let last = s.diagnostics(&uri, version);
    assert!(last_sent.elapsed() >= Duration::from_millis(500), "published {:?} after the last keystroke", last_sent.elapsed());
    assert_eq!(summary(&last), expected(&path, &text, "utf-16"));
    s.drain(Duration::from_millis(600));
    let seen = s.published_versions(&uri);
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "published out of order: {seen:?}");
    assert!(!seen.iter().any(|&v| v > version), "{seen:?}");
    // Only the final version (the backlog holds what arrived besides it), or one or
    // two more if the test itself stalled for longer than the debounce on a busy
    // machine; without the debounce every keystroke here is published.
    assert!(seen.len() <= 2, "{} extra publications for {} keystrokes: {seen:?}", seen.len(), typed.chars().count());
    // And 0 means at once: one change is published well before 500 ms would pass.
    s.notify("workspace/didChangeConfiguration", json!({"settings": {"packet-ls": {"debounceMs": 0}}}));
    s.drain(Duration::from_millis(300));
    let t = std::time::Instant::now();
    s.change(&uri, version + 1, json!([{"text": MINIMAL}]));
    s.diagnostics(&uri, version + 1);
    assert!(t.elapsed() < Duration::from_millis(500), "{:?}", t.elapsed());
    assert_eq!(s.shutdown(), 0);
}

/// A draft with CRLF line ends, emoji and CJK: every quick fix offered for every
/// diagnostic, and "Insert all missing sections", give exactly the library's
/// text in each position encoding, and never delete a line of the user's text.
#[test]
fn every_code_action_gives_the_librarys_exact_text_in_each_encoding() {
    let draft = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/draft.packet.md")).unwrap();
    let text = draft
        .replace("## Search relevance", "## 検索 relevance 😀")
        .replace("Mentored Kim", "Mentored 김 🧑‍💻 Kim")
        .replace('\n', "\r\n");
    for enc in ["utf-8", "utf-16", "utf-32"] {
        let (mut s, dir) = start(enc, json!({"debounceMs": 0}));
        let path = dir.path().join("draft.packet.md");
        let uri = file_uri(&path);
        s.open(&uri, &text, 1);
        let published = s.diagnostics(&uri, 1);
        assert_eq!(summary(&published), expected(&path, &text, enc), "{enc}");

        let settings = workspace::settings_for(&text, None, &EditorOverrides::default());
        let env = workspace::env_for(&path, &text);
        let a = analyze(&text, &settings, &env);
        let mut checked = 0;
        for (d, lib) in published.iter().zip(&a.diagnostics) {
            if lib.fixes.is_empty() {
                continue;
            }
            let r = s.request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d], "only": ["quickfix"]}}),
            );
            let actions = r["result"].as_array().unwrap();
            assert_eq!(actions.len(), lib.fixes.len(), "{enc} {}: {actions:#?}", lib.message);
            for (action, fix) in actions.iter().zip(&lib.fixes) {
                assert_eq!(action["kind"], "quickfix");
                assert_eq!(action["title"], fix.title);
                assert_eq!(action["diagnostics"][0]["message"], d["message"]);
                assert_eq!(action["isPreferred"], json!(fix.preferred && lib.fixes.len() == 1));
                let after = apply_workspace_edit(&text, &action["edit"], enc);
                assert_eq!(after, apply_edits(&text, &fix.edits), "{enc} {}", fix.title);
                if !fix.insertions.is_empty() {
                    let mut rest = after.split("\r\n");
                    for l in text.split("\r\n") {
                        assert!(rest.any(|x| x == l), "{enc} {}: lost {l:?}", fix.title);
                    }
                }
                checked += 1;
            }
        }
        assert!(checked >= 6, "{enc}: only {checked} quick fixes");

        let r = s.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        );
        let actions = r["result"].as_array().unwrap();
        assert_eq!(actions.len(), 1, "{actions:#?}");
        assert_eq!(actions[0]["title"], "Insert all missing sections");
        assert_eq!(actions[0]["kind"], "source.fixAll.packet-ls");
        let all = apply_workspace_edit(&text, &actions[0]["edit"], enc);
        assert_eq!(all, apply_edits(&text, &fix_all(&a.doc, &a.diagnostics)), "{enc}");
        assert!(!all.replace("\r\n", "").contains('\n'), "{enc}: a bare LF was inserted into a CRLF document");
        // The edit is versioned for the document it was computed on.
        assert_eq!(actions[0]["edit"]["documentChanges"][0]["textDocument"]["version"], 1);
        assert_eq!(s.shutdown(), 0);
    }
}

/// The fix-all result for a minimal packet, pinned as a file so the inserted
/// text (order, headings, prompts, blank lines) is reviewed, not only compared.
#[test]
fn insert_all_missing_sections_snapshot() {
    let (mut s, dir) = start("utf-16", json!({"debounceMs": 0}));
    let uri = file_uri(&dir.path().join("min.packet.md"));
    s.open(&uri, MINIMAL, 1);
    s.diagnostics(&uri, 1);
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source"]}}),
    );
    let actions = r["result"].as_array().unwrap();
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    // Not empty, so no scaffold.
    assert_eq!(titles, ["Insert all missing sections"]);
    let fixed = apply_workspace_edit(MINIMAL, &actions[0]["edit"], "utf-16");
    expect_test::expect_file!["../snapshots/lsp_fix_all_minimal.md"].assert_eq(&fixed);
    // Re-checking the result: the structure is complete.
    s.change(&uri, 2, json!([{"text": fixed}]));
    let after = s.diagnostics(&uri, 2);
    let structural = ["missing-section", "missing-subsection", "heading-level", "section-order"];
    assert!(!after.iter().any(|d| structural.contains(&d["code"].as_str().unwrap())), "{after:#?}");
    assert_eq!(s.shutdown(), 0);
}



/// Creating, editing and deleting packet.toml (announced through
/// didChangeWatchedFiles) changes the open packet's diagnostics each time.
#[test]
fn packet_toml_changes_recheck_the_open_packets() {
    let (mut s, dir) = start("utf-16", json!({"debounceMs": 0}));
    // The watcher is registered dynamically, for packet.toml anywhere.
    let reg = s.wait_for(|m| m["method"] == "client/registerCapability");
    let r = &reg["params"]["registrations"][0];
    assert_eq!(r["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(r["registerOptions"]["watchers"][0]["globPattern"], "**/packet.toml");

    let path = dir.path().join("c.packet.md");
    let uri = file_uri(&path);
    let text = format!("{MINIMAL}\nTODO\n");
    s.open(&uri, &text, 1);
    let d = s.diagnostics(&uri, 1);
    assert!(has_code(&d, "placeholder"));
    let toml = dir.path().join("packet.toml");
    let toml_uri = file_uri(&toml);

    std::fs::write(&toml, "[rules]\nplaceholder = \"off\"\nmissing-section = \"info\"\n").unwrap();
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": toml_uri, "type": 1}]}));
    let d = wait_publish(&mut s, &uri, |d| !has_code(d, "placeholder"));
    assert!(d.iter().filter(|x| x["code"] == "missing-section").all(|x| x["severity"] == 3), "{d:#?}");
    assert!(has_code(&d, "missing-section"));

    // An invalid edit: config-invalid on packet.toml, at the bad value.
    std::fs::write(&toml, "[rules]\nplaceholder = \"loud\"\n").unwrap();
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": toml_uri, "type": 2}]}));
    let cd = wait_publish(&mut s, &toml_uri, |d| !d.is_empty());
    assert_eq!(cd.len(), 1, "{cd:#?}");
    assert_eq!(cd[0]["code"], "config-invalid");
    assert_eq!(cd[0]["source"], "packet-ls");
    assert_eq!(cd[0]["range"]["start"]["line"], 1);

    // Deleted: the defaults apply again and packet.toml's diagnostics are cleared.
    std::fs::remove_file(&toml).unwrap();
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": toml_uri, "type": 3}]}));
    wait_publish(&mut s, &toml_uri, |d| d.is_empty());
    let d = wait_publish(&mut s, &uri, |d| has_code(d, "placeholder"));
    assert!(d.iter().filter(|x| x["code"] == "missing-section").all(|x| x["severity"] == 1), "{d:#?}");
    assert_eq!(s.shutdown(), 0);
}

/// A client that sends an empty didChangeConfiguration is asked for the
/// `packet-ls` section with workspace/configuration, and its answer applies.
#[test]
fn empty_did_change_configuration_pulls_the_settings() {
    let (mut s, dir) = start("utf-16", json!({"debounceMs": 0}));
    let uri = file_uri(&dir.path().join("pull.packet.md"));
    s.open(&uri, &format!("{MINIMAL}\nTODO\n"), 1);
    assert!(has_code(&s.diagnostics(&uri, 1), "placeholder"));
    s.config_reply = json!([{"rules": {"placeholder": "off"}, "debounceMs": 0}]);
    s.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    let req = s.wait_for(|m| m["method"] == "workspace/configuration");
    assert_eq!(req["params"]["items"][0]["section"], "packet-ls");
    wait_publish(&mut s, &uri, |d| !d.is_empty() && !has_code(d, "placeholder"));
    // Turned back on through pushed settings.
    s.notify("workspace/didChangeConfiguration", json!({"settings": {"packet-ls": {"rules": {"placeholder": "error"}}}}));
    let d = wait_publish(&mut s, &uri, |d| has_code(d, "placeholder"));
    assert_eq!(d.iter().find(|x| x["code"] == "placeholder").unwrap()["severity"], 1);
    assert_eq!(s.shutdown(), 0);
}

/// Capabilities follow the client's: no pull diagnostics and no watcher
/// registration for a client that supports neither.
#[test]
fn a_minimal_client_gets_push_only_and_no_registration() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    let init = s.initialize(json!({}), json!({"debounceMs": 0}));
    let c = &init["result"]["capabilities"];
    assert_eq!(c["positionEncoding"], "utf-16");
    assert!(c.get("diagnosticProvider").is_none(), "{c}");
    assert_eq!(c["textDocumentSync"]["change"], 2);
    let uri = file_uri(&dir.path().join("m.packet.md"));
    s.open(&uri, MINIMAL, 1);
    s.diagnostics(&uri, 1);
    // The server registers watchers when `initialized` arrives, before it
    // handles the didOpen that came after it; by this request's answer, sent
    // after both, a registration would be in.
    let r = s.request("packet-ls/documentText", json!({"uri": uri}));
    assert_eq!(r["result"]["version"], 1, "{r}");
    assert!(!s.backlog.iter().any(|m| m["method"] == "client/registerCapability"), "{:#?}", s.backlog);
    // Without documentChanges support, code actions use `changes`.
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    assert!(r["result"][0]["edit"]["changes"][&uri].is_array(), "{r}");
    assert_eq!(s.shutdown(), 0);
}

/// Requests about documents the server does not have answer empty, not an error.
#[test]
fn unknown_uris_get_empty_answers() {
    let (mut s, _dir) = start("utf-16", json!({"debounceMs": 0}));
    let uri = "file:///no/such/dir/ghost.packet.md";
    let zero = json!({"line": 0, "character": 0});
    let pull = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    assert_eq!(pull["result"], json!({"kind": "full", "items": []}));
    for (method, params) in [
        ("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": {"start": zero, "end": zero}, "context": {"diagnostics": []}})),
        ("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}})),
        ("textDocument/foldingRange", json!({"textDocument": {"uri": uri}})),
        ("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": zero})),
        ("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": zero})),
        ("textDocument/codeLens", json!({"textDocument": {"uri": uri}})),
        ("textDocument/documentLink", json!({"textDocument": {"uri": uri}})),
    ] {
        let r = s.request(method, params);
        assert!(r.get("error").is_none(), "{method}: {r}");
        assert_eq!(r["result"], Value::Null, "{method}: {r}");
    }
    // A non-file URI is analysed as a packet by its name and content only.
    let untitled = "untitled:Untitled-1";
    s.open(untitled, MINIMAL, 1);
    assert!(has_code(&s.diagnostics(untitled, 1), "missing-section"));
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": untitled}}));
    wait_publish(&mut s, untitled, |d| d.is_empty());
    assert_eq!(s.shutdown(), 0);
}

/// `packet-ls --stdio` (what vscode-languageclient appends) and
/// `packet-ls server --stdio` both run the server.
#[test]
fn stdio_flag_runs_the_server() {
    for args in [&["--stdio"][..], &["server", "--stdio"][..], &["server"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Lsp::start_with_args(dir.path(), args);
        let init = s.initialize(json!({}), json!({}));
        assert_eq!(init["result"]["serverInfo"]["name"], "packet-ls", "{args:?}: {init}");
        assert_eq!(s.shutdown(), 0, "{args:?}");
    }
}

fn labels(r: &Value) -> Vec<String> {
    r["result"].as_array().map(|a| a.iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

/// Hover, completion, symbols, folds and the readiness lens on the shipped
/// draft (converted to CRLF, so completions must insert CRLF too).
#[test]
fn editor_features_on_the_draft() {
    let draft = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/draft.packet.md")).unwrap();
    let text = draft.replace('\n', "\r\n");
    let (mut s, dir) = start("utf-16", json!({"debounceMs": 0}));
    let uri = file_uri(&dir.path().join("draft.packet.md"));
    s.open(&uri, &text, 1);
    s.diagnostics(&uri, 1);
    let doc = json!({"uri": uri});

    // Hover on "# Selected Projects and Initiatives" (line 12) and on an initiative (line 14).
    let h = s.request("textDocument/hover", json!({"textDocument": doc, "position": {"line": 12, "character": 5}}));
    let v = h["result"]["contents"]["value"].as_str().unwrap();
    assert_eq!(
        v,
        "**Selected Projects and Initiatives**\n\nAt least two projects or initiatives that show end-to-end ownership, \
         comfort with ambiguity, consistent delivery and enabling others; each broken into Overview, Roles and \
         Responsibilities, and Results and Impact.\n\nStatus: 14 words · 1 of at least 2 initiatives with content, 0 complete."
    );
    // (Its diagnostic, too-few-initiatives, is not repeated: the editor shows it already.)
    assert_eq!(h["result"]["range"], json!({"start": {"line": 12, "character": 0}, "end": {"line": 12, "character": 35}}));
    let h = s.request("textDocument/hover", json!({"textDocument": doc, "position": {"line": 14, "character": 4}}));
    assert_eq!(
        h["result"]["contents"]["value"],
        "**Search relevance** in *Selected Projects and Initiatives*\n\nNot complete (missing: Results and Impact). \
         Needs: Overview, Roles and Responsibilities, Results and Impact.\n\n14 words."
    );
    // A near-miss heading: the section it stands for and what is written, not its diagnostic again.
    let h = s.request("textDocument/hover", json!({"textDocument": doc, "position": {"line": 26, "character": 4}}));
    let v = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(v.starts_with("**Mentoring and Coaching** — written \"Mentorship & Coching\", the rename fix gives the title\n\n"), "{v}");
    assert!(!v.contains("heading-near-miss"), "{v}");
    // Not on a heading: nothing.
    let h = s.request("textDocument/hover", json!({"textDocument": doc, "position": {"line": 10, "character": 4}}));
    assert_eq!(h["result"], Value::Null);

    // The section tree, nested three deep.
    let sym = s.request("textDocument/documentSymbol", json!({"textDocument": doc}));
    let names: Vec<&str> = sym["result"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Overview", "Selected Projects and Initiatives", "Mentorship & Coching", "Scope of Responsibilities", "Summary"]);
    let init = &sym["result"][1];
    assert_eq!(init["range"], json!({"start": {"line": 12, "character": 0}, "end": {"line": 24, "character": 17}}));
    assert_eq!(init["children"][0]["name"], "Search relevance");
    assert_eq!(init["children"][1]["name"], "<Initiative 2>");
    let subs: Vec<&str> = init["children"][0]["children"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(subs, ["Overview", "Roles and Responsibilities"]);
    assert_eq!(init["children"][0]["children"][1]["selectionRange"], json!({"start": {"line": 20, "character": 0}, "end": {"line": 20, "character": 30}}));

    // Folds: the front matter and every section with a body.
    let folds = s.request("textDocument/foldingRange", json!({"textDocument": doc}));
    let folds: Vec<(u64, u64)> =
        folds["result"].as_array().unwrap().iter().map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap())).collect();
    assert_eq!(folds, [(0, 4), (6, 10), (8, 10), (12, 24), (14, 22), (16, 18), (20, 22), (26, 28), (30, 38), (32, 34), (36, 38), (40, 42)]);

    // The readiness lens on the first heading, and its command.
    let lens = s.request("textDocument/codeLens", json!({"textDocument": doc}));
    let l = &lens["result"][0];
    assert_eq!(l["range"], json!({"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 10}}));
    assert_eq!(l["command"]["title"], "5/9 sections · 0/2 initiatives complete · mentoring 1/3 · letter kinds 0/3 · sponsor's letter missing");
    let r = s.request("workspace/executeCommand", json!({"command": l["command"]["command"], "arguments": l["command"]["arguments"]}));
    assert_eq!(r["result"], "5/9 sections · 0/2 initiatives complete · mentoring 1/3 · letter kinds 0/3 · sponsor's letter missing");

    // Front-matter keys on a new line: only those not written yet, in CRLF.
    s.change(&uri, 2, json!([{"range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}}, "text": "\r\n"}]));
    let c = s.request("textDocument/completion", json!({"textDocument": doc, "position": {"line": 4, "character": 0}}));
    assert_eq!(labels(&c), ["sponsor", "letters"]);
    assert_eq!(c["result"][1]["textEdit"]["newText"], "letters:\r\n  - { name: , role: staff-engineer, relation: same-team }");
    // Keys of a sponsor or letter entry, replacing the word typed so far.
    s.change(&uri, 3, json!([{"range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}}, "text": "sponsor: { na"}]));
    let c = s.request("textDocument/completion", json!({"textDocument": doc, "position": {"line": 4, "character": 13}}));
    assert_eq!(labels(&c), ["name", "role", "relation", "file", "exception"]);
    assert_eq!(c["result"][0]["textEdit"], json!({"newText": "name: ", "range": {"start": {"line": 4, "character": 11}, "end": {"line": 4, "character": 13}}}));
    // Headings after "#" in the body: the missing sections first.
    s.change(&uri, 4, json!([{"range": {"start": {"line": 45, "character": 0}, "end": {"line": 45, "character": 0}}, "text": "\r\n# "}]));
    let c = s.request("textDocument/completion", json!({"textDocument": doc, "position": {"line": 46, "character": 2}}));
    let l = labels(&c);
    assert_eq!(
        l[..4],
        [
            "Alignment with Engineering Competency Framework",
            "Technical Leadership across Components",
            "Cross-Functional Collaboration",
            "Alignment with <Company> Values"
        ]
    );
    assert!(c["result"].as_array().unwrap()[..4].iter().all(|i| i["detail"] == "required section (missing)"), "{c}");
    // The five present ones follow (4 missing + 5 present = the rubric's 9).
    assert_eq!(l.len(), 9, "{l:?}");
    assert!(c["result"].as_array().unwrap()[4..].iter().all(|i| i["detail"] == "required section"), "{c}");
    assert_eq!(s.shutdown(), 0);
}

/// `exit` ends the process: with 0 after `shutdown`, with 1 without it (as
/// the protocol says); pending analyses do not hold the process up.
#[test]
fn exit_status_follows_the_protocol() {
    let (mut s, dir) = start("utf-16", json!({"debounceMs": 5000}));
    // An analysis is still waiting for its debounce when the client leaves.
    s.open(&file_uri(&dir.path().join("slow.packet.md")), MINIMAL, 1);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), 1);
    let (s, _dir) = start("utf-16", json!({}));
    assert_eq!(s.shutdown(), 0);
}

/// packet.toml open in the editor: its errors follow the buffer as the user
/// types; on close, the file on disk counts again; saving it (for clients
/// without a file watcher) re-checks the open packets.
#[test]
fn packet_toml_open_in_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    s.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}), json!({"debounceMs": 0}));
    let packet = file_uri(&dir.path().join("p.packet.md"));
    s.open(&packet, &format!("{MINIMAL}\nTODO\n"), 1);
    assert!(has_code(&s.diagnostics(&packet, 1), "placeholder"));

    let toml = dir.path().join("packet.toml");
    std::fs::write(&toml, "").unwrap();
    let toml_uri = file_uri(&toml);
    s.open(&toml_uri, "", 1);
    // Typing an invalid level: reported live, at the value, for that version.
    let line = "[rules]\nplaceholder = \"of\"\n";
    s.change(&toml_uri, 2, json!([{"text": line}]));
    let d = s.diagnostics(&toml_uri, 2);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["code"], "config-invalid");
    assert_eq!(d[0]["range"]["start"], json!({"line": 1, "character": 14}), "{d:#?}");
    // Completing the word fixes it.
    let at = json!({"line": 1, "character": 17});
    s.change(&toml_uri, 3, json!([{"range": {"start": at, "end": at}, "text": "f"}]));
    assert_eq!(s.diagnostics(&toml_uri, 3), Vec::<Value>::new());
    // Not saved yet: the packet still uses the file on disk (empty), so the
    // placeholder stays. Asked, not waited for: a pull runs on the one analysis
    // thread behind any re-check the buffer's edits would have queued, and says
    // what the packet gets now; nothing was published for it since version 1.
    let pulled = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": packet}}));
    assert!(has_code(pulled["result"]["items"].as_array().unwrap(), "placeholder"), "{pulled}");
    assert!(!s.backlog.iter().any(|m| m["params"]["uri"] == packet && m["params"]["version"] != 1), "{:#?}", s.backlog);
    // Saved: the packet is re-checked under the new file.
    std::fs::write(&toml, "[rules]\nplaceholder = \"off\"\n").unwrap();
    s.notify("textDocument/didSave", json!({"textDocument": {"uri": toml_uri}}));
    wait_publish(&mut s, &packet, |d| !d.is_empty() && !has_code(d, "placeholder"));

    // Broken again in the buffer, then closed without saving: the (valid) file on disk counts.
    s.change(&toml_uri, 4, json!([{"text": "[rules]\nplaceholder = 3\n"}]));
    assert_eq!(s.diagnostics(&toml_uri, 4).len(), 1);
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": toml_uri}}));
    wait_publish(&mut s, &toml_uri, |d| d.is_empty());
    // And an invalid file on disk stays reported after its buffer closes.
    std::fs::write(&toml, "[rules]\nplaceholder = \"loud\"\n").unwrap();
    s.open(&toml_uri, "[rules]\nplaceholder = \"loud\"\n", 5);
    assert_eq!(s.diagnostics(&toml_uri, 5).len(), 1);
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": toml_uri}}));
    let m = s.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == toml_uri && m["params"]["version"].is_null());
    assert_eq!(m["params"]["diagnostics"][0]["code"], "config-invalid", "{m}");
    assert_eq!(s.shutdown(), 0);
}

/// A slow analysis of an older version finishing after a newer version's
/// fast one is dropped: the client never sees diagnostics go back in time.
#[test]
fn a_slow_stale_analysis_is_never_published_after_a_newer_one() {
    let (mut s, dir) = start("utf-16", json!({"debounceMs": 0}));
    let uri = file_uri(&dir.path().join("slow.packet.md"));
    s.open(&uri, MINIMAL, 1);
    s.diagnostics(&uri, 1);
    // Version 2 is slow to analyse and publish (20,000 placeholders: about 1.5 s in a
    // debug build), version 3 is small again.
    let big = format!("{MINIMAL}# Summary\n\n{}", "TODO words and more words.\n".repeat(20_000));
    assert!(big.len() < 5 * 1024 * 1024);
    s.change(&uri, 2, json!([{"text": big}]));
    // Let version 2's analysis start (it snapshots the text first) before version 3 arrives.
    std::thread::sleep(Duration::from_millis(150));
    s.change(&uri, 3, json!([{"text": MINIMAL}]));
    let v3 = s.diagnostics(&uri, 3);
    assert_eq!(summary(&v3), expected(&dir.path().join("slow.packet.md"), MINIMAL, "utf-16"));
    // What arrived before version 3 does not matter (version 2 may legitimately
    // have been published before 3 was applied). Nothing older may follow
    // version 3: a pull runs on the one analysis thread after version 2's slow
    // analysis, so by its answer that analysis has finished (and, stale, was
    // dropped).
    s.backlog.clear();
    let pulled = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    assert_eq!(summary(pulled["result"]["items"].as_array().unwrap()), summary(&v3), "the pull sees version 3");
    let after: Vec<i64> = s.published_versions(&uri);
    assert!(after.iter().all(|&v| v >= 3), "published after version 3: {after:?}");
    // And the server's text is version 3's.
    let r = s.request("packet-ls/documentText", json!({"uri": uri}));
    assert_eq!(r["result"]["version"], 3);
    assert_eq!(s.shutdown(), 0);
}
