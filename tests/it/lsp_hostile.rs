//! Hostile clients, end to end over stdio with the built binary: each bad
//! message is refused or answered with an error and logged, the server keeps
//! answering, and its text equals the client's.


use crate::lsp::{file_uri, Lsp};
use serde_json::json;

fn start() -> (Lsp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    s.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}), json!({"debounceMs": 0}));
    (s, dir)
}

fn server_text(s: &mut Lsp, uri: &str) -> (i64, String) {
    let r = s.request("packet-ls/documentText", json!({"uri": uri}));
    (r["result"]["version"].as_i64().unwrap(), r["result"]["text"].as_str().unwrap().to_string())
}

fn alive(s: &mut Lsp) {
    let r = s.request("textDocument/hover", json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}));
    assert!(r.get("error").is_none(), "{r}");
}

fn logged(s: &mut Lsp, needle: &str) -> String {
    let m = s.wait_for(|m| m["method"] == "window/logMessage" && m["params"]["message"].as_str().is_some_and(|t| t.contains(needle)));
    m["params"]["message"].as_str().unwrap().to_string()
}

#[test]
fn requests_before_initialize_get_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    let r = s.request("textDocument/hover", json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    s.initialize(json!({}), json!({}));
    alive(&mut s);
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn malformed_frames_are_refused_and_logged() {
    let (mut s, _d) = start();
    s.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    assert!(logged(&mut s, "input refused").contains("malformed JSON"));
    alive(&mut s);
    // A body longer than its Content-Length: the tail is skipped as junk before the next header.
    let body = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}EXTRA"#;
    s.send_raw(format!("Content-Length: {}\r\n\r\n", body.len() - 5).as_bytes());
    s.send_raw(body);
    // The junk is only known to be junk when the next header arrives.
    alive(&mut s);
    logged(&mut s, "skipped 5 bytes");
    // A body shorter than its Content-Length swallows the next header; the server resynchronises.
    let short = br#"{"jsonrpc":"2.0","method":"x"}"#;
    s.send_raw(format!("Content-Length: {}\r\n\r\n", short.len() + 40).as_bytes());
    s.send_raw(short);
    alive(&mut s);
    // Not JSON-RPC at all, a header without a length, an unknown method.
    s.send(&json!([1, 2, 3]));
    logged(&mut s, "must be a JSON object");
    s.send_raw(b"Content-Type: text/plain\r\n\r\n");
    logged(&mut s, "without a valid Content-Length");
    let r = s.request("packet-ls/noSuchMethod", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    s.notify("$/noSuchNotification", json!({}));
    alive(&mut s);
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn unopened_documents_out_of_range_ranges_and_backward_versions() {
    let (mut s, dir) = start();
    let uri = file_uri(&dir.path().join("h.packet.md"));
    s.change(&uri, 1, json!([{"text": "x"}]));
    logged(&mut s, "not open");
    let text = "# Overview\r\n\r\nI 😀 lead.\r\n";
    s.open(&uri, text, 1);
    s.diagnostics(&uri, 1);
    // Past the end of a line and of the document: clamped and logged.
    s.change(&uri, 2, json!([{"range": {"start": {"line": 2, "character": 40}, "end": {"line": 2, "character": 40}}, "text": "!"}]));
    logged(&mut s, "clamped");
    s.change(&uri, 3, json!([{"range": {"start": {"line": 50, "character": 0}, "end": {"line": 60, "character": 9}}, "text": "# Summary\r\n"}]));
    // The middle of the emoji's surrogate pair snaps to its start.
    s.change(&uri, 4, json!([{"range": {"start": {"line": 2, "character": 3}, "end": {"line": 2, "character": 3}}, "text": "+"}]));
    // Backwards: refused.
    s.change(&uri, 2, json!([{"text": "gone"}]));
    logged(&mut s, "not newer than 4");
    let (v, t) = server_text(&mut s, &uri);
    assert_eq!(v, 4);
    assert_eq!(t, "# Overview\r\n\r\nI +😀 lead.!\r\n# Summary\r\n");
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn a_flood_of_edits_without_waiting_keeps_the_text_exact() {
    let (mut s, dir) = start();
    let uri = file_uri(&dir.path().join("flood.packet.md"));
    let mut text = String::from("---\npacket: senior-em\n---\n\n# Overview\n\n");
    s.open(&uri, &text, 1);
    let mut version = 1;
    let alphabet: Vec<char> = "ab c😀中\né".chars().collect();
    for i in 0..10_000usize {
        version += 1;
        let c = alphabet[i % alphabet.len()];
        // Append at the end, computing the position in UTF-16 like a client.
        let line = text.matches('\n').count();
        let col = text.rsplit('\n').next().unwrap().encode_utf16().count();
        let pos = json!({"line": line, "character": col});
        s.change(&uri, version, json!([{"range": {"start": pos, "end": pos}, "text": c.to_string()}]));
        text.push(c);
    }
    let (v, t) = server_text(&mut s, &uri);
    assert_eq!(v, version);
    assert_eq!(t, text);
    // The last version is analysed and published.
    s.diagnostics(&uri, version);
    assert_eq!(s.shutdown(), 0);
}

#[test]
fn huge_and_deeply_nested_documents() {
    let (mut s, dir) = start();
    // 50 MB: over the default limit, so one "skipped" diagnostic.
    let uri = file_uri(&dir.path().join("huge.packet.md"));
    let big = "# Overview\n\nSome words here.\n".repeat(50 * 1024 * 1024 / 28);
    s.open(&uri, &big, 1);
    let d = s.diagnostics(&uri, 1);
    assert_eq!(d.len(), 1);
    assert!(d[0]["message"].as_str().unwrap().contains("maxFileBytes"));
    s.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
    // 10,000 nested block quotes and list levels are analysed without a crash.
    let quotes = file_uri(&dir.path().join("quotes.packet.md"));
    s.open(&quotes, &format!("# Overview\n\n{}deep\n", "> ".repeat(10_000)), 1);
    s.diagnostics(&quotes, 1);
    let lists = file_uri(&dir.path().join("lists.packet.md"));
    let nested: String = (0..10_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect();
    s.open(&lists, &format!("# Mentoring and Coaching\n\n{nested}"), 1);
    s.diagnostics(&lists, 1);
    alive(&mut s);
    assert_eq!(s.shutdown(), 0);
}
