//! The language server: stdio transport (tower-lsp-server), a rope store, a
//! debounced analysis scheduler and the handlers. Handlers translate
//! (through [`convert`]) and call the library; they do not decide.
//!
//! Data flow of a keystroke: `didChange` applies the edit to the rope
//! synchronously (before any `await`, so changes keep the order the client
//! sent them) and bumps the document's generation; a task sleeps the
//! debounce, snapshots the text if its generation is still current, analyses
//! it on the analysis thread (`worker`), then publishes under the publish lock only if the
//! generation is *still* current — so a stale version is never published.

pub mod convert;
pub mod framing;
mod settings;
pub mod store;
mod worker;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::analysis::{analyze_document, is_packet, Analysis, Env};
use crate::document::{Document, Reusable};
use crate::config::Settings;
use crate::rubric::{Rubric, DEFAULT_RUBRIC};
use crate::text::{Encoding, LineIndex};
use crate::workspace::{self, LoadedConfig};
use convert::Positions;
pub use settings::ServerSettings;
use store::{Change, ChangeError, Parses, Store};

const FIX_ALL_KIND: &str = "source.fixAll.packet-ls";
const SCAFFOLD_KIND: &str = "source.scaffold.packet-ls";
const SHOW_READINESS: &str = "packet-ls.showReadiness";
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
        let (service, socket) =
            LspService::build(Backend::new)
            .custom_method(framing::INPUT_ERROR, Backend::input_error)
            .custom_method(DOCUMENT_TEXT, Backend::document_text)
            .finish();
        // Messages pass through the guard, which drops malformed ones instead of
        // letting them end the protocol library's reader.
        let (to_server, from_guard) = tokio::io::duplex(1 << 20);
        tokio::spawn(framing::guard(tokio::io::stdin(), to_server, seen.clone()));
        Server::new(from_guard, tokio::io::stdout(), socket).serve(service).await;
    });
    // Do not wait for blocked stdin readers or lingering analyses.
    rt.shutdown_timeout(Duration::from_millis(200));
    // The protocol's rule: `exit` without a `shutdown` before it exits with 1.
    std::process::ExitCode::from(seen.exit_status())
}

#[derive(Debug, Default, Clone, Copy)]
struct ClientCaps {
    document_changes: bool,
    pull_diagnostics: bool,
    watch_dynamic: bool,
    configuration: bool,
    /// `completionItem.snippetSupport`: completion text goes as snippets.
    snippets: bool,
}

struct State {
    store: Mutex<Store>,
    enc: RwLock<Encoding>,
    settings: RwLock<ServerSettings>,
    caps: RwLock<ClientCaps>,
    folders: RwLock<Vec<PathBuf>>,
    /// Loaded `packet.toml` files by path (`None`: unreadable).
    configs: Mutex<HashMap<PathBuf, Option<Arc<LoadedConfig>>>>,
    /// `packet.toml` files that have diagnostics published.
    config_published: Mutex<HashSet<PathBuf>>,
    /// Documents with a non-empty diagnostics list published.
    published: Mutex<HashSet<String>>,
    /// The generation whose diagnostics were last published, by document:
    /// one generation is never published twice.
    published_generation: Mutex<HashMap<String, u64>>,
    /// Documents with an analysis task, and whether a change came in since
    /// the task took the text (it then goes round again): see `schedule`.
    pending: Mutex<HashMap<String, bool>>,
    publish_lock: tokio::sync::Mutex<()>,
    /// The last parses of edited documents, re-used by the next analysis.
    parses: Mutex<Parses>,
    /// Where every analysis runs.
    worker: worker::Worker,
    /// The settings last made, and what they were made from.
    settings_cache: Mutex<Option<CachedSettings>>,
    /// Unknown editor rubrics already warned about, with the packet.toml.
    warned_rubrics: Mutex<HashSet<(String, Option<PathBuf>)>>,
    /// Warnings from the analysis thread, logged by the task that asked.
    warnings: Mutex<Vec<String>>,
}

struct CachedSettings {
    /// Held, so that its address cannot be re-used by another config.
    config: Option<Arc<LoadedConfig>>,
    fm_rubric: Option<String>,
    editor: crate::config::EditorOverrides,
    settings: Arc<Settings>,
}

pub struct Backend {
    client: Client,
    state: Arc<State>,
}

/// What one analysis produced for publishing.
struct Computed {
    version: i32,
    diagnostics: Vec<Diagnostic>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|e| e.into_inner())
}

fn uri_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// A document's text, path and settings, everything the analysis needs.
struct Input {
    /// The document's URI as the store knows it.
    key: String,
    text: String,
    version: i32,
    path: Option<PathBuf>,
    name: String,
}

impl State {
    fn encoding(&self) -> Encoding {
        *read(&self.enc)
    }

    fn config(&self, path: &Path) -> Option<Arc<LoadedConfig>> {
        let cfg_path = workspace::find_config(path.parent()?)?;
        let mut cache = lock(&self.configs);
        cache
            .entry(cfg_path.clone())
            .or_insert_with(|| LoadedConfig::load(&cfg_path).ok().map(Arc::new))
            .clone()
    }

    /// The workspace root: the workspace folder holding the document, else
    /// the nearest packet.toml or .git folder, else the document's folder.
    fn root(&self, path: &Path) -> PathBuf {
        let abs = workspace::absolute(path);
        let folders = read(&self.folders);
        let holding = folders.iter().filter(|f| abs.starts_with(f)).max_by_key(|f| f.as_os_str().len());
        holding.cloned().unwrap_or_else(|| workspace::workspace_root(path))
    }

    fn input(&self, uri: &str, generation: Option<u64>) -> Option<Input> {
        let store = lock(&self.store);
        let doc = store.get(uri)?;
        if generation.is_some_and(|g| g != doc.generation) {
            return None;
        }
        let parsed = Uri::from_str(uri).ok();
        let path = parsed.as_ref().and_then(uri_path);
        let name = match &path {
            Some(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            None => uri.rsplit('/').next().unwrap_or_default().to_string(),
        };
        Some(Input { text: doc.text(), version: doc.version, path, name, key: uri.to_string() })
    }

    /// Warns once per rubric name and packet.toml when the editor's `rubric`
    /// names a rubric that neither is built in nor defined by the packet.toml
    /// in force: such documents are checked with the default instead.
    fn note_unknown_rubric(&self, name: &str, cfg: Option<&Arc<LoadedConfig>>) {
        if Rubric::is_builtin(name) || cfg.is_some_and(|c| c.config.rubrics.contains_key(name)) {
            return;
        }
        let path = cfg.map(|c| c.path.clone());
        if !lock(&self.warned_rubrics).insert((name.to_string(), path.clone())) {
            return;
        }
        let fallback = match &path {
            Some(p) => format!("{} has no [rubrics.{name}], so its own rubric is used", p.display()),
            None => format!("no packet.toml defines it, so the built-in \"{DEFAULT_RUBRIC}\" rubric is used"),
        };
        lock(&self.warnings).push(format!("packet-ls.rubric: \"{name}\" is not a built-in rubric and {fallback}"));
    }

    /// The settings for a document: made once for each packet.toml, rubric
    /// named in the front matter and editor settings, then re-used (building
    /// a rubric was a tenth of a keystroke's analysis).
    fn settings_for(&self, input: &Input, cfg: Option<&Arc<LoadedConfig>>) -> Arc<Settings> {
        let editor = read(&self.settings).editor.clone();
        let fm_rubric = workspace::front_matter_rubric(&input.text);
        let mut cache = lock(&self.settings_cache);
        if let Some(c) = cache.as_ref().filter(|c| {
            c.config.as_ref().map(Arc::as_ptr) == cfg.map(Arc::as_ptr) && c.fm_rubric == fm_rubric && c.editor == editor
        }) {
            return c.settings.clone();
        }
        if let Some(name) = editor.rubric.as_deref() {
            self.note_unknown_rubric(name, cfg);
        }
        let settings = Arc::new(workspace::settings_for(&input.text, cfg.map(|c| &**c), &editor));
        *cache = Some(CachedSettings { config: cfg.cloned(), fm_rubric, editor, settings: settings.clone() });
        settings
    }

    fn env_for(&self, input: &Input) -> Env {
        match &input.path {
            Some(p) => {
                // Letters are resolved and read beneath the root (checked as documents).
                workspace::env_in_root(p, &self.root(p), &input.text)
            }
            None => Env::default(),
        }
    }

    fn is_packet(&self, input: &Input, cfg: Option<&LoadedConfig>) -> bool {
        let included = match (&input.path, cfg) {
            (Some(p), Some(c)) => c.includes(p),
            _ => false,
        };
        is_packet(&input.name, &input.text, included)
    }

    /// Runs `f` on the analysis of a document if it is a packet.
    fn with_analysis<R>(&self, input: Input, f: impl FnOnce(&Analysis, &Settings, &Env) -> R) -> Option<R> {
        let cfg = input.path.as_deref().and_then(|p| self.config(p));
        if !self.is_packet(&input, cfg.as_deref()) || input.text.len() > read(&self.settings).max_file_bytes {
            return None;
        }
        Some(self.analysed_with(input, cfg.as_ref(), f))
    }

    /// Analyses a document already known to be a packet, under `cfg`
    /// (`f` finds the text in `Analysis::doc`). The parse kept from the
    /// document's last analysis spares re-parsing what did not change, and
    /// this parse is kept for the next one: keystrokes and requests (code
    /// actions on every cursor move, hover…) alike.
    fn analysed_with<R>(&self, input: Input, cfg: Option<&Arc<LoadedConfig>>, f: impl FnOnce(&Analysis, &Settings, &Env) -> R) -> R {
        let settings = self.settings_for(&input, cfg);
        let env = self.env_for(&input);
        let prev = lock(&self.parses).take(&input.key);
        let doc = Document::parse_reusing(&input.text, prev.as_ref());
        let a = analyze_document(doc, &settings, &env);
        let r = f(&a, &settings, &env);
        // Always this parse: it holds the facts this analysis memoised.
        drop(prev);
        let doc = a.doc.detach();
        let keep = Reusable::new(input.text, doc);
        lock(&self.parses).put(&input.key, keep);
        r
    }

    fn compute(&self, uri: &Uri, input: Input) -> Computed {
        let version = input.version;
        if let Some(p) = input.path.as_deref().filter(|p| is_config_path(p)) {
            // An open packet.toml: its own errors, live from the editor's text.
            let cfg = LoadedConfig::from_text(p.to_path_buf(), input.text.clone());
            return Computed { version, diagnostics: config_diagnostics(&cfg, uri, version, self.encoding()) };
        }
        let max = read(&self.settings).max_file_bytes;
        let cfg = input.path.as_deref().and_then(|p| self.config(p));
        if !self.is_packet(&input, cfg.as_deref()) {
            return Computed { version, diagnostics: Vec::new() };
        }
        if input.text.len() > max {
            let msg = format!(
                "packet-ls skipped this file: {} bytes is over the maxFileBytes limit of {} bytes",
                input.text.len(),
                max
            );
            let d = convert::plain_diagnostic(Range::default(), DiagnosticSeverity::WARNING, msg);
            return Computed { version, diagnostics: vec![d] };
        }
        let enc = self.encoding();
        let diagnostics = self.analysed_with(input, cfg.as_ref(), |a, _, _| {
            let pos = Positions { text: a.doc.text, index: &a.doc.index, enc };
            // At most crate::cap::MAX_PER_RULE of a rule, then one "and M more".
            let mut shown = a.diagnostics.clone();
            crate::cap::cap_per_rule(&mut shown);
            shown.iter().map(|d| convert::diagnostic(&pos, uri, version, d)).collect()
        });
        Computed { version, diagnostics }
    }
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            state: Arc::new(State {
                store: Mutex::new(Store::default()),
                enc: RwLock::new(Encoding::Utf16),
                settings: RwLock::new(ServerSettings::default()),
                caps: RwLock::new(ClientCaps::default()),
                folders: RwLock::new(Vec::new()),
                configs: Mutex::new(HashMap::new()),
                config_published: Mutex::new(HashSet::new()),
                published: Mutex::new(HashSet::new()),
                published_generation: Mutex::new(HashMap::new()),
                pending: Mutex::new(HashMap::new()),
                publish_lock: tokio::sync::Mutex::new(()),
                parses: Mutex::new(Parses::default()),
                worker: worker::Worker::start(),
                settings_cache: Mutex::new(None),
                warned_rubrics: Mutex::new(HashSet::new()),
                warnings: Mutex::new(Vec::new()),
            }),
        }
    }

    async fn document_text(&self, params: Value) -> Result<Value> {
        let uri = params.get("uri").and_then(Value::as_str).unwrap_or_default().to_string();
        let store = lock(&self.state.store);
        Ok(match store.get(&uri) {
            Some(d) => serde_json::json!({"version": d.version, "text": d.rope.to_string()}),
            None => Value::Null,
        })
    }

    /// A message the input guard dropped: logged, the server carries on.
    async fn input_error(&self, params: Value) {
        let msg = params.get("message").and_then(Value::as_str).unwrap_or("malformed input").to_string();
        self.log(MessageType::ERROR, format!("input refused: {msg}")).await;
    }

    async fn log(&self, typ: MessageType, msg: String) {
        log_to(&self.client, typ, msg).await;
    }

    /// Schedules a debounced analysis of `uri` at `generation`.
    /// Analyses the document's newest text after the debounce (the document
    /// quiet for `debounceMs`) and publishes it, unless a newer change came
    /// in meanwhile. One task per document at a time (`pending`): a change
    /// while it runs only marks the document dirty, and the task goes round
    /// again. So a flood of changes, or a client that stops reading what the
    /// server writes, holds one task and one analysis per document, not one
    /// per change.
    fn schedule(&self, uri: Uri) {
        let key = uri.as_str().to_string();
        {
            let mut pending = lock(&self.state.pending);
            if let Some(dirty) = pending.get_mut(&key) {
                *dirty = true; // The running task will go round again.
                return;
            }
            pending.insert(key.clone(), false);
        }
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            loop {
                analyse_and_publish(&state, &client, &uri, &key).await;
                let mut pending = lock(&state.pending);
                if pending.get(&key) == Some(&true) {
                    pending.insert(key.clone(), false);
                    continue;
                }
                pending.remove(&key);
                return;
            }
        });
    }

    /// Re-checks every open document (settings or a packet.toml changed).
    fn recheck_all(&self) {
        let uris = lock(&self.state.store).uris();
        for u in uris {
            let generation = lock(&self.state.store).touch(&u);
            if let (Some(_), Ok(uri)) = (generation, Uri::from_str(&u)) {
                self.schedule(uri);
            }
        }
    }

    /// Publishes `config-invalid` diagnostics for a packet.toml (or clears them).
    async fn publish_config(&self, path: &Path) {
        let loaded = lock(&self.state.configs).get(path).cloned().flatten();
        let Some(uri) = Uri::from_file_path(path) else { return };
        let enc = self.state.encoding();
        let diags = loaded.as_deref().map(|cfg| config_diagnostics(cfg, &uri, 0, enc)).unwrap_or_default();
        let was = lock(&self.state.config_published).contains(path);
        if diags.is_empty() && !was {
            return;
        }
        if diags.is_empty() {
            lock(&self.state.config_published).remove(path);
        } else {
            lock(&self.state.config_published).insert(path.to_path_buf());
        }
        self.client.publish_diagnostics(uri, diags, None).await;
    }

    /// Reloads changed packet.toml files, publishes their errors and re-checks
    /// every open document.
    async fn configs_changed(&self, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        for path in paths {
            let abs = workspace::absolute(&path);
            let loaded = LoadedConfig::load(&abs).ok().map(Arc::new);
            lock(&self.state.configs).insert(abs.clone(), loaded);
            self.publish_config(&abs).await;
        }
        // New or deleted packet.toml files change which config is nearest.
        lock(&self.state.configs).retain(|p, _| p.is_file());
        self.recheck_all();
    }

    /// The config of a document just opened: loaded, and its errors published.
    async fn note_config_of(&self, uri: &Uri) {
        let Some(path) = uri_path(uri) else { return };
        let Some(dir) = path.parent() else { return };
        if let Some(cfg) = workspace::find_config(dir) {
            let known = lock(&self.state.configs).contains_key(&cfg);
            if !known {
                let _ = self.state.config(&path);
                self.publish_config(&cfg).await;
            }
        }
    }

    fn input(&self, uri: &Uri) -> Option<Input> {
        self.state.input(uri.as_str(), None)
    }

    /// The readiness of the open packet with the newest generation (opened or
    /// edited last), with its URI.
    async fn latest_packet_readiness(&self) -> Option<(Uri, String)> {
        let mut open: Vec<(u64, String)> = {
            let store = lock(&self.state.store);
            store.uris().into_iter().filter_map(|u| store.get(&u).map(|d| (d.generation, u))).collect()
        };
        open.sort_unstable_by(|a, b| b.cmp(a));
        for (_, u) in open {
            let Ok(uri) = Uri::from_str(&u) else { continue };
            if let Some(t) = self.analysed(&uri, |a, _, _, _| a.readiness.to_string()).await {
                return Some((uri, t));
            }
        }
        None
    }

    /// Runs `f` with a document's analysis and position converter on the analysis thread.
    async fn analysed<R: Send + 'static>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&Analysis, &Settings, &Env, &Positions) -> R + Send + 'static,
    ) -> Option<R> {
        let input = self.input(uri)?;
        let state = self.state.clone();
        let st = state.clone();
        st.worker
            .run(move || {
                let enc = state.encoding();
                state.with_analysis(input, |a, s, e| {
                    let pos = Positions { text: a.doc.text, index: &a.doc.index, enc };
                    f(a, s, e, &pos)
                })
            })
            .await
            .ok()
            .flatten()
    }
}

/// The `config-invalid` diagnostics of a packet.toml's text.
fn config_diagnostics(cfg: &LoadedConfig, uri: &Uri, version: i32, enc: Encoding) -> Vec<Diagnostic> {
    let index = LineIndex::new(&cfg.text);
    let pos = Positions { text: &cfg.text, index: &index, enc };
    cfg.errors
        .iter()
        .map(|e| {
            let d = crate::diagnostic::Diagnostic::new(crate::rules::RuleCode::ConfigInvalid, e.range.clone(), e.message.clone());
            convert::diagnostic(&pos, uri, version, &d)
        })
        .collect()
}

fn is_config_path(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == workspace::CONFIG_FILE)
}

/// One round of [`Backend::schedule`]'s task: debounce, analyse the newest
/// text on the analysis thread, publish if it is still the newest.
async fn analyse_and_publish(state: &Arc<State>, client: &Client, uri: &Uri, key: &str) {
    let delay = read(&state.settings).debounce_ms;
    let current = |state: &State| lock(&state.store).get(key).map(|d| d.generation);
    if delay > 0 {
        // Debounce: wait until a whole delay passes with no change.
        loop {
            let before = current(state);
            tokio::time::sleep(Duration::from_millis(delay)).await;
            if current(state) == before {
                break;
            }
        }
    }
    // Changes from here on are the next round's.
    if let Some(dirty) = lock(&state.pending).get_mut(key) {
        *dirty = false;
    }
    let Some(generation) = current(state) else { return };
    let (st, u, k) = (state.clone(), uri.clone(), key.to_string());
    // The text is taken when the analysis thread gets to the job: an
    // analysis queued behind others and superseded meanwhile is skipped.
    let job = move || st.input(&k, Some(generation)).map(|input| st.compute(&u, input));
    let result = state.worker.run(job).await;
    let warnings = std::mem::take(&mut *lock(&state.warnings));
    for w in warnings {
        log_to(client, MessageType::WARNING, w).await;
    }
    let computed = match result {
        Ok(Some(r)) => r,
        Ok(None) => return,
        Err(e) => {
            log_to(client, MessageType::ERROR, format!("analysis of {key} failed: {e}")).await;
            return;
        }
    };
    let _guard = state.publish_lock.lock().await;
    if current(state) != Some(generation) {
        return; // A newer version (or a close) superseded this analysis.
    }
    if lock(&state.published_generation).insert(key.to_string(), generation) == Some(generation) {
        return; // (Already published: a round with nothing new.)
    }
    let nonempty = !computed.diagnostics.is_empty();
    let was = {
        let mut p = lock(&state.published);
        let was = p.contains(key);
        if nonempty {
            p.insert(key.to_string());
        } else {
            p.remove(key);
        }
        was
    };
    if nonempty || was {
        client.publish_diagnostics(uri.clone(), computed.diagnostics, Some(computed.version)).await;
    }
}

/// Logs go to `window/logMessage`; stderr gets only errors (editors such as
/// Neovim log every stderr line as an error), or every message when
/// `PACKET_LS_LOG_STDERR` is set (for debugging a server without a client log).
async fn log_to(client: &Client, typ: MessageType, msg: String) {
    if stderr_wanted(typ, std::env::var_os("PACKET_LS_LOG_STDERR").is_some()) {
        eprintln!("packet-ls: {msg}");
    }
    client.log_message(typ, msg).await;
}

fn stderr_wanted(typ: MessageType, all: bool) -> bool {
    all || typ == MessageType::ERROR
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = &params.capabilities;
        let offered = caps.general.as_ref().and_then(|g| g.position_encodings.as_deref());
        let enc = convert::negotiate(offered);
        *write(&self.state.enc) = enc;
        let ws = caps.workspace.as_ref();
        let client_caps = ClientCaps {
            document_changes: ws
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
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
        };
        *write(&self.state.caps) = client_caps;
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(uri_path) {
                folders.push(p);
            }
        }
        *write(&self.state.folders) = folders.into_iter().map(|p| workspace::absolute(&p)).collect();
        let mut warnings = Vec::new();
        if let Some(opts) = &params.initialization_options {
            let mut s = read(&self.state.settings).clone();
            warnings = s.update(opts);
            *write(&self.state.settings) = s;
        }
        for w in warnings {
            self.log(MessageType::WARNING, w).await;
        }
        let pull = client_caps.pull_diagnostics && read(&self.state.settings).pull_diagnostics;
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "packet-ls".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            capabilities: ServerCapabilities {
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
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![SHOW_READINESS.into()],
                    ..Default::default()
                }),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("packet-ls".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..Default::default()
                    })
                }),
                ..Default::default()
            },
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.log(MessageType::INFO, format!("packet-ls {} ready", env!("CARGO_PKG_VERSION"))).await;
        if read(&self.state.caps).watch_dynamic {
            let client = self.client.clone();
            tokio::spawn(async move {
                let opts = DidChangeWatchedFilesRegistrationOptions {
                    watchers: vec![FileSystemWatcher {
                        glob_pattern: GlobPattern::String("**/packet.toml".into()),
                        kind: None,
                    }],
                };
                let reg = Registration {
                    id: "packet-ls-watch-packet-toml".into(),
                    method: "workspace/didChangeWatchedFiles".into(),
                    register_options: serde_json::to_value(opts).ok(),
                };
                match tokio::time::timeout(Duration::from_secs(5), client.register_capability(vec![reg])).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => log_to(&client, MessageType::WARNING, format!("could not watch packet.toml: {e}")).await,
                    Err(_) => log_to(&client, MessageType::WARNING, "watch registration timed out".into()).await,
                }
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        lock(&self.state.store).open(d.uri.as_str(), &d.text, d.version, &d.language_id);
        self.schedule(d.uri.clone());
        self.note_config_of(&d.uri).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let changes: Vec<Change> = params
            .content_changes
            .into_iter()
            .map(|c| Change { range: c.range.map(|r| (convert::line_col(r.start), convert::line_col(r.end))), text: c.text })
            .collect();
        let enc = self.state.encoding();
        // Applied before any await: changes keep the order they were sent in.
        let result = lock(&self.state.store).change(uri.as_str(), version, &changes, enc);
        match result {
            Ok((_, in_range)) => {
                self.schedule(uri.clone());
                if !in_range {
                    self.log(
                        MessageType::WARNING,
                        format!("didChange {} v{version}: a range was outside the document and was clamped", uri.as_str()),
                    )
                    .await;
                }
            }
            Err(ChangeError::NotOpen) => {
                self.log(MessageType::WARNING, format!("didChange for {} which is not open: ignored", uri.as_str())).await
            }
            Err(ChangeError::StaleVersion { stored, got }) => {
                self.log(
                    MessageType::WARNING,
                    format!("didChange for {} refused: version {got} is not newer than {stored}", uri.as_str()),
                )
                .await
            }
            Err(ChangeError::InvertedRange { index }) => {
                self.log(
                    MessageType::ERROR,
                    format!(
                        "didChange for {} v{version} refused: change {index} ends before it starts; \
                         the document is out of sync until the editor sends its whole text (reopen it)",
                        uri.as_str()
                    ),
                )
                .await
            }
            Err(ChangeError::OutOfSync) => {
                self.log(
                    MessageType::WARNING,
                    format!("didChange for {} v{version} refused: the document is out of sync; waiting for a full-text change", uri.as_str()),
                )
                .await
            }
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let key = uri.as_str().to_string();
        lock(&self.state.store).close(&key);
        lock(&self.state.parses).forget(&key);
        let _guard = self.state.publish_lock.lock().await;
        lock(&self.state.published).remove(&key);
        lock(&self.state.published_generation).remove(&key);
        if let Some(path) = uri_path(&uri).filter(|p| is_config_path(p)) {
            // A closed packet.toml: what is on disk is what counts again.
            let abs = workspace::absolute(&path);
            let loaded = LoadedConfig::load(&abs).ok();
            let diags = loaded.as_ref().map(|c| config_diagnostics(c, &uri, 0, self.state.encoding())).unwrap_or_default();
            if diags.is_empty() {
                lock(&self.state.config_published).remove(&abs);
            } else {
                lock(&self.state.config_published).insert(abs);
            }
            self.client.publish_diagnostics(uri, diags, None).await;
            return;
        }
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let has_settings = !params.settings.is_null() && params.settings != Value::Object(Default::default());
        if has_settings {
            let mut s = read(&self.state.settings).clone();
            let warnings = s.update(&params.settings);
            *write(&self.state.settings) = s;
            for w in warnings {
                self.log(MessageType::WARNING, w).await;
            }
            self.recheck_all();
        } else if read(&self.state.caps).configuration {
            // A pull-style client: ask for the section, without blocking this handler.
            let client = self.client.clone();
            let state = self.state.clone();
            let me = Backend { client: self.client.clone(), state: self.state.clone() };
            tokio::spawn(async move {
                let item = ConfigurationItem { scope_uri: None, section: Some("packet-ls".into()) };
                if let Ok(Ok(values)) = tokio::time::timeout(Duration::from_secs(5), client.configuration(vec![item])).await {
                    if let Some(v) = values.into_iter().next().filter(|v| !v.is_null()) {
                        let mut s = read(&state.settings).clone();
                        let _ = s.update(&serde_json::json!({ "packet-ls": v }));
                        *write(&state.settings) = s;
                    }
                }
                me.recheck_all();
            });
        } else {
            self.recheck_all();
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths: Vec<PathBuf> = params.changes.iter().filter_map(|ev| uri_path(&ev.uri)).filter(|p| is_config_path(p)).collect();
        self.configs_changed(paths).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // For clients that cannot watch files: saving packet.toml in the editor reloads it too.
        if let Some(path) = uri_path(&params.text_document.uri).filter(|p| is_config_path(p)) {
            self.configs_changed(vec![path]).await;
        }
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = match self.input(&uri) {
            Some(input) => {
                let state = self.state.clone();
                let u = uri.clone();
                let st = state.clone();
                st.worker.run(move || state.compute(&u, input).diagnostics).await.unwrap_or_default()
            }
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
            },
        )))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        let Some(input) = self.input(&uri) else { return Ok(None) };
        let doc_changes = read(&self.state.caps).document_changes;
        let only = params.context.only.clone();
        let wants = |k: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| k.starts_with(x.as_str())));
        let mut actions: Vec<CodeActionOrCommand> = Vec::new();
        let version = input.version;
        // On an empty document, as a source action and as the preferred quick
        // fix (Ctrl+. in VS Code lists quick fixes, not source actions).
        for (kind, preferred) in [(CodeActionKind::new(SCAFFOLD_KIND), None), (CodeActionKind::QUICKFIX, Some(true))] {
            if input.text.trim().is_empty() && wants(kind.as_str()) {
                let edit = TextEdit { range: Range::default(), new_text: crate::template::TEMPLATE.to_string() };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Scaffold packet from template".into(),
                    kind: Some(kind),
                    is_preferred: preferred,
                    edit: Some(convert::workspace_edit(&uri, Some(version), vec![edit], doc_changes)),
                    ..Default::default()
                }));
            }
        }
        let sent = params.context.diagnostics.clone();
        let wants_quickfix = wants(CodeActionKind::QUICKFIX.as_str());
        let text = input.text;
        let current = self
            .analysed(&uri, move |a, _, _, pos| {
                // A change arrived since the request was read: offer nothing for a text the client no longer has.
                if a.doc.text != text {
                    return None;
                }
                let fixes: Vec<Vec<convert::FixData>> = if wants_quickfix {
                    sent.iter().map(|d| convert::select_fixes(pos, version, &a.diagnostics, d)).collect()
                } else {
                    Vec::new()
                };
                let all = convert::edits(pos, &crate::fix::fix_all(&a.doc, &a.diagnostics));
                Some((fixes, all))
            })
            .await
            .flatten();
        if let Some((fixes, _)) = &current {
            for (d, f) in params.context.diagnostics.iter().zip(fixes) {
                for a in convert::quick_fixes(&uri, d, version, f.clone(), doc_changes) {
                    actions.push(CodeActionOrCommand::CodeAction(a));
                }
            }
        }
        if let Some((_, all)) = current {
            if !all.is_empty() && wants(FIX_ALL_KIND) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: "Insert all missing sections".into(),
                    kind: Some(CodeActionKind::new(FIX_ALL_KIND)),
                    edit: Some(convert::workspace_edit(&uri, Some(version), all, doc_changes)),
                    ..Default::default()
                }));
            }
        }
        Ok(Some(actions))
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let r = self
            .analysed(&params.text_document.uri, |a, _, _, pos| {
                crate::features::symbols(&a.doc).iter().map(|s| convert::symbol(pos, s)).collect::<Vec<_>>()
            })
            .await;
        Ok(r.map(DocumentSymbolResponse::Nested))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(self
            .analysed(&params.text_document.uri, |a, _, _, _| {
                crate::features::folds(&a.doc)
                    .into_iter()
                    .map(|(s, e)| FoldingRange {
                        start_line: s,
                        end_line: e,
                        kind: Some(FoldingRangeKind::Region),
                        ..Default::default()
                    })
                    .collect()
            })
            .await)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let r = self
            .analysed(&p.text_document.uri, move |a, s, _, pos| {
                let offset = pos.offset(p.position);
                crate::features::hover(a, &s.rubric, offset).map(|(range, text)| Hover {
                    contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
                    range: Some(pos.range(&range)),
                })
            })
            .await;
        Ok(r.flatten())
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let snippets = read(&self.state.caps).snippets;
        let r = self
            .analysed(&p.text_document.uri, move |a, s, _, pos| {
                let offset = pos.offset(p.position);
                crate::features::completions(a, &s.rubric, offset)
                    .iter()
                    .enumerate()
                    .map(|(i, c)| convert::completion(pos, c, i, snippets))
                    .collect::<Vec<_>>()
            })
            .await;
        Ok(r.filter(|v| !v.is_empty()).map(CompletionResponse::Array))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let u = uri.clone();
        let r = self
            .analysed(&uri, move |a, _, _, pos| {
                let first = a.doc.headings.first()?;
                let title = a.readiness.to_string();
                Some(vec![CodeLens {
                    range: pos.range(&first.line),
                    command: Some(Command {
                        title,
                        command: SHOW_READINESS.into(),
                        arguments: Some(vec![serde_json::to_value(&u).unwrap_or(Value::Null)]),
                    }),
                    data: None,
                }])
            })
            .await;
        Ok(r.flatten())
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let r = self
            .analysed(&params.text_document.uri, |a, _, env, pos| {
                crate::features::letter_links(a, &env.letters)
                    .into_iter()
                    .filter_map(|(range, path)| {
                        Some(DocumentLink {
                            range: pos.range(&range),
                            target: Some(Uri::from_file_path(&path)?),
                            tooltip: Some("Open the recommendation letter".into()),
                            data: None,
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .await;
        Ok(r)
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != SHOW_READINESS {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!("unknown command {}", params.command)));
        }
        let Some(arg) = params.arguments.first().cloned() else {
            // No argument (Helix's `:lsp-workspace-command` sends none): the packet
            // opened or edited last, the editor's active one as far as a server can tell.
            return match self.latest_packet_readiness().await {
                Some((uri, t)) => {
                    let name = uri_path(&uri)
                        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                        .unwrap_or_else(|| uri.as_str().rsplit('/').next().unwrap_or_default().to_string());
                    self.client.show_message(MessageType::INFO, format!("Readiness of {name}: {t}")).await;
                    Ok(Some(Value::String(t)))
                }
                None => Err(tower_lsp_server::jsonrpc::Error::invalid_params("no packet is open (or pass a document URI)")),
            };
        };
        let Ok(uri) = serde_json::from_value::<Uri>(arg) else {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params("expected a document URI"));
        };
        let text = self.analysed(&uri, |a, _, _, _| a.readiness.to_string()).await;
        match text {
            Some(t) => {
                self.client.show_message(MessageType::INFO, format!("Readiness: {t}")).await;
                Ok(Some(Value::String(t)))
            }
            None => Ok(None),
        }
    }
}
