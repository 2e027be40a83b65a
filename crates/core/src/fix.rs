//! Building insert-only fixes: a block of Markdown placed at a line start, in
//! the document's own line ending, with blank lines added only where the
//! neighbouring lines are not already blank. Also "insert all", which merges
//! the insertions of many fixes so that blocks landing at one place are
//! separated by exactly one blank line.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Edit, Fix, Insertion};
use crate::document::Document;
use crate::rubric::{Rubric, SectionKind, SectionSpec};

/// Whether the line that ends just before `at` (a line start) is blank or absent.
fn blank_before(doc: &Document, at: usize) -> bool {
    if at <= doc.body_start {
        return true;
    }
    let line = doc.index.line_of(at.saturating_sub(1));
    let s = doc.index.line_start(line);
    doc.text[s..doc.index.line_end(doc.text, line)].trim().is_empty()
}

/// Whether the line starting at `at` is blank or absent.
fn blank_after(doc: &Document, at: usize) -> bool {
    if at >= doc.text.len() {
        return true;
    }
    let line = doc.index.line_of(at);
    doc.text[at..doc.index.line_end(doc.text, line)].trim().is_empty()
}

/// The edit for one or more blocks inserted at `at`.
pub fn pad_blocks(doc: &Document, at: usize, blocks: &[&str], padded: bool) -> Edit {
    let nl = doc.line_ending;
    let mut text = String::new();
    // (After the BOM, not the body start: a closing front-matter `---` with no
    // line break after it must not get the inserted heading glued to it.)
    let at_eof_without_newline = at == doc.text.len() && !doc.text[doc.bom..].is_empty()
        && !doc.text.ends_with(['\n', '\r']);
    if at_eof_without_newline {
        text.push_str(nl);
    }
    if padded && !blank_before(doc, at) {
        text.push_str(nl);
    }
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 && padded {
            text.push_str(nl);
        }
        for line in b.split('\n') {
            text.push_str(line);
            text.push_str(nl);
        }
    }
    if padded && !blank_after(doc, at) {
        text.push_str(nl);
    }
    // A lone CR at the end would pair with the LF that follows into one CRLF
    // break and swallow the (empty) line there; one more CR keeps that line.
    if text.ends_with('\r') && doc.text[at..].starts_with('\n') {
        text.push('\r');
    }
    Edit { range: at..at, text }
}

/// An insert-only fix of one Markdown block (`None`: see [`insert_many_fix`]).
pub fn insert_fix(doc: &Document, title: String, at: usize, block: String, level: u8, preferred: bool) -> Option<Fix> {
    insert_many_fix(doc, title, vec![Insertion { at, block, padded: true, level }], preferred)
}

/// An insert-only fix of several insertions (merged where they share a place).
/// `None` when a block would need a heading deeper than H6, which Markdown
/// cannot express: clamped to H6 it would be a sibling, not a child, and the
/// same fix would be offered again after it is applied.
pub fn insert_many_fix(doc: &Document, title: String, insertions: Vec<Insertion>, preferred: bool) -> Option<Fix> {
    if insertions.iter().any(|x| x.block.split('\n').any(|l| l.starts_with("#######"))) {
        return None;
    }
    Some(Fix { title, edits: merge_insertions(doc, &insertions), preferred, insertions, conversions: Vec::new() })
}

/// Moves an insertion whose first heading has `level` to where it changes
/// no other heading's section: out of a section it would split (a heading of
/// that level or deeper whose section holds `at`, e.g. an H1 wanted before a
/// subsection written at H2 inside another H1), and past deeper headings that
/// start at `at` (which it would adopt as children). Either would move
/// present sections under another parent, where they would be reported
/// missing again and `check --fix` would not be idempotent.
fn settle(doc: &Document, mut at: usize, level: u8) -> usize {
    loop {
        // The sections holding `at` are those of the last heading before it
        // and its ancestors (headings are in text order): a walk up the tree,
        // not a pass over every heading.
        let before = doc.headings.partition_point(|h| h.line.start < at);
        let mut split = None;
        let mut h = before.checked_sub(1);
        while let Some(i) = h {
            let hd = &doc.headings[i];
            if hd.level >= level && at < hd.end {
                split = Some(split.map_or(hd.end, |e: usize| e.max(hd.end)));
            }
            h = hd.parent;
        }
        let adopted = doc.headings[before..]
            .iter()
            .take_while(|h| h.line.start == at)
            .find(|h| h.level > level)
            .map(|h| h.end);
        match split.or(adopted) {
            Some(end) if end > at => at = end,
            _ => return at,
        }
    }
}

/// The nearest heading before `at` whose level is below `level`: the heading
/// that will own a block of that level inserted at `at`.
fn owner_at(doc: &Document, at: usize, level: u8) -> Option<usize> {
    let mut h = doc.headings.partition_point(|h| h.line.start < at).checked_sub(1);
    // The nearest earlier heading of a lower level than heading `i` is its parent.
    while let Some(i) = h {
        if doc.headings[i].level < level {
            return Some(i);
        }
        h = doc.headings[i].parent;
    }
    None
}

/// Where an insertion's text actually goes.
fn landing(doc: &Document, x: &Insertion) -> usize {
    if !x.padded {
        return x.at;
    }
    let mut at = settle(doc, x.at, x.level);
    // A heading inside a list item or quote starts no top-level block:
    // inserting before its line would cut it off from its container. Go
    // before the container, unless the container holds content ahead of
    // `at` (it belongs to the section before, and would end up in the
    // inserted one): then after it.
    for _ in 0..doc.block_starts.len() + 1 {
        if at >= doc.text.len() {
            break;
        }
        let start = doc.block_boundary(at);
        if start == at {
            break;
        }
        if !has_content(doc, start..at) {
            at = start;
            break;
        }
        let i = doc.block_starts.partition_point(|&s| s <= at);
        at = settle(doc, doc.block_starts.get(i).copied().unwrap_or(doc.text.len()), x.level);
    }
    // Text inserted inside a code block or comment left open at the end
    // would not count (and `check --fix` would insert it again): go before it.
    if let Some(t) = doc.open_tail {
        at = at.min(t);
    }
    at
}

/// Whether text runs or list items outside headings start in `r`.
fn has_content(doc: &Document, r: Range<usize>) -> bool {
    let runs = doc.runs.starting_in(r.clone()).any(|t| !t.in_heading);
    // (Items are in text order.)
    let item = doc.items.partition_point(|t| t.range.start < r.start);
    runs || doc.items.get(item).is_some_and(|t| t.range.start < r.end)
}

/// `fix` if each of its insertions becomes part of the section of heading
/// `parent` (the heading that will own what it inserts is `parent`), else
/// `None`. A parent written inside a list item or block quote cannot take
/// top-level blocks as children: inserted next to its container they would
/// land under another heading, and `check --fix` would insert them again.
pub fn under(doc: &Document, parent: usize, fix: Option<Fix>) -> Option<Fix> {
    let fix = fix?;
    let owner = |x: &Insertion| owner_at(doc, landing(doc, x), x.level);
    fix.insertions.iter().all(|x| owner(x) == Some(parent)).then_some(fix)
}

/// Groups insertions by place (deeper headings first at one place) and pads each group once.
pub fn merge_insertions(doc: &Document, insertions: &[Insertion]) -> Vec<Edit> {
    let clamped: Vec<Insertion> =
        insertions.iter().map(|x| Insertion { at: landing(doc, x), ..x.clone() }).collect();
    let mut ins: Vec<(usize, &Insertion)> = clamped.iter().enumerate().collect();
    ins.sort_by_key(|(i, x)| (x.at, std::cmp::Reverse(x.level), *i));
    ins.dedup_by(|a, b| a.1.at == b.1.at && a.1.block == b.1.block);
    let mut edits = Vec::new();
    let mut i = 0;
    while i < ins.len() {
        let at = ins[i].1.at;
        let padded = ins[i].1.padded;
        let mut j = i;
        while j < ins.len() && ins[j].1.at == at && ins[j].1.padded == padded {
            j += 1;
        }
        let blocks: Vec<&str> = ins[i..j].iter().map(|(_, x)| x.block.as_str()).collect();
        edits.push(pad_blocks(doc, at, &blocks, padded));
        i = j;
    }
    edits
}

/// The edits of every insert-only fix among `diagnostics`, merged, and the
/// bold labels those fixes turn into headings.
pub fn fix_all(doc: &Document, diagnostics: &[Diagnostic]) -> Vec<Edit> {
    let firsts: Vec<&Fix> = diagnostics.iter().flat_map(|d| d.fixes.first()).collect();
    let all: Vec<Insertion> = firsts.iter().flat_map(|f| f.insertions.iter().cloned()).collect();
    let mut edits = merge_insertions(doc, &all);
    let mut conversions: Vec<&Edit> = firsts.iter().flat_map(|f| f.conversions.iter()).collect();
    conversions.sort_by_key(|e| (e.range.start, e.range.end));
    conversions.dedup();
    // (A conversion never holds an insertion point; should one, the insertion wins.)
    let mut last_end = 0;
    for c in conversions {
        let overlaps = c.range.start < last_end || edits.iter().any(|e| c.range.start < e.range.start && e.range.start < c.range.end);
        if !overlaps {
            last_end = c.range.end;
            edits.push(c.clone());
        }
    }
    join_at_conversions(edits)
}

/// Sorts edits and joins an insertion into the conversion that starts where
/// it lands (its text first): one edit, since clients order an insertion and
/// a replacement that share an offset differently (the LSP leaves it open).
pub fn join_at_conversions(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        match out.last_mut() {
            Some(prev) if prev.range.is_empty() && prev.range.start == e.range.start && !e.range.is_empty() => {
                prev.text.push_str(&e.text);
                prev.range = e.range;
            }
            _ => out.push(e),
        }
    }
    out
}

/// A heading line: `#`×level, the title. A level past 6 gives seven or more
/// `#` (not a heading), which [`insert_many_fix`] refuses.
pub fn heading_line(level: u8, title: &str) -> String {
    format!("{} {}", "#".repeat(level.max(1) as usize), title)
}

/// The prompt comment placed under an inserted heading.
pub fn prompt(spec: &SectionSpec) -> String {
    if spec.expect.is_empty() {
        String::new()
    } else {
        format!("<!-- {} -->", spec.expect.replace("--", "-"))
    }
}

/// A section skeleton: heading, prompt comment and required children, each
/// separated by a blank line. `title` overrides the canonical title.
pub fn skeleton(spec: &SectionSpec, level: u8, title: Option<&str>, extra: &[String]) -> String {
    let mut parts = vec![heading_line(level, title.unwrap_or(&spec.title))];
    let p = prompt(spec);
    if !p.is_empty() {
        parts.push(p);
    }
    for c in &spec.children {
        parts.push(skeleton(c, level + 1, None, &[]));
    }
    parts.extend(extra.iter().cloned());
    parts.join("\n\n")
}

/// A skeleton for a whole rubric section: its children, plus for containers
/// the minimum number of initiatives, components or values.
pub fn section_skeleton(rubric: &Rubric, spec: &SectionSpec, level: u8) -> String {
    let extra: Vec<String> = match spec.kind {
        Some(SectionKind::Initiatives) => {
            (1..=rubric.min_initiatives).map(|n| initiative_block(rubric, n, level + 1)).collect()
        }
        Some(SectionKind::Components) => (1..=rubric.min_components).map(|n| component_block(n, level + 1)).collect(),
        Some(SectionKind::Values) if spec.children.is_empty() => {
            (1..=rubric.min_values).map(|n| value_block(n, level + 1)).collect()
        }
        // What the section's own count rules would ask for next, so that a
        // second `--fix` has nothing left to insert.
        Some(SectionKind::Mentoring) => {
            let stubs = mentoring_stubs(rubric, 0, 0);
            if stubs.is_empty() { Vec::new() } else { vec![stubs.join("\n")] }
        }
        Some(SectionKind::Competencies) => rubric.competencies.iter().map(|c| competency_block(c, level + 1)).collect(),
        _ => Vec::new(),
    };
    skeleton(spec, level, None, &extra)
}

/// `## <Initiative N>` with its required subsections.
pub fn initiative_block(rubric: &Rubric, n: u32, level: u8) -> String {
    let mut parts = vec![heading_line(level, &format!("<Initiative {n}>"))];
    for s in &rubric.initiative_subsections {
        parts.push(skeleton(s, level + 1, None, &[]));
    }
    parts.join("\n\n")
}

/// `## <Component N>` with a prompt.
pub fn component_block(n: u32, level: u8) -> String {
    format!(
        "{}\n\n<!-- What you led in this component, showing breadth and depth of the codebase and stack -->",
        heading_line(level, &format!("<Component {n}>"))
    )
}

/// `## ValueN` with a prompt, for a rubric without configured company values.
pub fn value_block(n: u32, level: u8) -> String {
    format!("{}\n\n<!-- An example of living this company value -->", heading_line(level, &format!("Value{n}")))
}

/// Stub list items for the mentoring examples still missing, given how many
/// new-grad/new-hire and intern examples the section already has.
pub fn mentoring_stubs(rubric: &Rubric, new_grad: u32, interns: u32) -> Vec<&'static str> {
    // Only placeholders: a stub never counts (spec §3.1, honest counts), but
    // its kind is known, so that it is not inserted again.
    const NEW_GRAD: &str = "- <New-grad mentee>: <what you guided them to complete, and the outcome>";
    const INTERN: &str = "- <Intern mentee>: <the project you guided them through, and the outcome>";
    let ng = rubric.min_new_grad_mentees.saturating_sub(new_grad) as usize;
    let int = rubric.min_interns.saturating_sub(interns) as usize;
    std::iter::repeat_n(NEW_GRAD, ng).chain(std::iter::repeat_n(INTERN, int)).collect()
}

/// `## Competency` with a prompt.
pub fn competency_block(competency: &str, level: u8) -> String {
    format!(
        "{}\n\n<!-- How you meet \"{}\", with a specific supporting example -->",
        heading_line(level, competency),
        competency.replace("--", "-")
    )
}
