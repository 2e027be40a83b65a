//! Which packet names a letter file: for a Markdown file opened on its own
//! (in the editor), the packet whose `sponsor:` or `letters:` entry has a
//! `file:` that resolves to it, and so the candidate the letter is about.
//!
//! The search is bounded: the letter's folder and its parents up to the
//! workspace root (at most [`MAX_LEVELS`] of them, [`MAX_FILES_PER_FOLDER`]
//! Markdown files each), then the files the nearest `packet.toml` includes
//! (a walk of its folder, at most [`MAX_WALK`] entries and [`MAX_DEPTH`]
//! folders deep). Only the front matter of each candidate is parsed, and a
//! file over [`MAX_PACKET_BYTES`] is skipped. The result depends only on the
//! files, so callers may cache it until a file changes.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use packet_ls_core::document::{front_matter, Document};
use packet_ls_core::frontmatter;
use packet_ls_core::letter_template::entries;
use packet_ls_core::LetterStatus;

use crate::{absolute, find_config, is_markdown, is_packet_file, read_regular, resolve_letter, LoadedConfig};

pub const MAX_LEVELS: usize = 16;
pub const MAX_FILES_PER_FOLDER: usize = 256;
pub const MAX_WALK: usize = 4096;
pub const MAX_DEPTH: usize = 6;
pub const MAX_PACKET_BYTES: u64 = 1024 * 1024;

/// The packet that names a letter file, and what its entry says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterOwner {
    /// The packet's path.
    pub packet: PathBuf,
    /// The packet's `candidate:`, when it names one.
    pub candidate: Option<String>,
    /// The entry's `name:` (the writer).
    pub writer: Option<String>,
    /// Whether the entry is the sponsor's.
    pub is_sponsor: bool,
}

/// Whether the packet at `packet` (text `text`, workspace root `root`) names
/// the letter whose canonical path is `letter` in its `sponsor:` or
/// `letters:` entries; the entry when it does.
pub fn names_letter(packet: &Path, root: &Path, text: &str, letter: &Path) -> Option<LetterOwner> {
    let end = front_matter(text)?.range.end;
    let doc = Document::front_only(&text[..end]);
    let front = frontmatter::parse(&doc);
    let dir = absolute(packet).parent().map(Path::to_path_buf).unwrap_or_default();
    let (person, is_sponsor) = entries(&front).find(|(p, _)| {
        p.file_path().is_some_and(|f| matches!(resolve_letter(&dir, root, f), LetterStatus::Found(real) if real == letter))
    })?;
    Some(LetterOwner {
        packet: absolute(packet),
        candidate: front.candidate.as_ref().map(|c| c.text().trim().to_string()).filter(|c| !c.is_empty()),
        writer: person.name.as_ref().map(|n| n.text().to_string()),
        is_sponsor,
    })
}

/// The packet on disk that names `letter` as a letter file (see the
/// module's bounds), nearest folder first; `None` when none does (an
/// ordinary Markdown file). `skip` lists packets not to read from disk (the
/// caller checked their editor text already).
pub fn find_owner(letter: &Path, root: &Path, skip: &[PathBuf]) -> Option<LetterOwner> {
    let real = fs::canonicalize(letter).ok()?;
    let root = absolute(root);
    let letter_abs = absolute(letter);
    let mut seen: HashSet<PathBuf> = skip.iter().map(|p| absolute(p)).collect();
    seen.insert(letter_abs.clone());
    let mut check = |path: PathBuf, config: Option<&LoadedConfig>| -> Option<LetterOwner> {
        if !seen.insert(path.clone()) {
            return None;
        }
        let bytes = read_regular(&path, MAX_PACKET_BYTES).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        if !is_packet_file(&path, &text, config) {
            return None;
        }
        names_letter(&path, &root, &text, &real)
    };
    // The letter's folder and its parents, up to the root.
    let start = letter_abs.parent()?.to_path_buf();
    for dir in start.ancestors().take(MAX_LEVELS) {
        if !dir.starts_with(&root) {
            break;
        }
        let config = find_config(dir).and_then(|c| LoadedConfig::load(&c).ok());
        for path in markdown_files(dir) {
            if let Some(o) = check(path, config.as_ref()) {
                return Some(o);
            }
        }
        if dir == root {
            break;
        }
    }
    // The packets the nearest packet.toml includes, wherever they are beneath it.
    let config = find_config(&start).and_then(|c| LoadedConfig::load(&c).ok())?;
    if !config.config.has_include() || !config.dir().starts_with(&root) {
        return None;
    }
    let mut stack = vec![(config.dir().to_path_buf(), 0usize)];
    let mut walked = 0;
    while let Some((dir, depth)) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        for entry in rd.filter_map(Result::ok) {
            walked += 1;
            if walked > MAX_WALK {
                return None;
            }
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_dir() {
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if depth < MAX_DEPTH && !hidden {
                    stack.push((path, depth + 1));
                }
            } else if kind.is_file() && is_markdown(&path) && config.includes(&path) {
                if let Some(o) = check(path, Some(&config)) {
                    return Some(o);
                }
            }
        }
    }
    None
}

/// The Markdown files directly in `dir` (regular files, not symlinks), at
/// most [`MAX_FILES_PER_FOLDER`], `*.packet.md` first, then by name.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| is_markdown(p))
        .take(MAX_FILES_PER_FOLDER)
        .collect();
    let packet_first = |p: &PathBuf| !p.to_string_lossy().to_ascii_lowercase().ends_with(".packet.md");
    files.sort_by(|a, b| (packet_first(a), a).cmp(&(packet_first(b), b)));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_packet_in_a_parent_folder_or_included_elsewhere() {
        let tmp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir_all(root.join("letters")).unwrap();
        fs::write(root.join("letters/ann.md"), "Dana is great.").unwrap();
        fs::write(root.join("letters/stray.md"), "x").unwrap();
        fs::write(root.join("notes.md"), "---\nletters:\n  - { name: Ann, file: letters/ann.md }\n---\n").unwrap();
        // Not a packet (no `packet:` key, not `.packet.md`): it does not count.
        assert_eq!(find_owner(&root.join("letters/ann.md"), &root, &[]), None);
        fs::write(root.join("dana.packet.md"), "---\ncandidate: Dana Example\nsponsor: {name: Lee, file: letters/ann.md}\n---\n").unwrap();
        let o = find_owner(&root.join("letters/ann.md"), &root, &[]).unwrap();
        assert_eq!(o, LetterOwner { packet: root.join("dana.packet.md"), candidate: Some("Dana Example".into()), writer: Some("Lee".into()), is_sponsor: true });
        assert_eq!(find_owner(&root.join("letters/stray.md"), &root, &[]), None);
        // Skipped (the editor has its text): not read from disk.
        assert_eq!(find_owner(&root.join("letters/ann.md"), &root, &[root.join("dana.packet.md")]), None);
        // A packet in a sibling folder, included by packet.toml.
        fs::remove_file(root.join("dana.packet.md")).unwrap();
        fs::create_dir_all(root.join("packets")).unwrap();
        fs::write(root.join("packet.toml"), "include = [\"packets/*.md\"]\n").unwrap();
        fs::write(root.join("packets/dana.md"), "---\ncandidate: Dana\nletters:\n  - { name: Ann, file: ../letters/ann.md }\n---\n").unwrap();
        let o = find_owner(&root.join("letters/ann.md"), &root, &[]).unwrap();
        assert_eq!((o.packet, o.candidate, o.is_sponsor), (root.join("packets/dana.md"), Some("Dana".into()), false));
    }
}
