use super::{Cx, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};

pub const INFO: RuleInfo = RuleInfo {
    code: "front-matter-invalid",
    severity: Severity::Error,
    summary: "Front matter is not valid YAML, or a key has the wrong type or an unknown value.",
    doc: "The front matter (YAML between `---` lines at the very top) names the rubric, candidate, target role, sponsor and letters. When it does not parse, only this diagnostic is reported for it, at the error's position, and the rest of the packet is still checked. An unknown `role` or `relation` value is reported as a warning naming the accepted values; unknown keys are allowed.",
    has_fix: false,
};

pub fn check(_cx: &Cx, _out: &mut Vec<Diagnostic>) {}
