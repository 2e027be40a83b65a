use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::fix::{component_block, insert_fix, under};
use crate::rubric::SectionKind;
use super::{unwritten_note, written_items};

pub const INFO: RuleInfo = RuleInfo {
    summary: "Technical Leadership across Components has fewer components (H2) than required (default 2).",
    doc: "The role needs technical leadership *across multiple components*, showing breadth and depth of the codebase and the technology stack. Each component is an H2 under the section; it counts only when it holds written text (not only placeholders such as `<Component N>`, `TODO` and prompt comments), so inserted skeletons never satisfy the minimum.\n\n**Fix:** appends `## <Component N>` skeletons until there are as many component headings as the minimum. Configure with `[rubric] min-components = N`.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some((slot, h)) = cx.outline.top(SectionKind::Components) else { return };
    let (written, unwritten) = written_items(cx, &slot.items);
    let need = cx.rubric.min_components;
    if written >= need {
        return;
    }
    let level = cx.doc.headings[h].level + 1;
    let all = written + unwritten;
    let fix = (all < need)
        .then(|| {
            let blocks: Vec<String> = (all + 1..=need).map(|n| component_block(n, level)).collect();
            under(cx.doc, h, insert_fix(cx.doc, "Insert component skeletons".into(), cx.doc.headings[h].end, blocks.join("\n\n"), level, true))
        })
        .flatten();
    out.push(
        Diagnostic::new(
            RuleCode::TooFewComponents,
            cx.line(h),
            format!(
                "\"{}\" has {} of {} components{}; add an H2 per component you led",
                cx.title(h),
                written,
                need,
                unwritten_note(unwritten)
            ),
        )
        .with_fix(fix),
    );
}
