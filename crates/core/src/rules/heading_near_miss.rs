use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::outline::How;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A heading is a near miss of a required one (\"Mentorship & Coching\").",
    doc: "Headings are matched case-insensitively, seeing through what people decorate titles with: surrounding whitespace, leading or trailing emoji and symbols, numbering (`1.`, `1)`, `2.3`, `I.`, `VII.`, `A.`, `Part 2 –`, `Section 3:`), inline markup (`**`, `_`, `` ` ``, `~~`, links, `<b>`…), trailing punctuation, with `&`, `/` and `+` read as `and`. A title or alias followed by a qualifier (`(…)`, ` - …`, ` — …`, `: …`, ` and …`) is that section too, with no diagnostic (`# Summary and next steps`, `### Roles and Responsibilities (mine)`). Each heading stands for at most one section, the one it matches best (exact before qualified, then the longest title).\n\nA title within a small edit distance of a required one (or of an alias) is taken to be that section (so it is not also reported missing) but reported, because reviewers and tools look for the canonical names. `Cross Functional Collaboration` and `Role and Responsibilities` are such near misses.\n\n**Fix:** renames the heading to the canonical title.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for &slot in &cx.slots {
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
                conversions: Vec::new(),
            }),
        );
    }
}
