use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A required section appears twice at the same level.",
    doc: "Only the first occurrence is checked as the section; the content of the second is easy to miss for reviewers and for the other rules. Merge the two.",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for &slot in &cx.slots {
        let Some(first) = slot.heading() else { continue };
        for &dup in &slot.duplicates {
            let first_line = cx.doc.index.line_of(cx.doc.headings[first].line.start) + 1;
            out.push(
                Diagnostic::new(
                    RuleCode::DuplicateSection,
                    cx.line(dup),
                    format!("Section \"{}\" appears again; merge it into the one on line {}", cx.title(dup), first_line),
                )
                .with_related(cx.line(first), "first occurrence"),
            );
        }
    }
}
