use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::fix::{initiative_block, insert_fix, under};
use crate::rubric::SectionKind;
use super::{unwritten_note, written_items};

pub const INFO: RuleInfo = RuleInfo {
    summary: "Selected Projects and Initiatives has fewer initiatives (H2) than required (default 2).",
    doc: "The framework asks for at least two projects or initiatives that show end-to-end ownership, diving deep, comfort with ambiguity, consistent delivery and enabling others (the template shows three). Each initiative is an H2 under the section. An initiative counts only when it holds written text (not only placeholders such as `<Initiative N>`, `TODO`, and prompt comments): inserted skeletons never satisfy the minimum.\n\n**Fix:** appends initiative skeletons (`## <Initiative N>` with Overview, Roles and Responsibilities, Results and Impact) until the section has as many initiative headings as the minimum; when the headings are there but unwritten, there is nothing to insert.\n\nConfigure the minimum with `[rubric] min-initiatives = N`.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some((slot, h)) = cx.outline.top(SectionKind::Initiatives) else { return };
    let (written, unwritten) = written_items(cx, &slot.items);
    let need = cx.rubric.min_initiatives;
    if written >= need {
        return;
    }
    let level = cx.doc.headings[h].level + 1;
    // Skeletons only up to the minimum of headings: unwritten ones are there to fill in.
    let all = written + unwritten;
    let fix = (all < need)
        .then(|| {
            let blocks: Vec<String> = (all + 1..=need).map(|n| initiative_block(cx.rubric, n, level)).collect();
            let missing = need - all;
            let title = format!("Insert {} initiative skeleton{}", missing, if missing == 1 { "" } else { "s" });
            under(cx.doc, h, insert_fix(cx.doc, title, cx.doc.headings[h].end, blocks.join("\n\n"), level, true))
        })
        .flatten();
    out.push(
        Diagnostic::new(
            RuleCode::TooFewInitiatives,
            cx.line(h),
            format!(
                "\"{}\" has {} of {} initiatives{}; add an H2 per initiative with Overview, Roles and Responsibilities, and Results and Impact",
                cx.title(h),
                written,
                need,
                unwritten_note(unwritten)
            ),
        )
        .with_fix(fix),
    );
}
