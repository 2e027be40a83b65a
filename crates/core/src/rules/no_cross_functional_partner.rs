use super::{section_text, Cx, RuleCode, RuleInfo};
use crate::text::words::contains_word;
use crate::diagnostic::Diagnostic;
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    summary: "Cross-Functional Collaboration names no partner function outside engineering.",
    doc: "The role requires working cross-functionally; the section should say with whom: product, program management, design, QA, support, solutions, sales, marketing, and so on (whole words, any case; the list is `[rubric] partner-functions` in `packet.toml`). Empty sections are left to `empty-section`.",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let Some((_, h)) = cx.outline.top(SectionKind::CrossFunctional) else { return };
    if !cx.doc.has_content(h) {
        return;
    }
    let text = section_text(cx.doc, h, false);
    if cx.rubric.partner_functions.iter().any(|p| contains_word(&text, &p.to_lowercase())) {
        return;
    }
    out.push(Diagnostic::new(
        RuleCode::NoCrossFunctionalPartner,
        cx.line(h),
        format!(
            "\"{}\" names no partner function outside engineering; say whom you worked with (product, program, design, QA, support, sales, …)",
            cx.title(h)
        ),
    ));
}
