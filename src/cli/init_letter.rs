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
use crate::frontmatter::{self, Person};
use crate::letters::same_value;
use crate::workspace;

/// A file name for a letter from `name`: lowercase letters and digits, other
/// characters as `-` ("Tomás Ortega" → `tomás-ortega`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "letter".into()
    } else {
        out
    }
}

/// The letter template for `person`'s letter about `candidate`.
pub fn letter_template(person: &Person, candidate: Option<&str>, is_sponsor: bool, eol: &str) -> String {
    let who = candidate.unwrap_or("the candidate");
    let mut lines = vec!["---".to_string()];
    let mut key = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            lines.push(format!("{k}: {}", yaml_scalar(v)));
        }
    };
    key("writer", person.name.as_ref().map(|f| f.text()));
    key("role", person.role.as_ref().map(|f| f.text()));
    key("relation", person.relation.as_ref().map(|f| f.text()));
    key("candidate", candidate);
    lines.push("---".into());
    lines.push(if is_sponsor { format!("# Sponsor's recommendation for {who}") } else { format!("# Recommendation for {who}") });
    lines.push(String::new());
    let prompts: Vec<String> = if is_sponsor {
        vec![
            format!("How you know {who}: you are their manager (or skip-level manager); since when, and what you have seen of their work at the senior engineering manager level."),
            format!("Why you sponsor {who} now: two or three examples of leading across teams and product areas, with their results."),
            format!("Cross-functional work: how {who} works with product, program, design and other partners outside engineering."),
            "How the other letters and the packet fit together, and your recommendation in a sentence or two.".into(),
        ]
    } else {
        vec![
            format!("Your relationship: your role, how you work with {who} (same team, another team, another org) and for how long."),
            format!("Examples: two or three concrete things {who} did that you saw yourself — what they did, how, and the result (figures help)."),
            format!("Cross-functional work: how {who} works with product, program, design or other partners outside engineering."),
            format!("Your recommendation: why {who} is ready for Senior Engineering Manager, in a sentence or two."),
        ]
    };
    for p in prompts {
        lines.push(format!("<!-- {} -->", p.replace("--", "–")));
        lines.push(String::new());
    }
    let mut s = lines.join(eol);
    s.truncate(s.trim_end().len());
    s.push_str(eol);
    s
}

/// `v` as a YAML scalar: plain when that reads back the same, else double-quoted.
fn yaml_scalar(v: &str) -> String {
    let plain = !v.is_empty()
        && !v.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c))
        && !v.ends_with([' ', ':'])
        && !v.contains(": ")
        && !v.contains(" #")
        && !v.contains(['\n', '\r', '\t'])
        && !matches!(v.to_ascii_lowercase().as_str(), "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off")
        && v.parse::<f64>().is_err();
    if plain {
        v.to_string()
    } else {
        let mut out = String::from("\"");
        for c in v.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// Where to insert `file: …` in the entry `p` of `text`, and what: in a flow
/// mapping before its `}`, in a block mapping as a line of its own under
/// the entry's keys.
fn file_key_insertion(text: &str, p: &Person, file: &str, eol: &str) -> Option<(usize, String)> {
    let r = p.range.clone();
    let entry = text.get(r.clone())?;
    if entry.starts_with('{') && entry.ends_with('}') {
        let inner = text[..r.end - 1].trim_end();
        let at = inner.len();
        let sep = if inner.ends_with('{') { " " } else { ", " };
        let pad = if inner.ends_with('{') { " " } else { "" };
        return Some((at, format!("{sep}file: {file}{pad}")));
    }
    // A block mapping: the column of its first key, after the end of its last line.
    let line_start = text[..r.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent = text[line_start..r.start].chars().count();
    let line_end = r.end + text[r.end..].find(['\n', '\r']).unwrap_or(text.len() - r.end);
    Some((line_end, format!("{eol}{}file: {file}", " ".repeat(indent))))
}

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
    let sponsor = front.sponsor.iter().map(|p| (p, true));
    let entries: Vec<(&Person, bool)> = sponsor.chain(front.letters.iter().map(|p| (p, false))).collect();
    let Some(&(person, is_sponsor)) = entries.iter().find(|(p, _)| p.name.as_ref().is_some_and(|n| same_value(n.text(), name))) else {
        let names: Vec<String> = entries.iter().filter_map(|(p, _)| p.name.as_ref().map(|n| format!("\"{}\"", visible(n.text())))).collect();
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
    let (rel, add_key) = match person.file_path() {
        Some(f) => (f.trim().to_string(), false),
        None => (format!("letters/{}.md", slug(writer)), true),
    };
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
    let letter = letter_template(person, candidate, is_sponsor, doc.line_ending);
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
        let Some((at, insert)) = file_key_insertion(&text, person, &rel, doc.line_ending) else {
            return Err(format!("cannot add `file:` to the entry of {} in {shown}", visible(writer)));
        };
        let mut new_text = text.clone();
        new_text.insert_str(at, &insert);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_scalars() {
        assert_eq!(slug("Priya Staff"), "priya-staff");
        assert_eq!(slug("  Tomás  O'Ortega "), "tomás-o-ortega");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("<>"), "letter");
        assert_eq!(yaml_scalar("Dana Example"), "Dana Example");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("#x \"q\""), "\"#x \\\"q\\\"\"");
    }
}
