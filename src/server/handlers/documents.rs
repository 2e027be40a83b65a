//! `didOpen`, `didChange`, `didClose`, `didSave`: the documents' text.

use tower_lsp_server::ls_types::*;

use super::{log, publish};
use crate::server::analysis::config_diagnostics;
use crate::server::convert;
use crate::server::session::{is_config_path, uri_path};
use crate::server::store::{Change, ChangeError};
use crate::server::Backend;
use crate::workspace::{self, LoadedConfig};

pub async fn did_open(b: &Backend, params: DidOpenTextDocumentParams) {
    let d = params.text_document;
    b.shared.lock().store.open(d.uri.as_str(), &d.text, d.version, &d.language_id);
    publish::schedule(b, d.uri.clone());
    publish::note_config_of(b, &d.uri).await;
}

pub async fn did_change(b: &Backend, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let changes: Vec<Change> = params
        .content_changes
        .into_iter()
        .map(|c| Change { range: c.range.map(|r| (convert::line_col(r.start), convert::line_col(r.end))), text: c.text })
        .collect();
    // Applied before any await: changes keep the order they were sent in.
    let result = {
        let mut s = b.shared.lock();
        let enc = s.enc;
        s.store.change(uri.as_str(), version, &changes, enc)
    };
    let u = uri.as_str();
    let problem = match result {
        Ok((_, in_range)) => {
            publish::schedule(b, uri.clone());
            (!in_range).then(|| (MessageType::WARNING, format!("didChange {u} v{version}: a range was outside the document and was clamped")))
        }
        Err(ChangeError::NotOpen) => Some((MessageType::WARNING, format!("didChange for {u} which is not open: ignored"))),
        Err(ChangeError::StaleVersion { stored, got }) => {
            Some((MessageType::WARNING, format!("didChange for {u} refused: version {got} is not newer than {stored}")))
        }
        Err(ChangeError::InvertedRange { index }) => Some((
            MessageType::ERROR,
            format!(
                "didChange for {u} v{version} refused: change {index} ends before it starts; \
                 the document is out of sync until the editor sends its whole text (reopen it)"
            ),
        )),
        Err(ChangeError::OutOfSync) => Some((
            MessageType::WARNING,
            format!("didChange for {u} v{version} refused: the document is out of sync; waiting for a full-text change"),
        )),
    };
    if let Some((typ, msg)) = problem {
        log(&b.client, typ, msg).await;
    }
}

pub async fn did_close(b: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    let key = uri.as_str().to_string();
    {
        let mut s = b.shared.lock();
        s.store.close(&key);
    }
    let _gate = b.shared.publish_gate.lock().await;
    let enc = {
        let mut s = b.shared.lock();
        s.forget(&key);
        s.enc
    };
    if let Some(path) = uri_path(&uri).filter(|p| is_config_path(p)) {
        // A closed packet.toml: what is on disk is what counts again.
        let abs = workspace::absolute(&path);
        let loaded = LoadedConfig::load(&abs).ok();
        let diags = loaded.as_ref().map(|c| config_diagnostics(c, &uri, 0, enc)).unwrap_or_default();
        {
            let mut s = b.shared.lock();
            if diags.is_empty() {
                s.config_published.remove(&abs);
            } else {
                s.config_published.insert(abs);
            }
        }
        b.client.publish_diagnostics(uri, diags, None).await;
        return;
    }
    b.client.publish_diagnostics(uri, Vec::new(), None).await;
}

pub async fn did_save(b: &Backend, params: DidSaveTextDocumentParams) {
    // For clients that cannot watch files: saving packet.toml in the editor reloads it too.
    if let Some(path) = uri_path(&params.text_document.uri).filter(|p| is_config_path(p)) {
        publish::configs_changed(b, vec![path]).await;
    }
    // A saved letter buffer: the packets naming it read it from disk again.
    if let Some(path) = uri_path(&params.text_document.uri).filter(|p| crate::server::letters::is_markdown(p)) {
        super::configuration::letters_changed(b, vec![path]);
    }
}
