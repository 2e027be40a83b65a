use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::outline::Slot;
use crate::rubric::{Rubric, SectionKind};

pub const INFO: RuleInfo = RuleInfo {
    summary: "A required section or subsection has no content of its own or in its children.",
    doc: "A heading with nothing under it (HTML comments such as the inserted prompts do not count) tells the reviewer nothing. Only the innermost empty required heading is reported: an empty Overview whose Background and Statement of Intent are present but empty reports those two, not Overview. Components and company values written as headings count as required.\n\nA container whose own count rule already fires (no initiatives, no components, no mentoring examples, no product areas, missing values) is left to that rule, so one problem gives one diagnostic. An empty item titled with a placeholder (`## <Component 1>`, `## Value1`, `## <Initiative 2>` and its empty subsections) is reported once, by `placeholder`.",
    has_fix: false,
};

/// Whether a count rule reports this section when it is empty.
pub fn count_rule_covers(rubric: &Rubric, slot: &Slot) -> bool {
    match slot.spec.kind {
        Some(SectionKind::Initiatives) => rubric.min_initiatives > 0,
        Some(SectionKind::Components) => rubric.min_components > 0,
        Some(SectionKind::Mentoring) => rubric.min_new_grad_mentees + rubric.min_interns > 0,
        Some(SectionKind::ProductAreas) => rubric.min_product_areas > 0,
        Some(SectionKind::Values) => !slot.spec.children.is_empty() || rubric.min_values > 0,
        Some(SectionKind::Competencies) => !rubric.competencies.is_empty(),
        _ => false,
    }
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for slot in &cx.outline.slots {
        visit(cx, slot, out);
    }
}

/// Reports heading `h` as empty; `expect` says what belongs there.
fn report(cx: &Cx, h: usize, expect: &str, out: &mut Vec<Diagnostic>) {
    let expect = expect.trim().trim_end_matches('.');
    let mut chars = expect.chars();
    let message = match chars.next() {
        Some(first) => format!("\"{}\" is empty; expected: {}{}", cx.title(h), first.to_lowercase(), chars.as_str()),
        None => format!("\"{}\" is empty; add its content", cx.title(h)),
    };
    out.push(Diagnostic::new(RuleCode::EmptySection, cx.line(h), message));
}

fn visit(cx: &Cx, slot: &Slot, out: &mut Vec<Diagnostic>) {
    let Some(h) = slot.heading() else { return };
    if cx.doc.has_content(h) {
        // Not empty itself: look for empty required parts inside.
        for c in &slot.children {
            visit(cx, c, out);
        }
        for item in &slot.items {
            visit_item(cx, slot, item, out);
        }
        return;
    }
    let found_children: Vec<&Slot> = slot.children.iter().filter(|c| c.found.is_some()).collect();
    let has_items = !slot.items.is_empty();
    if found_children.is_empty() && !has_items {
        if !count_rule_covers(cx.rubric, slot) {
            report(cx, h, &slot.spec.expect, out);
        }
        return;
    }
    for c in found_children {
        visit(cx, c, out);
    }
    for item in &slot.items {
        visit_item(cx, slot, item, out);
    }
}

fn visit_item(cx: &Cx, parent: &Slot, item: &crate::outline::Item, out: &mut Vec<Diagnostic>) {
    let h = item.heading;
    if cx.doc.has_content(h) {
        for c in &item.children {
            visit(cx, c, out);
        }
        return;
    }
    // An empty item titled with a placeholder (`<Initiative 1>`, `Value1`) is
    // the template's, reported once, by `placeholder`.
    if crate::substance::is_placeholder_only(cx.title(h)) {
        return;
    }
    let found: Vec<&Slot> = item.children.iter().filter(|c| c.found.is_some()).collect();
    if found.is_empty() {
        // An initiative without subsections is initiative-missing-subsection's.
        let expect = match parent.spec.kind {
            Some(SectionKind::Components) => "what you led in this component, showing breadth and depth of the codebase and stack",
            _ => "an example of living this company value",
        };
        if parent.spec.kind != Some(SectionKind::Initiatives) {
            report(cx, h, expect, out);
        }
        return;
    }
    for c in found {
        visit(cx, c, out);
    }
}
