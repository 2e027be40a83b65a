use super::{Cx, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::fix::{insert_fix, section_skeleton};
use crate::outline::insert_point;
use std::ops::Range;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A required top-level (H1) section of the rubric is absent.",
    doc: "The framework's written document has a fixed set of sections (Overview, Alignment with Engineering Competency Framework, Selected Projects and Initiatives, Technical Leadership across Components, Mentoring and Coaching, Scope of Responsibilities, Cross-Functional Collaboration, Alignment with <Company> Values, Summary). Reviewers read packets side by side; a missing section reads as a missing signal.\n\nThe diagnostic points at the line where its quick fix inserts the section: the heading of the section that follows it (the message says \"add it before …\"), or the document's last line (\"add it at the end\"). A section written at the wrong level or with a near-miss title is reported by `heading-level` or `heading-near-miss` instead.\n\n**Fix:** the quick fix inserts the section at its canonical position with its required subsections and a one-line prompt comment.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let slots = &cx.outline.slots;
    let present = slots.iter().filter(|s| s.found.is_some()).count();
    for (i, slot) in slots.iter().enumerate() {
        if slot.found.is_some() {
            continue;
        }
        let at = insert_point(cx.doc, slots, i, cx.doc.text.len());
        let block = section_skeleton(cx.rubric, slot.spec, 1);
        let fix = insert_fix(cx.doc, format!("Insert section \"{}\"", slot.spec.title), at, block, 1, true);
        // Where the fix inserts it: before the heading of the section that
        // follows it in the rubric and comes first in the document, else at the end.
        let landed = fix.as_ref().and_then(|f| f.edits.first()).map_or(at, |e| e.range.start);
        let before = slots[i + 1..]
            .iter()
            .filter_map(|s| s.heading())
            .filter(|&h| cx.doc.headings[h].line.start >= landed)
            .min_by_key(|&h| cx.doc.headings[h].line.start);
        let (range, place) = match before {
            Some(h) => (cx.line(h), format!("add it before \"{}\"", cx.title(h))),
            None => (last_line(cx, landed), "add it at the end".to_string()),
        };
        out.push(
            Diagnostic::new(
                super::RuleCode::MissingSection,
                range,
                format!(
                    "Missing required section \"{}\" (H1); {} of {} required sections present; {}",
                    slot.spec.title,
                    present,
                    slots.len(),
                    place
                ),
            )
            .with_fix(fix),
        );
    }
}

/// The last line with text before `at` (the end of the document, or where
/// an open code block or comment at the end starts), else the first line
/// after the front matter.
fn last_line(cx: &Cx, at: usize) -> Range<usize> {
    let doc = cx.doc;
    let at = at.min(doc.text.len());
    let mut line = doc.index.line_of(at);
    loop {
        let start = doc.index.line_start(line);
        if start < doc.body_start {
            return doc.first_line();
        }
        let end = doc.index.line_end(doc.text, line);
        if start < at && !doc.text[start..end].trim().is_empty() {
            return start..end;
        }
        if line == 0 {
            return doc.first_line();
        }
        line -= 1;
    }
}
