//! A guard in front of the protocol library's reader. The framing codec under
//! tower-lsp stops reading for good after one undecodable message, which
//! would end the server on a single malformed message from a client. This
//! task reads stdin itself, forwards only well-formed messages, resynchronises
//! on the next `Content-Length` header after garbage, a wrong length or broken
//! JSON, and reports each problem as a `packet-ls/inputError` notification
//! (which the server logs) instead.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use memchr::memmem;
use serde::Deserialize as _;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub const INPUT_ERROR: &str = "packet-ls/inputError";

/// Largest message accepted (a 50 MB document plus its JSON escaping).
const MAX_MESSAGE: usize = 256 * 1024 * 1024;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 32);
    frame_into(&mut out, body);
    out
}

/// Appends `body` to `out` as one framed message.
pub(super) fn frame_into(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
}

fn error_message(text: String) -> Vec<u8> {
    let body = serde_json::json!({"jsonrpc": "2.0", "method": INPUT_ERROR, "params": {"message": text}});
    frame(&serde_json::to_vec(&body).unwrap_or_default())
}

/// The fields that tell what kind of message a body is; the rest is skipped
/// without building a tree (bodies can be 50 MB documents).
/// (A present key counts even when its value is `null`: `"result": null` is a
/// valid response.)
#[derive(serde::Deserialize)]
struct Probe {
    method: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present")]
    id: bool,
    #[serde(default, deserialize_with = "present")]
    result: bool,
    #[serde(default, deserialize_with = "present")]
    error: bool,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    serde::de::IgnoredAny::deserialize(d).map(|_| true)
}

/// The lifecycle messages that went through, so the process can exit with
/// the status the protocol asks for (1 after an `exit` without `shutdown`).
#[derive(Debug, Default)]
pub struct Lifecycle {
    pub shutdown: AtomicBool,
    pub exit: AtomicBool,
}

impl Lifecycle {
    fn note(&self, method: Option<&str>) {
        match method {
            Some("shutdown") => self.shutdown.store(true, Ordering::SeqCst),
            Some("exit") => self.exit.store(true, Ordering::SeqCst),
            _ => {}
        }
    }

    /// 1 when the client sent `exit` without a `shutdown` before it, else 0
    /// (including when the input simply ended).
    pub fn exit_status(&self) -> u8 {
        u8::from(self.exit.load(Ordering::SeqCst) && !self.shutdown.load(Ordering::SeqCst))
    }
}

/// Whether a JSON body is a message the protocol library can decode; its method if any.
fn well_formed(body: &[u8]) -> Result<Option<String>, String> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("a message must be a JSON object".into());
    }
    let p: Probe = serde_json::from_slice(body).map_err(|e| format!("malformed JSON: {e}"))?;
    match p.method {
        Some(serde_json::Value::String(m)) => Ok(Some(m)),
        Some(_) => Err("\"method\" must be a string".into()),
        None if p.id && (p.result || p.error) => Ok(None),
        None => Err("neither a request, a notification nor a response".into()),
    }
}

/// Where the next `Content-Length:` header starts (any case).
fn find_header(buf: &[u8]) -> Option<usize> {
    const NAME: &[u8] = b"content-length:";
    let candidates = memmem::find_iter(buf, b"ontent-").chain(memmem::find_iter(buf, b"ONTENT-"));
    candidates
        .filter(|&i| i > 0 && buf.len() >= i - 1 + NAME.len() && buf[i - 1..i - 1 + NAME.len()].eq_ignore_ascii_case(NAME))
        .map(|i| i - 1)
        .min()
}

/// The header block at the start of `buf`: its length and the value of its
/// `Content-Length` if valid; `None` when more input is needed. (The writer
/// in front of stdout reads the library's frames with it too.)
pub(super) fn header(buf: &[u8]) -> Option<(usize, Option<usize>)> {
    let end = memmem::find(buf, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&buf[..end]);
    let mut len = None;
    for line in head.split("\r\n") {
        if let Some((k, v)) = line.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                len = v.trim().parse::<usize>().ok();
            }
        }
    }
    Some((end + 4, len))
}

/// Parses the header block at the start of `buf`: `Some(Ok((header_len, body_len)))`,
/// `Some(Err(..))` for a broken header, `None` when more input is needed.
fn parse_header(buf: &[u8]) -> Option<Result<(usize, usize), String>> {
    let (head, len) = header(buf)?;
    Some(match len {
        Some(n) if n <= MAX_MESSAGE => Ok((head, n)),
        Some(n) => Err(format!("message of {n} bytes is over the {MAX_MESSAGE}-byte limit")),
        None => Err("header without a valid Content-Length".into()),
    })
}

/// Copies messages from `input` to `output` until the input ends.
pub async fn guard(mut input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin, seen: Arc<Lifecycle>) {
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 256 * 1024];
    let mut eof = false;
    // The header of the message being received, once parsed.
    let mut pending: Option<(usize, usize)> = None;
    loop {
        if pending.is_none() && !buf.is_empty() {
            // Skip anything before the next header.
            match find_header(&buf) {
                Some(0) => {}
                Some(i) => {
                    let junk = String::from_utf8_lossy(&buf[..i.min(80)]).into_owned();
                    let _ = output.write_all(&error_message(format!("skipped {i} bytes before a header: {junk:?}"))).await;
                    buf.drain(..i);
                }
                None if buf.len() > 64 && !eof => {
                    // Keep a tail that may hold the start of a header.
                    let keep = buf.len() - 16;
                    buf.drain(..keep);
                }
                None => {}
            }
            match parse_header(&buf) {
                Some(Err(e)) => {
                    let _ = output.write_all(&error_message(e)).await;
                    let skip = memmem::find(&buf, b"\r\n\r\n").map_or(buf.len(), |i| i + 4);
                    buf.drain(..skip);
                    continue;
                }
                Some(Ok(p)) => pending = Some(p),
                None => {}
            }
        }
        if let Some((head, len)) = pending {
            if buf.len() >= head + len {
                pending = None;
                let body = &buf[head..head + len];
                match well_formed(body) {
                    Ok(method) => {
                        seen.note(method.as_deref());
                        if output.write_all(&frame(body)).await.is_err() {
                            return;
                        }
                        buf.drain(..head + len);
                    }
                    Err(e) => {
                        // A wrong Content-Length swallows the next header: resume there.
                        let resume = find_header(&body[1.min(body.len())..]).map(|i| head + 1 + i);
                        let _ = output.write_all(&error_message(format!("{e}; message dropped"))).await;
                        buf.drain(..resume.unwrap_or(head + len));
                    }
                }
                let _ = output.flush().await;
                continue;
            }
        }
        if eof {
            if pending.is_some() {
                let _ = output.write_all(&error_message("input ended inside a message".into())).await;
            }
            let _ = output.flush().await;
            return;
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => eof = true,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn run(input: &[u8]) -> Vec<serde_json::Value> {
        let (mut w, r) = tokio::io::duplex(1 << 20);
        let mut out = Vec::new();
        let input = input.to_vec();
        let feeder = tokio::spawn(async move {
            w.write_all(&input).await.unwrap();
        });
        let mut sink = std::io::Cursor::new(&mut out);
        let (cw, mut cr) = tokio::io::duplex(1 << 20);
        let g = tokio::spawn(guard(r, cw, Arc::default()));
        feeder.await.unwrap();
        g.await.unwrap();
        let mut all = Vec::new();
        cr.read_to_end(&mut all).await.unwrap();
        std::io::Write::write_all(&mut sink, &all).unwrap();
        let mut msgs = Vec::new();
        let mut rest = &out[..];
        while let Some(Ok((head, len))) = parse_header(rest) {
            msgs.push(serde_json::from_slice(&rest[head..head + len]).unwrap());
            rest = &rest[head + len..];
        }
        msgs
    }

    #[tokio::test]
    async fn passes_good_messages_and_reports_bad_ones() {
        let good = br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
        let mut input = frame(good);
        input.extend(b"Content-Length: 9\r\n\r\n{not json");
        input.extend(b"garbage");
        // Declared longer than the body: the next header is swallowed, then recovered.
        input.extend(format!("Content-Length: {}\r\n\r\n", good.len() + 30).into_bytes());
        input.extend(good);
        input.extend(frame(br#"{"jsonrpc":"2.0","method":"y"}"#));
        input.extend(frame(br#"[1,2]"#));
        input.extend(frame(br#"{"jsonrpc":"2.0","id":2,"method":"z"}"#));
        input.extend(frame(br#"{"jsonrpc":"2.0","id":7,"result":null}"#));
        let msgs = run(&input).await;
        let methods: Vec<&str> = msgs.iter().filter_map(|m| m["method"].as_str()).collect();
        assert_eq!(methods.first(), Some(&"x"));
        assert!(methods.contains(&INPUT_ERROR));
        assert!(methods.contains(&"y"), "{methods:?}");
        assert!(methods.contains(&"z"), "{methods:?}");
        // A response whose result is null passes.
        assert_eq!(msgs.last().unwrap()["id"], 7);
        assert!(msgs.iter().any(|m| m["params"]["message"].as_str().is_some_and(|s| s.starts_with("malformed JSON"))));
    }
}
