//! What the analysis is told about a packet's surroundings: its path, the
//! workspace root, where each letter `file:` led and the letters' text. The
//! caller (`packet-ls-workspace`) looks these up; the analysis does no I/O.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Facts about the packet's surroundings, looked up by the caller.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// The packet's own path, if it has one.
    pub path: Option<PathBuf>,
    /// The workspace root letter files must stay inside.
    pub root: Option<PathBuf>,
    /// What each letter `file:` (as written in front matter) resolved to,
    /// looked up by `packet_ls_workspace::resolve_letters`. A letter whose
    /// file is not in the map is not checked (e.g. an unsaved document).
    pub letters: BTreeMap<String, LetterStatus>,
    /// The text of each letter file found (keyed like `letters`), read by
    /// `packet_ls_workspace::env_for` race-free beneath the root, or why it
    /// could not be read. A found letter without an entry here is taken as
    /// present, its content unchecked.
    pub letter_texts: BTreeMap<String, LetterText>,
}

/// Where a letter's `file:` led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterStatus {
    /// An existing file inside the workspace root (its canonical path).
    Found(PathBuf),
    /// Nothing (or not a regular file) at that path inside the root.
    Missing,
    /// The path leaves the workspace root (`..`, a symlink out).
    OutsideRoot,
    /// An absolute path: letters are named relative to the packet.
    Absolute,
}

/// A letter file's text, or why it is not included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterText {
    Text(String),
    /// The letter could not be included: the sentence says why.
    Unavailable(String),
}

/// What the caller looked up: each letter `file:` (as written) and its text.
pub type Letters = std::collections::BTreeMap<String, LetterText>;

/// The text to put in [`Letters`] for a resolved letter file that was not found
/// or was refused, or `None` for a found one (the caller reads that one).
pub fn unavailable(file: &str, status: Option<&LetterStatus>) -> Option<LetterText> {
    let why = match status {
        Some(LetterStatus::Found(_)) => return None,
        Some(LetterStatus::Missing) | None => format!("Letter file {file} is missing."),
        Some(LetterStatus::OutsideRoot) => format!("Letter file {file} is outside the workspace root and was not included."),
        Some(LetterStatus::Absolute) => format!("Letter file {file} is an absolute path and was not included."),
    };
    Some(LetterText::Unavailable(why))
}
