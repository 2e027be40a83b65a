use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::frontmatter::Problem;

pub const INFO: RuleInfo = RuleInfo {
    summary: "Front matter is not valid YAML, or a key has the wrong type or an unknown value.",
    doc: "The front matter (YAML between `---` lines at the very top) names the rubric, candidate, target role, sponsor and letters. When it does not parse, only this diagnostic is reported for it, at the error's position, and the rest of the packet is still checked. A key of the wrong type (for example `letters:` that is not a list, or a `role:` that is a list) is an error. An unknown `role` or `relation` value is reported as a warning naming the accepted values; unknown keys are allowed.",
    has_fix: false,
};

fn diagnostic(p: &Problem) -> Diagnostic {
    let mut d = Diagnostic::new(RuleCode::FrontMatterInvalid, p.range.clone(), p.message.clone());
    d.severity = p.severity;
    d
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    if let Some(p) = &cx.front.syntax_error {
        out.push(diagnostic(p));
        return;
    }
    out.extend(cx.front.problems.iter().map(diagnostic));
}
