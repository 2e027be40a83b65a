//! The server against the hostile inputs of issue 12, end to end over stdio:
//! absurd configured numbers, forged code-action payloads, inverted ranges.

#[path = "support/lsp.rs"]
mod lsp;

use lsp::{file_uri, Lsp};
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
