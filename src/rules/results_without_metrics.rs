use std::sync::LazyLock;

use regex::Regex;

use super::{section_text, Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    code: "results-without-metrics",
    severity: Severity::Info,
    summary: "A Results and Impact subsection states no measurable figure (number, %, currency, duration).",
    doc: "Results read as claims until they are measured: latency down 40%, $2M saved, shipped in six weeks, three teams onboarded. Any digit counts, as do words such as \"doubled\", \"halved\", \"twice\" or a spelled-out number followed by a unit of time or a count noun. Empty subsections are left to `empty-section`.",
    has_fix: false,
};

static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[0-9]|[$€£¥%]|\b(doubled|tripled|halved|twice|thrice|quadrupled|tenfold)\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|hundreds|thousands|millions)\s+\w+")
        .expect("figure pattern")
});

/// Whether the text `section_text(doc, h, false)` reads holds a character of
/// the pattern's `[0-9]|[$€£¥%]` part.
fn has_digit_or_sign(cx: &Cx, h: usize) -> bool {
    cx.doc.runs_in(h).filter(|r| !(r.in_heading && r.heading == Some(h))).any(|r| {
        let t = &cx.doc.text[r.range.clone()];
        t.bytes().any(|b| b.is_ascii_digit() || b == b'$' || b == b'%') || t.contains(['€', '£', '¥'])
    })
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for slot in cx.outline.walk() {
        if slot.spec.kind != Some(SectionKind::Results) {
            continue;
        }
        let Some(h) = slot.heading() else { continue };
        if !cx.doc.has_content(h) {
            continue;
        }
        // Most results state a digit, a currency sign or `%`, which the
        // pattern matches at once (case and lower-casing do not change them):
        // look for those in the raw text before building the lower-cased copy
        // the full pattern needs, which is slow on non-ASCII text.
        if has_digit_or_sign(cx, h) {
            continue;
        }
        let text = section_text(cx.doc, h, false);
        if FIGURE.is_match(&text) {
            continue;
        }
        let owner = cx.doc.headings[h].parent.map(|p| cx.title(p)).unwrap_or("");
        out.push(Diagnostic::new(
            RuleCode::ResultsWithoutMetrics,
            cx.line(h),
            format!(
                "\"{}\" of \"{}\" states no measurable figure; add a number, percentage, amount or duration",
                cx.title(h),
                owner
            ),
        ));
    }
}
