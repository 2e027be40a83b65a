use super::{Cx, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};

pub const INFO: RuleInfo = RuleInfo {
    code: "missing-recommender",
    severity: Severity::Warning,
    summary: "The letters listed in front matter do not cover the three required kinds.",
    doc: "The framework requires letters from (1) a staff/lead or higher engineer from the same team, (2) a product or program manager, and (3) an engineer from another team or a manager/director from another org. The diagnostic names the missing kind and points at the `letters:` key (or the front matter's first line, or line 1 without front matter).nn**Fix:** inserts a front-matter letter entry for the missing kind.",
    has_fix: true,
};

pub fn check(_cx: &Cx, _out: &mut Vec<Diagnostic>) {}
