use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::fix::{insert_fix, section_skeleton, under, value_block};
use crate::outline::insert_point;
use crate::rubric::SectionKind;
use super::{unwritten_note, written_items};

pub const INFO: RuleInfo = RuleInfo {
    summary: "A configured company value has no subsection (or, with none configured, there is no value subsection at all).",
    doc: "Alignment with <Company> Values needs one H2 per company value, each with an example of living it. List the values in `packet.toml` (`[rubric] company-values = [\"Customer Obsession\", …]`); with none configured, at least `min-values` (default 1) H2 subsections with written text are expected (`## Value1` with only its prompt does not count).\n\n**Fix:** inserts the missing value's subsection (with none configured, `## ValueN` skeletons up to the minimum of headings).",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some((slot, h)) = cx.outline.top(SectionKind::Values) else { return };
    let level = cx.doc.headings[h].level + 1;
    let end = cx.doc.headings[h].end;
    if slot.children.is_empty() {
        let (written, unwritten) = written_items(cx, &slot.items);
        let need = cx.rubric.min_values;
        if written < need {
            let all = written + unwritten;
            let fix = (all < need)
                .then(|| {
                    let blocks: Vec<String> = (all + 1..=need).map(|n| value_block(n, level)).collect();
                    under(cx.doc, h, insert_fix(cx.doc, "Insert a company value subsection".into(), end, blocks.join("\n\n"), level, true))
                })
                .flatten();
            out.push(
                Diagnostic::new(
                    RuleCode::MissingValue,
                    cx.line(h),
                    format!(
                        "\"{}\" has {} of {} company value subsections{}; add an H2 per value",
                        cx.title(h),
                        written,
                        need,
                        unwritten_note(unwritten)
                    ),
                )
                .with_fix(fix),
            );
        }
        return;
    }
    let present = slot.children.iter().filter(|c| c.found.is_some()).count();
    for (i, v) in slot.children.iter().enumerate() {
        if v.found.is_some() {
            continue;
        }
        let at = insert_point(cx.doc, &slot.children, i, end);
        let fix = under(
            cx.doc,
            h,
            insert_fix(cx.doc, format!("Insert value \"{}\"", v.spec.title), at, section_skeleton(cx.rubric, v.spec, level), level, true),
        );
        out.push(
            Diagnostic::new(
                RuleCode::MissingValue,
                cx.line(h),
                format!(
                    "Company value \"{}\" has no subsection in \"{}\"; {} of {} values covered",
                    v.spec.title,
                    cx.title(h),
                    present,
                    slot.children.len()
                ),
            )
            .with_fix(fix),
        );
    }
}
