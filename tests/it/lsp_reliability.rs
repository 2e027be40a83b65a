//! The server against the hostile inputs of issue 12, end to end over stdio:
//! absurd configured numbers, forged code-action payloads, inverted ranges.


use crate::lsp::{file_uri, Lsp};
use serde_json::json;

fn start(dir: &std::path::Path) -> Lsp {
    let mut s = Lsp::start_in(dir);
    s.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}), json!({"debounceMs": 0}));
    s
}

fn template() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/raw-template.md")).unwrap()
}

/// A `min-initiatives` of 2^32-1 used to abort the server (an allocation of
/// 100 GB) as soon as a packet of that folder opened.
#[test]
fn an_absurd_minimum_does_not_take_the_server_down() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("packet.toml"), "[rubric]\nmin-initiatives = 4294967295\n").unwrap();
    let path = dir.path().join("a.packet.md");
    std::fs::write(&path, template()).unwrap();
    let mut s = start(dir.path());
    let uri = file_uri(&path);
    s.open(&uri, &template(), 1);
    let diags = s.diagnostics(&uri, 1);
    let few = diags.iter().find(|d| d["code"] == "too-few-initiatives").expect("too-few-initiatives");
    assert!(few["message"].as_str().unwrap().contains("of 100"), "{few}");
    // Its quick fixes are bounded by the clamped count too.
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": few["range"], "context": {"diagnostics": [few]}}),
    );
    assert!(r.get("error").is_none(), "{r}");
    assert!(r.to_string().len() < 1_000_000);
    assert_eq!(s.shutdown(), 0);
}

fn server_text(s: &mut Lsp, uri: &str) -> (i64, String) {
    let r = s.request("packet-ls/documentText", json!({"uri": uri}));
    (r["result"]["version"].as_i64().unwrap(), r["result"]["text"].as_str().unwrap().to_string())
}

fn quick_fixes(s: &mut Lsp, uri: &str, d: &serde_json::Value) -> Vec<serde_json::Value> {
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d], "only": ["quickfix"]}}),
    );
    r["result"].as_array().cloned().unwrap_or_default()
}

const MISSING_SUMMARY: &str = "---\npacket: senior-em\n---\n# Overview\n\nText of mine.\n";

/// `codeAction` used to rebuild its edits from `Diagnostic.data`: a forged
/// payload got a preferred action replacing lines 0–99999 with the
/// attacker's text. Now `data` only selects one of the server's diagnostics.
#[test]
fn a_forged_code_action_payload_gets_no_edit_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.packet.md");
    let uri = file_uri(&path);
    let mut s = start(dir.path());
    s.open(&uri, MISSING_SUMMARY, 1);
    let diags = s.diagnostics(&uri, 1);
    let real = diags.iter().find(|d| d["code"] == "missing-section").expect("missing-section").clone();
    let genuine = quick_fixes(&mut s, &uri, &real);
    assert!(!genuine.is_empty(), "the genuine diagnostic keeps its quick fix");
    let evil_edit = json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 99999, "character": 0}}, "newText": "PWNED"}]);

    // 1. A made-up diagnostic with the old payload shape: nothing.
    let forged = json!({
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
        "severity": 1, "source": "packet-ls", "code": "missing-section", "message": "made up",
        "data": {"version": 1, "fixes": [{"title": "Fix", "preferred": true, "edits": evil_edit}]}
    });
    assert_eq!(quick_fixes(&mut s, &uri, &forged), Vec::<serde_json::Value>::new());

    // 2. The real diagnostic with the attacker's edits in the old payload shape:
    //    only the server's own fix, never the attacker's text.
    let mut d = real.clone();
    d["data"] = json!({"version": 1, "fixes": [{"title": "Fix", "preferred": true, "edits": evil_edit}]});
    let got = quick_fixes(&mut s, &uri, &d);
    assert!(!got.iter().any(|a| a["edit"].to_string().contains("PWNED")), "{got:#?}");
    assert_eq!(got.iter().map(|a| &a["edit"]).collect::<Vec<_>>(), genuine.iter().map(|a| &a["edit"]).collect::<Vec<_>>());

    // 3. The real diagnostic, its range changed by the client: the server's own edit, unchanged.
    let mut d = real.clone();
    d["range"] = json!({"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}});
    let got = quick_fixes(&mut s, &uri, &d);
    assert_eq!(got.iter().map(|a| &a["edit"]).collect::<Vec<_>>(), genuine.iter().map(|a| &a["edit"]).collect::<Vec<_>>());

    // 4. A payload selecting a range where the server has no such diagnostic: nothing.
    let mut d = real.clone();
    d["data"]["range"] = json!({"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 4}});
    assert_eq!(quick_fixes(&mut s, &uri, &d), Vec::<serde_json::Value>::new());
    // 5. Another source, or another code: nothing.
    let mut d = real.clone();
    d["source"] = json!("someone-else");
    assert_eq!(quick_fixes(&mut s, &uri, &d), Vec::<serde_json::Value>::new());
    let mut d = real.clone();
    d["code"] = json!("too-few-initiatives");
    assert_eq!(quick_fixes(&mut s, &uri, &d), Vec::<serde_json::Value>::new());

    // Every edit the server offered only inserts.
    for a in &genuine {
        let edits = &a["edit"]["documentChanges"][0]["edits"];
        let edits = if edits.is_array() { edits.clone() } else { a["edit"]["changes"][&uri].clone() };
        for e in edits.as_array().unwrap() {
            assert_eq!(e["range"]["start"], e["range"]["end"], "{e}");
        }
    }
    assert_eq!(server_text(&mut s, &uri).1, MISSING_SUMMARY);
    assert_eq!(s.shutdown(), 0);
}

/// A `didChange` whose range ends before it starts used to delete text
/// silently (the ends were swapped). It is refused and logged, and the
/// document waits for a full-text change.
#[test]
fn an_inverted_range_is_refused_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.packet.md");
    let uri = file_uri(&path);
    let mut s = start(dir.path());
    s.open(&uri, MISSING_SUMMARY, 1);
    s.diagnostics(&uri, 1);
    s.change(&uri, 2, json!([{"range": {"start": {"line": 5, "character": 4}, "end": {"line": 3, "character": 0}}, "text": ""}]));
    let m = s.wait_for(|m| {
        m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|t| t.contains("ends before it starts"))
    });
    assert!(m["params"]["message"].as_str().unwrap().contains("v2 refused"), "{m}");
    assert_eq!(server_text(&mut s, &uri), (1, MISSING_SUMMARY.to_string()));
    // Incremental changes wait for the full text…
    s.change(&uri, 3, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]));
    s.wait_for(|m| m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|t| t.contains("out of sync")));
    assert_eq!(server_text(&mut s, &uri), (1, MISSING_SUMMARY.to_string()));
    // …which brings the two together again.
    s.change(&uri, 4, json!([{"text": "# Overview\n"}]));
    s.diagnostics(&uri, 4);
    assert_eq!(server_text(&mut s, &uri), (4, "# Overview\n".to_string()));
    assert_eq!(s.shutdown(), 0);
}

/// A flood of changes at `debounceMs: 0` (issue 12: 200,000 edits grew the
/// server by 120 MB): one analysis task per document at a time, so the
/// newest version is still published, versions only go up, and far fewer
/// analyses are published than changes were sent. Memory under the flood,
/// with a client that reads and one that stops reading, is measured by
/// `scripts/edit_flood.py` (docs/performance.md).
#[test]
fn a_flood_of_changes_publishes_the_newest_version_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.packet.md");
    let mut s = start(dir.path());
    let uri = file_uri(&path);
    let text = template();
    s.open(&uri, &text, 1);
    s.diagnostics(&uri, 1);
    let n = 4000;
    for v in 2..=n + 1 {
        // Type an "x" at the start of line 3, then delete it, and so on.
        let change = if v % 2 == 0 {
            json!([{"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 0}}, "text": "x"}])
        } else {
            json!([{"range": {"start": {"line": 3, "character": 0}, "end": {"line": 3, "character": 1}}, "text": ""}])
        };
        s.change(&uri, v, change);
    }
    let last = s.diagnostics(&uri, n + 1);
    assert!(last.iter().any(|d| d["code"] == "too-few-initiatives"), "{last:?}");
    // (The publish `diagnostics` waited for is taken out of the backlog.)
    let mut seen = s.published_versions(&uri);
    seen.push(n + 1);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert!(seen.len() < n as usize / 2, "{} publishes for {n} changes", seen.len());
    assert_eq!(s.shutdown(), 0);
}
