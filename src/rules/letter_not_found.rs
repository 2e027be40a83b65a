use super::{Cx, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};

pub const INFO: RuleInfo = RuleInfo {
    code: "letter-not-found",
    severity: Severity::Warning,
    summary: "A letter's `file:` does not exist, or points outside the workspace root.",
    doc: "Letter files are resolved relative to the packet. Paths that leave the workspace root (`..`, absolute paths, symlinks out) are refused: the root is the folder of the nearest `packet.toml`, else the nearest folder holding `.git`, else the packet's folder (in the server, the workspace folder holding the document).",
    has_fix: false,
};

pub fn check(_cx: &Cx, _out: &mut Vec<Diagnostic>) {}
