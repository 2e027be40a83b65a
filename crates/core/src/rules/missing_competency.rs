use super::{section_text, Cx, RuleCode, RuleInfo};
use crate::text::words::contains_word;
use crate::diagnostic::Diagnostic;
use crate::fix::{competency_block, insert_fix, under};
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A configured competency is not addressed in the Alignment with Engineering Competency Framework section.",
    doc: "The applicant should show how they meet each competency of the engineering competency matrix for the role, with a specific example. List the competencies in `packet.toml` (`[rubric] competencies = [\"Delivery\", \"People Leadership\"]`); a competency counts as addressed when its name appears (whole words, any case) in a heading or the text of the section.\n\n**Fix:** inserts an H2 stub for the competency.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    if cx.rubric.competencies.is_empty() {
        return;
    }
    let Some((_, h)) = cx.outline.top(SectionKind::Competencies) else { return };
    let text = section_text(cx.doc, h, false);
    let missing: Vec<&String> =
        cx.rubric.competencies.iter().filter(|c| !contains_word(&text, &c.to_lowercase())).collect();
    let total = cx.rubric.competencies.len();
    let level = cx.doc.headings[h].level + 1;
    for c in &missing {
        let block = competency_block(c, level);
        let fix = under(cx.doc, h, insert_fix(cx.doc, format!("Insert competency \"{c}\""), cx.doc.headings[h].end, block, level, true));
        out.push(
            Diagnostic::new(
                RuleCode::MissingCompetency,
                cx.line(h),
                format!(
                    "Competency \"{}\" is not addressed in \"{}\"; {} of {} competencies addressed",
                    c,
                    cx.title(h),
                    total - missing.len(),
                    total
                ),
            )
            .with_fix(fix),
        );
    }
}
