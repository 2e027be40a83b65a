//! `packet-ls init --letter NAME [PACKET]`: starts the letter file of the
//! entry named NAME (a recommender in `letters:`, or the sponsor) from a
//! letter template — front matter filled from the entry, prompt comments for
//! the relationship, examples and cross-functional work — at
//! `letters/<writer-slug>.md` next to the packet, and adds `file:` to the
//! entry (one insertion in the front matter, nothing else touched). Never
//! overwrites a file. Exit 0, or 2 on a usage or I/O error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::output::{shown_path, visible};
use crate::document::Document;
use crate::frontmatter;
use crate::letter_template::{entries, entry_named, file_key_edit, letter_file_text, letter_path};
use crate::workspace;

/// The packet `init --letter` works on when none is named: `promotion.packet.md`,
/// else the only `*.packet.md` in the current folder.
fn default_packet() -> Result<PathBuf, String> {
    let p = PathBuf::from("promotion.packet.md");
    if p.is_file() {
        return Ok(p);
    }
    let found: Vec<PathBuf> = std::fs::read_dir(".")
        .map_err(|e| format!("cannot list the current folder: {e}"))?
        .filter_map(Result::ok)
        .map(|e| PathBuf::from(e.file_name()))
        .filter(|p| p.to_string_lossy().to_ascii_lowercase().ends_with(".packet.md") && p.is_file())
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err("no packet here: name it (`packet-ls init --letter NAME PACKET`)".into()),
        _ => Err("several packets here: name the one to use (`packet-ls init --letter NAME PACKET`)".into()),
    }
}

fn init_letter(name: &str, packet: Option<PathBuf>) -> Result<String, String> {
    let packet = match packet {
        Some(p) => p,
        None => default_packet()?,
    };
    let shown = shown_path(&packet);
    let bytes = std::fs::read(&packet).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{shown} is not valid UTF-8 text"))?;
    let doc = Document::parse(&text);
    let front = frontmatter::parse(&doc);
    if !front.parsed() || !front.present {
        return Err(format!("{shown} has no valid front matter naming its letters; run `packet-ls check {shown}`"));
    }
    let Some((person, is_sponsor)) = entry_named(&front, name) else {
        let names: Vec<String> = entries(&front).filter_map(|(p, _)| p.name.as_ref().map(|n| format!("\"{}\"", visible(n.text())))).collect();
        return Err(format!(
            "{shown} has no sponsor or letter entry named \"{}\"{}",
            visible(name),
            if names.is_empty() { String::new() } else { format!("; its entries: {}", names.join(", ")) }
        ));
    };
    let writer = person.name.as_ref().map(|n| n.text()).unwrap_or(name);
    let dir = workspace::absolute(&packet).parent().map(Path::to_path_buf).unwrap_or_default();
    let root = workspace::workspace_root(&packet);
    // The entry's own `file:` when it has one (its file is missing), else letters/<slug>.md.
    let (rel, add_key) = letter_path(person);
    let target = workspace::absolute(&dir.join(&rel));
    if !target.starts_with(workspace::absolute(&root)) || Path::new(&rel).is_absolute() {
        return Err(format!("refusing to create {}: it is outside the workspace root", visible(&rel)));
    }
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(format!("{} already exists; not overwriting it", visible(&rel)));
    }
    let folder = target.parent().unwrap_or(&dir).to_path_buf();
    std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    // The folder may be (or pass through) a symlink: it must still be inside the root.
    let (Ok(real_folder), Ok(real_root)) = (std::fs::canonicalize(&folder), std::fs::canonicalize(&root)) else {
        return Err(format!("cannot resolve {}", folder.display()));
    };
    if !real_folder.starts_with(&real_root) {
        return Err(format!("refusing to create {}: its folder leads outside the workspace root", visible(&rel)));
    }
    let candidate = front.candidate.as_ref().map(|f| f.text()).filter(|c| !c.trim().is_empty());
    let letter = letter_file_text(person, candidate, is_sponsor, doc.line_ending);
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(real_folder.join(target.file_name().unwrap_or_default()))
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => format!("{} already exists; not overwriting it", visible(&rel)),
                _ => format!("cannot create {}: {e}", visible(&rel)),
            })?;
        f.write_all(letter.as_bytes()).map_err(|e| format!("cannot write {}: {e}", visible(&rel)))?;
    }
    let mut message = format!("Wrote {} from the letter template for {}.", visible(&rel), visible(writer));
    if add_key {
        let Some(edit) = file_key_edit(&text, person, &rel, doc.line_ending) else {
            return Err(format!("cannot add `file:` to the entry of {} in {shown}", visible(writer)));
        };
        let new_text = crate::diagnostic::apply_edits(&text, &[edit]);
        if let Err(e) = super::check::write_fixed(&packet, text.as_bytes(), &new_text) {
            // Leave things as they were: the packet unchanged, no orphan letter.
            let _ = std::fs::remove_file(real_folder.join(target.file_name().unwrap_or_default()));
            return Err(format!("{shown}: {e}"));
        }
        message.push_str(&format!("\nAdded `file: {}` to the entry of {} in {shown}.", visible(&rel), visible(writer)));
    }
    message.push_str(&format!(
        "\nNext: {} writes the letter (its prompt comments say what goes in it), then run `packet-ls check {shown}`.",
        if is_sponsor { "the sponsor" } else { "the writer" }
    ));
    Ok(message)
}

pub fn run(name: &str, packet: Option<PathBuf>) -> ExitCode {
    match init_letter(name, packet) {
        Ok(m) => {
            println!("{m}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("packet-ls: {e}");
            ExitCode::from(2)
        }
    }
}
