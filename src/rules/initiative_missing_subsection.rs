use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Insertion, Severity};
use crate::fix::{insert_many_fix, section_skeleton, under};
use crate::outline::insert_point;
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    code: "initiative-missing-subsection",
    severity: Severity::Error,
    summary: "An initiative lacks Overview / Roles and Responsibilities / Results and Impact.",
    doc: "The framework asks the applicant to break each example project into Overview, Roles and Responsibilities, and Results and Impact, so that their specific contribution stands out where many people worked on the project. The diagnostic points at the initiative's heading and names every missing part.\n\n**Fix:** inserts all missing subsections of that initiative, each in its canonical place.",
    has_fix: true,
};

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
        let insertions: Vec<Insertion> = missing
            .iter()
            .map(|&i| Insertion {
                at: insert_point(cx.doc, &item.children, i, cx.doc.headings[h].end),
                block: section_skeleton(cx.rubric, item.children[i].spec, level),
                padded: true,
                level,
            })
            .collect();
        let names: Vec<String> = missing.iter().map(|&i| format!("\"{}\"", item.children[i].spec.title)).collect();
        let total = item.children.len();
        let fix = under(
            cx.doc,
            h,
            insert_many_fix(cx.doc, format!("Insert {} into \"{}\"", names.join(", "), cx.title(h)), insertions, true),
        );
        out.push(
            Diagnostic::new(
                RuleCode::InitiativeMissingSubsection,
                cx.line(h),
                format!(
                    "Initiative \"{}\" is missing {}; {} of {} subsections present",
                    cx.title(h),
                    names.join(", "),
                    total - missing.len(),
                    total
                ),
            )
            .with_fix(fix),
        );
    }
}
