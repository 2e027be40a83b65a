//! `workspace/didChangeConfiguration` and `workspace/didChangeWatchedFiles`:
//! what invalidates the session's settings and per-document facts.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::{log_warnings, publish};
use crate::server::session::{is_config_path, signature, uri_path};
use crate::server::letters;
use crate::server::Backend;
use crate::workspace;

pub async fn did_change_configuration(b: &Backend, params: DidChangeConfigurationParams) {
    let has_settings = !params.settings.is_null() && params.settings != Value::Object(Default::default());
    if has_settings {
        let warnings = b.shared.lock().settings.update(&params.settings);
        log_warnings(&b.client, warnings).await;
        publish::recheck_all(b);
    } else if b.shared.lock().caps.configuration {
        // A pull-style client: ask for the section, without blocking this handler.
        let me = Backend { client: b.client.clone(), shared: b.shared.clone() };
        tokio::spawn(async move {
            let item = ConfigurationItem { scope_uri: None, section: Some("packet-ls".into()) };
            if let Ok(Ok(values)) = tokio::time::timeout(Duration::from_secs(5), me.client.configuration(vec![item])).await {
                if let Some(v) = values.into_iter().next().filter(|v| !v.is_null()) {
                    let _ = me.shared.lock().settings.update(&serde_json::json!({ "packet-ls": v }));
                }
            }
            publish::recheck_all(&me);
        });
    } else {
        publish::recheck_all(b);
    }
}

pub async fn did_change_watched_files(b: &Backend, params: DidChangeWatchedFilesParams) {
    let paths: Vec<PathBuf> = params.changes.iter().filter_map(|ev| uri_path(&ev.uri)).filter(|p| is_config_path(p)).collect();
    // Markdown files changed on disk: re-check the open packets naming them (and the open letters).
    let md: Vec<PathBuf> = params.changes.iter().filter_map(|ev| uri_path(&ev.uri)).filter(|p| letters::is_markdown(p)).collect();
    if !md.is_empty() || !paths.is_empty() {
        letters_changed(b, md);
    }
    publish::configs_changed(b, paths).await;
}

/// Markdown files changed on disk (or were saved): forgets which packet
/// names which letter and re-checks the open packets naming one of them, and
/// the open letters.
pub fn letters_changed(b: &Backend, paths: Vec<PathBuf>) {
    let known = b.shared.letter_owners.clear();
    let uris = {
        let mut s = b.shared.lock();
        let uris = letters::to_recheck(&s.store, &paths, &known);
        uris.into_iter().filter(|u| s.store.touch(u).is_some()).collect::<Vec<_>>()
    };
    for u in uris {
        if let Ok(uri) = Uri::from_str(&u) {
            publish::schedule(b, uri);
        }
    }
}

/// How often the packet.toml files of the open documents are looked at when
/// the client cannot watch files.
pub const CONFIG_POLL: Duration = Duration::from_secs(2);

/// For clients that cannot watch files (Neovim 0.11 on Linux offers no
/// dynamic registration of `didChangeWatchedFiles`, and packet.toml is no
/// Markdown buffer, so its saves never reach the server): every
/// [`CONFIG_POLL`], the nearest packet.toml of each open document's folder is
/// looked up again (a `stat` per parent folder, outside the session lock) and
/// compared with the one its analysis used (path, and modification time and
/// length when loaded); a packet.toml created, changed or deleted is handled
/// as a watched-file event. A few dozen system calls every two seconds, and
/// nothing per keystroke.
pub fn start_config_poll(b: &Backend) {
    let me = Backend { client: b.client.clone(), shared: b.shared.clone() };
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(CONFIG_POLL).await;
            let (in_use, loaded) = {
                let s = me.shared.lock();
                (s.configs_in_use(), s.config_signatures.clone())
            };
            let changed = tokio::task::spawn_blocking(move || {
                let mut changed: Vec<PathBuf> = Vec::new();
                for (dir, known) in in_use {
                    let found = workspace::find_config(&dir);
                    if found != known {
                        changed.extend(known.into_iter().chain(found));
                    } else if let Some(p) = found {
                        if loaded.get(&p).is_none_or(|sig| *sig != signature(&p)) {
                            changed.push(p);
                        }
                    }
                }
                changed.sort();
                changed.dedup();
                changed
            })
            .await
            .unwrap_or_default();
            if !changed.is_empty() {
                publish::configs_changed(&me, changed).await;
            }
        }
    });
}
