use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{initiative_block, insert_fix, under};
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    code: "too-few-initiatives",
    severity: Severity::Error,
    summary: "Selected Projects and Initiatives has fewer initiatives (H2) than required (default 2).",
    doc: "The framework asks for at least two projects or initiatives that show end-to-end ownership, diving deep, comfort with ambiguity, consistent delivery and enabling others (the template shows three). Each initiative is an H2 under the section. An initiative still titled `<Initiative N>` counts (the placeholder is reported separately).\n\n**Fix:** appends initiative skeletons (`## <Initiative N>` with Overview, Roles and Responsibilities, Results and Impact) up to the minimum.\n\nConfigure the minimum with `[rubric] min-initiatives = N`.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some((slot, h)) = cx.outline.top(SectionKind::Initiatives) else { return };
    let have = slot.items.len() as u32;
    let need = cx.rubric.min_initiatives;
    if have >= need {
        return;
    }
    let level = cx.doc.headings[h].level + 1;
    let blocks: Vec<String> = (have + 1..=need).map(|n| initiative_block(cx.rubric, n, level)).collect();
    let missing = need - have;
    let title = format!("Insert {} initiative skeleton{}", missing, if missing == 1 { "" } else { "s" });
    let fix = under(cx.doc, h, insert_fix(cx.doc, title, cx.doc.headings[h].end, blocks.join("\n\n"), level, true));
    out.push(
        Diagnostic::new(
            RuleCode::TooFewInitiatives,
            cx.line(h),
            format!(
                "\"{}\" has {} of {} initiatives; add an H2 per initiative with Overview, Roles and Responsibilities, and Results and Impact",
                cx.title(h),
                have,
                need
            ),
        )
        .with_fix(fix),
    );
}
