//! `workspace/didChangeConfiguration` and `workspace/didChangeWatchedFiles`:
//! what invalidates the session's settings and per-document facts.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::{log_warnings, publish};
use crate::server::session::{is_config_path, uri_path};
use crate::server::Backend;

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
    publish::configs_changed(b, paths).await;
}
