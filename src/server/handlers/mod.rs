//! One file per kind of message. A handler takes what it needs from the
//! session (under its lock, never across an `await`), asks for the
//! document's analysis ([`super::session::Shared::analysis`], kept per
//! version), calls the library and converts through [`super::convert`].

pub mod code_action;
pub mod code_lens;
pub mod commands;
pub mod completion;
pub mod configuration;
pub mod document_link;
pub mod documents;
pub mod hover;
pub mod lifecycle;
pub mod outline;
pub mod publish;

use std::sync::Arc;

use tower_lsp_server::ls_types::{MessageType, Uri};
use tower_lsp_server::Client;

use super::analysis::{Computed, Inputs};
use super::convert::Positions;
use super::Backend;
use crate::analysis::Analysis;

pub const FIX_ALL_KIND: &str = "source.fixAll.packet-ls";
pub const SCAFFOLD_KIND: &str = "source.scaffold.packet-ls";
pub const SHOW_READINESS: &str = "packet-ls.showReadiness";

/// Logs go to `window/logMessage`; stderr gets only errors (editors such as
/// Neovim log every stderr line as an error), or every message when
/// `PACKET_LS_LOG_STDERR` is set (for debugging a server without a client log).
pub async fn log(client: &Client, typ: MessageType, msg: String) {
    if stderr_wanted(typ, std::env::var_os("PACKET_LS_LOG_STDERR").is_some()) {
        eprintln!("packet-ls: {msg}");
    }
    client.log_message(typ, msg).await;
}

fn stderr_wanted(typ: MessageType, all: bool) -> bool {
    all || typ == MessageType::ERROR
}

/// Logs the warnings an analysis met.
pub async fn log_warnings(client: &Client, warnings: Vec<String>) {
    for w in warnings {
        log(client, MessageType::WARNING, w).await;
    }
}

/// The analysis of a document's current version (kept, or made now), its
/// warnings logged. `None`: not open.
pub async fn analysis(b: &Backend, uri: &Uri) -> Option<Arc<Computed>> {
    let (c, warnings) = b.shared.analysis(uri.as_str()).await?;
    log_warnings(&b.client, warnings).await;
    Some(c)
}

/// Runs `f` on a packet's current analysis, on the analysis thread (where
/// all the analysis work allocates: docs/performance.md); `None` when the
/// document is not open or not an analysed packet.
pub async fn with_packet<R: Send + 'static>(
    b: &Backend,
    uri: &Uri,
    f: impl FnOnce(&Analysis, &Inputs, &Positions) -> R + Send + 'static,
) -> Option<R> {
    let c = analysis(b, uri).await?;
    c.packet()?;
    b.shared.worker.run(move || c.with_packet(f)).await.ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_errors_reach_stderr_unless_asked() {
        assert!(stderr_wanted(MessageType::ERROR, false));
        for t in [MessageType::WARNING, MessageType::INFO, MessageType::LOG] {
            assert!(!stderr_wanted(t, false), "{t:?}");
            assert!(stderr_wanted(t, true), "{t:?}");
        }
    }
}
