//! Editor features computed from an analysis, as plain values (byte ranges,
//! strings): the section tree, folds, hover text, completions, letter links.
//! The server converts these to protocol types; nothing here knows LSP.

use std::ops::Range;
use std::path::PathBuf;

use crate::analysis::{Analysis, LetterStatus};
use crate::document::Document;
use crate::frontmatter::{LetterKind, Relation, Role};
use crate::outline::{How, Slot};
use crate::rubric::{Rubric, SectionKind, SectionSpec};

/// A heading and the headings under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub title: String,
    pub level: u8,
    /// The whole section, heading to end (trailing line breaks excluded).
    pub range: Range<usize>,
    /// The heading line.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// The end of a section without the line breaks and blank lines that close it.
fn trimmed_end(doc: &Document, start: usize, end: usize) -> usize {
    let mut e = end;
    while e > start && doc.text.as_bytes()[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    e.max(start)
}

pub fn symbols(doc: &Document) -> Vec<Symbol> {
    fn build(doc: &Document, h: usize) -> Symbol {
        let head = &doc.headings[h];
        Symbol {
            title: doc.title(h).to_string(),
            level: head.level,
            range: head.line.start..trimmed_end(doc, head.line.end, head.end),
            selection: head.line.clone(),
            children: doc.children(h).iter().map(|&c| build(doc, c)).collect(),
        }
    }
    doc.roots.iter().map(|&h| build(doc, h)).collect()
}

/// Foldable regions: the front matter and every section, as (first line, last line).
pub fn folds(doc: &Document) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    if let Some(fm) = &doc.front_matter {
        let a = doc.index.line_of(fm.range.start) as u32;
        let b = doc.index.line_of(fm.range.end.saturating_sub(1)) as u32;
        if b > a {
            out.push((a, b));
        }
    }
    for h in &doc.headings {
        let a = doc.index.line_of(h.line.start) as u32;
        let end = trimmed_end(doc, h.line.end, h.end);
        let b = doc.index.line_of(end) as u32;
        if b > a {
            out.push((a, b));
        }
    }
    out
}

/// The slot (rubric section) a heading stands for, if any.
pub fn slot_of<'a, 'r>(a: &'a Analysis<'_, 'r>, h: usize) -> Option<&'a Slot<'r>> {
    a.outline.walk().into_iter().find(|s| s.heading() == Some(h) || s.duplicates.contains(&h))
}

/// The heading whose line holds `offset`.
pub fn heading_at(doc: &Document, offset: usize) -> Option<usize> {
    doc.headings.iter().position(|h| h.line.start <= offset && offset <= h.line.end)
}

/// Markdown for a hover on the heading at `offset`, or on a letter entry in front matter.
pub fn hover(a: &Analysis, rubric: &Rubric, offset: usize) -> Option<(Range<usize>, String)> {
    if let Some(sponsor) = a.front.sponsor.as_ref().filter(|s| s.range.start <= offset && offset <= s.range.end) {
        let who = sponsor.name.as_ref().map(|n| n.text().to_string()).unwrap_or_else(|| "The sponsor".into());
        let letter = match (a.readiness.sponsor_letter, sponsor.file_path()) {
            (true, Some(f)) => format!("Sponsor's letter: present (`{f}`)."),
            (false, Some(f)) => format!("Sponsor's letter: missing (`{f}` is not there)."),
            (_, None) => "Sponsor's letter: missing — add `file:` to this entry (e.g. `file: letters/sponsor.md`); the package is not ready to submit without it.".to_string(),
        };
        return Some((sponsor.range.clone(), format!("**{who}** is the sponsor.\n\n{letter}\n\nReadiness: {}", a.readiness)));
    }
    if let Some(letter) = a.front.letter_at(offset) {
        let kinds = letter.kinds();
        let who = letter.name.as_ref().map(|n| n.text().to_string()).unwrap_or_else(|| "This letter".into());
        let text = if kinds.is_empty() {
            format!(
                "**{who}** covers none of the three required letter kinds:\n\n{}",
                LetterKind::ALL.iter().map(|k| format!("- {}", k.describe())).collect::<Vec<_>>().join("\n")
            )
        } else {
            format!(
                "**{who}** covers the required kind: {}",
                kinds.iter().map(|k| k.describe()).collect::<Vec<_>>().join("; ")
            )
        };
        return Some((letter.range.clone(), text));
    }
    let doc = &a.doc;
    let h = heading_at(doc, offset)?;
    let range = doc.headings[h].line.clone();
    let mut text = String::new();
    match slot_of(a, h) {
        Some(slot) => {
            text.push_str(&format!("**{}**", slot.spec.title));
            if let Some(f) = slot.found {
                match f.how {
                    How::Exact => {}
                    How::WrongLevel => text.push_str(&format!(" — should be an H{} heading", f.level)),
                    How::NearMiss => text.push_str(&format!(" — written \"{}\", the rename fix gives the title", doc.title(f.heading))),
                }
            }
            text.push_str("\n\n");
            text.push_str(&slot.spec.expect);
            text.push_str("\n\n");
            text.push_str(&status(a, rubric, slot, h));
        }
        None => {
            // An initiative, component or value: describe it through its container.
            let parent = doc.headings[h].parent.and_then(|p| slot_of(a, p));
            match parent.and_then(|p| p.items.iter().find(|i| i.heading == h).map(|i| (p, i))) {
                Some((p, item)) => {
                    text.push_str(&format!("**{}** in *{}*\n\n", doc.title(h), p.spec.title));
                    if !item.children.is_empty() {
                        // Complete as the readiness summary counts it: every
                        // subsection there and written.
                        let missing: Vec<&str> =
                            item.children.iter().filter(|c| c.found.is_none()).map(|c| c.spec.title.as_str()).collect();
                        let unwritten: Vec<&str> = item
                            .children
                            .iter()
                            .filter(|c| c.heading().is_some_and(|h| !crate::substance::section_is_written(doc, h)))
                            .map(|c| c.spec.title.as_str())
                            .collect();
                        if crate::readiness::initiative_complete(doc, item) {
                            text.push_str("Complete: ");
                        } else {
                            let mut gaps = Vec::new();
                            if !missing.is_empty() {
                                gaps.push(format!("missing: {}", missing.join(", ")));
                            }
                            if !unwritten.is_empty() {
                                gaps.push(format!("still to write: {}", unwritten.join(", ")));
                            }
                            text.push_str(&format!("Not complete ({}). Needs: ", gaps.join("; ")));
                        }
                        text.push_str(
                            &rubric.initiative_subsections.iter().map(|s| s.title.as_str()).collect::<Vec<_>>().join(", "),
                        );
                        text.push('.');
                    }
                    text.push_str(&format!("\n\n{} words.", doc.words_in(h)));
                }
                None => return None,
            }
        }
    }
    Some((range, text))
}

fn status(a: &Analysis, rubric: &Rubric, slot: &Slot, h: usize) -> String {
    let doc = &a.doc;
    let mut parts = Vec::new();
    let words = doc.words_in(h);
    if doc.has_content(h) {
        parts.push(format!("{words} words"));
    } else {
        parts.push("empty".to_string());
    }
    if slot.spec.min_words > 0 {
        parts.push(format!("minimum {} words", slot.spec.min_words));
    }
    let missing: Vec<&str> = slot.children.iter().filter(|c| c.found.is_none()).map(|c| c.spec.title.as_str()).collect();
    if !slot.children.is_empty() {
        if missing.is_empty() {
            parts.push("all subsections present".into());
        } else {
            parts.push(format!("missing: {}", missing.join(", ")));
        }
    }
    let n = slot.items.len();
    match slot.spec.kind {
        Some(SectionKind::Initiatives) => {
            let counts = crate::substance::item_counts(doc, &slot.items);
            let (complete, written) = (counts.complete as usize, counts.written);
            parts.push(format!("{written} of at least {} initiatives with content, {complete} complete", rubric.min_initiatives));
        }
        Some(SectionKind::Components) => {
            let written = crate::substance::written_count(doc, &slot.items);
            parts.push(format!("{written} of at least {} components with content", rubric.min_components))
        }
        Some(SectionKind::Values) => parts.push(format!("{n} values")),
        _ if n > 0 => parts.push(format!("{n} items")),
        _ => {}
    }
    // (Not the section's diagnostics: the editor shows them already, above
    // the hover and in its problems list.)
    format!("Status: {}.", parts.join(" · "))
}

/// A completion: what to show and what replaces `range`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub kind: CompletionKind,
    pub label: String,
    pub detail: String,
    pub insert: String,
    pub range: Range<usize>,
    /// What the client filters on (and, in Neovim, what the menu inserts
    /// when it differs from what is typed): `insert` for headings, else `label`.
    pub filter: String,
    /// Sorts before others (a section still missing).
    pub missing: bool,
}

/// What a completion inserts (the client shows a different icon for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A section heading of the rubric.
    Section,
    /// A front-matter key.
    Key,
    /// A front-matter value (a role, a relation).
    Value,
}

const TOP_KEYS: &[(&str, &str)] = &[
    ("packet", "packet: senior-em"),
    ("candidate", "candidate: "),
    ("target", "target: Senior Engineering Manager"),
    ("sponsor", "sponsor: { name: , relation: direct-manager, role: director }"),
    ("letters", "letters:\n  - { name: , role: staff-engineer, relation: same-team }"),
];
const ENTRY_KEYS: &[&str] = &["name", "role", "relation", "file", "exception"];

/// Completions at `offset`: section headings after `#`, front-matter keys and values.
pub fn completions(a: &Analysis, rubric: &Rubric, offset: usize) -> Vec<Completion> {
    let doc = &a.doc;
    let offset = offset.min(doc.text.len());
    let line = doc.index.line_of(offset);
    let ls = doc.index.line_start(line);
    let prefix = &doc.text[ls..offset];
    if let Some(fm) = &doc.front_matter {
        if offset >= fm.body.start && offset <= fm.body.end {
            let present = top_level_keys(doc.text, fm.body.clone(), ls);
            return front_matter_completions(prefix, offset, doc.line_ending, &present);
        }
    }
    let hashes = prefix.len() - prefix.trim_start_matches('#').len();
    if hashes == 0 || hashes > 6 || !prefix[hashes..].chars().all(|c| c != '#') {
        return Vec::new();
    }
    let after = &prefix[hashes..];
    if !after.is_empty() && !after.starts_with(' ') {
        return Vec::new();
    }
    let level = hashes as u8;
    let line_end = doc.index.line_end(doc.text, line);
    let candidates = heading_candidates(a, rubric, offset, level);
    // The item replaces the whole heading line, hashes included, and filters on
    // that text: a client that inserts a "word" instead of applying the edit
    // (Neovim's omnifunc) then inserts the whole heading, not its first word,
    // and `#` alone is completed to `# Title`.
    let hashes_text = &prefix[..hashes];
    candidates
        .into_iter()
        .map(|(spec_title, missing, detail)| {
            let insert = format!("{hashes_text} {spec_title}");
            Completion { kind: CompletionKind::Section, label: spec_title, detail, filter: insert.clone(), insert, range: ls..line_end, missing }
        })
        .collect()
}

fn heading_candidates(a: &Analysis, rubric: &Rubric, offset: usize, level: u8) -> Vec<(String, bool, String)> {
    let mut out: Vec<(String, bool, String)> = Vec::new();
    let mut push = |specs: &mut dyn Iterator<Item = (&SectionSpec, bool)>, detail: &str| {
        for (s, missing) in specs {
            if !out.iter().any(|(t, _, _)| t == &s.title) {
                out.push((s.title.clone(), missing, if missing { format!("{detail} (missing)") } else { detail.to_string() }));
            }
        }
    };
    if level == 1 {
        push(&mut a.outline.slots.iter().map(|s| (s.spec, s.found.is_none())), "required section");
    } else {
        // The section the cursor is in, at the level above.
        let doc = &a.doc;
        let enclosing = doc.headings.iter().rposition(|h| h.line.start < offset && h.level < level);
        if let Some(p) = enclosing {
            if let Some(slot) = slot_of(a, p) {
                push(&mut slot.children.iter().map(|c| (c.spec, c.found.is_none())), "subsection");
            }
            let parent_of = doc.headings[p].parent.and_then(|pp| slot_of(a, pp));
            if let Some(pslot) = parent_of {
                if let Some(item) = pslot.items.iter().find(|i| i.heading == p) {
                    push(&mut item.children.iter().map(|c| (c.spec, c.found.is_none())), "initiative subsection");
                }
            }
        }
        if level == 3 {
            push(&mut rubric.initiative_subsections.iter().map(|s| (s, false)), "initiative subsection");
        }
    }
    out.sort_by_key(|(_, missing, _)| !missing);
    out
}

/// The top-level keys written in a front matter (`key:` at column 0) on
/// lines other than the cursor's (which starts at `cursor_line`).
fn top_level_keys(text: &str, body: Range<usize>, cursor_line: usize) -> Vec<&str> {
    let mut keys = Vec::new();
    let mut at = body.start;
    for l in text[body].split_inclusive('\n') {
        let start = at;
        at += l.len();
        if start == cursor_line || l.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        if let Some((k, _)) = l.split_once(':') {
            keys.push(k.trim());
        }
    }
    keys
}

fn front_matter_completions(prefix: &str, offset: usize, eol: &str, present: &[&str]) -> Vec<Completion> {
    let trimmed = prefix.trim_start();
    let indent = prefix.len() - trimmed.len();
    // A value after `role:` or `relation:` (block or flow style).
    let last_key = trimmed.rsplit([',', '{']).next().unwrap_or(trimmed).trim_start();
    let last_key = last_key.strip_prefix("- ").unwrap_or(last_key);
    for (key, values) in [
        ("role:", Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
        ("relation:", Relation::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
    ] {
        if let Some(v) = last_key.strip_prefix(key) {
            let typed = v.trim_start();
            let start = offset - typed.len();
            return values
                .into_iter()
                .map(|val| Completion {
                    kind: CompletionKind::Value,
                    label: val.to_string(),
                    detail: key.trim_end_matches(':').to_string(),
                    insert: val.to_string(),
                    filter: val.to_string(),
                    range: start..offset,
                    missing: false,
                })
                .collect();
        }
    }
    let word_len = last_key.len() - last_key.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_').len();
    if word_len != last_key.len() {
        return Vec::new();
    }
    let start = offset - word_len;
    if indent == 0 && !trimmed.starts_with('-') && !trimmed.contains('{') {
        return TOP_KEYS
            .iter()
            .filter(|(k, _)| !present.contains(k))
            .map(|(k, ins)| Completion {
                kind: CompletionKind::Key,
                label: k.to_string(),
                detail: "front matter".into(),
                // Multi-line keys use the document's own line ending.
                insert: ins.replace('\n', eol),
                filter: k.to_string(),
                range: start..offset,
                missing: false,
            })
            .collect();
    }
    ENTRY_KEYS
        .iter()
        .map(|k| Completion {
            kind: CompletionKind::Key,
            label: k.to_string(),
            detail: "sponsor / letter".into(),
            insert: format!("{k}: "),
            filter: k.to_string(),
            range: start..offset,
            missing: false,
        })
        .collect()
}

/// Links from each letter `file:` value to the file it names (when it is inside the root).
pub fn letter_links(a: &Analysis, letters: &std::collections::BTreeMap<String, LetterStatus>) -> Vec<(Range<usize>, PathBuf)> {
    let mut out = Vec::new();
    let people = a.front.letters.iter().chain(a.front.sponsor.iter());
    for p in people {
        if let (Some(f), Some(path)) = (&p.file, p.file_path()) {
            if let Some(LetterStatus::Found(target)) = letters.get(path) {
                out.push((f.value.range.clone(), target.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Env};
    use crate::config::Settings;

    /// The hover of an initiative and the readiness summary count "complete"
    /// the same way: every subsection present *and* written.
    #[test]
    fn an_initiative_with_empty_subsections_is_not_complete_in_the_hover_either() {
        let text = "# Selected Projects and Initiatives\n\n## Billing\n\n### Overview\n\n### Roles and Responsibilities\n\nI led it.\n\n### Results and Impact\n\nCut costs 20%.\n\n## Search\n\n### Overview\n\nThe search rewrite.\n\n### Roles and Responsibilities\n\nI led it.\n\n### Results and Impact\n\nLatency halved.\n";
        let settings = Settings::default();
        let a = analyze(text, &settings, &Env::default());
        assert_eq!((a.readiness.initiatives_complete, a.readiness.initiatives_expected), (1, 2));
        let at = |title: &str| text.find(title).unwrap();
        let (_, billing) = hover(&a, &settings.rubric, at("## Billing")).unwrap();
        assert_eq!(
            billing,
            "**Billing** in *Selected Projects and Initiatives*\n\nNot complete (still to write: Overview). Needs: Overview, Roles and Responsibilities, Results and Impact.\n\n6 words."
        );
        let (_, search) = hover(&a, &settings.rubric, at("## Search")).unwrap();
        assert!(search.contains("\n\nComplete: Overview, Roles and Responsibilities, Results and Impact."), "{search}");
    }
}
