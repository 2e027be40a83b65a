//! The server's one state: the open documents, what is known about each
//! (its packet.toml, workspace root, settings), the client's capabilities and
//! settings, and the analysis of each document's current version. One owner
//! behind one lock ([`Shared::session`], never held across an `await`):
//! handlers take a [`Snapshot`] of a document under the lock and analyse it
//! on the analysis thread without it, and the analysis of a version is kept
//! ([`Session::analyses`]) so that every request on that version — publish,
//! hover, code lens, code action on each cursor move — reuses it.
//!
//! What is decided about a document is made once and invalidated by the
//! events that can change it: its facts at open (path, nearest packet.toml,
//! workspace root), dropped when a packet.toml changes or the settings do;
//! its settings per (packet.toml, front-matter rubric), dropped likewise.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::Uri;

use crate::config::Settings;
use crate::document::{Document, Splice};
use crate::rubric::{Rubric, DEFAULT_RUBRIC};
use crate::text::Encoding;
use crate::workspace::load::Packet;
use crate::workspace::{self, LoadedConfig};

use super::analysis::{Computed, OwnedAnalysis};
use super::settings::ServerSettings;
use super::store::Store;
use super::worker::Worker;

/// What the client said it can do (`initialize`).
#[derive(Debug, Default, Clone, Copy)]
pub struct ClientCaps {
    pub document_changes: bool,
    /// `workspace.workspaceEdit.resourceOperations` includes `create`.
    pub create_files: bool,
    pub pull_diagnostics: bool,
    pub watch_dynamic: bool,
    pub configuration: bool,
    /// `completionItem.snippetSupport`: completion text goes as snippets.
    pub snippets: bool,
}

/// What is known about an open document without reading its text: made at
/// open, dropped when a packet.toml or the settings change.
#[derive(Debug)]
pub struct Facts {
    /// The file it is, for `file:` URIs.
    pub path: Option<PathBuf>,
    /// Its file name (the last segment of other URIs).
    pub name: String,
    /// An open `packet.toml`: checked as configuration, not as a packet.
    pub is_config: bool,
    /// The nearest `packet.toml` above it, as found (read or not).
    pub config_path: Option<PathBuf>,
    /// That `packet.toml`, loaded (`None`: none, or it could not be read).
    pub config: Option<Arc<LoadedConfig>>,
    /// The folder its letters must stay inside.
    pub root: Option<PathBuf>,
}

impl Facts {
    /// Whether `packet.toml`'s `include` globs list the document.
    pub fn included(&self) -> bool {
        match (&self.path, &self.config) {
            (Some(p), Some(c)) => c.includes(p),
            _ => false,
        }
    }
}

/// The last publish of a document: which generation, and whether it was empty.
#[derive(Debug, Clone, Copy)]
pub struct Published {
    pub generation: u64,
    pub nonempty: bool,
}

#[derive(Default)]
pub struct Session {
    pub store: Store,
    pub enc: Encoding,
    pub settings: ServerSettings,
    pub caps: ClientCaps,
    /// The workspace folders (absolute).
    pub folders: Vec<PathBuf>,
    /// Loaded `packet.toml` files by path (`None`: unreadable).
    pub configs: HashMap<PathBuf, Option<Arc<LoadedConfig>>>,
    /// What each loaded `packet.toml` looked like on disk when it was loaded.
    pub config_signatures: HashMap<PathBuf, Signature>,
    /// `packet.toml` files that have diagnostics published.
    pub config_published: HashSet<PathBuf>,
    /// Each open document's facts.
    facts: HashMap<String, Arc<Facts>>,
    /// Settings by (packet.toml, rubric named in the front matter).
    settings_made: HashMap<(Option<PathBuf>, Option<String>), Arc<Settings>>,
    /// The newest analysis of each document: of its current generation, or
    /// the one before (the next analysis re-parses from it).
    pub analyses: HashMap<String, Arc<Computed>>,
    /// The last publish of each document.
    pub published: HashMap<String, Published>,
    /// Documents with a publishing task, and whether a change came in since
    /// the task took the text (it then goes round again).
    pub pending: HashMap<String, bool>,
    /// Unknown editor rubrics already warned about, with the packet.toml.
    warned_rubrics: HashSet<(String, Option<PathBuf>)>,
}

/// A document's text at one generation and what its analysis needs.
pub struct Snapshot {
    pub key: String,
    pub version: i32,
    pub generation: u64,
    pub text: String,
    pub facts: Arc<Facts>,
    pub enc: Encoding,
    pub max_file_bytes: usize,
    /// The settings for this text, when it is a packet (made or re-used).
    pub settings: Option<Arc<Settings>>,
    /// The previous version's analysis, to re-parse only what changed and
    /// carry over the facts it memoised for the rest.
    pub prev: Option<Arc<Computed>>,
    /// Where the text differs from `prev`'s, from the editor's changes.
    pub splice: Option<Splice>,
    /// A Markdown file that is not a packet by its own name or front matter:
    /// what checking it as a letter needs (the other open documents' text).
    pub letter: Option<LetterInputs>,
}

/// What analysing a document as a letter file needs.
pub struct LetterInputs {
    /// The other open documents: a packet naming the letter may be unsaved.
    pub open: super::letters::OpenDocs,
    pub settings: Arc<Settings>,
}

/// The session and the analysis thread, shared by the handlers.
pub struct Shared {
    pub session: Mutex<Session>,
    pub worker: Worker,
    /// Which packet names each letter file looked up (outside the session
    /// lock: finding one reads the disk).
    pub letter_owners: super::letters::Owners,
    /// Held while deciding and sending a publish, so that a close or a newer
    /// version cannot slip in between (the only other lock; async).
    pub publish_gate: tokio::sync::Mutex<()>,
    /// Publishes written ahead of their tickets (`super::outbox`).
    pub outbox: Arc<super::outbox::Outbox>,
}

impl Shared {
    pub fn new() -> Shared {
        Shared {
            session: Mutex::new(Session { enc: Encoding::Utf16, ..Session::default() }),
            worker: Worker::start(),
            letter_owners: Default::default(),
            publish_gate: tokio::sync::Mutex::new(()),
            outbox: Arc::default(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The analysis of a document's current version: the one kept if there
    /// is one, else made on the analysis thread (and kept). `None`: the
    /// document is not open. Warnings met while making it come back with it.
    pub async fn analysis(self: &Arc<Self>, key: &str) -> Option<(Arc<Computed>, Vec<String>)> {
        {
            let s = self.lock();
            let doc = s.store.get(key)?;
            if let Some(c) = s.analyses.get(key).filter(|c| c.generation == doc.generation) {
                return Some((c.clone(), Vec::new()));
            }
        }
        let me = self.clone();
        let key = key.to_string();
        self.worker.run(move || me.analyse_now(&key, None)).await.ok().flatten()
    }

    /// Analyses a document's current text (if its generation is still
    /// `generation`, when given) on the calling thread, and keeps the result.
    pub fn analyse_now(&self, key: &str, generation: Option<u64>) -> Option<(Arc<Computed>, Vec<String>)> {
        let (snap, warnings) = {
            let mut s = self.lock();
            let doc = s.store.get(key)?;
            if generation.is_some_and(|g| g != doc.generation) {
                return None;
            }
            if let Some(c) = s.analyses.get(key).filter(|c| c.generation == doc.generation) {
                return Some((c.clone(), Vec::new()));
            }
            s.snapshot(key)?
        };
        let key = snap.key.clone();
        let computed = Arc::new(super::analysis::compute(snap, &self.letter_owners));
        let mut s = self.lock();
        // Kept while the document is open and nothing newer is kept.
        if s.store.get(&key).is_some() && s.analyses.get(&key).is_none_or(|c| c.generation < computed.generation) {
            s.analyses.insert(key, computed.clone());
        }
        Some((computed, warnings))
    }
}

impl Default for Shared {
    fn default() -> Self {
        Shared::new()
    }
}

/// What identifies a version of a file on disk: its modification time and length.
pub type Signature = Option<(std::time::SystemTime, u64)>;

pub fn signature(path: &Path) -> Signature {
    std::fs::metadata(path).ok().map(|m| (m.modified().unwrap_or(std::time::SystemTime::UNIX_EPOCH), m.len()))
}

impl Shared {
    /// The open documents to check again as letters after the packet `key`
    /// was analysed as `c` with a changed front matter: the open documents
    /// checked as letters now, and the open files its letter entries lead to.
    /// Their generation is bumped (their own text did not change, their owner's did).
    pub fn touch_open_letters(&self, key: &str, c: &Computed) -> Vec<String> {
        let named: Vec<PathBuf> = c
            .packet()
            .map(|a| {
                a.inputs()
                    .packet
                    .env
                    .letters
                    .values()
                    .filter_map(|s| match s {
                        crate::analysis::LetterStatus::Found(p) => Some(p.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut s = self.lock();
        let uris: Vec<String> = s
            .store
            .uris()
            .into_iter()
            .filter(|u| u != key)
            .filter(|u| {
                let as_letter = s.analyses.get(u).is_some_and(|c| matches!(c.kind, super::analysis::Kind::Letter(_)));
                let path = Uri::from_str(u).ok().as_ref().and_then(uri_path);
                as_letter || path.is_some_and(|p| named.iter().any(|n| *n == p || std::fs::canonicalize(&p).is_ok_and(|r| r == *n)))
            })
            .collect();
        uris.into_iter().filter(|u| s.store.touch(u).is_some()).collect()
    }
}

pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    if uri.scheme().as_str() != "file" {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

pub fn is_config_path(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == workspace::CONFIG_FILE)
}

impl Session {
    /// The facts of an open document, made on first use.
    pub fn facts(&mut self, key: &str) -> Arc<Facts> {
        if let Some(f) = self.facts.get(key) {
            return f.clone();
        }
        let uri = Uri::from_str(key).ok();
        let path = uri.as_ref().and_then(uri_path);
        let name = match &path {
            Some(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            None => key.rsplit('/').next().unwrap_or_default().to_string(),
        };
        let is_config = path.as_deref().is_some_and(is_config_path);
        let config_path = path.as_deref().and_then(|p| workspace::find_config(p.parent()?));
        let config = config_path.as_deref().and_then(|c| self.config_at(c));
        let root = path.as_deref().map(|p| self.root(p));
        let f = Arc::new(Facts { path, name, is_config, config_path, config, root });
        self.facts.insert(key.to_string(), f.clone());
        f
    }

    /// The nearest `packet.toml` above `path`, loaded once.
    pub fn config(&mut self, path: &Path) -> Option<Arc<LoadedConfig>> {
        let cfg_path = workspace::find_config(path.parent()?)?;
        self.config_at(&cfg_path)
    }

    /// The `packet.toml` at `cfg_path`, loaded once.
    fn config_at(&mut self, cfg_path: &Path) -> Option<Arc<LoadedConfig>> {
        if !self.configs.contains_key(cfg_path) {
            self.load_config(cfg_path);
        }
        self.configs.get(cfg_path).cloned().flatten()
    }

    /// (Re)loads the `packet.toml` at `path`, noting what it looked like on disk.
    pub fn load_config(&mut self, path: &Path) {
        let sig = signature(path);
        self.configs.insert(path.to_path_buf(), LoadedConfig::load(path).ok().map(Arc::new));
        self.config_signatures.insert(path.to_path_buf(), sig);
    }

    /// For each open document with a path: its folder and the packet.toml
    /// its facts were made with (`None` when none was found). Documents
    /// whose facts are not made yet are left out (they look when they are).
    pub fn configs_in_use(&self) -> Vec<(PathBuf, Option<PathBuf>)> {
        self.facts
            .values()
            .filter_map(|f| Some((f.path.as_ref()?.parent()?.to_path_buf(), f.config_path.clone())))
            .collect()
    }

    /// The workspace root: the workspace folder holding the document, else
    /// the nearest packet.toml or .git folder, else the document's folder.
    pub fn root(&self, path: &Path) -> PathBuf {
        let abs = workspace::absolute(path);
        let holding = self.folders.iter().filter(|f| abs.starts_with(f)).max_by_key(|f| f.as_os_str().len());
        holding.cloned().unwrap_or_else(|| workspace::workspace_root(path))
    }

    /// Forgets what was decided from packet.toml files and settings: every
    /// document's facts, settings and analysis are made again.
    pub fn invalidate(&mut self) {
        self.facts.clear();
        self.settings_made.clear();
        self.analyses.clear();
    }

    /// Forgets one document (closed).
    pub fn forget(&mut self, key: &str) {
        self.facts.remove(key);
        self.analyses.remove(key);
        self.published.remove(key);
    }

    /// The settings for a packet's text under its config: made once per
    /// (packet.toml, front-matter rubric) while the editor settings hold.
    /// Warns (once per rubric and packet.toml) when the editor's `rubric`
    /// names a rubric that neither is built in nor defined by the packet.toml.
    fn settings_for(&mut self, text: &str, facts: &Facts, warnings: &mut Vec<String>) -> Arc<Settings> {
        let fm_rubric = workspace::front_matter_rubric(text);
        let key = (facts.config.as_ref().map(|c| c.path.clone()), fm_rubric);
        if let Some(s) = self.settings_made.get(&key) {
            return s.clone();
        }
        let editor = self.settings.editor.clone();
        if let Some(name) = editor.rubric.as_deref() {
            let cfg = facts.config.as_deref();
            if !Rubric::is_builtin(name) && !cfg.is_some_and(|c| c.config.rubrics.contains_key(name)) {
                let path = cfg.map(|c| c.path.clone());
                if self.warned_rubrics.insert((name.to_string(), path.clone())) {
                    let fallback = match &path {
                        Some(p) => format!("{} has no [rubrics.{name}], so its own rubric is used", p.display()),
                        None => format!("no packet.toml defines it, so the built-in \"{DEFAULT_RUBRIC}\" rubric is used"),
                    };
                    warnings.push(format!("packet-ls.rubric: \"{name}\" is not a built-in rubric and {fallback}"));
                }
            }
        }
        let settings = Arc::new(workspace::settings_for(text, facts.config.as_deref(), &editor));
        self.settings_made.insert(key, settings.clone());
        settings
    }

    /// The open documents but `except`: the packets among them (decided as
    /// [`Session::snapshot`] decides, from their facts) with their text, and
    /// every path.
    fn open_docs(&mut self, except: &str) -> super::letters::OpenDocs {
        let mut open = super::letters::OpenDocs::default();
        for u in self.store.uris().into_iter().filter(|u| u != except) {
            let facts = self.facts(&u);
            let (Some(path), Some(doc)) = (facts.path.clone(), self.store.get(&u)) else { continue };
            if !facts.is_config && super::letters::is_markdown(&path) {
                let text = doc.text();
                if crate::analysis::is_packet(&facts.name, &text, facts.included()) {
                    open.packets.push((path.clone(), text));
                }
            }
            open.paths.push(path);
        }
        open
    }

    /// A snapshot of a document's current text for its analysis, and the
    /// warnings met making it.
    pub fn snapshot(&mut self, key: &str) -> Option<(Snapshot, Vec<String>)> {
        let facts = self.facts(key);
        // The kept analysis of an earlier version: its text is most of this one's.
        let kept = self.analyses.get(key).cloned();
        let prev_text = kept.as_deref().and_then(|c| c.packet().map(|a| (a.inputs().text.as_str(), c.generation)));
        let doc = self.store.get_mut(key)?;
        let (version, generation, text) = (doc.version, doc.generation, doc.text_from(prev_text));
        let doc = self.store.get(key)?;
        let mut warnings = Vec::new();
        let own_packet = !facts.is_config && crate::analysis::is_packet(&facts.name, &text, false);
        let packet = own_packet || (!facts.is_config && facts.included());
        // Not a packet by its own name or front matter: perhaps a letter a packet names.
        let maybe_letter = match &facts.path {
            Some(p) => !facts.is_config && !own_packet && super::letters::is_markdown(p) && text.len() <= self.settings.max_file_bytes,
            None => false,
        };
        let prev = if packet { kept } else { None };
        let splice = prev.as_ref().and_then(|p| doc.changed_since(p.generation));
        let made = (packet || maybe_letter).then(|| self.settings_for(&text, &facts, &mut warnings));
        let letter = match &made {
            Some(settings) if maybe_letter => Some(LetterInputs { open: self.open_docs(key), settings: settings.clone() }),
            _ => None,
        };
        let settings = made.filter(|_| packet);
        let snap = Snapshot {
            key: key.to_string(),
            version,
            generation,
            text,
            facts,
            enc: self.enc,
            max_file_bytes: self.settings.max_file_bytes,
            settings,
            prev,
            splice,
            letter,
        };
        Some((snap, warnings))
    }
}

impl Snapshot {
    pub fn uri(&self) -> Option<Uri> {
        Uri::from_str(&self.key).ok()
    }

    /// The packet's surroundings (letters resolved and read beneath the
    /// root) for its text `text`.
    pub fn packet(&self, settings: Arc<Settings>, text: &str) -> Packet {
        match &self.facts.path {
            Some(p) => Packet::with_settings(p, text, settings, self.facts.root.as_deref()),
            None => Packet { path: PathBuf::new(), root: PathBuf::new(), settings, env: Default::default() },
        }
    }
}

/// The analysis of a packet snapshot, owned with its text and settings: a
/// re-parse of what changed since the previous version's analysis, whose
/// memoised facts it carries over for the rest. The letters are resolved
/// and read again each time (a letter written outside the editor counts at
/// the next keystroke, in every client; docs/performance.md §5).
pub fn analyse_packet(snap: &Snapshot, settings: Arc<Settings>, text: String) -> OwnedAnalysis {
    let prev = snap.prev.as_deref().and_then(|c| c.packet());
    let packet = snap.packet(settings, &text);
    OwnedAnalysis::new(super::analysis::Inputs { text, packet }, |i| {
        let prev = prev.map(|p| (p.inputs().text.as_str(), &p.analysis().doc));
        let doc = Document::parse_after_splice(&i.text, prev, snap.splice);
        i.packet.analyze_document(doc)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::store::Change;

    const PACKET: &str = "---\npacket: senior-em\n---\n\n# Overview\n\nI lead two teams.\n";

    /// Every request on one version gets the one analysis made for it; a
    /// change, or a packet.toml/settings event, makes a new one.
    #[test]
    fn one_analysis_per_version_is_kept_and_reused() {
        let shared = Shared::new();
        let uri = "file:///tmp/session-test/a.packet.md";
        shared.lock().store.open(uri, PACKET, 1, "markdown");
        let (first, _) = shared.analyse_now(uri, None).unwrap();
        assert!(first.packet().is_some());
        let (again, _) = shared.analyse_now(uri, None).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the same version was analysed twice");

        let change = Change { range: None, text: format!("{PACKET}\nTODO\n") };
        shared.lock().store.change(uri, 2, &[change], Encoding::Utf16).unwrap();
        let (second, _) = shared.analyse_now(uri, None).unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        assert_eq!((second.version, second.generation > first.generation), (2, true));
        // A superseded generation is not analysed.
        assert!(shared.analyse_now(uri, Some(first.generation)).is_none());

        shared.lock().invalidate();
        let (third, _) = shared.analyse_now(uri, None).unwrap();
        assert!(!Arc::ptr_eq(&second, &third), "invalidate keeps no analysis");
        assert_eq!(third.packet().unwrap().analysis().diagnostics, second.packet().unwrap().analysis().diagnostics);
    }

    /// Facts are made once per document and dropped by `invalidate`.
    #[test]
    fn facts_are_made_at_first_use_and_invalidated() {
        let mut s = Session::default();
        let a = s.facts("file:///tmp/session-test/b.packet.md");
        assert_eq!(a.name, "b.packet.md");
        assert!(!a.is_config);
        assert!(Arc::ptr_eq(&a, &s.facts("file:///tmp/session-test/b.packet.md")));
        assert!(s.facts("file:///tmp/session-test/packet.toml").is_config);
        s.invalidate();
        assert!(!Arc::ptr_eq(&a, &s.facts("file:///tmp/session-test/b.packet.md")));
        // A URI that is no file still gets a name.
        assert_eq!(s.facts("untitled:Untitled-1").name, "untitled:Untitled-1");
    }
}
