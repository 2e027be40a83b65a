use super::{Cx, RuleCode, RuleInfo};
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diagnostic::{Diagnostic, Edit, Fix, Insertion};
use crate::document::Document;
use crate::fix::{heading_line, insert_many_fix, join_at_conversions, section_skeleton, under};
use crate::matching::{is_match, normalize};
use crate::outline::insert_point;
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    summary: "An initiative lacks Overview / Roles and Responsibilities / Results and Impact.",
    doc: "The framework asks the applicant to break each example project into Overview, Roles and Responsibilities, and Results and Impact, so that their specific contribution stands out where many people worked on the project. The diagnostic points at the initiative's heading and names every missing part.\n\nA paragraph that starts with a bold label naming a missing subsection (its title or an alias, with a colon or on a line of its own: `**Overview:**`, `**My role:**`, `**Impact:**`, `**Results**`) is not taken for the subsection, but the message says which labels were found.\n\n**Fix:** inserts all missing subsections of that initiative, each in its canonical place. Where bold labels were found, the fix (and `check --fix`) turns each label into the H3 heading instead, keeping every word after it as the paragraph under it, and inserts only the subsections no label names.",
    has_fix: true,
};

/// A paragraph of an initiative that starts with a bold label naming a
/// subsection (`**Overview:** The project…`, `**My role**` on a line of its own).
#[derive(Debug, Clone)]
pub struct Label {
    /// The label as written, without its `**` and colon ("My role").
    pub text: String,
    /// From the opening `**` through the colon and the spaces after it.
    pub range: Range<usize>,
    /// Whether words follow the label on its line.
    pub words_follow: bool,
}

/// The bold labels that start top-level paragraphs in the section of heading `h`.
pub fn bold_labels(doc: &Document, h: usize) -> Vec<Label> {
    let base = doc.headings[h].line.end;
    let end = doc.headings[h].end;
    let slice = &doc.text[base..end];
    if !slice.contains("**") && !slice.contains("__") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0u32;
    let mut para_start = false;
    for (ev, r) in Parser::new_ext(slice, Options::ENABLE_TABLES).into_offset_iter() {
        let was_para_start = std::mem::take(&mut para_start);
        match ev {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                para_start = true;
                depth += 1;
            }
            Event::Start(Tag::Strong) if was_para_start => {
                depth += 1;
                if let Some(l) = label_at(doc, base + r.start, base + r.end) {
                    out.push(l);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// The label whose `**…**` spans `start..end`, if it ends with a colon
/// (inside or right after it) or its line.
fn label_at(doc: &Document, start: usize, end: usize) -> Option<Label> {
    let t = doc.text;
    if end < start + 4 {
        return None;
    }
    let line_end = doc.index.line_end(t, doc.index.line_of(start));
    // A strong span that runs onto the next line is not a label (and its end
    // lies past this line's end).
    if end > line_end {
        return None;
    }
    let inner = t[start + 2..end - 2].trim();
    let (text, colon_inside) = match inner.strip_suffix(':') {
        Some(x) => (x.trim_end(), true),
        None => (inner, false),
    };
    let mut stop = end;
    let colon_after = t[stop..].starts_with(':');
    if colon_after {
        stop += 1;
    }
    let rest = &t[stop..line_end];
    let words_follow = !rest.trim().is_empty();
    if !(colon_inside || colon_after || !words_follow) || text.is_empty() || text.contains('\n') {
        return None;
    }
    stop += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some(Label { text: text.to_string(), range: start..stop, words_follow })
}

/// The edit that turns `label` into a heading of `level`, the words after it
/// becoming the paragraph under it.
fn convert(doc: &Document, label: &Label, level: u8) -> Edit {
    let nl = doc.line_ending;
    let heading = heading_line(level, &label.text);
    let text = if label.words_follow {
        format!("{heading}{nl}{nl}")
    } else {
        // The label ends its line: a blank line after the heading unless the next line is blank.
        let next = doc.index.line_of(label.range.end) + 1;
        let next_blank = next >= doc.index.line_count()
            || doc.text[doc.index.line_start(next)..doc.index.line_end(doc.text, next)].trim().is_empty();
        if next_blank { heading } else { format!("{heading}{nl}") }
    };
    Edit { range: label.range.clone(), text }
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some(slot) = cx.outline.slots.iter().find(|s| s.spec.kind == Some(SectionKind::Initiatives)) else {
        return;
    };
    for item in &slot.items {
        let missing: Vec<usize> = (0..item.children.len()).filter(|&i| item.children[i].found.is_none()).collect();
        if missing.is_empty() {
            continue;
        }
        let h = item.heading;
        let level = cx.doc.headings[h].level + 1;
        // A bold label naming a missing subsection becomes its heading; the others are inserted.
        let labels = bold_labels(cx.doc, h);
        let mut taken: Vec<(usize, &Label)> = Vec::new();
        for &i in &missing {
            let names = item.children[i].spec.names();
            let found = labels
                .iter()
                .find(|l| !taken.iter().any(|(_, t)| std::ptr::eq(*t, *l)) && is_match(&normalize(&l.text), names));
            if let Some(l) = found {
                taken.push((i, l));
            }
        }
        let insertions: Vec<Insertion> = missing
            .iter()
            .filter(|&&i| !taken.iter().any(|(t, _)| *t == i))
            .map(|&i| Insertion {
                // Before the next subsection present or labelled, as the rubric orders them.
                at: taken
                    .iter()
                    .filter(|(t, _)| *t > i)
                    .map(|(_, l)| cx.doc.index.line_start(cx.doc.index.line_of(l.range.start)))
                    .chain(std::iter::once(insert_point(cx.doc, &item.children, i, cx.doc.headings[h].end)))
                    .min()
                    .unwrap_or(cx.doc.headings[h].end),
                block: section_skeleton(cx.rubric, item.children[i].spec, level),
                padded: true,
                level,
            })
            .collect();
        let names: Vec<String> = missing.iter().map(|&i| format!("\"{}\"", item.children[i].spec.title)).collect();
        let total = item.children.len();
        // The labels found, as the fix title and the message name them.
        let shown = taken.iter().map(|(_, l)| format!("**{}**", l.text)).collect::<Vec<_>>().join(", ");
        let fix = if taken.is_empty() {
            under(
                cx.doc,
                h,
                insert_many_fix(cx.doc, format!("Insert {} into \"{}\"", names.join(", "), cx.title(h)), insertions, true),
            )
        } else {
            let conversions: Vec<Edit> = taken.iter().map(|(_, l)| convert(cx.doc, l, level)).collect();
            let inserted = under(cx.doc, h, insert_many_fix(cx.doc, String::new(), insertions.clone(), true));
            (insertions.is_empty() || inserted.is_some()).then(|| {
                let mut edits = conversions.clone();
                edits.extend(inserted.map(|f| f.edits).unwrap_or_default());
                let edits = join_at_conversions(edits);
                Fix {
                    title: format!("Turn {} into headings in \"{}\"", shown, cx.title(h)),
                    edits,
                    preferred: true,
                    insertions,
                    conversions,
                }
            })
        };
        let mut message = format!(
            "Initiative \"{}\" is missing {}; {} of {} subsections present",
            cx.title(h),
            names.join(", "),
            total - missing.len(),
            total
        );
        if !taken.is_empty() {
            message.push_str(&format!(
                "; found bold label{} {}: make {} H{} heading{}",
                if taken.len() == 1 { "" } else { "s" },
                shown,
                if taken.len() == 1 { "it an" } else { "them" },
                level,
                if taken.len() == 1 { "" } else { "s" }
            ));
        }
        out.push(Diagnostic::new(RuleCode::InitiativeMissingSubsection, cx.line(h), message).with_fix(fix));
    }
}
