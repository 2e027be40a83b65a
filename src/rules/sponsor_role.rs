use super::{Cx, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};

pub const INFO: RuleInfo = RuleInfo {
    code: "sponsor-role",
    severity: Severity::Warning,
    summary: "The sponsor is neither the direct manager (senior EM or director) nor a skip-level manager with an `exception:` reason.",
    doc: "The sponsor is normally the direct manager, a senior engineering manager or director (`relation: direct-manager`, `role: senior-engineering-manager` or `director`); a skip-level manager (director, senior director or VP) only by exception, with a non-empty `exception:` in the sponsor entry.",
    has_fix: false,
};

pub fn check(_cx: &Cx, _out: &mut Vec<Diagnostic>) {}
