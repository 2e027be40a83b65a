use std::sync::LazyLock;

use regex::Regex;

use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;

pub const INFO: RuleInfo = RuleInfo {
    summary: "Unfilled template text: `<Initiative 1>`, `<Component 2>`, `<Company>`, `Value1`, `TODO`, `TBD`, `lorem ipsum`.",
    doc: "The template's placeholders are easy to leave behind. Any `<Capitalised words>` in angle brackets (CommonMark reads it as inline HTML, so the raw text is scanned), `Value` followed by a number, `TODO`, `TBD`, `FIXME` and `lorem ipsum` are reported where they stand. Code spans, code blocks and HTML comments are not scanned. A section titled with a placeholder still counts towards its minimum.",
    has_fix: false,
};

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<[A-Z][A-Za-z0-9 ._'/-]{0,60}>|\bValue[0-9]+\b|\bTODO\b|\bTBD\b|\bFIXME\b|(?i:\blorem ipsum\b)")
        .expect("placeholder pattern")
});

/// Every placeholder match contains a match of one of these, and they are
/// cheap to run over the whole text (plain literals, searched with SIMD;
/// apart, because mixing the 32 case variants of `lorem` with the other
/// literals defeats the fast literal search). No non-ASCII letter case-folds
/// to one of `lorem`'s letters.
static CANDIDATES: LazyLock<[Regex; 2]> = LazyLock::new(|| {
    [
        Regex::new(r"<[A-Z]|Value|TODO|TBD|FIXME").expect("candidate pattern"),
        Regex::new(r"(?i:lorem)").expect("candidate pattern"),
    ]
});

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    let text = doc.text;
    let start = doc.bom;
    // Lines end at `\n` here; without lone `\r`s every heading starts on
    // such a line, so the text is scanned from one heading to the next (and
    // the preamble before the first), each stretch memoised: a keystroke
    // re-scans only the stretch it touched. Stretches are grouped (up to an
    // H1, or once a group holds 16 KiB), each group memoised too, so a
    // keystroke looks up the groups and the stretches of one group.
    if doc.breaks.cr > 0 {
        report(cx, out, start..text.len(), &doc.memo.list(&(start..text.len()), || scan(cx, start..text.len())));
        return;
    }
    let starts: Vec<usize> = std::iter::once(start).chain(doc.headings.iter().map(|h| h.line.start.max(start))).collect();
    let mut group = 0;
    while group < starts.len() {
        let mut end = group + 1;
        while end < starts.len() && doc.headings[end - 1].level > 1 && starts[end] - starts[group] < 16 * 1024 {
            end += 1;
        }
        let range = starts[group]..starts.get(end).copied().unwrap_or(text.len());
        let stretches = &starts[group..end];
        let found = doc.memo.list(&range, || {
            let mut all = Vec::new();
            for (i, &a) in stretches.iter().enumerate() {
                let b = stretches.get(i + 1).copied().unwrap_or(range.end);
                if a < b {
                    let one = doc.memo.list(&(a..b), || scan(cx, a..b));
                    all.extend(one.iter().map(|r| r.start + a - range.start..r.end + a - range.start));
                }
            }
            all
        });
        report(cx, out, range, &found);
        group = end;
    }
}

/// The diagnostics of the placeholders `found` in `range` (offsets from its start).
fn report(cx: &Cx, out: &mut Vec<Diagnostic>, range: std::ops::Range<usize>, found: &[std::ops::Range<usize>]) {
    for r in found {
        let r = r.start + range.start..r.end + range.start;
        out.push(Diagnostic::new(RuleCode::Placeholder, r.clone(), message(&cx.doc.text[r])));
    }
}

/// The placeholders of `range` (whole lines), relative to its start.
fn scan(cx: &Cx, range: std::ops::Range<usize>) -> Vec<std::ops::Range<usize>> {
    let start = range.start;
    find(&cx.doc.text[..range.end], start, |at| cx.doc.in_skip(at)).into_iter().map(|(r, _)| r.start - start..r.end - start).collect()
}

/// The rule's message for the placeholder `found`.
pub fn message(found: &str) -> String {
    format!("Unfilled placeholder \"{found}\": replace it with your own text")
}

/// The placeholders of `text` from byte `start` on, with their text, except
/// those starting where `skipped` says (code and comments); also used for
/// letter files ([`crate::letters::letter_diagnostics`]).
pub fn find(text: &str, start: usize, skipped: impl Fn(usize) -> bool) -> Vec<(std::ops::Range<usize>, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The full pattern has Unicode word boundaries, which make the regex
    // engine fall back to its slow PikeVM on any non-ASCII text, so it runs
    // only on lines with a candidate. No match spans a line break (no part of
    // the pattern matches `\n`) and a line break is not a word character, so
    // matching each such line on its own finds exactly what matching the
    // whole text finds.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    for re in CANDIDATES.iter() {
        let mut pos = start;
        while let Some(m) = re.find_at(text, pos) {
            let line_start = bytes[start..m.start()].iter().rposition(|&b| b == b'\n').map_or(start, |i| start + i + 1);
            let line_end = bytes[m.end()..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| m.end() + i);
            lines.push((line_start, line_end));
            pos = line_end;
        }
    }
    lines.sort_unstable();
    lines.dedup();
    for (line_start, line_end) in lines {
        for m in PLACEHOLDER.find_iter(&text[line_start..line_end]) {
            let r = m.start() + line_start..m.end() + line_start;
            if skipped(r.start) {
                continue;
            }
            out.push((r, m.as_str()));
        }
    }
    out
}
