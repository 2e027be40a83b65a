//! Publishing without the protocol library's JSON tree. tower-lsp-server
//! turns every outgoing message's params into a `serde_json::Value` (a map
//! allocated per object, per diagnostic, per range and position) and then
//! writes that tree out; for the tens or hundreds of diagnostics of a long
//! packet that was a fifth of a keystroke's cost. A publish is written here
//! straight from its parts instead ([`Outbox::put`]), and the library sends
//! only a small ticket notification ([`Ticket`]) in its place; the writer in
//! front of stdout ([`Substituting`]) swaps each ticket for the message it
//! stands for. The ticket travels the library's own queue, so the publish
//! keeps its place among the other messages (a log message sent before it
//! is still written before it).

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};

use memchr::memmem;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWrite;

use super::framing;

/// The method of a ticket (never written out: it is replaced).
pub const TICKET: &str = "packet-ls/$outbox";

/// How many messages may wait for their ticket. A ticket the library drops
/// (it drops every notification before `initialized`) would leave its
/// message behind; the oldest beyond this are forgotten. Far more than can
/// be in flight: a publish is sent under `Shared::publish_gate`, so its
/// ticket is in the library's queue before the next publish is written, and
/// the library's writer holds at most a few kilobytes of tickets.
const WAITING: u64 = 256;

/// A ticket's params.
#[derive(Debug, Serialize, Deserialize)]
pub struct TicketParams {
    pub ticket: u64,
}

/// The ticket notification sent through the library.
pub enum Ticket {}

impl tower_lsp_server::ls_types::notification::Notification for Ticket {
    type Params = TicketParams;
    const METHOD: &'static str = TICKET;
}

/// The messages written ahead, by ticket.
#[derive(Debug, Default)]
pub struct Outbox {
    next: AtomicU64,
    waiting: Mutex<HashMap<u64, Vec<u8>>>,
}

#[derive(Serialize)]
struct Envelope<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: &'a P,
}

impl Outbox {
    /// Writes the notification `method(params)` ahead and returns the
    /// ticket to send in its place (`None`: it could not be serialised).
    pub fn put<P: Serialize>(&self, method: &str, params: &P) -> Option<TicketParams> {
        let body = serde_json::to_vec(&Envelope {
            jsonrpc: "2.0",
            method,
            params,
        })
        .ok()?;
        let ticket = self.next.fetch_add(1, Ordering::Relaxed);
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if ticket >= WAITING {
            waiting.retain(|&t, _| t > ticket - WAITING);
        }
        waiting.insert(ticket, body);
        Some(TicketParams { ticket })
    }

    fn take(&self, ticket: u64) -> Option<Vec<u8>> {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&ticket)
    }

    /// The message a framed body stands for: the one written ahead if the
    /// body is a ticket (`Some(None)` if that one is gone), else `None`.
    fn redeem(&self, body: &[u8]) -> Option<Option<Vec<u8>>> {
        // Tickets are short; most messages are not looked into at all.
        if body.len() > 160 || memmem::find(body, TICKET.as_bytes()).is_none() {
            return None;
        }
        #[derive(Deserialize)]
        struct Probe {
            method: String,
            params: TicketParams,
        }
        let probe: Probe = serde_json::from_slice(body).ok()?;
        (probe.method == TICKET).then(|| self.take(probe.params.ticket))
    }
}

/// Above this many bytes waiting for the output, writes wait for it.
const HIGH_WATER: usize = 1 << 20;

/// The writer in front of stdout: passes the library's framed messages
/// through, whole, and writes the message a ticket stands for in its place.
pub struct Substituting<W> {
    inner: W,
    outbox: Arc<Outbox>,
    /// Bytes from the library not yet a whole message.
    partial: Vec<u8>,
    /// Whole messages for `inner`, from `sent` on.
    out: Vec<u8>,
    sent: usize,
}

impl<W> Substituting<W> {
    pub fn new(inner: W, outbox: Arc<Outbox>) -> Self {
        Substituting {
            inner,
            outbox,
            partial: Vec::new(),
            out: Vec::new(),
            sent: 0,
        }
    }

    /// Moves the whole messages of `partial` to `out`, tickets redeemed.
    fn split(&mut self) {
        let mut at = 0;
        while let Some(body) = body_at(&self.partial[at..]) {
            let body = at + body.start..at + body.end;
            match self.outbox.redeem(&self.partial[body.clone()]) {
                None => self.out.extend_from_slice(&self.partial[at..body.end]),
                Some(Some(message)) => framing::frame_into(&mut self.out, &message),
                Some(None) => eprintln!("packet-ls: a publish waited too long for its turn and was dropped"),
            }
            at = body.end;
        }
        self.partial.drain(..at);
    }
}

/// Where the body of the first framed message of `buf` is, if it is whole
/// (the header read as the input guard reads it). A header block without a
/// valid `Content-Length` (the library writes none) passes through as it
/// is, as a message with an empty body.
fn body_at(buf: &[u8]) -> Option<std::ops::Range<usize>> {
    match framing::header(buf)? {
        (head, Some(n)) => (buf.len() >= head + n).then_some(head..head + n),
        (head, None) => Some(head..head),
    }
}

impl<W: AsyncWrite + Unpin> Substituting<W> {
    /// Writes what is waiting in `out` until it is all out or `inner` is busy.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.out.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.out[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.out.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Substituting<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.out.len() - this.sent >= HIGH_WATER {
            ready!(this.drain(cx))?;
        }
        // What was written is dropped from the front now and then (a writer
        // that always takes part of it would otherwise let `out` grow).
        if this.sent > 0 && this.sent >= this.out.len() / 2 {
            this.out.drain(..this.sent);
            this.sent = 0;
        }
        this.partial.extend_from_slice(buf);
        this.split();
        // Start writing; what `inner` does not take now goes on the flush.
        if let Poll::Ready(Err(e)) = this.drain(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        // A message cut off at the end goes out as it is.
        let rest = std::mem::take(&mut this.partial);
        this.out.extend_from_slice(&rest);
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn ticket(t: u64) -> String {
        format!(r#"{{"jsonrpc":"2.0","method":"{TICKET}","params":{{"ticket":{t}}}}}"#)
    }

    /// Writes `chunks` through a [`Substituting`] writer and returns what came out.
    async fn through(outbox: Arc<Outbox>, chunks: Vec<Vec<u8>>) -> String {
        let (a, mut b) = tokio::io::duplex(64);
        let writer = tokio::spawn(async move {
            let mut w = Substituting::new(a, outbox);
            for c in chunks {
                w.write_all(&c).await.unwrap();
                w.flush().await.unwrap();
            }
            w.shutdown().await.unwrap();
        });
        let mut out = String::new();
        b.read_to_string(&mut out).await.unwrap();
        writer.await.unwrap();
        out
    }

    #[tokio::test]
    async fn tickets_are_replaced_in_place_and_the_rest_passes_whole() {
        let outbox = Arc::new(Outbox::default());
        let log =
            r#"{"jsonrpc":"2.0","method":"window/logMessage","params":{"type":3,"message":"é"}}"#;
        let t = outbox
            .put(
                "textDocument/publishDiagnostics",
                &serde_json::json!({"uri": "file:///a.md", "diagnostics": []}),
            )
            .unwrap();
        let mut stream = framed(log);
        stream.extend(framed(&ticket(t.ticket)));
        stream.extend(framed(log));
        // Cut into pieces that split headers and bodies anywhere.
        let chunks: Vec<Vec<u8>> = stream.chunks(7).map(<[u8]>::to_vec).collect();
        let out = through(outbox.clone(), chunks).await;
        let publish = r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"diagnostics":[],"uri":"file:///a.md"}}"#;
        let want = [framed(log), framed(publish), framed(log)].concat();
        assert_eq!(out, String::from_utf8(want).unwrap());
        assert!(
            outbox.take(t.ticket).is_none(),
            "a redeemed message is gone"
        );
    }

    #[tokio::test]
    async fn a_ticket_whose_message_is_gone_writes_nothing() {
        let outbox = Arc::new(Outbox::default());
        let out = through(outbox, vec![framed(&ticket(7)), framed("{}")]).await;
        assert_eq!(out, "Content-Length: 2\r\n\r\n{}");
    }

    #[test]
    fn only_the_newest_messages_wait() {
        let outbox = Outbox::default();
        let tickets: Vec<u64> = (0..WAITING + 10)
            .map(|_| outbox.put("m", &1).unwrap().ticket)
            .collect();
        assert!(outbox.take(tickets[5]).is_none());
        assert_eq!(
            outbox.take(*tickets.last().unwrap()).as_deref(),
            Some(&br#"{"jsonrpc":"2.0","method":"m","params":1}"#[..])
        );
        assert_eq!(outbox.waiting.lock().unwrap().len(), WAITING as usize - 1);
    }

    #[test]
    fn a_message_that_only_mentions_the_method_passes() {
        let outbox = Outbox::default();
        let body = format!(
            r#"{{"jsonrpc":"2.0","method":"window/logMessage","params":{{"message":"{TICKET}"}}}}"#
        );
        assert!(outbox.redeem(body.as_bytes()).is_none());
    }
}
