use std::sync::LazyLock;

use regex::Regex;

use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};

pub const INFO: RuleInfo = RuleInfo {
    code: "placeholder",
    severity: Severity::Warning,
    summary: "Unfilled template text: `<Initiative 1>`, `<Component 2>`, `<Company>`, `Value1`, `TODO`, `TBD`, `lorem ipsum`.",
    doc: "The template's placeholders are easy to leave behind. Any `<Capitalised words>` in angle brackets (CommonMark reads it as inline HTML, so the raw text is scanned), `Value` followed by a number, `TODO`, `TBD`, `FIXME` and `lorem ipsum` are reported where they stand. Code spans, code blocks and HTML comments are not scanned. A section titled with a placeholder still counts towards its minimum.",
    has_fix: false,
};

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<[A-Z][A-Za-z0-9 ._'/-]{0,60}>|\bValue[0-9]+\b|\bTODO\b|\bTBD\b|\bFIXME\b|(?i:\blorem ipsum\b)")
        .expect("placeholder pattern")
});

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let start = cx.doc.bom;
    for m in PLACEHOLDER.find_iter(&cx.doc.text[start..]) {
        let r = m.start() + start..m.end() + start;
        if cx.doc.in_skip(r.start) {
            continue;
        }
        out.push(Diagnostic::new(
            RuleCode::Placeholder,
            r,
            format!("Unfilled placeholder \"{}\": replace it with your own text", m.as_str()),
        ));
    }
}
