use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};

pub const INFO: RuleInfo = RuleInfo {
    code: "section-order",
    severity: Severity::Hint,
    summary: "Top-level sections are out of the canonical order.",
    doc: "Reviewers compare packets side by side in the template's order: Overview, Alignment with Engineering Competency Framework, Selected Projects and Initiatives, Technical Leadership across Components, Mentoring and Coaching, Scope of Responsibilities, Cross-Functional Collaboration, Alignment with <Company> Values, Summary. Each section that comes after one the template puts later is reported once.",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let mut found: Vec<(usize, usize)> = cx
        .outline
        .slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.heading().map(|h| (h, i)))
        .collect();
    found.sort();
    let mut latest: Option<(usize, usize)> = None; // (heading, canonical index)
    for (h, i) in found {
        match latest {
            Some((lh, li)) if i < li => out.push(
                Diagnostic::new(
                    RuleCode::SectionOrder,
                    cx.line(h),
                    format!(
                        "\"{}\" is out of order: the framework puts it before \"{}\"",
                        cx.title(h),
                        cx.title(lh)
                    ),
                )
                .with_related(cx.line(lh), "section that should come after it"),
            ),
            _ => latest = Some((h, i)),
        }
    }
}
