//! The language server: stdio transport (tower-lsp-server) around one
//! [`session::Session`] of the open documents and their analyses.
//!
//! - `framing`: the input guard in front of the protocol library;
//! - `outbox`: the output writer, which writes publishes straight from
//!   their parts (the library sends a ticket in their place);
//! - `session`: the one state (documents, facts per document, settings,
//!   client capabilities, the analysis of each version), behind one lock;
//! - `analysis`: one document version analysed and owned, reused by every
//!   request on that version;
//! - `handlers/`: one file per kind of message; they take what they need
//!   from the session, call the library, and convert;
//! - `convert`: the one module that builds protocol types;
//! - `letters`: letter files as documents, the "Create letter file" action;
//! - `store` (ropes), `settings` (editor settings), `worker` (the analysis thread).
//!
//! A keystroke: `didChange` applies the edit to the rope synchronously
//! (before any `await`, so changes keep the order the client sent them) and
//! bumps the document's generation; the document's publishing task
//! (`handlers::publish`) waits out the debounce, analyses the newest text on
//! the analysis thread, keeps the analysis in the session and publishes it
//! only if its generation is still current.

mod analysis;
pub mod convert;
pub mod framing;
mod handlers;
mod letters;
mod outbox;
mod session;
mod settings;
pub mod store;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

pub use settings::ServerSettings;

/// `{"uri"}` → `{"version", "text"}`: the server's copy of an open document,
/// so clients and tests can check it matches theirs.
const DOCUMENT_TEXT: &str = "packet-ls/documentText";

/// Runs the server on stdin/stdout until `exit` or the end of input.
pub fn run() -> std::process::ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("packet-ls: cannot start the async runtime: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let seen = Arc::new(framing::Lifecycle::default());
    rt.block_on(async {
        let shared = Arc::new(session::Shared::new());
        let outbox = shared.outbox.clone();
        let (service, socket) = LspService::build(move |client| Backend { client, shared: shared.clone() })
            .custom_method(framing::INPUT_ERROR, Backend::input_error)
            .custom_method(DOCUMENT_TEXT, Backend::document_text)
            .finish();
        // Messages pass through the guard, which drops malformed ones instead of
        // letting them end the protocol library's reader.
        let (to_server, from_guard) = tokio::io::duplex(1 << 20);
        tokio::spawn(framing::guard(tokio::io::stdin(), to_server, seen.clone()));
        let stdout = outbox::Substituting::new(tokio::io::stdout(), outbox);
        Server::new(from_guard, stdout, socket).serve(service).await;
    });
    // Do not wait for blocked stdin readers or lingering analyses.
    rt.shutdown_timeout(Duration::from_millis(200));
    // The protocol's rule: `exit` without a `shutdown` before it exits with 1.
    std::process::ExitCode::from(seen.exit_status())
}

/// The protocol side: the client to talk to and the shared session.
pub struct Backend {
    client: Client,
    shared: Arc<session::Shared>,
}

impl Backend {
    async fn document_text(&self, params: Value) -> Result<Value> {
        handlers::commands::document_text(self, params).await
    }

    /// A message the input guard dropped: logged, the server carries on.
    async fn input_error(&self, params: Value) {
        let msg = params.get("message").and_then(Value::as_str).unwrap_or("malformed input").to_string();
        handlers::log(&self.client, MessageType::ERROR, format!("input refused: {msg}")).await;
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        handlers::lifecycle::initialize(self, params).await
    }

    async fn initialized(&self, _: InitializedParams) {
        handlers::lifecycle::initialized(self).await
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        handlers::documents::did_open(self, params).await
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        handlers::documents::did_change(self, params).await
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        handlers::documents::did_close(self, params).await
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        handlers::documents::did_save(self, params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        handlers::configuration::did_change_configuration(self, params).await
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        handlers::configuration::did_change_watched_files(self, params).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        handlers::publish::pull(self, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        handlers::code_action::code_action(self, params).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        handlers::outline::document_symbol(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        handlers::outline::folding_range(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        handlers::hover::hover(self, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        handlers::completion::completion(self, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        handlers::code_lens::code_lens(self, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        handlers::document_link::document_link(self, params).await
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        handlers::commands::execute_command(self, params).await
    }
}
