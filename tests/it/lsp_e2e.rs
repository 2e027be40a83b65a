//! End-to-end tests of the language server: the built binary over stdio with
//! real JSON-RPC, as an editor drives it.



use crate::lsp::{apply_workspace_edit, file_uri, Lsp};
use serde_json::{json, Value};

fn caps(enc: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": enc},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}, "codeAction": {}},
        "workspace": {"workspaceEdit": {"documentChanges": true}, "configuration": true,
                      "didChangeWatchedFiles": {"dynamicRegistration": true}}
    })
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

/// What `initialize` must answer for the encodings a client offers: UTF-8
/// when offered (no conversion at all), else the first of UTF-16 and UTF-32
/// in the client's order, else UTF-16 (the protocol's default).
fn negotiated(offered: &[&str]) -> &'static str {
    if offered.contains(&"utf-8") {
        return "utf-8";
    }
    match offered.iter().find(|e| **e == "utf-16" || **e == "utf-32") {
        Some(&"utf-32") => "utf-32",
        _ => "utf-16",
    }
}

fn start(enc: &[&str]) -> (Lsp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    let init = s.initialize(caps(enc), json!({"debounceMs": 0}));
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    // Every test's positions are in this encoding: the server must say so.
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], negotiated(enc), "offered {enc:?}: {init}");
    (s, dir)
}

/// A request whose response proves the server has taken every notification
/// sent before it, and that nothing for `uri` was published before that.
fn barrier(s: &mut Lsp, uri: &str) -> Value {
    let r = s.request("packet-ls/documentText", json!({"uri": uri}));
    assert!(r.get("error").is_none(), "{r}");
    r["result"].clone()
}

const MINIMAL: &str = "---\npacket: senior-em\n---\n\n# Overview\n\n## Background\n\nI lead two teams.\n";

#[test]
fn open_publishes_exact_diagnostics_with_version() {
    let (mut s, dir) = start(&["utf-16"]);
    let path = dir.path().join("a.packet.md");
    let uri = file_uri(&path);
    s.open(&uri, MINIMAL, 7);
    let d = s.diagnostics(&uri, 7);
    let missing: Vec<&Value> = d.iter().filter(|x| x["code"] == "missing-section").collect();
    assert_eq!(missing.len(), 8, "{d:#?}");
    assert_eq!(
        missing[0]["message"],
        "Missing required section \"Alignment with Engineering Competency Framework\" (H1); 1 of 9 required sections present; add it at the end"
    );
    // Where the fix inserts it: after the last line with text (line 8).
    assert_eq!(missing[0]["range"], json!({"start": {"line": 8, "character": 0}, "end": {"line": 8, "character": 17}}));
    assert_eq!(missing[0]["severity"], 1);
    assert_eq!(missing[0]["source"], "packet-ls");
    assert!(missing[0]["codeDescription"]["href"].as_str().unwrap().ends_with("#missing-section"));
    let sub = d.iter().find(|x| x["code"] == "missing-subsection").unwrap();
    assert_eq!(sub["range"], json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 10}}));
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn typing_character_by_character_publishes_each_version_in_order() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("t.packet.md"));
    let mut text = String::from(MINIMAL);
    s.open(&uri, &text, 1);
    s.diagnostics(&uri, 1);
    let typed = "\n# Summary\n";
    let mut version = 1;
    for c in typed.chars() {
        version += 1;
        let lines = text.split('\n').count() as u64 - 1;
        let last_len = text.rsplit('\n').next().unwrap().encode_utf16().count() as u64;
        let pos = json!({"line": lines, "character": last_len});
        s.change(&uri, version, json!([{"range": {"start": pos, "end": pos}, "text": c.to_string()}]));
        text.push(c);
    }
    let d = s.diagnostics(&uri, version);
    // Summary now exists (empty), so it is no longer missing but reported empty.
    assert!(!d.iter().any(|x| x["code"] == "missing-section" && x["message"].as_str().unwrap().starts_with("Missing required section \"Summary\"")), "{d:#?}");
    // The sections still missing now go before it.
    assert!(d.iter().any(|x| x["code"] == "missing-section" && x["message"].as_str().unwrap().ends_with("add it before \"Summary\"") && x["range"]["start"]["line"] == 10), "{d:#?}");
    let empty = d.iter().find(|x| x["code"] == "empty-section" && x["message"].as_str().unwrap().starts_with("\"Summary\"")).unwrap();
    assert_eq!(empty["range"]["start"]["line"], 10);
    // Versions were published in increasing order, never a stale one after a newer one.
    let seen = s.published_versions(&uri);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn quick_fix_and_fix_all_insert_exact_text() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("f.packet.md"));
    s.open(&uri, MINIMAL, 1);
    let d = s.diagnostics(&uri, 1);
    let sub = d.iter().find(|x| x["code"] == "missing-subsection").unwrap().clone();
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": sub["range"], "context": {"diagnostics": [sub]}}),
    );
    let actions = r["result"].as_array().unwrap();
    let qf = actions.iter().find(|a| a["kind"] == "quickfix").unwrap();
    assert_eq!(qf["title"], "Insert subsection \"Statement of Intent\"");
    assert_eq!(qf["isPreferred"], true);
    assert_eq!(qf["diagnostics"][0]["code"], "missing-subsection");
    let fixed = apply_workspace_edit(MINIMAL, &qf["edit"], "utf-16");
    assert_eq!(
        fixed,
        "---\npacket: senior-em\n---\n\n# Overview\n\n## Background\n\nI lead two teams.\n\n## Statement of Intent\n\n<!-- Why you are applying for the role and why you believe you are ready for it, in terms of the team and the organisation, backed by the concrete examples that follow. -->\n"
    );
    let all = actions.iter().find(|a| a["kind"] == "source.fixAll.packet-ls").unwrap();
    assert_eq!(all["title"], "Insert all missing sections");
    let fixed_all = apply_workspace_edit(MINIMAL, &all["edit"], "utf-16");
    // Nothing deleted: every original line survives in order.
    let mut it = fixed_all.lines();
    for l in MINIMAL.lines() {
        assert!(it.any(|x| x == l), "lost {l:?}");
    }
    // After applying everything, no structural errors remain; the count
    // rules stay (inserted skeletons and stubs never count), with nothing
    // more to insert.
    s.change(&uri, 2, json!([{"text": fixed_all}]));
    let after = s.diagnostics(&uri, 2);
    for c in ["missing-section", "missing-subsection"] {
        assert!(!codes(&after).contains(&c.to_string()), "{c} still reported: {after:#?}");
    }
    for c in ["too-few-initiatives", "too-few-components", "insufficient-mentoring"] {
        assert!(codes(&after).contains(&c.to_string()), "{c} no longer reported: {after:#?}");
    }
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll.packet-ls"]}}),
    );
    let again = r["result"].as_array().map(|a| a.len()).unwrap_or(0);
    assert_eq!(again, 0, "a second fix-all would insert more: {r:#}");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn scaffold_on_an_empty_document() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("new.packet.md"));
    s.open(&uri, "", 1);
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    );
    let a = r["result"].as_array().unwrap().iter().find(|a| a["title"] == "Scaffold packet from template").cloned().unwrap();
    let text = apply_workspace_edit("", &a["edit"], "utf-16");
    assert!(text.starts_with("---\npacket: senior-em\n"), "{text}");
    assert!(text.contains("# Selected Projects and Initiatives\n"));
    // Ctrl+. asks for quick fixes only: the scaffold is there too, preferred.
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["quickfix"]}}),
    );
    let kinds: Vec<(String, String, bool)> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["title"].as_str().unwrap().to_string(), a["kind"].as_str().unwrap().to_string(), a["isPreferred"] == true))
        .collect();
    assert_eq!(kinds, vec![("Scaffold packet from template".to_string(), "quickfix".to_string(), true)]);
    let quick = &r["result"][0];
    assert_eq!(apply_workspace_edit("", &quick["edit"], "utf-16"), text);
    // Source actions only: the source form, not the quick fix.
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source"]}}),
    );
    let kinds: Vec<&str> = r["result"].as_array().unwrap().iter().filter_map(|a| a["kind"].as_str()).collect();
    assert!(kinds.contains(&"source.scaffold.packet-ls") && !kinds.contains(&"quickfix"), "{kinds:?}");
    assert_eq!(s.shutdown(), 0);
}

/// A placeholder after an emoji and CJK text, on a CRLF line: its column in each encoding.
#[test]
fn position_encodings_with_emoji_cjk_and_crlf() {
    let text = "---\r\npacket: senior-em\r\n---\r\n\r\n# Overview\r\n\r\n😀中 TODO\r\n";
    // Line 6: "😀中 TODO": TODO starts at byte 8, UTF-16 unit 4, char 3.
    for (enc, col) in [("utf-8", 8), ("utf-16", 4), ("utf-32", 3)] {
        let (mut s, dir) = start(&[enc]);
        let uri = file_uri(&dir.path().join("e.packet.md"));
        s.open(&uri, text, 1);
        let d = s.diagnostics(&uri, 1);
        let p = d.iter().find(|x| x["code"] == "placeholder").unwrap_or_else(|| panic!("{enc}: {d:#?}"));
        assert_eq!(p["range"]["start"], json!({"line": 6, "character": col}), "{enc}");
        assert_eq!(p["range"]["end"], json!({"line": 6, "character": col + 4}), "{enc}");
        // An incremental edit in the same encoding: replace TODO by "done".
        let start = p["range"]["start"].clone();
        let end = p["range"]["end"].clone();
        s.change(&uri, 2, json!([{"range": {"start": start, "end": end}, "text": "done"}]));
        let d2 = s.diagnostics(&uri, 2);
        assert!(!codes(&d2).contains(&"placeholder".to_string()), "{enc}: {d2:#?}");
        assert_eq!(s.shutdown(), 0);
    }
}

#[test]
fn negotiation_prefers_utf8_and_defaults_to_utf16() {
    let (mut s, _d) = start(&["utf-16", "utf-8"]);
    drop(s.request("shutdown", Value::Null));
    let dir = tempfile::tempdir().unwrap();
    // No `general.positionEncodings` at all: UTF-16.
    let mut s2 = Lsp::start_in(dir.path());
    let r = s2.initialize(json!({}), json!({}));
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-16");
    // Each offer, with the answer written out (not computed by `negotiated`).
    for (offered, answer) in [
        (&[][..], "utf-16"),
        (&["utf-8"][..], "utf-8"),
        (&["utf-16"][..], "utf-16"),
        (&["utf-32"][..], "utf-32"),
        (&["utf-16", "utf-8"][..], "utf-8"),
        (&["utf-32", "utf-8"][..], "utf-8"),
        (&["utf-32", "utf-16"][..], "utf-32"),
        (&["utf-16", "utf-32"][..], "utf-16"),
        (&["latin-1"][..], "utf-16"),
    ] {
        assert_eq!(negotiated(offered), answer, "{offered:?}");
        let mut s3 = Lsp::start_in(dir.path());
        let r = s3.initialize(caps(offered), json!({}));
        assert_eq!(r["result"]["capabilities"]["positionEncoding"], answer, "offered {offered:?}: {r}");
        assert_eq!(s3.shutdown(), 0);
    }
    s.notify("exit", Value::Null);
}

#[test]
fn stale_versions_are_refused_and_logged() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("v.packet.md"));
    s.open(&uri, MINIMAL, 5);
    s.diagnostics(&uri, 5);
    // Version 5 again and then 4: both refused; the text stays as it was.
    s.change(&uri, 5, json!([{"text": "# Changed\n"}]));
    s.change(&uri, 4, json!([{"text": "# Changed\n"}]));
    // Both refusals are logged (handlers run concurrently: in either order).
    let mut logs: Vec<String> = (0..2)
        .map(|_| {
            let m = s.wait_for(|m| m["method"] == "window/logMessage" && m["params"]["message"].as_str().unwrap().contains("refused"));
            m["params"]["message"].as_str().unwrap().to_string()
        })
        .collect();
    logs.sort();
    assert!(logs[0].ends_with("version 4 is not newer than 5"), "{logs:?}");
    assert!(logs[1].ends_with("version 5 is not newer than 5"), "{logs:?}");
    s.change(&uri, 6, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": ""}]));
    let d = s.diagnostics(&uri, 6);
    // Still the original text: Overview is present, so only 8 sections are missing.
    assert_eq!(d.iter().filter(|x| x["code"] == "missing-section").count(), 8);
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn configuration_changes_recheck_open_packets() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("c.packet.md"));
    let text = format!("{MINIMAL}\nTODO\n");
    s.open(&uri, &text, 1);
    assert!(codes(&s.diagnostics(&uri, 1)).contains(&"placeholder".to_string()));
    s.notify("workspace/didChangeConfiguration", json!({"settings": {"packet-ls": {"debounceMs": 0, "rules": {"placeholder": "off", "missing-section": "hint"}}}}));
    let d = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !m["params"]["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "placeholder")
    });
    let diags = d["params"]["diagnostics"].as_array().unwrap();
    let ms = diags.iter().find(|d| d["code"] == "missing-section").unwrap();
    assert_eq!(ms["severity"], 4);

    // A packet.toml appears with an error: reported on packet.toml itself, and the packets are re-checked.
    let toml = dir.path().join("packet.toml");
    std::fs::write(&toml, "[rules]\nno-such-rule = \"off\"\n").unwrap();
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&toml), "type": 1}]}));
    let toml_uri = file_uri(&toml);
    let m = s.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == toml_uri);
    let d = &m["params"]["diagnostics"][0];
    assert_eq!(d["code"], "config-invalid");
    assert_eq!(d["range"]["start"], json!({"line": 1, "character": 0}));
    assert!(d["message"].as_str().unwrap().contains("unknown rule \"no-such-rule\""));
    // Fixing it clears the packet.toml diagnostics.
    std::fs::write(&toml, "[rules]\nsection-order = \"off\"\n").unwrap();
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&toml), "type": 2}]}));
    s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == toml_uri && m["params"]["diagnostics"] == json!([])
    });
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn pull_diagnostics_close_and_non_packets() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("p.packet.md"));
    s.open(&uri, MINIMAL, 1);
    s.diagnostics(&uri, 1);
    let r = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    assert_eq!(r["result"]["kind"], "full");
    assert_eq!(r["result"]["items"].as_array().unwrap().iter().filter(|d| d["code"] == "missing-section").count(), 8);
    // Close clears the diagnostics.
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    s.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && m["params"]["diagnostics"] == json!([]));
    // A plain README gets nothing; removing `packet:` from a packet clears its diagnostics.
    let readme = file_uri(&dir.path().join("README.md"));
    s.open(&readme, "# Hello\n\nTODO\n", 1);
    let other = file_uri(&dir.path().join("notes.md"));
    s.open(&other, MINIMAL, 1);
    assert!(!s.diagnostics(&other, 1).is_empty());
    s.change(&other, 2, json!([{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}}, "text": ""}]));
    assert_eq!(s.diagnostics(&other, 2), Vec::<Value>::new());
    // The README is open (the server holds its text) and its analysis has
    // nothing to say — asked for, not waited for: a pull runs on the one
    // analysis thread after the README's own queued analysis, so by its
    // answer that one is done and found nothing to publish.
    assert_eq!(barrier(&mut s, &readme)["version"], 1);
    let pulled = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": readme}}));
    assert_eq!(pulled["result"]["items"], json!([]), "{pulled}");
    assert!(s.published_versions(&readme).is_empty(), "README got diagnostics: {:#?}", s.backlog);
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn oversized_documents_get_one_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    s.initialize(caps(&["utf-16"]), json!({"debounceMs": 0, "maxFileBytes": 100}));
    let uri = file_uri(&dir.path().join("big.packet.md"));
    s.open(&uri, &format!("{MINIMAL}{}", "word ".repeat(100)), 1);
    let d = s.diagnostics(&uri, 1);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0]["message"].as_str().unwrap().contains("over the maxFileBytes limit of 100 bytes"));
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn symbols_folding_hover_completion_and_lens() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("x.packet.md"));
    s.open(&uri, MINIMAL, 1);
    s.diagnostics(&uri, 1);
    let sym = s.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert_eq!(sym["result"][0]["name"], "Overview");
    assert_eq!(sym["result"][0]["children"][0]["name"], "Background");
    assert_eq!(sym["result"][0]["range"], json!({"start": {"line": 4, "character": 0}, "end": {"line": 8, "character": 17}}));
    let fold = s.request("textDocument/foldingRange", json!({"textDocument": {"uri": uri}}));
    assert_eq!(fold["result"][0]["startLine"], 0);
    assert_eq!(fold["result"][0]["endLine"], 2);
    let hover = s.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 3}}));
    let v = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(v.starts_with("**Overview**\n\nYour introduction"), "{v}");
    assert!(v.contains("missing: Statement of Intent"), "{v}");
    // Completion after "# " offers the missing sections first.
    s.change(&uri, 2, json!([{"range": {"start": {"line": 9, "character": 0}, "end": {"line": 9, "character": 0}}, "text": "\n# "}]));
    let c = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 10, "character": 2}}));
    let items = c["result"].as_array().unwrap();
    assert_eq!(items[0]["label"], "Alignment with Engineering Competency Framework");
    assert!(items.iter().any(|i| i["label"] == "Summary"));
    assert_eq!(items.iter().find(|i| i["label"] == "Overview").map(|i| i["sortText"].as_str().unwrap().starts_with('1')), Some(true));
    // Front-matter role values.
    s.change(&uri, 3, json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "letters:\n  - { name: A, role: st\n"}]));
    let c = s.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 23}}));
    let labels: Vec<&str> = c["result"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"staff-engineer"), "{labels:?}");
    let lens = s.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}));
    assert_eq!(lens["result"][0]["command"]["title"], "1/9 sections · 0/2 initiatives complete · mentoring 0/3 · letter kinds 0/3 · sponsor's letter missing");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn bad_input_never_kills_the_server() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("b.packet.md"));
    // Unknown documents, out-of-range positions, an unknown method.
    s.change("file:///nowhere.packet.md", 2, json!([{"text": "x"}]));
    let h = s.request("textDocument/hover", json!({"textDocument": {"uri": "file:///nowhere.md"}, "position": {"line": 99, "character": 99}}));
    assert_eq!(h["result"], Value::Null);
    let u = s.request("custom/unknown", json!({}));
    assert!(u["error"].is_object());
    s.open(&uri, MINIMAL, 1);
    s.change(&uri, 2, json!([{"range": {"start": {"line": 500, "character": 3}, "end": {"line": 900, "character": 0}}, "text": "\n# Summary\n"}]));
    let d = s.diagnostics(&uri, 2);
    assert!(d.iter().any(|x| x["code"] == "empty-section"), "{d:#?}");
    let h = s.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 99999, "character": 99999}}));
    assert!(h.get("error").is_none(), "{h}");
    // Malformed JSON gets a parse error; the server keeps answering.
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let r = s.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert!(r["result"].is_array(), "{r}");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn end_of_input_ends_the_server() {
    let (mut s, _dir) = start(&["utf-16"]);
    s.close_stdin();
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn letter_links_and_hover_on_a_letter() {
    let (mut s, dir) = start(&["utf-16"]);
    std::fs::create_dir_all(dir.path().join("letters")).unwrap();
    std::fs::write(dir.path().join("letters/priya.md"), "# Letter\n").unwrap();
    std::fs::write(dir.path().join("packet.toml"), "").unwrap();
    let uri = file_uri(&dir.path().join("l.packet.md"));
    let text = "---\npacket: senior-em\nletters:\n  - { name: Priya, role: staff-engineer, relation: same-team, file: letters/priya.md }\n  - { name: Out, role: product-manager, file: ../outside.md }\n---\n\n# Overview\n";
    s.open(&uri, text, 1);
    let d = s.diagnostics(&uri, 1);
    let nf = d.iter().find(|x| x["code"] == "letter-not-found").unwrap();
    assert_eq!(nf["range"]["start"]["line"], 4, "{nf}");
    let links = s.request("textDocument/documentLink", json!({"textDocument": {"uri": uri}}));
    let links = links["result"].as_array().unwrap();
    assert_eq!(links.len(), 1, "only the letter inside the workspace is linked: {links:?}");
    assert_eq!(links[0]["range"]["start"], json!({"line": 3, "character": 68}));
    assert!(links[0]["target"].as_str().unwrap().ends_with("/letters/priya.md"));
    let h = s.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 10}}));
    let v = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(v.starts_with("**Priya** covers the required kind: a staff/lead (or higher) engineer from the same team"), "{v}");
    assert_eq!(s.shutdown(), 0);
}

/// Letter files as documents and the sponsor's letter, over real LSP traffic:
/// an empty letter is reported on its entry, the code lens and the hover on
/// `sponsor:` say whether the sponsor's letter is there, and writing the
/// letter files clears it all on the next analysis.
#[test]
fn letter_contents_and_the_sponsors_letter_over_lsp() {
    let (mut s, dir) = start(&["utf-16"]);
    std::fs::create_dir_all(dir.path().join("letters")).unwrap();
    std::fs::write(dir.path().join("letters/priya.md"), "# Letter\n\n<!-- Say how you worked with Jordan. -->\n").unwrap();
    std::fs::write(dir.path().join("packet.toml"), "").unwrap();
    let uri = file_uri(&dir.path().join("j.packet.md"));
    let text = "---\npacket: senior-em\ncandidate: Jordan Rivera\nsponsor: { name: Morgan, relation: direct-manager, role: director, file: letters/morgan.md }\nletters:\n  - { name: Priya, role: staff-engineer, relation: same-team, file: letters/priya.md }\n---\n\n# Overview\n";
    s.open(&uri, text, 1);
    let d = s.diagnostics(&uri, 1);
    let on_entries: Vec<(String, u64, String)> = d
        .iter()
        .filter(|x| x["code"] == "missing-recommender" && x["range"]["start"]["line"] != 4 || x["code"] == "letter-not-found")
        .map(|x| (x["code"].as_str().unwrap().to_string(), x["range"]["start"]["line"].as_u64().unwrap(), x["message"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        on_entries,
        vec![
            ("letter-not-found".to_string(), 3, "Letter file `letters/morgan.md` not found (paths are relative to the packet)".to_string()),
            ("missing-recommender".to_string(), 5, "Priya's letter (`letters/priya.md`) is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it".to_string()),
        ],
        "{d:?}"
    );
    let lens = s.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}));
    assert!(lens["result"][0]["command"]["title"].as_str().unwrap().ends_with("letter kinds 1/3 · sponsor's letter missing"), "{lens}");
    let h = s.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 15}}));
    let v = h["result"]["contents"]["value"].as_str().unwrap();
    assert!(v.contains("Sponsor's letter: missing (`letters/morgan.md` is not there)."), "{v}");
    // The letters get written; an edit re-analyses with the files as they are now.
    std::fs::write(dir.path().join("letters/priya.md"), "Jordan grew two tech leads on our team.\n").unwrap();
    std::fs::write(dir.path().join("letters/morgan.md"), "I sponsor Jordan.\n").unwrap();
    s.change(&uri, 2, json!([{"range": {"start": {"line": 8, "character": 10}, "end": {"line": 8, "character": 10}}, "text": "\n"}]));
    let d = s.diagnostics(&uri, 2);
    assert!(d.iter().all(|x| x["code"] != "letter-not-found" && x["range"]["start"]["line"] != 5), "{d:?}");
    let lens = s.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}}));
    assert!(lens["result"][0]["command"]["title"].as_str().unwrap().ends_with("sponsor's letter present"), "{lens}");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn pull_is_advertised_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    // VS Code and Neovim support pull; advertising it would show every diagnostic twice.
    let mut s = Lsp::start_in(dir.path());
    let r = s.initialize(caps(&["utf-16"]), json!({}));
    assert!(r["result"]["capabilities"].get("diagnosticProvider").is_none(), "{r}");
    assert_eq!(s.shutdown(), 0);
    let mut s = Lsp::start_in(dir.path());
    let r = s.initialize(caps(&["utf-16"]), json!({"pullDiagnostics": true}));
    assert_eq!(r["result"]["capabilities"]["diagnosticProvider"]["identifier"], "packet-ls");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn unknown_editor_rubric_is_warned_about_once_and_the_default_applies() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    s.initialize(caps(&["utf-16"]), json!({"debounceMs": 0, "rubric": "staff-em"}));
    let a = file_uri(&dir.path().join("a.packet.md"));
    let b = file_uri(&dir.path().join("b.packet.md"));
    s.open(&a, MINIMAL, 1);
    let m = s.wait_for(|m| m["method"] == "window/logMessage" && m["params"]["message"].as_str().unwrap().contains("packet-ls.rubric"));
    assert_eq!(m["params"]["type"], 2, "a warning: {m}");
    assert_eq!(
        m["params"]["message"],
        "packet-ls.rubric: \"staff-em\" is not a built-in rubric and no packet.toml defines it, so the built-in \"senior-em\" rubric is used"
    );
    // Checked with senior-em: the same sections are missing as without the setting.
    let d = s.diagnostics(&a, 1);
    assert_eq!(d.iter().filter(|x| x["code"] == "missing-section").count(), 8);
    // A second document under the same (absent) packet.toml: no second warning.
    s.open(&b, MINIMAL, 1);
    // An analysis logs its warnings before it publishes: with b's diagnostics
    // in, any warning of b's analysis has arrived.
    s.diagnostics(&b, 1);
    barrier(&mut s, &b);
    let again = s.backlog.iter().filter(|m| m["params"]["message"].as_str().is_some_and(|t| t.contains("packet-ls.rubric"))).count();
    assert_eq!(again, 0, "warned once only");
    assert_eq!(s.shutdown(), 0);
}

/// Bold labels of an initiative over LSP: the diagnostic says which were
/// found, its preferred quick fix turns them into H3 headings (CRLF kept,
/// UTF-16 positions after emoji) and inserts only the subsection no label
/// names; the fix-all source action does the same.
#[test]
fn bold_labels_become_headings_through_the_quick_fix() {
    let (mut s, dir) = start(&["utf-16"]);
    let uri = file_uri(&dir.path().join("labels.packet.md"));
    let text = "---\r\npacket: senior-em\r\n---\r\n\r\n# Selected Projects and Initiatives\r\n\r\n## 🚀 Ledger\r\n\r\n**Overview:** We moved 😀 payments.\r\n\r\n**Impact:** Breaks fell by 92%.\r\n";
    s.open(&uri, text, 1);
    let d = s.diagnostics(&uri, 1);
    let diag = d.iter().find(|x| x["code"] == "initiative-missing-subsection").unwrap().clone();
    assert_eq!(
        diag["message"],
        "Initiative \"🚀 Ledger\" is missing \"Overview\", \"Roles and Responsibilities\", \"Results and Impact\"; 0 of 3 subsections present; found bold labels **Overview**, **Impact**: make them H3 headings"
    );
    assert_eq!(diag["range"], json!({"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 12}}));
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    let actions = r["result"].as_array().unwrap();
    let qf = actions.iter().find(|a| a["kind"] == "quickfix" && a["diagnostics"][0]["code"] == "initiative-missing-subsection").unwrap();
    assert_eq!(qf["title"], "Turn **Overview**, **Impact** into headings in \"🚀 Ledger\"");
    assert_eq!(qf["isPreferred"], true);
    let want = "---\r\npacket: senior-em\r\n---\r\n\r\n# Selected Projects and Initiatives\r\n\r\n## 🚀 Ledger\r\n\r\n### Overview\r\n\r\nWe moved 😀 payments.\r\n\r\n### Roles and Responsibilities\r\n\r\n<!-- Your specific role and contribution, especially where several people worked on it: say what *you* did. -->\r\n\r\n### Impact\r\n\r\nBreaks fell by 92%.\r\n";
    assert_eq!(apply_workspace_edit(text, &qf["edit"], "utf-16"), want, "{:#}", qf["edit"]);
    let all = actions.iter().find(|a| a["kind"] == "source.fixAll.packet-ls").unwrap();
    let fixed_all = apply_workspace_edit(text, &all["edit"], "utf-16");
    assert!(fixed_all.contains("## 🚀 Ledger\r\n\r\n### Overview\r\n\r\nWe moved 😀 payments.\r\n\r\n### Roles and Responsibilities\r\n"), "{fixed_all}");
    assert!(fixed_all.contains("### Impact\r\n\r\nBreaks fell by 92%.\r\n"), "{fixed_all}");
    assert_eq!(s.shutdown(), 0);
}
