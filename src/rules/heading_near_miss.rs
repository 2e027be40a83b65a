use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::outline::How;

pub const INFO: RuleInfo = RuleInfo {
    code: "heading-near-miss",
    severity: Severity::Warning,
    summary: "A heading is a near miss of a required one (\"Mentorship & Coching\").",
    doc: "Headings are matched case-insensitively, ignoring surrounding whitespace, a trailing `:`, emphasis and a leading number, with `&` read as `and`, and each section accepts aliases. A title within a small edit distance of a required one is taken to be that section (so it is not also reported missing) but reported, because reviewers and tools look for the canonical names.\n\n**Fix:** renames the heading to the canonical title.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for slot in cx.outline.walk() {
        let Some(f) = slot.found else { continue };
        if f.how != How::NearMiss {
            continue;
        }
        let h = &cx.doc.headings[f.heading];
        out.push(
            Diagnostic::new(
                RuleCode::HeadingNearMiss,
                h.title.clone(),
                format!("Heading \"{}\" looks like the required \"{}\"", cx.title(f.heading), slot.spec.title),
            )
            .with_fix(Fix {
                title: format!("Rename to \"{}\"", slot.spec.title),
                edits: vec![Edit { range: h.title.clone(), text: slot.spec.title.clone() }],
                preferred: true,
                insertions: Vec::new(),
            }),
        );
    }
}
