//! The one path from a file and its text to its analysis: detect whether it
//! is a packet, make its settings (its `packet.toml`, the rubric its front
//! matter names, the editor's overrides), look up its surroundings (the
//! workspace root, the letters resolved and read beneath it), analyse.
//! `check`, `bundle`, `report`, the server and the tests all go this way, so
//! a packet gets the same diagnostics wherever it is checked.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use packet_ls_core::analysis::{analyze, analyze_document, Analysis, Env};
use packet_ls_core::config::{EditorOverrides, Settings};
use packet_ls_core::document::Document;

use crate::{env_in_root, find_config, is_packet_file, settings_for, workspace_root, LoadedConfig};

/// A packet on disk (or in an editor) with what its analysis needs.
#[derive(Debug, Clone)]
pub struct Packet {
    pub path: PathBuf,
    /// The folder letter files must stay inside.
    pub root: PathBuf,
    pub settings: Arc<Settings>,
    /// The packet's surroundings: path, root, letters resolved and read.
    pub env: Env,
}

impl Packet {
    /// The packet at `path` with text `text`, or `None` when the file is not
    /// a packet (spec §1). `config` is its nearest `packet.toml` (see
    /// [`nearest_config`]); `root` the workspace root when the caller knows
    /// it (the editor's workspace folder), else [`workspace_root`].
    pub fn detect(path: &Path, text: &str, config: Option<&LoadedConfig>, editor: &EditorOverrides, root: Option<&Path>) -> Option<Packet> {
        if !is_packet_file(path, text, config) {
            return None;
        }
        Some(Packet::with_settings(path, text, Arc::new(settings_for(text, config, editor)), root))
    }

    /// A file already known to be a packet, under settings the caller made
    /// (the server keeps them across keystrokes).
    pub fn with_settings(path: &Path, text: &str, settings: Arc<Settings>, root: Option<&Path>) -> Packet {
        let root = root.map(Path::to_path_buf).unwrap_or_else(|| workspace_root(path));
        let env = env_in_root(path, &root, text);
        Packet { path: path.to_path_buf(), root, settings, env }
    }

    /// Looks the letters up again for a changed text (after `--fix`).
    pub fn refresh(&mut self, text: &str) {
        self.env = env_in_root(&self.path, &self.root, text);
    }

    /// The analysis of `text` (the packet's text).
    pub fn analyze<'t>(&self, text: &'t str) -> Analysis<'t, '_> {
        analyze(text, &self.settings, &self.env)
    }

    /// [`Packet::analyze`] of a document already parsed.
    pub fn analyze_document<'t>(&self, doc: Document<'t>) -> Analysis<'t, '_> {
        analyze_document(doc, &self.settings, &self.env)
    }
}

/// The nearest `packet.toml` above `path`, loaded (`None`: none, or unreadable).
pub fn nearest_config(path: &Path) -> Option<LoadedConfig> {
    let dir = crate::absolute(path).parent().map(Path::to_path_buf).unwrap_or_default();
    find_config(&dir).and_then(|c| LoadedConfig::load(&c).ok())
}
