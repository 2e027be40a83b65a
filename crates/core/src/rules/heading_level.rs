use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::outline::How;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A known section appears at the wrong heading level.",
    doc: "The template's structure is carried by heading levels: top-level sections are H1, their parts H2, an initiative's parts H3. A section at the wrong level still counts (it is not also reported missing) and its children are checked as if it were in place.\n\n**Fix:** changes the number of `#` (ATX headings only).",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for &slot in &cx.slots {
        let Some(f) = slot.found else { continue };
        if f.how != How::WrongLevel {
            continue;
        }
        let h = &cx.doc.headings[f.heading];
        let mut d = Diagnostic::new(
            RuleCode::HeadingLevel,
            h.line.clone(),
            format!(
                "\"{}\" should be an H{} heading ({}), not H{}",
                cx.title(f.heading),
                f.level,
                "#".repeat(f.level as usize),
                h.level
            ),
        );
        if let Some(hashes) = &h.hashes {
            d = d.with_fix(Fix {
                title: format!("Change to H{}", f.level),
                edits: vec![Edit { range: hashes.clone(), text: "#".repeat(f.level as usize) }],
                preferred: true,
                insertions: Vec::new(),
                conversions: Vec::new(),
            });
        }
        out.push(d);
    }
}
