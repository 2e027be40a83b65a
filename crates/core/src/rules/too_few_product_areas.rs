use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::document::{Document, Fact};
use crate::rubric::SectionKind;
use crate::substance::{has_unfilled, has_written_text, is_placeholder_only, section_is_written};

pub const INFO: RuleInfo = RuleInfo {
    summary: "Scope of Responsibilities > Product Areas names fewer product areas than required (default 2).",
    doc: "A senior engineering manager has scope across multiple product areas, each with several components. Name each product area as a top-level list item, a table row or an H3 under Product Areas; an item that is only placeholders, or still holds a `<…>` placeholder, does not count. Configure with `[rubric] min-product-areas = N`.",
    has_fix: false,
};

/// Product areas named under the heading `h`: top-level list items and child headings.
/// Only written ones count: a list item or table row with text other than
/// placeholders (and no `<…>` placeholder left), a heading whose title or
/// section is written.
pub fn count(doc: &Document, h: usize) -> u32 {
    let section = doc.headings[h].line.start..doc.headings[h].end;
    *doc.memo.value(Fact::ProductAreas, &section, 0, || count_in(doc, h))
}

fn count_in(doc: &Document, h: usize) -> u32 {
    let section = doc.headings[h].line.start..doc.headings[h].end;
    let first = doc.items.partition_point(|i| i.range.start < section.start);
    let items = doc.items[first..]
        .iter()
        .take_while(|i| i.range.start < section.end)
        .filter(|i| i.heading == Some(h) && i.depth == 1)
        .filter(|i| has_written_text(doc, i.range.clone()) && !has_unfilled(doc, i.range.clone()))
        .count();
    let headings = doc
        .children(h)
        .iter()
        .filter(|&&c| !is_placeholder_only(doc.title(c)) || section_is_written(doc, c))
        .count();
    (items + headings) as u32
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some(slot) = cx.found_kind(SectionKind::ProductAreas) else { return };
    let Some(h) = slot.heading() else { return };
    let have = count(cx.doc, h);
    let need = cx.rubric.min_product_areas;
    if have < need {
        out.push(Diagnostic::new(
            RuleCode::TooFewProductAreas,
            cx.line(h),
            format!(
                "\"{}\" names {} of {} product areas; list each as a list item or an H3",
                cx.title(h),
                have,
                need
            ),
        ));
    }
}
