//! Letter files in the language server, kept apart from the handlers so that
//! they only call in (from `session`, `analysis` and `handlers/`):
//!
//! - a Markdown file that some packet names as a letter (`file:` of a
//!   `sponsor:` or `letters:` entry) is analysed as a letter when opened:
//!   [`letter_document`];
//! - on a letter entry without `file:`, or whose file does not exist, the
//!   code action "Create letter file letters/<slug>.md": [`create_letter_actions`];
//! - when a letter file changes on disk or is saved, the open packets that
//!   name it (and the open letters) are checked again: [`to_recheck`].
//!
//! Functions take plain inputs (texts, paths, URIs, capability flags) and
//! build protocol values through [`super::convert`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

use tower_lsp_server::ls_types::{self as lsp, CodeAction, CodeActionKind, NumberOrString, Uri};

use super::convert::{self, Positions};
use super::store::Store;
use crate::config::Settings;
use crate::document::Document;
use crate::frontmatter;
use crate::letter_template::{entries, file_key_edit, letter_file_text, letter_path};
use crate::text::{Encoding, LineIndex};
use crate::workspace::owner::{find_owner, names_letter, LetterOwner};
use crate::workspace;
use crate::LetterStatus;

/// The command a "Create letter file" action runs when the client cannot
/// create files: its one argument, a sentence, is shown with `window/showMessage`.
pub const LETTER_NOTICE: &str = "packet-ls.letterNotice";

/// Which packet names each letter file looked up (`None`: none does), so a
/// letter's keystrokes do not search the disk again. Emptied when a
/// Markdown file or a packet.toml changes on disk ([`Owners::clear`]).
#[derive(Debug, Default)]
pub struct Owners(Mutex<HashMap<PathBuf, Option<LetterOwner>>>);

impl Owners {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<LetterOwner>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets every lookup; returns the letters that had a packet.
    pub fn clear(&self) -> Vec<PathBuf> {
        let mut m = self.lock();
        let letters = m.iter().filter(|(_, o)| o.is_some()).map(|(p, _)| p.clone()).collect();
        m.clear();
        letters
    }

    /// The packet naming `letter`: an open packet's editor text first, else
    /// the disk (cached; the open documents are not read from there).
    pub fn owner(&self, letter: &Path, root: &Path, open: &OpenDocs) -> Option<LetterOwner> {
        let real = std::fs::canonicalize(letter).ok()?;
        for (path, text) in open.packets.iter().filter(|(p, _)| p != letter) {
            if let Some(o) = names_letter(path, root, text, &real) {
                return Some(o);
            }
        }
        let key = workspace::absolute(letter);
        if let Some(known) = self.lock().get(&key) {
            return known.clone();
        }
        let found = find_owner(letter, root, &open.paths);
        self.lock().insert(key, found.clone());
        found
    }
}

/// The other open documents, as a letter's owner is looked for among them.
#[derive(Debug, Default)]
pub struct OpenDocs {
    /// The open packets (as the session decides it) with their editor text:
    /// a packet naming the letter may be unsaved.
    pub packets: Vec<(PathBuf, String)>,
    /// Every other open document's path (not read from disk for the owner).
    pub paths: Vec<PathBuf>,
}

pub use crate::workspace::is_markdown;

/// The diagnostics of the document at `path` (`text`, version `version`)
/// when it is a letter file some packet names ([`Owners::owner`]), under
/// `settings` (its severities and `off`); `None` when it is not a letter.
/// The candidate is the naming packet's.
#[allow(clippy::too_many_arguments)]
pub fn letter_document(
    owners: &Owners,
    path: &Path,
    root: &Path,
    text: &str,
    open: &OpenDocs,
    settings: &Settings,
    uri: &Uri,
    version: i32,
    enc: Encoding,
) -> Option<Vec<lsp::Diagnostic>> {
    if !is_markdown(path) {
        return None;
    }
    let owner = owners.owner(path, root, open)?;
    let mut found = crate::letters::letter_diagnostics(text, owner.candidate.as_deref());
    crate::analysis::apply_levels(settings, &mut found);
    crate::cap::cap_per_rule(&mut found);
    let index = LineIndex::new(text);
    let pos = Positions { text, index: &index, enc };
    Some(found.iter().map(|d| convert::diagnostic(&pos, uri, version, d)).collect())
}

/// What the client can do with a workspace edit.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditCaps {
    /// `workspace.workspaceEdit.documentChanges`.
    pub document_changes: bool,
    /// `workspace.workspaceEdit.resourceOperations` contains `"create"`.
    pub create_files: bool,
}

/// The "Create letter file" actions for the packet `text` (at `path`, URI
/// `uri`, version `version`, workspace root `root`) on the letter entries
/// that `range` touches and whose letter file is not there: one per entry
/// without `file:` or whose `file:` does not exist (inside the root). With
/// `caps.create_files` one `WorkspaceEdit`: create the file, insert the
/// letter template into it, add `file:` to the entry; else only the `file:`
/// key, the title and a message (the action's command) saying how to create
/// the file. `sent` are the diagnostics the client sent with the request (a
/// `letter-not-found` on the entry is named as the one the action fixes).
#[allow(clippy::too_many_arguments)]
pub fn create_letter_actions(
    uri: &Uri,
    path: &Path,
    root: &Path,
    text: &str,
    version: i32,
    range: lsp::Range,
    enc: Encoding,
    caps: EditCaps,
    sent: &[lsp::Diagnostic],
) -> Vec<CodeAction> {
    let mut out = Vec::new();
    let Some(fm) = crate::document::front_matter(text) else { return out };
    let doc = Document::front_only(&text[..fm.range.end]);
    let front = frontmatter::parse(&doc);
    if !front.parsed() {
        return out;
    }
    let index = LineIndex::new(text);
    let pos = Positions { text, index: &index, enc };
    let (from, to) = (pos.offset(range.start), pos.offset(range.end));
    let dir = workspace::absolute(path).parent().map(Path::to_path_buf).unwrap_or_default();
    let root = workspace::absolute(root);
    let candidate = front.candidate.as_ref().map(|c| c.text()).filter(|c| !c.trim().is_empty());
    for (person, is_sponsor) in entries(&front) {
        // The entry's whole lines: the cursor anywhere on `sponsor: {…}` or `- {…}`.
        let line_start = text[..person.range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let line_end = person.range.end + text[person.range.end..].find(['\n', '\r']).unwrap_or(text.len() - person.range.end);
        if line_start > to || from > line_end {
            continue;
        }
        let Some(writer) = person.name.as_ref().map(|n| n.text().trim()).filter(|n| !n.is_empty()) else { continue };
        let (rel, add_key) = letter_path(person);
        let status = workspace::resolve_letter(&dir, &root, &rel);
        let target = workspace::normalize(&dir.join(&rel));
        let exists = match status {
            LetterStatus::Found(_) => true,
            LetterStatus::Missing => std::fs::symlink_metadata(&target).is_ok(),
            LetterStatus::OutsideRoot | LetterStatus::Absolute => continue,
        };
        if exists && !add_key {
            continue; // the entry's letter is there
        }
        let key_edits = if add_key {
            match file_key_edit(text, person, &rel, doc.line_ending) {
                Some(e) => convert::edits(&pos, &[e]),
                None => continue,
            }
        } else {
            Vec::new()
        };
        let fixes: Vec<lsp::Diagnostic> = sent
            .iter()
            .filter(|d| d.source.as_deref() == Some("packet-ls") && d.code == Some(NumberOrString::String("letter-not-found".into())))
            .filter(|d| {
                let (s, e) = (pos.offset(d.range.start), pos.offset(d.range.end));
                person.range.start <= s && e <= person.range.end
            })
            .cloned()
            .collect();
        let init = format!("packet-ls init --letter \"{writer}\"");
        let action = if exists {
            // letters/<slug>.md is there already: only the key.
            CodeAction {
                title: format!("Add `file: {rel}` to the entry of {writer} (the file exists)"),
                edit: Some(convert::workspace_edit(uri, Some(version), key_edits, caps.document_changes)),
                ..Default::default()
            }
        } else if caps.create_files && caps.document_changes {
            let Some(file_uri) = Uri::from_file_path(&target) else { continue };
            let letter = letter_file_text(person, candidate, is_sponsor, doc.line_ending);
            CodeAction {
                title: format!("Create letter file {rel}"),
                edit: Some(convert::create_file_edit(&file_uri, letter, uri, Some(version), key_edits)),
                ..Default::default()
            }
        } else if add_key {
            let notice = format!("Added `file: {rel}` to the entry of {writer}; this editor cannot create files from the server: create {rel} with `{init}` (it writes the letter template).");
            CodeAction {
                title: format!("Add `file: {rel}` (then create the file: `{init}`)"),
                edit: Some(convert::workspace_edit(uri, Some(version), key_edits, caps.document_changes)),
                command: Some(convert::notice_command(LETTER_NOTICE, &notice)),
                ..Default::default()
            }
        } else {
            let notice = format!("{rel} does not exist and this editor cannot create files from the server: create it with `{init}` (it writes the letter template).");
            CodeAction {
                title: format!("Create letter file {rel}: run `{init}`"),
                command: Some(convert::notice_command(LETTER_NOTICE, &notice)),
                ..Default::default()
            }
        };
        out.push(CodeAction {
            kind: Some(CodeActionKind::QUICKFIX),
            is_preferred: (!fixes.is_empty()).then_some(true),
            diagnostics: (!fixes.is_empty()).then_some(fixes),
            ..action
        });
    }
    out
}

/// The open documents to check again after the Markdown files `changed`
/// changed on disk (or were saved): the open packets whose front matter
/// names one of them as a letter file, and the open letters (the packet
/// naming them may have changed). `letters` are the letters known to have a
/// packet ([`Owners::clear`]).
pub fn to_recheck(store: &Store, changed: &[PathBuf], letters: &[PathBuf]) -> Vec<String> {
    let changed: Vec<PathBuf> = changed.iter().map(|p| workspace::absolute(p)).collect();
    let real: Vec<PathBuf> = changed.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
    let mut out = Vec::new();
    for u in store.uris() {
        let Some(path) = Uri::from_str(&u).ok().and_then(|uri| uri.to_file_path().map(|p| p.into_owned())) else { continue };
        let abs = workspace::absolute(&path);
        if letters.contains(&abs) {
            out.push(u);
            continue;
        }
        let Some(text) = store.get(&u).map(|d| d.rope.to_string()) else { continue };
        if names_any(&abs, &text, &changed, &real) {
            out.push(u);
        }
    }
    out
}

/// Whether the front matter of `text` (a document at `path`) has a letter
/// `file:` that leads to one of `changed` (as written, or resolved through symlinks).
fn names_any(path: &Path, text: &str, changed: &[PathBuf], real: &[PathBuf]) -> bool {
    let Some(fm) = crate::document::front_matter(text) else { return false };
    let doc = Document::front_only(&text[..fm.range.end]);
    let front = frontmatter::parse(&doc);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let named = front.letter_files().filter_map(|p| p.file_path()).any(|f| {
        let joined = workspace::normalize(&dir.join(f.trim()));
        changed.contains(&joined) || std::fs::canonicalize(&joined).is_ok_and(|r| real.contains(&r))
    });
    named
}
