use super::{contains_word, section_text, Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    code: "roles-without-first-person",
    severity: Severity::Info,
    summary: "A Roles and Responsibilities subsection says \"we\" but never \"I\"/\"my\".",
    doc: "The framework asks the applicant to highlight *their* specific role and contribution, especially when a project involved several developers. \"We shipped\" hides who did what; say what you did: \"I designed…\", \"my part was…\".",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for slot in cx.outline.walk() {
        if slot.spec.kind != Some(SectionKind::Roles) {
            continue;
        }
        let Some(h) = slot.heading() else { continue };
        let text = section_text(cx.doc, h, false);
        let we = ["we", "our", "us", "we're", "we've"].iter().any(|w| contains_word(&text, w));
        let i = ["i", "my", "me", "myself", "i'm", "i've", "i'd", "mine"].iter().any(|w| contains_word(&text, w));
        if we && !i {
            let owner = cx.doc.headings[h].parent.map(|p| cx.title(p)).unwrap_or("");
            out.push(Diagnostic::new(
                RuleCode::RolesWithoutFirstPerson,
                cx.line(h),
                format!(
                    "\"{}\" of \"{}\" says \"we\" but never \"I\" or \"my\"; state your own contribution",
                    cx.title(h),
                    owner
                ),
            ));
        }
    }
}
