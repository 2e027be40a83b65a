//! The letter template, shared by `packet-ls init --letter` and the server's
//! "Create letter file" code action: the text of a new letter file for a
//! sponsor's or letter entry (front matter filled from the entry, prompt
//! comments for the relationship, examples and cross-functional work), the
//! file name made from the writer's name, and the one edit that adds
//! `file: letters/<slug>.md` to the entry in the packet's front matter.
//! No I/O: the callers create the file.

use crate::diagnostic::Edit;
use crate::frontmatter::{FrontMatterData, Person};
use crate::letters::same_value;

/// How each prompt comment of the template starts: a comment in a letter
/// that starts with one of these is a prompt left from the template.
pub const PROMPT_LABELS: &[&str] = &[
    "Your relationship:",
    "Examples:",
    "Cross-functional work:",
    "Your recommendation:",
    "How you know ",
    "Why you sponsor ",
    "How the other letters ",
];

/// A file name for a letter from `name`: lowercase letters and digits, other
/// characters as `-` ("Tomás Ortega" → `tomás-ortega`); never empty, never
/// a path (no `/`, `\`, `.`).
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

/// The sponsor's entry (`true`) or the letter entry named `name` (compared
/// as [`same_value`]: case and spacing do not matter).
pub fn entry_named<'f>(front: &'f FrontMatterData, name: &str) -> Option<(&'f Person, bool)> {
    entries(front).find(|(p, _)| p.name.as_ref().is_some_and(|n| same_value(n.text(), name)))
}

/// The sponsor's entry (`true`) then the letter entries (`false`).
pub fn entries(front: &FrontMatterData) -> impl Iterator<Item = (&Person, bool)> {
    front.sponsor.iter().map(|p| (p, true)).chain(front.letters.iter().map(|p| (p, false)))
}

/// The path (relative to the packet's folder, `/`-separated) of `entry`'s
/// letter file: its own `file:` when it has one, else `letters/<slug>.md`
/// of the writer's name (`letters/letter.md` without a name); and whether
/// the packet needs the `file:` key added.
pub fn letter_path(entry: &Person) -> (String, bool) {
    match entry.file_path() {
        Some(f) => (f.trim().to_string(), false),
        None => (format!("letters/{}.md", slug(entry.name.as_ref().map(|n| n.text()).unwrap_or(""))), true),
    }
}

/// The text of a new letter file for `entry` (the sponsor's when
/// `is_sponsor`) about `candidate`, with line ending `eol`: front matter
/// (`writer`, `role`, `relation`, `candidate`, each when known), a title and
/// one prompt comment per part of the letter.
pub fn letter_file_text(entry: &Person, candidate: Option<&str>, is_sponsor: bool, eol: &str) -> String {
    let candidate = candidate.filter(|c| !c.trim().is_empty());
    let who = candidate.unwrap_or("the candidate");
    let mut lines = vec!["---".to_string()];
    let mut key = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            lines.push(format!("{k}: {}", yaml_scalar(v)));
        }
    };
    key("writer", entry.name.as_ref().map(|f| f.text()));
    key("role", entry.role.as_ref().map(|f| f.text()));
    key("relation", entry.relation.as_ref().map(|f| f.text()));
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
        // `--` would end the comment early; `>` could too after it.
        lines.push(format!("<!-- {} -->", p.replace("--", "–")));
        lines.push(String::new());
    }
    let mut s = lines.join(eol);
    s.truncate(s.trim_end().len());
    s.push_str(eol);
    s
}

/// `v` as a YAML scalar: plain when that reads back the same, else double-quoted.
pub fn yaml_scalar(v: &str) -> String {
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

/// The insertion that adds `file: FILE` to `entry` in the packet `text`
/// (line ending `eol`): in a flow mapping before its `}`, in a block mapping
/// as a line of its own under the entry's keys. `None` when the entry's
/// range is not in `text`.
pub fn file_key_edit(text: &str, entry: &Person, file: &str, eol: &str) -> Option<Edit> {
    let r = entry.range.clone();
    let written = text.get(r.clone())?;
    let file = yaml_scalar(file);
    if written.starts_with('{') && written.ends_with('}') {
        let inner = text[..r.end - 1].trim_end();
        let at = inner.len();
        let sep = if inner.ends_with('{') { " " } else { ", " };
        let pad = if inner.ends_with('{') { " " } else { "" };
        return Some(Edit { range: at..at, text: format!("{sep}file: {file}{pad}") });
    }
    // A block mapping: the column of its first key, after the end of its last line.
    let line_start = text[..r.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent = text[line_start..r.start].chars().count();
    let line_end = r.end + text[r.end..].find(['\n', '\r']).unwrap_or(text.len() - r.end);
    Some(Edit { range: line_end..line_end, text: format!("{eol}{}file: {file}", " ".repeat(indent)) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::frontmatter;

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

    #[test]
    fn the_entry_its_path_and_the_key_edit() {
        let text = "---\npacket: senior-em\ncandidate: Jo\nsponsor: { name: Lee, role: director }\nletters:\n  - {name: Ann B}\n  - name: Wei\n    role: engineer\n---\n";
        let doc = Document::parse(text);
        let front = frontmatter::parse(&doc);
        let (ann, sponsor) = entry_named(&front, "ann  b").unwrap();
        assert!(!sponsor);
        assert_eq!(letter_path(ann), ("letters/ann-b.md".to_string(), true));
        let e = file_key_edit(text, ann, "letters/ann-b.md", "\n").unwrap();
        assert_eq!(crate::diagnostic::apply_edits(text, &[e]), text.replace("{name: Ann B}", "{name: Ann B, file: letters/ann-b.md}"));
        let (wei, _) = entry_named(&front, "Wei").unwrap();
        let e = file_key_edit(text, wei, "letters/wei.md", "\n").unwrap();
        assert_eq!(crate::diagnostic::apply_edits(text, &[e]), text.replace("role: engineer\n", "role: engineer\n    file: letters/wei.md\n"));
        assert!(entry_named(&front, "Lee").unwrap().1);
        let t = letter_file_text(wei, Some("Jo"), false, "\n");
        assert!(t.starts_with("---\nwriter: Wei\nrole: engineer\ncandidate: Jo\n---\n# Recommendation for Jo\n\n<!-- Your relationship:"), "{t}");
    }
}
