use super::{Cx, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{insert_fix, section_skeleton};
use crate::outline::insert_point;

pub const INFO: RuleInfo = RuleInfo {
    code: "missing-section",
    severity: Severity::Error,
    summary: "A required top-level (H1) section of the rubric is absent.",
    doc: "The framework's written document has a fixed set of sections (Overview, Alignment with Engineering Competency Framework, Selected Projects and Initiatives, Technical Leadership across Components, Mentoring and Coaching, Scope of Responsibilities, Cross-Functional Collaboration, Alignment with <Company> Values, Summary). Reviewers read packets side by side; a missing section reads as a missing signal.\n\nThe diagnostic points at the document's first line after the front matter. A section written at the wrong level or with a near-miss title is reported by `heading-level` or `heading-near-miss` instead.\n\n**Fix:** the quick fix inserts the section at its canonical position with its required subsections and a one-line prompt comment.",
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
        out.push(
            Diagnostic::new(
                super::RuleCode::MissingSection,
                cx.doc.first_line(),
                format!(
                    "Missing required section \"{}\" (H1); {} of {} required sections present",
                    slot.spec.title,
                    present,
                    slots.len()
                ),
            )
            .with_fix(fix),
        );
    }
}
