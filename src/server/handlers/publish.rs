//! Publishing diagnostics: one task per document, debounced, publishing a
//! version only while it is current; re-checks after settings or a
//! packet.toml change; `textDocument/diagnostic` for pull clients.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::Client;

use super::{analysis, log, log_warnings};
use crate::server::analysis::{config_diagnostics, Computed};
use crate::server::convert;
use crate::server::outbox;
use crate::server::session::{uri_path, Published, Shared};
use crate::server::Backend;
use crate::workspace;

/// Analyses the document's newest text after the debounce (the document
/// quiet for `debounceMs`) and publishes it, unless a newer change came in
/// meanwhile. One task per document at a time (`pending`): a change while it
/// runs only marks the document dirty, and the task goes round again. So a
/// flood of changes, or a client that stops reading what the server writes,
/// holds one task and one analysis per document, not one per change.
pub fn schedule(b: &Backend, uri: Uri) {
    let key = uri.as_str().to_string();
    {
        let mut s = b.shared.lock();
        if let Some(dirty) = s.pending.get_mut(&key) {
            *dirty = true; // The running task will go round again.
            return;
        }
        s.pending.insert(key.clone(), false);
    }
    let shared = b.shared.clone();
    let client = b.client.clone();
    tokio::spawn(async move {
        loop {
            analyse_and_publish(&shared, &client, &uri, &key).await;
            let mut s = shared.lock();
            if s.pending.get(&key) == Some(&true) {
                s.pending.insert(key.clone(), false);
                continue;
            }
            s.pending.remove(&key);
            return;
        }
    });
}

/// One round of [`schedule`]'s task.
async fn analyse_and_publish(shared: &Arc<Shared>, client: &Client, uri: &Uri, key: &str) {
    let delay = shared.lock().settings.debounce_ms;
    let current = |shared: &Shared| shared.lock().store.get(key).map(|d| d.generation);
    if delay > 0 {
        // Debounce: wait until a whole delay passes with no change.
        loop {
            let before = current(shared);
            tokio::time::sleep(Duration::from_millis(delay)).await;
            if current(shared) == before {
                break;
            }
        }
    }
    // Changes from here on are the next round's.
    if let Some(dirty) = shared.lock().pending.get_mut(key) {
        *dirty = false;
    }
    let Some(generation) = current(shared) else { return };
    let (sh, k, u) = (shared.clone(), key.to_string(), uri.clone());
    // The text is taken when the analysis thread gets to the job: an
    // analysis queued behind others and superseded meanwhile is skipped.
    let job = move || {
        let before = sh.lock().analyses.get(&k).cloned();
        sh.analyse_now(&k, Some(generation)).map(|(c, w)| {
            // The packet's front matter changed (candidate, entries): its open letters are checked again.
            let changed = front_matter_of(Some(&c)) != front_matter_of(before.as_ref());
            let letters = if changed { sh.touch_open_letters(&k, &c) } else { Vec::new() };
            (c.published(&u), c.version, w, letters, before)
        })
    };
    let (diagnostics, version, warnings, letters, before) = match shared.worker.run(job).await {
        Ok(Some(r)) => r,
        Ok(None) => return,
        Err(e) => {
            log(client, MessageType::ERROR, format!("analysis of {key} failed: {e}")).await;
            return;
        }
    };
    log_warnings(client, warnings).await;
    if !letters.is_empty() {
        let b = Backend { client: client.clone(), shared: shared.clone() };
        for l in letters.iter().filter_map(|l| Uri::from_str(l).ok()) {
            schedule(&b, l);
        }
    }
    let _gate = shared.publish_gate.lock().await;
    let was = {
        let mut s = shared.lock();
        if s.store.get(key).map(|d| d.generation) != Some(generation) {
            return; // A newer version (or a close) superseded this analysis.
        }
        let nonempty = !diagnostics.is_empty();
        match s.published.insert(key.to_string(), Published { generation, nonempty }) {
            Some(p) if p.generation == generation => return, // (Already published.)
            Some(p) => p.nonempty,
            None => false,
        }
    };
    if !diagnostics.is_empty() || was {
        let params = convert::PublishParams { uri: uri.clone(), diagnostics, version: Some(version) };
        // Written out here; the library carries a ticket in its place.
        match shared.outbox.put(<convert::PublishDiagnostics as Notification>::METHOD, &params) {
            Some(ticket) => client.send_notification::<outbox::Ticket>(ticket).await,
            None => client.send_notification::<convert::PublishDiagnostics>(params).await,
        }
    }
    // The previous version's analysis (usually its last holder) is freed
    // after the publish, not before it: at 30,000 lines that is a tenth of a
    // keystroke. On the analysis thread, where it was allocated.
    retire(shared, key, before);
}

/// Frees an analysis that is no longer current, on the analysis thread. Its
/// text, when it was the last holder, is kept for the document's next text to
/// be made from in place.
fn retire(shared: &Arc<Shared>, key: &str, old: Option<Arc<Computed>>) {
    let Some(old) = old else { return };
    let (sh, key) = (shared.clone(), key.to_string());
    shared.worker.spawn(move || {
        let generation = old.generation;
        if let Some(text) = Arc::into_inner(old).and_then(Computed::into_text) {
            // What the document does not keep is freed after the lock.
            let let_go = match sh.lock().store.get_mut(&key) {
                Some(doc) => doc.keep_spare(generation, text),
                None => Some(text),
            };
            drop(let_go);
        }
    });
}

/// The front matter of an analysed packet's text (`None`: not a packet, or none).
fn front_matter_of(c: Option<&Arc<Computed>>) -> Option<&str> {
    let a = c?.packet()?;
    a.analysis().doc.front_matter.as_ref().map(|f| &a.inputs().text[f.range.clone()])
}

/// Re-checks every open document (settings or a packet.toml changed).
pub fn recheck_all(b: &Backend) {
    let uris = {
        let mut s = b.shared.lock();
        s.invalidate();
        let uris = s.store.uris();
        uris.into_iter().filter(|u| s.store.touch(u).is_some()).collect::<Vec<_>>()
    };
    for u in uris {
        if let Ok(uri) = Uri::from_str(&u) {
            schedule(b, uri);
        }
    }
}

/// Publishes `config-invalid` diagnostics for a packet.toml (or clears them).
async fn publish_config(b: &Backend, path: &Path) {
    let Some(uri) = Uri::from_file_path(path) else { return };
    let diags = {
        let mut s = b.shared.lock();
        let loaded = s.configs.get(path).cloned().flatten();
        let diags = loaded.as_deref().map(|cfg| config_diagnostics(cfg, &uri, 0, s.enc)).unwrap_or_default();
        let was = s.config_published.contains(path);
        if diags.is_empty() && !was {
            return;
        }
        if diags.is_empty() {
            s.config_published.remove(path);
        } else {
            s.config_published.insert(path.to_path_buf());
        }
        diags
    };
    b.client.publish_diagnostics(uri, diags, None).await;
}

/// Reloads changed packet.toml files, publishes their errors and re-checks
/// every open document.
pub async fn configs_changed(b: &Backend, paths: Vec<PathBuf>) {
    if paths.is_empty() {
        return;
    }
    for path in paths {
        let abs = workspace::absolute(&path);
        b.shared.lock().load_config(&abs);
        publish_config(b, &abs).await;
    }
    // New or deleted packet.toml files change which config is nearest.
    b.shared.lock().configs.retain(|p, _| p.is_file());
    recheck_all(b);
}

/// The config of a document just opened: loaded, and its errors published.
pub async fn note_config_of(b: &Backend, uri: &Uri) {
    let Some(path) = uri_path(uri) else { return };
    let Some(dir) = path.parent() else { return };
    if let Some(cfg) = workspace::find_config(dir) {
        // Loaded here unless the document's first analysis (scheduled just
        // before) loaded it already; either way its errors are published once.
        // (Asking whether it was loaded raced with that analysis: the errors
        // of a packet.toml were then never published.)
        let published = {
            let mut s = b.shared.lock();
            let _ = s.config(&path);
            s.config_published.contains(&cfg)
        };
        if !published {
            publish_config(b, &cfg).await;
        }
    }
}

/// `textDocument/diagnostic`: the current version's diagnostics.
pub async fn pull(b: &Backend, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    let items = match analysis(b, &uri).await {
        Some(c) => {
            let u = uri.clone();
            b.shared.worker.run(move || c.diagnostics(&u)).await.unwrap_or_default()
        }
        None => Vec::new(),
    };
    Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
    })))
}
