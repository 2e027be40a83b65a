use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A section's prose is under its configured minimum word count (defaults: Statement of Intent 60, each initiative Overview 40, Summary 40).",
    doc: "Words are whitespace-separated tokens of paragraph and list text, not headings or comments; each CJK character counts as one word. Children's text counts towards their parent. Empty sections are left to `empty-section`. Configure with `[rubric.min-words] statement-of-intent = 80` (ids: any section id, e.g. `summary`, `initiative-overview`).",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for &slot in &cx.slots {
        let min = slot.spec.min_words;
        if min == 0 {
            continue;
        }
        let Some(h) = slot.heading() else { continue };
        if !cx.doc.has_content(h) {
            continue;
        }
        let words = cx.doc.words_in_with(h, slot.facts.as_deref());
        if words < min {
            let owner = match (slot.spec.id.as_str(), cx.doc.headings[h].parent) {
                ("initiative-overview", Some(p)) => format!(" of \"{}\"", cx.title(p)),
                _ => String::new(),
            };
            out.push(Diagnostic::new(
                RuleCode::SectionTooShort,
                cx.line(h),
                format!("\"{}\"{} has {} of {} words", cx.title(h), owner, words, min),
            ));
        }
    }
}
