use super::{section_text, Cx, RuleCode, RuleInfo};
use crate::text::words::contains_word;
use crate::diagnostic::Diagnostic;
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    summary: "The Statement of Intent reads as self-focused (\"move up\", \"deserve\", \"more money\", \"next level for me\") and never speaks of the team, others or the organisation.",
    doc: "A promotion should recognise that the applicant already works at the level of the role. A statement of intent about what the promotion gives the applicant, and not about what they do for their team and organisation, reads poorly to a promotion committee. The phrases and the words that count as speaking of others are `self-focus-phrases` and `others-words` of the rubric.",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some(slot) = cx.found_kind(SectionKind::Intent) else { return };
    let Some(h) = slot.heading() else { return };
    let text = section_text(cx.doc, h, false);
    let Some(phrase) = cx.rubric.self_focus_phrases.iter().find(|p| contains_word(&text, &p.to_lowercase())) else {
        return;
    };
    if cx.rubric.others_words.iter().any(|w| contains_word(&text, &w.to_lowercase())) {
        return;
    }
    out.push(Diagnostic::new(
        RuleCode::SelfFocusedIntent,
        cx.line(h),
        format!(
            "\"{}\" reads as self-focused (\"{}\"); say what the role means for your team and the organisation",
            cx.title(h),
            phrase
        ),
    ));
}
