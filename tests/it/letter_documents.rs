//! Letter files in the editor, over real files and real LSP traffic with the
//! built binary: the "Create letter file" code action (resource operations
//! advertised and not), a letter opened in the editor analysed as a letter,
//! and the packet checked again when a letter changes on disk.


use std::fs;
use std::path::Path;
use std::process::Command;

use crate::lsp::{file_uri, Lsp};
use serde_json::{json, Value};

const PACKET: &str = "---
packet: senior-em
candidate: Jordan Rivera
sponsor: { name: Morgan Lee, relation: direct-manager, role: director, file: letters/morgan.md }
letters:
  - { name: Priya Natarajan, role: staff-engineer, relation: same-team }
  - name: Wei Chen
    role: engineer
    relation: other-team
---
# Overview
";

/// The letter file `init --letter "Priya Natarajan"` and the Create letter file
/// action both write for the test packet (one template: `letter_template`).
pub(crate) const PRIYA_LETTER: &str = "---
writer: Priya Natarajan
role: staff-engineer
relation: same-team
candidate: Jordan Rivera
---
# Recommendation for Jordan Rivera

<!-- Your relationship: your role, how you work with Jordan Rivera (same team, another team, another org) and for how long. -->

<!-- Examples: two or three concrete things Jordan Rivera did that you saw yourself — what they did, how, and the result (figures help). -->

<!-- Cross-functional work: how Jordan Rivera works with product, program, design or other partners outside engineering. -->

<!-- Your recommendation: why Jordan Rivera is ready for Senior Engineering Manager, in a sentence or two. -->
";

fn ws() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("packet.toml"), "").unwrap();
    fs::write(tmp.path().join("jordan.packet.md"), PACKET).unwrap();
    tmp
}

fn start(dir: &Path, workspace_edit: Value) -> Lsp {
    let mut s = Lsp::start_in(dir);
    let caps = json!({
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}, "codeAction": {}},
        "workspace": {"workspaceEdit": workspace_edit, "didChangeWatchedFiles": {"dynamicRegistration": true}}
    });
    let init = s.initialize(caps, json!({"debounceMs": 0}));
    assert!(init.get("error").is_none(), "{init}");
    s
}

fn at(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn actions(s: &mut Lsp, uri: &str, line: u32, diagnostics: Value) -> Vec<Value> {
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": at(line, 4), "end": at(line, 4)}, "context": {"diagnostics": diagnostics}}),
    );
    r["result"].as_array().cloned().unwrap_or_default()
}

fn titled(actions: &[Value], title: &str) -> Value {
    actions
        .iter()
        .find(|a| a["title"] == title)
        .cloned()
        .unwrap_or_else(|| panic!("no action {title:?} in {:#?}", actions.iter().map(|a| &a["title"]).collect::<Vec<_>>()))
}

/// The edits of one document in a `documentChanges` list, applied to `text`.
fn apply_doc(text: &str, op: &Value) -> String {
    crate::lsp::apply_workspace_edit(text, &json!({"documentChanges": [op]}), "utf-16")
}

#[test]
fn with_resource_operations_one_edit_creates_the_file_fills_it_and_adds_the_key() {
    let tmp = ws();
    let packet = tmp.path().join("jordan.packet.md");
    let uri = file_uri(&packet);
    let mut s = start(tmp.path(), json!({"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]}));
    s.open(&uri, PACKET, 1);
    let published = s.diagnostics(&uri, 1);
    assert!(published.iter().any(|d| d["code"] == "letter-not-found"));
    let letter = tmp.path().join("letters/priya-natarajan.md");
    let letter_uri = file_uri(&letter);
    let a = titled(&actions(&mut s, &uri, 5, json!([])), "Create letter file letters/priya-natarajan.md");
    assert_eq!(a["kind"], "quickfix");
    assert_eq!(
        a["edit"],
        json!({"documentChanges": [
            {"kind": "create", "uri": letter_uri, "options": {"overwrite": false, "ignoreIfExists": false}},
            {"textDocument": {"uri": letter_uri, "version": null},
             "edits": [{"range": {"start": at(0, 0), "end": at(0, 0)}, "newText": PRIYA_LETTER}]},
            {"textDocument": {"uri": uri, "version": 1},
             "edits": [{"range": {"start": at(5, 70), "end": at(5, 70)}, "newText": ", file: letters/priya-natarajan.md"}]},
        ]})
    );
    // Applied as a client would: the new file, then the packet.
    let ops = a["edit"]["documentChanges"].as_array().unwrap();
    let created = apply_doc("", &ops[1]);
    assert_eq!(created, PRIYA_LETTER);
    let new_packet = apply_doc(PACKET, &ops[2]);
    assert_eq!(new_packet, PACKET.replace("relation: same-team }", "relation: same-team, file: letters/priya-natarajan.md }"));
    // The same bytes as `packet-ls init --letter` from the shell (one template).
    let shell = ws();
    let o = Command::new(env!("CARGO_BIN_EXE_packet-ls")).current_dir(shell.path()).args(["init", "--letter", "Priya Natarajan"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(fs::read_to_string(shell.path().join("letters/priya-natarajan.md")).unwrap(), created);
    assert_eq!(fs::read_to_string(shell.path().join("jordan.packet.md")).unwrap(), new_packet);

    // A block entry gets a line of its own; the sponsor's missing file only the file.
    let a = titled(&actions(&mut s, &uri, 6, json!([])), "Create letter file letters/wei-chen.md");
    let ops = a["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops.len(), 3);
    assert_eq!(ops[2]["edits"][0]["newText"], "\n    file: letters/wei-chen.md");
    assert_eq!(ops[2]["edits"][0]["range"]["start"], at(8, 24));
    assert!(ops[1]["edits"][0]["newText"].as_str().unwrap().starts_with("---\nwriter: Wei Chen\nrole: engineer\nrelation: other-team\ncandidate: Jordan Rivera\n---\n"));
    // The sponsor's `letter-not-found`, sent back with the request, is the one the action fixes.
    let pulled = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}}));
    let lnf: Vec<Value> = pulled["result"]["items"].as_array().unwrap().iter().filter(|d| d["code"] == "letter-not-found").cloned().collect();
    assert_eq!(lnf.len(), 1, "{pulled:#}");
    let a = titled(&actions(&mut s, &uri, 3, json!(lnf)), "Create letter file letters/morgan.md");
    assert_eq!(a["isPreferred"], true);
    assert_eq!(a["diagnostics"], json!(lnf));
    let ops = a["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops.len(), 2, "the packet already names the file: {ops:#?}");
    assert_eq!(ops[0]["uri"], file_uri(&tmp.path().join("letters/morgan.md")));
    assert!(ops[1]["edits"][0]["newText"].as_str().unwrap().contains("# Sponsor's recommendation for Jordan Rivera\n"));
    // Applying it: the file exists, the entry has its file; no action any more.
    fs::create_dir_all(tmp.path().join("letters")).unwrap();
    fs::write(&letter, &created).unwrap();
    s.change(&uri, 2, json!([{"text": new_packet}]));
    let d = s.diagnostics(&uri, 2);
    assert!(
        d.iter().any(|x| x["message"] == "Priya Natarajan's letter (`letters/priya-natarajan.md`) is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it"),
        "{d:#?}"
    );
    assert!(actions(&mut s, &uri, 5, json!([])).iter().all(|a| !a["title"].as_str().unwrap().contains("priya")));
    assert!(!tmp.path().join("letters/morgan.md").exists(), "the server itself creates nothing");
}

#[test]
fn without_resource_operations_only_the_key_and_a_message() {
    let tmp = ws();
    let packet = tmp.path().join("jordan.packet.md");
    let uri = file_uri(&packet);
    let mut s = start(tmp.path(), json!({"documentChanges": true}));
    s.open(&uri, PACKET, 1);
    s.diagnostics(&uri, 1);
    let title = "Add `file: letters/priya-natarajan.md` (then create the file: `packet-ls init --letter \"Priya Natarajan\"`)";
    let notice = "Added `file: letters/priya-natarajan.md` to the entry of Priya Natarajan; this editor cannot create files from the server: create letters/priya-natarajan.md with `packet-ls init --letter \"Priya Natarajan\"` (it writes the letter template).";
    let a = titled(&actions(&mut s, &uri, 5, json!([])), title);
    assert_eq!(
        a,
        json!({
            "title": title,
            "kind": "quickfix",
            "edit": {"documentChanges": [{"textDocument": {"uri": uri, "version": 1},
                "edits": [{"range": {"start": at(5, 70), "end": at(5, 70)}, "newText": ", file: letters/priya-natarajan.md"}]}]},
            "command": {"title": notice, "command": "packet-ls.letterNotice", "arguments": [notice]},
        })
    );
    // The client runs the command after applying the edit: the server shows the message.
    let r = s.request("workspace/executeCommand", json!({"command": "packet-ls.letterNotice", "arguments": [notice]}));
    assert!(r.get("error").is_none(), "{r}");
    let m = s.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(m["params"], json!({"type": 3, "message": notice}));
    // The sponsor's file is named but missing: nothing to edit, only the message.
    let init = "packet-ls init --letter \"Morgan Lee\"";
    let a = titled(&actions(&mut s, &uri, 3, json!([])), &format!("Create letter file letters/morgan.md: run `{init}`"));
    assert!(a.get("edit").is_none(), "{a:#}");
    assert_eq!(
        a["command"]["arguments"][0],
        format!("letters/morgan.md does not exist and this editor cannot create files from the server: create it with `{init}` (it writes the letter template).")
    );
    assert!(!tmp.path().join("letters").exists());

    // A client without documentChanges gets `changes`.
    let mut s = start(tmp.path(), json!({}));
    s.open(&uri, PACKET, 1);
    s.diagnostics(&uri, 1);
    let a = titled(&actions(&mut s, &uri, 5, json!([])), title);
    assert_eq!(
        a["edit"],
        json!({"changes": {uri.clone(): [{"range": {"start": at(5, 70), "end": at(5, 70)}, "newText": ", file: letters/priya-natarajan.md"}]}})
    );
    // Not on other lines of the front matter.
    assert!(actions(&mut s, &uri, 1, json!([])).iter().all(|a| !a["title"].as_str().unwrap().contains("letter")));
}

/// A CRLF letter with emoji, named by the packet on disk: its own
/// diagnostics, with UTF-16 ranges; an unnamed Markdown file gets none.
#[test]
fn a_letter_opened_in_the_editor_is_analysed_as_a_letter() {
    let tmp = ws();
    fs::create_dir_all(tmp.path().join("letters")).unwrap();
    let packet = PACKET.replace("relation: same-team }", "relation: same-team, file: letters/priya.md }");
    fs::write(tmp.path().join("jordan.packet.md"), &packet).unwrap();
    let text = "---\r\nwriter: Priya Natarajan\r\n---\r\n# 🎉 Letter for <Name>\r\n\r\nI worked with Sam 😀 on TODO things.\r\n<!-- Examples: two or three -->\r\n";
    let letter = tmp.path().join("letters/priya.md");
    fs::write(&letter, text).unwrap();
    let mut s = start(tmp.path(), json!({"documentChanges": true}));
    let luri = file_uri(&letter);
    s.open(&luri, text, 1);
    let d = s.diagnostics(&luri, 1);
    let got: Vec<Value> = d.iter().map(|x| json!({"code": x["code"], "severity": x["severity"], "range": x["range"], "message": x["message"]})).collect();
    assert_eq!(
        got,
        [
            json!({"code": "missing-recommender", "severity": 2, "range": {"start": at(3, 0), "end": at(3, 22)},
                   "message": "This letter never names the candidate (\"Jordan Rivera\" or \"Jordan\"): is it the letter for this packet?"}),
            json!({"code": "placeholder", "severity": 2, "range": {"start": at(3, 16), "end": at(3, 22)},
                   "message": "Unfilled placeholder \"<Name>\": replace it with your own text"}),
            json!({"code": "placeholder", "severity": 2, "range": {"start": at(5, 24), "end": at(5, 28)},
                   "message": "Unfilled placeholder \"TODO\": replace it with your own text"}),
            json!({"code": "placeholder", "severity": 2, "range": {"start": at(6, 0), "end": at(6, 31)},
                   "message": "Prompt left from the letter template (\"Examples: …\"): write what it asks for, then delete the comment"}),
        ]
    );
    // Typing the candidate's first name clears that one; the rest stays.
    s.change(&luri, 2, json!([{"range": {"start": at(5, 14), "end": at(5, 17)}, "text": "Jordan"}]));
    let d = s.diagnostics(&luri, 2);
    assert_eq!(d.iter().map(|x| x["code"].as_str().unwrap()).collect::<Vec<_>>(), ["placeholder", "placeholder", "placeholder"]);
    // Emptied: one diagnostic, on the title.
    s.change(&luri, 3, json!([{"text": "---\r\nwriter: Priya Natarajan\r\n---\r\n# Letter\r\n\r\n<!-- Examples: x -->\r\n"}]));
    let d = s.diagnostics(&luri, 3);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["range"], json!({"start": at(3, 0), "end": at(3, 8)}));
    assert_eq!(d[0]["message"], "This letter is empty or holds only placeholders and prompt comments: write the letter (its prompt comments say what goes in it)");
    // A Markdown file no packet names: nothing (pulled, since nothing is published).
    let stray = tmp.path().join("letters/notes.md");
    fs::write(&stray, "TODO <Name>\n").unwrap();
    s.open(&file_uri(&stray), "TODO <Name>\n", 1);
    let r = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": file_uri(&stray)}}));
    assert_eq!(r["result"]["items"], json!([]), "{r}");
    // Not a packet either: no packet diagnostics on the letter.
    assert!(s.published_versions(&luri).len() <= 3);
}

#[test]
fn the_packet_is_checked_again_when_its_letter_changes_on_disk() {
    let tmp = ws();
    fs::create_dir_all(tmp.path().join("letters")).unwrap();
    let packet = PACKET.replace("relation: same-team }", "relation: same-team, file: letters/priya.md }");
    fs::write(tmp.path().join("jordan.packet.md"), &packet).unwrap();
    let letter = tmp.path().join("letters/priya.md");
    fs::write(&letter, PRIYA_LETTER).unwrap();
    let mut s = start(tmp.path(), json!({"documentChanges": true}));
    let reg = s.wait_for(|m| m["method"] == "client/registerCapability");
    let watchers = &reg["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert_eq!(watchers, &json!([{"globPattern": "**/packet.toml"}, {"globPattern": "**/*.md"}]));
    let uri = file_uri(&tmp.path().join("jordan.packet.md"));
    let empty = "Priya Natarajan's letter (`letters/priya.md`) is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it";
    let other = "Priya Natarajan's letter (`letters/priya.md`) never names the candidate (\"Jordan Rivera\" or \"Jordan\"): is it the letter for this packet?";
    let has = |d: &[Value], m: &str| d.iter().any(|x| x["message"] == m);
    s.open(&uri, &packet, 1);
    let d = s.diagnostics(&uri, 1);
    assert!(has(&d, empty), "{d:#?}");
    // Written on disk, announced by the watcher: re-checked without an edit.
    fs::write(&letter, "I have worked with Sam for three years and recommend Sam.\n").unwrap();
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": file_uri(&letter), "type": 2}]}));
    let m = s.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    assert_eq!(m["params"]["version"], 1);
    let d = m["params"]["diagnostics"].as_array().unwrap();
    assert!(!has(d, empty) && has(d, other), "{d:#?}");
    // The letter open in the editor and saved: re-checked too.
    let fixed = "I have worked with Jordan for three years and recommend Jordan.\n";
    let luri = file_uri(&letter);
    s.open(&luri, fixed, 1);
    fs::write(&letter, fixed).unwrap();
    s.notify("textDocument/didSave", json!({"textDocument": {"uri": luri}}));
    let m = s.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
    let d = m["params"]["diagnostics"].as_array().unwrap();
    assert!(!has(d, empty) && !has(d, other), "{d:#?}");
    // Deleted: `letter-not-found` on the entry.
    fs::remove_file(&letter).unwrap();
    s.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": luri, "type": 3}]}));
    let m = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && m["params"]["diagnostics"].as_array().unwrap().iter().any(|x| x["code"] == "letter-not-found")
    });
    assert_eq!(m["params"]["version"], 1);
}

/// An open letter follows its open packet: when the packet's candidate
/// changes, or an entry naming an open file is added or removed, the letter
/// is checked again without a keystroke in it.
#[test]
fn an_open_letter_is_checked_again_when_its_packet_changes() {
    let tmp = ws();
    fs::create_dir_all(tmp.path().join("letters")).unwrap();
    let packet = PACKET.replace("relation: same-team }", "relation: same-team, file: letters/priya.md }");
    let puri = file_uri(&tmp.path().join("jordan.packet.md"));
    let priya = tmp.path().join("letters/priya.md");
    let letter = "# Letter\n\nJordan grew two tech leads on our team.\n";
    fs::write(&priya, letter).unwrap();
    let other = tmp.path().join("letters/x.md");
    fs::write(&other, "# Letter\n\nTODO\n").unwrap();
    let mut s = start(tmp.path(), json!({"documentChanges": true}));
    s.open(&puri, &packet, 1);
    s.diagnostics(&puri, 1);
    let (luri, xuri) = (file_uri(&priya), file_uri(&other));
    s.open(&luri, letter, 1);
    s.open(&xuri, "# Letter\n\nTODO\n", 1);
    // The letter names Jordan: nothing to say (nothing published); x.md is no packet's letter.
    for u in [&luri, &xuri] {
        let r = s.request("textDocument/diagnostic", json!({"textDocument": {"uri": u}}));
        assert_eq!(r["result"]["items"], json!([]), "{u}: {r}");
    }

    // The candidate changes in the packet: the open letter no longer names them.
    let line = packet.lines().position(|l| l.starts_with("candidate:")).unwrap() as u32;
    s.change(&puri, 2, json!([{"range": {"start": at(line, 11), "end": at(line, 24)}, "text": "Zed Person"}]));
    let d = crate::lsp::wait_publish(&mut s, &luri, |d| !d.is_empty());
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0]["code"], "missing-recommender");
    assert_eq!(d[0]["message"], "This letter never names the candidate (\"Zed Person\" or \"Zed\"): is it the letter for this packet?");

    // An entry naming the open x.md is added: x.md is checked as a letter.
    let entry_line = packet.lines().position(|l| l.contains("name: Wei Chen")).unwrap() as u32;
    s.change(&puri, 3, json!([{"range": {"start": at(entry_line, 0), "end": at(entry_line, 0)}, "text": "  - { name: Xi Lo, role: staff-engineer, relation: same-team, file: letters/x.md }\n"}]));
    let d = crate::lsp::wait_publish(&mut s, &xuri, |d| !d.is_empty());
    assert!(d.iter().any(|x| x["code"] == "placeholder" && x["message"] == "Unfilled placeholder \"TODO\": replace it with your own text"), "{d:#?}");
    // ...and removed again: x.md is no letter any more, its diagnostics are cleared.
    s.change(&puri, 4, json!([{"range": {"start": at(entry_line, 0), "end": at(entry_line + 1, 0)}, "text": ""}]));
    crate::lsp::wait_publish(&mut s, &xuri, |d| d.is_empty());
    assert_eq!(s.shutdown(), 0);
}
