use super::{Cx, RuleInfo};
use crate::diagnostic::Diagnostic;

pub const INFO: RuleInfo = RuleInfo {
    summary: "`packet.toml` is malformed or has an unknown key.",
    doc: "Reported in `packet.toml` itself at the offending line and column: TOML syntax errors, unknown keys, values of the wrong type, unknown rule codes or severities, unknown rubric names or section ids, invalid globs. While the file is invalid the built-in defaults apply.",
    has_fix: false,
};

/// Reported on `packet.toml` by the configuration loader, not on packets.
pub fn check(_cx: &Cx, _out: &mut Vec<Diagnostic>) {}
