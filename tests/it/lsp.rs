//! A small JSON-RPC client that drives the built `packet-ls` binary over stdio.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Lsp {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Messages from the server that were not yet consumed.
    pub backlog: Vec<Value>,
    /// What to answer `workspace/configuration` with (one item per requested section).
    pub config_reply: Value,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

impl Lsp {
    pub fn start() -> Lsp {
        Lsp::start_in(std::env::temp_dir())
    }

    pub fn start_in(dir: impl AsRef<std::path::Path>) -> Lsp {
        Lsp::start_with_args(dir, &[])
    }

    /// Starts the binary with command-line arguments (e.g. `["--stdio"]`).
    pub fn start_with_args(dir: impl AsRef<std::path::Path>, args: &[&str]) -> Lsp {
        let mut child = Command::new(env!("CARGO_BIN_EXE_packet-ls"))
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("PACKET_LS_TEST_STDERR").is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .expect("start packet-ls");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Lsp { child, stdin, rx, next_id: 1, backlog: Vec::new(), config_reply: json!([null]) }
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).unwrap();
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend(body);
        self.send_raw(&out);
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (answering server requests with null).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let m = self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none());
        m
    }

    fn recv(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(m) => {
                // Answer requests from the server (registerCapability, configuration).
                if m.get("id").is_some() && m.get("method").is_some() {
                    let result = if m["method"] == "workspace/configuration" { self.config_reply.clone() } else { Value::Null };
                    self.send(&json!({"jsonrpc": "2.0", "id": m["id"], "result": result}));
                }
                m
            }
            Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for the server; backlog: {:#?}", self.backlog),
            Err(RecvTimeoutError::Disconnected) => panic!("server closed its output; backlog: {:#?}", self.backlog),
        }
    }

    /// Waits for a message matching `pred` (from the backlog first).
    pub fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let m = self.recv(deadline);
            if pred(&m) {
                return m;
            }
            self.backlog.push(m);
        }
    }

    /// Waits for the diagnostics of `uri` at `version`, skipping earlier ones.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == json!(version)
        });
        m["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Every publishDiagnostics seen so far (backlog), in order.
    pub fn published_versions(&self, uri: &str) -> Vec<i64> {
        self.backlog
            .iter()
            .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
            .filter_map(|m| m["params"]["version"].as_i64())
            .collect()
    }

    /// Collects messages for `d` without failing when none arrive.
    pub fn drain(&mut self, d: Duration) {
        let deadline = Instant::now() + d;
        while let Ok(m) = self.rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            self.backlog.push(m);
        }
    }

    pub fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn open(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// `shutdown` then `exit`; returns the exit status (panics after the timeout).
    pub fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    pub fn wait_exit(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s.code().unwrap_or(-1);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Lsp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a diagnostics list holds one of rule `code`.
pub fn has_code(diags: &[Value], code: &str) -> bool {
    diags.iter().any(|d| d["code"] == code)
}

/// Waits for a publish of `uri` whose diagnostics satisfy `pred`.
pub fn wait_publish(s: &mut Lsp, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let m = s.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && pred(m["params"]["diagnostics"].as_array().map(Vec::as_slice).unwrap_or(&[]))
    });
    m["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
}


/// Converts an LSP position to a byte offset with the given encoding ("utf-8", "utf-16", "utf-32").
pub fn offset(text: &str, line: u64, character: u64, enc: &str) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0u64;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' || c == '\r' {
            return start + i;
        }
        units += match enc {
            "utf-8" => c.len_utf8() as u64,
            "utf-32" => 1,
            _ => c.len_utf16() as u64,
        };
    }
    text.len()
}

/// Converts a byte offset to an LSP position (line breaks `\n`, `\r\n`, `\r`),
/// counting columns in the given encoding. Independent of the crate's LineIndex.
pub fn position(text: &str, offset: usize, enc: &str) -> Value {
    let mut line = 0u64;
    let mut col = 0u64;
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
            line += 1;
            col = 0;
        } else if c == '\r' {
            // The CR of a CRLF: the LF that follows ends the line.
        } else {
            col += match enc {
                "utf-8" => c.len_utf8() as u64,
                "utf-32" => 1,
                _ => c.len_utf16() as u64,
            };
        }
    }
    json!({"line": line, "character": col})
}

/// Applies LSP text edits (from `changes` or `documentChanges`) to `text`.
pub fn apply_workspace_edit(text: &str, edit: &Value, enc: &str) -> String {
    let edits: Vec<Value> = if let Some(dc) = edit.get("documentChanges").and_then(Value::as_array) {
        dc.iter().flat_map(|d| d["edits"].as_array().cloned().unwrap_or_default()).collect()
    } else {
        edit["changes"].as_object().map(|m| m.values().flat_map(|v| v.as_array().cloned().unwrap_or_default()).collect()).unwrap_or_default()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            let r = &e["range"];
            let s = offset(text, r["start"]["line"].as_u64().unwrap(), r["start"]["character"].as_u64().unwrap(), enc);
            let t = offset(text, r["end"]["line"].as_u64().unwrap(), r["end"]["character"].as_u64().unwrap(), enc);
            (s, t, e["newText"].as_str().unwrap().to_string())
        })
        .collect();
    // Apply from the end so earlier offsets stay valid; equal starts keep their order.
    let mut indexed: Vec<(usize, (usize, usize, String))> = spans.drain(..).enumerate().collect();
    indexed.sort_by_key(|(i, (start, _, _))| std::cmp::Reverse((*start, *i)));
    let mut out = text.to_string();
    for (_, (s, e, t)) in indexed {
        out.replace_range(s..e, &t);
    }
    out
}

pub fn file_uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}
