//! `workspace/executeCommand` (`packet-ls.showReadiness`) and the
//! `packet-ls/documentText` request.

use std::str::FromStr;

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;

use super::{analysis, SHOW_READINESS};
use crate::server::session::uri_path;
use crate::server::Backend;

pub async fn document_text(b: &Backend, params: Value) -> Result<Value> {
    let uri = params.get("uri").and_then(Value::as_str).unwrap_or_default().to_string();
    let s = b.shared.lock();
    Ok(match s.store.get(&uri) {
        Some(d) => serde_json::json!({"version": d.version, "text": d.rope.to_string()}),
        None => Value::Null,
    })
}

async fn readiness(b: &Backend, uri: &Uri) -> Option<String> {
    analysis(b, uri).await?.packet().map(|a| a.analysis().readiness.to_string())
}

/// The readiness of the open packet with the newest generation (opened or
/// edited last), with its URI.
async fn latest_packet_readiness(b: &Backend) -> Option<(Uri, String)> {
    let mut open: Vec<(u64, String)> = {
        let s = b.shared.lock();
        s.store.uris().into_iter().filter_map(|u| s.store.get(&u).map(|d| (d.generation, u))).collect()
    };
    open.sort_unstable_by(|a, b| b.cmp(a));
    for (_, u) in open {
        let Ok(uri) = Uri::from_str(&u) else { continue };
        if let Some(t) = readiness(b, &uri).await {
            return Some((uri, t));
        }
    }
    None
}

pub async fn execute_command(b: &Backend, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
    if params.command == crate::server::letters::LETTER_NOTICE {
        if let Some(Value::String(m)) = params.arguments.first() {
            b.client.show_message(MessageType::INFO, m.clone()).await;
        }
        return Ok(None);
    }
    if params.command != SHOW_READINESS {
        return Err(Error::invalid_params(format!("unknown command {}", params.command)));
    }
    let Some(arg) = params.arguments.first().cloned() else {
        // No argument (Helix's `:lsp-workspace-command` sends none): the packet
        // opened or edited last, the editor's active one as far as a server can tell.
        return match latest_packet_readiness(b).await {
            Some((uri, t)) => {
                let name = uri_path(&uri)
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| uri.as_str().rsplit('/').next().unwrap_or_default().to_string());
                b.client.show_message(MessageType::INFO, format!("Readiness of {name}: {t}")).await;
                Ok(Some(Value::String(t)))
            }
            None => Err(Error::invalid_params("no packet is open (or pass a document URI)")),
        };
    };
    let Ok(uri) = serde_json::from_value::<Uri>(arg) else {
        return Err(Error::invalid_params("expected a document URI"));
    };
    match readiness(b, &uri).await {
        Some(t) => {
            b.client.show_message(MessageType::INFO, format!("Readiness: {t}")).await;
            Ok(Some(Value::String(t)))
        }
        None => Ok(None),
    }
}
