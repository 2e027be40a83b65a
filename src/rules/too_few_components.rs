use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{component_block, insert_fix, under};
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    code: "too-few-components",
    severity: Severity::Error,
    summary: "Technical Leadership across Components has fewer components (H2) than required (default 2).",
    doc: "The role needs technical leadership *across multiple components*, showing breadth and depth of the codebase and the technology stack. Each component is an H2 under the section; one titled `<Component N>` still counts (the placeholder is reported).\n\n**Fix:** appends `## <Component N>` skeletons up to the minimum. Configure with `[rubric] min-components = N`.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some((slot, h)) = cx.outline.top(SectionKind::Components) else { return };
    let have = slot.items.len() as u32;
    let need = cx.rubric.min_components;
    if have >= need {
        return;
    }
    let level = cx.doc.headings[h].level + 1;
    let blocks: Vec<String> = (have + 1..=need).map(|n| component_block(n, level)).collect();
    let fix = under(cx.doc, h, insert_fix(cx.doc, "Insert component skeletons".into(), cx.doc.headings[h].end, blocks.join("\n\n"), level, true));
    out.push(
        Diagnostic::new(
            RuleCode::TooFewComponents,
            cx.line(h),
            format!("\"{}\" has {} of {} components; add an H2 per component you led", cx.title(h), have, need),
        )
        .with_fix(fix),
    );
}
