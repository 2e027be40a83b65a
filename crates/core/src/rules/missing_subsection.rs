use super::{Cx, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::fix::{insert_fix, section_skeleton, under};
use crate::outline::{display_title, insert_point, Slot};
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A required child of a present section is absent (for example Overview without Statement of Intent).",
    doc: "Some sections have fixed subsections: Overview has Background and Statement of Intent; Scope of Responsibilities has Product Areas and Team Leadership. The diagnostic points at the parent section's heading. Initiative subsections are reported by `initiative-missing-subsection` and company values by `missing-value`.\n\n**Fix:** inserts the subsection, with a prompt comment, where the rubric puts it among its siblings.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for &slot in &cx.slots {
        check_slot(cx, slot, out);
    }
}

fn check_slot(cx: &Cx, slot: &Slot, out: &mut Vec<Diagnostic>) {
    let Some(found) = slot.found else { return };
    if slot.spec.kind == Some(SectionKind::Values) || slot.children.is_empty() {
        return;
    }
    let h = found.heading;
    let level = cx.doc.headings[h].level + 1;
    let present = slot.children.iter().filter(|c| c.found.is_some()).count();
    for (i, child) in slot.children.iter().enumerate() {
        if child.found.is_some() {
            continue;
        }
        let at = insert_point(cx.doc, &slot.children, i, cx.doc.headings[h].end);
        let block = section_skeleton(cx.rubric, child.spec, level);
        let fix = under(cx.doc, h, insert_fix(cx.doc, format!("Insert subsection \"{}\"", child.spec.title), at, block, level, true));
        out.push(
            Diagnostic::new(
                super::RuleCode::MissingSubsection,
                cx.line(h),
                format!(
                    "\"{}\" is missing its subsection \"{}\"; {} of {} subsections present",
                    display_title(cx.doc, slot),
                    child.spec.title,
                    present,
                    slot.children.len()
                ),
            )
            .with_fix(fix),
        );
    }
}
