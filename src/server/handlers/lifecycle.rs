//! `initialize` and `initialized`: the encoding, the client's capabilities,
//! the workspace folders, the first settings, and what the server offers.

use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{log, log_warnings, FIX_ALL_KIND, SCAFFOLD_KIND, SHOW_READINESS};
use crate::server::convert;
use crate::server::session::{uri_path, ClientCaps};
use crate::server::Backend;
use crate::workspace;

fn client_caps(caps: &ClientCapabilities) -> ClientCaps {
    let ws = caps.workspace.as_ref();
    let edit = ws.and_then(|w| w.workspace_edit.as_ref());
    ClientCaps {
        document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
        create_files: edit
            .and_then(|e| e.resource_operations.as_ref())
            .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
        pull_diagnostics: caps.text_document.as_ref().is_some_and(|t| t.diagnostic.is_some()),
        watch_dynamic: ws
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
        snippets: caps
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false),
    }
}

pub async fn initialize(b: &Backend, params: InitializeParams) -> Result<InitializeResult> {
    let caps = &params.capabilities;
    let offered = caps.general.as_ref().and_then(|g| g.position_encodings.as_deref());
    let enc = convert::negotiate(offered);
    let client_caps = client_caps(caps);
    let mut folders: Vec<_> = params.workspace_folders.iter().flatten().filter_map(|f| uri_path(&f.uri)).collect();
    #[allow(deprecated)]
    if folders.is_empty() {
        if let Some(p) = params.root_uri.as_ref().and_then(uri_path) {
            folders.push(p);
        }
    }
    let (warnings, pull) = {
        let mut s = b.shared.lock();
        s.enc = enc;
        s.caps = client_caps;
        s.folders = folders.into_iter().map(|p| workspace::absolute(&p)).collect();
        let warnings = params.initialization_options.as_ref().map(|o| s.settings.update(o)).unwrap_or_default();
        (warnings, client_caps.pull_diagnostics && s.settings.pull_diagnostics)
    };
    log_warnings(&b.client, warnings).await;
    Ok(InitializeResult {
        server_info: Some(ServerInfo { name: "packet-ls".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
        capabilities: capabilities(enc, pull),
        ..Default::default()
    })
}

fn capabilities(enc: crate::text::Encoding, pull: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(enc)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(FIX_ALL_KIND),
                CodeActionKind::new(SCAFFOLD_KIND),
            ]),
            resolve_provider: Some(false),
            ..Default::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["#".into(), " ".into(), ":".into()]),
            ..Default::default()
        }),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        execute_command_provider: Some(ExecuteCommandOptions { commands: vec![SHOW_READINESS.into(), crate::server::letters::LETTER_NOTICE.into()], ..Default::default() }),
        diagnostic_provider: pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("packet-ls".into()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..Default::default()
            })
        }),
        ..Default::default()
    }
}

pub async fn initialized(b: &Backend) {
    log(&b.client, MessageType::INFO, format!("packet-ls {} ready", env!("CARGO_PKG_VERSION"))).await;
    if !b.shared.lock().caps.watch_dynamic {
        // No watcher from the client: look at packet.toml files ourselves.
        super::configuration::start_config_poll(b);
        return;
    }
    let client = b.client.clone();
    tokio::spawn(async move {
        let opts = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![
                FileSystemWatcher { glob_pattern: GlobPattern::String("**/packet.toml".into()), kind: None },
                // Letter files changing on disk re-check the packets naming them.
                FileSystemWatcher { glob_pattern: GlobPattern::String("**/*.md".into()), kind: None },
            ],
        };
        let reg = Registration {
            id: "packet-ls-watch-packet-toml".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(opts).ok(),
        };
        match tokio::time::timeout(Duration::from_secs(5), client.register_capability(vec![reg])).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => log(&client, MessageType::WARNING, format!("could not watch packet.toml: {e}")).await,
            Err(_) => log(&client, MessageType::WARNING, "watch registration timed out".into()).await,
        }
    });
}
