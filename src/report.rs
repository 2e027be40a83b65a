//! `packet-ls report`: one row per packet for a sponsor or HR partner with
//! many candidates — candidate, target, sponsor, sections, initiatives,
//! mentoring, letter kinds and letter files, the sponsor's letter, errors and
//! warnings, and whether the package is ready to submit. Rows are built from
//! an analysis and its [`Env`] (no I/O here) and rendered as JSON, CSV or one
//! self-contained HTML page; `cli/report.rs` walks the folders and prints a
//! table.

use serde_json::{json, Value};

use crate::analysis::{Analysis, Env, Readiness};
use crate::bundle::escape;
use crate::diagnostic::Severity;
use crate::frontmatter::{LetterKind, Person};
use crate::letters::{self, LetterState};

/// A recommender's letter in a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRow {
    pub name: String,
    pub role: Option<String>,
    pub relation: Option<String>,
    pub file: Option<String>,
    pub state: LetterState,
}

/// One packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The packet's path as shown (`/` separators).
    pub path: String,
    pub candidate: Option<String>,
    pub target: Option<String>,
    pub sponsor: Option<String>,
    pub readiness: Readiness,
    /// The letter kinds the entries cover, in [`LetterKind::ALL`] order.
    pub kinds: Vec<LetterKind>,
    pub letters: Vec<LetterRow>,
    /// The sponsor's own letter; `None` when no sponsor is named.
    pub sponsor_letter: Option<(Option<String>, LetterState)>,
    pub errors: usize,
    pub warnings: usize,
}

fn name_of(p: &Person) -> String {
    p.name.as_ref().map(|f| f.text().to_string()).unwrap_or_else(|| "(unnamed)".into())
}

impl Row {
    /// Builds a packet's row from its analysis (diagnostics as reported: the
    /// caller caps them as `check` does) and environment.
    pub fn new(path: &str, a: &Analysis, env: &Env) -> Row {
        let fm = &a.front;
        let candidate = fm.candidate.as_ref().map(|f| f.text().to_string());
        let state = |p: &Person| letters::state(env, p, candidate.as_deref());
        Row {
            path: path.to_string(),
            target: fm.target.as_ref().map(|f| f.text().to_string()),
            sponsor: fm.sponsor.as_ref().map(name_of),
            readiness: a.readiness,
            kinds: fm.covered_kinds(),
            letters: fm
                .letters
                .iter()
                .map(|l| LetterRow {
                    name: name_of(l),
                    role: l.role.as_ref().map(|f| f.text().to_string()),
                    relation: l.relation.as_ref().map(|f| f.text().to_string()),
                    file: l.file_path().map(str::to_string),
                    state: state(l),
                })
                .collect(),
            sponsor_letter: fm.sponsor.as_ref().map(|s| (s.file_path().map(str::to_string), state(s))),
            errors: a.diagnostics.iter().filter(|d| d.severity == Severity::Error).count(),
            warnings: a.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count(),
            candidate,
        }
    }

    /// Ready to submit: no error, all three letter kinds covered, and the
    /// sponsor's letter there.
    pub fn ready(&self) -> bool {
        self.errors == 0 && self.readiness.package_complete()
    }

    /// Letter files present (found, written, naming the candidate) of those listed.
    pub fn letter_files(&self) -> (usize, usize) {
        let listed = self.letters.iter().filter(|l| l.file.is_some()).count();
        let present = self.letters.iter().filter(|l| l.file.is_some() && l.state.present()).count();
        (present, listed)
    }

    /// The sponsor's letter as an identifier: a [`LetterState::id`], or `no-sponsor`.
    pub fn sponsor_letter_id(&self) -> &'static str {
        self.sponsor_letter.as_ref().map_or("no-sponsor", |(_, s)| s.id())
    }

    /// The sponsor's letter in words.
    pub fn sponsor_letter_words(&self) -> &'static str {
        self.sponsor_letter.as_ref().map_or("no sponsor named", |(_, s)| s.describe())
    }

    /// How far the package is, 0–100: the mean of sections, complete
    /// initiatives, mentoring, letter kinds and the sponsor's letter, each
    /// as a fraction of what is required (capped at 1).
    pub fn score(&self) -> u32 {
        let r = &self.readiness;
        let frac = |n: u32, d: u32| if d == 0 { 1.0 } else { (n as f64 / d as f64).min(1.0) };
        let parts = [
            frac(r.sections_present, r.sections_required),
            frac(r.initiatives_complete, r.initiatives_expected),
            frac(r.mentoring_evidenced, r.mentoring_required),
            frac(r.letter_kinds_covered, r.letter_kinds_required),
            if r.sponsor_letter { 1.0 } else { 0.0 },
        ];
        (parts.iter().sum::<f64>() / parts.len() as f64 * 100.0).round() as u32
    }
}

fn ratio(n: u32, d: u32) -> String {
    format!("{n}/{d}")
}

/// The rows as a JSON array.
pub fn json(rows: &[Row]) -> String {
    let v: Vec<Value> = rows
        .iter()
        .map(|r| {
            let rd = &r.readiness;
            json!({
                "path": r.path,
                "candidate": r.candidate,
                "target": r.target,
                "sponsor": r.sponsor,
                "sections": {"present": rd.sections_present, "required": rd.sections_required},
                "initiatives": {"complete": rd.initiatives_complete, "expected": rd.initiatives_expected},
                "mentoring": {"evidenced": rd.mentoring_evidenced, "required": rd.mentoring_required},
                "letterKinds": {
                    "covered": rd.letter_kinds_covered,
                    "required": rd.letter_kinds_required,
                    "kinds": r.kinds.iter().map(|k| k.id()).collect::<Vec<_>>(),
                },
                "letters": r.letters.iter().map(|l| json!({
                    "name": l.name,
                    "role": l.role,
                    "relation": l.relation,
                    "file": l.file,
                    "status": l.state.id(),
                })).collect::<Vec<_>>(),
                "sponsorLetter": {
                    "file": r.sponsor_letter.as_ref().and_then(|(f, _)| f.clone()),
                    "status": r.sponsor_letter_id(),
                    "present": rd.sponsor_letter,
                },
                "errors": r.errors,
                "warnings": r.warnings,
                "readiness": rd.to_string(),
                "ready": r.ready(),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
/// break. A field that a spreadsheet would read as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a
/// candidate named `=HYPERLINK(…)` stays text.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub const CSV_HEADER: &str = "path,candidate,target,sponsor,sections,initiatives_complete,mentoring,letter_kinds,letter_kinds_covered,letter_files,sponsor_letter,errors,warnings,ready";

/// The rows as CSV with a header line, lines ending in CRLF (RFC 4180).
/// `letter_files` lists each recommender as `name=status`, separated by `;`.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for r in rows {
        let rd = &r.readiness;
        let letters: Vec<String> = r.letters.iter().map(|l| format!("{}={}", l.name, l.state.id())).collect();
        let kinds: Vec<&str> = r.kinds.iter().map(|k| k.id()).collect();
        let fields = [
            r.path.clone(),
            r.candidate.clone().unwrap_or_default(),
            r.target.clone().unwrap_or_default(),
            r.sponsor.clone().unwrap_or_default(),
            ratio(rd.sections_present, rd.sections_required),
            ratio(rd.initiatives_complete, rd.initiatives_expected),
            ratio(rd.mentoring_evidenced, rd.mentoring_required),
            ratio(rd.letter_kinds_covered, rd.letter_kinds_required),
            kinds.join(";"),
            letters.join(";"),
            r.sponsor_letter_id().to_string(),
            r.errors.to_string(),
            r.warnings.to_string(),
            if r.ready() { "yes" } else { "no" }.to_string(),
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The sorting script of the HTML page: the page's own, never anything from
/// an input. The Content-Security-Policy allows exactly this script (by its
/// SHA-256), nothing else.
const SORT_SCRIPT: &str = "document.querySelectorAll('th[data-col]').forEach(function(th){th.addEventListener('click',function(){var t=th.closest('table'),b=t.tBodies[0],i=+th.dataset.col,asc=th.getAttribute('aria-sort')!=='ascending';t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});th.setAttribute('aria-sort',asc?'ascending':'descending');Array.from(b.rows).sort(function(x,y){var p=x.cells[i].getAttribute('data-sort'),q=y.cells[i].getAttribute('data-sort'),m=Number(p),n=Number(q),c=(p!==''&&q!==''&&!isNaN(m)&&!isNaN(n))?m-n:p.localeCompare(q);return asc?c:-c}).forEach(function(r){b.appendChild(r)})})});";

const REPORT_CSS: &str = r#"
:root { --ink: #1d2330; --muted: #5b6474; --rule: #d5d9e0; --ok: #2e7d32; --bad: #a12a2a; --accent: #2f5da8; }
* { box-sizing: border-box; }
html { font-family: "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); font-size: 10pt; }
body { margin: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
p.muted, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .25rem .35rem; text-align: left; vertical-align: top; }
th { background: #f0f2f5; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " ▲"; }
th[aria-sort="descending"]::after { content: " ▼"; }
td.num { text-align: right; white-space: nowrap; }
td.yes { color: var(--ok); font-weight: bold; }
td.no { color: var(--bad); font-weight: bold; }
ul.letters { margin: 0; padding-left: 1rem; }
li.bad { color: var(--bad); }
.bar { width: 6rem; height: .6rem; background: #e3e6ea; border-radius: .3rem; overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--accent); }
.bar.full span { background: var(--ok); }
tr { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4 landscape; margin: 8mm; }
@media print {
  html { font-size: 7pt; }
  body { margin: 0; }
  h1 { font-size: 1.3rem; }
  th { cursor: default; }
  th, td { padding: .1rem .2rem; line-height: 1.2; }
  ul.letters { padding-left: 0; list-style: none; }
  ul.letters li { display: inline; }
  ul.letters li + li::before { content: " · "; color: var(--muted); }
  .bar { width: 4rem; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// The Content-Security-Policy of the report page: nothing loaded from
/// anywhere, the page's own style, and only [`SORT_SCRIPT`] may run.
pub fn report_csp() -> String {
    use base64::Engine as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha256(SORT_SCRIPT.as_bytes()));
    format!("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'")
}

/// The rows as one self-contained HTML page: a sortable table (click a
/// column heading) with a readiness bar per packet, printable on one
/// landscape page. Every text from a packet is escaped.
pub fn html(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", report_csp()));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"packet-ls\">\n<title>Promotion packets: readiness report</title>\n");
    out.push_str(&format!("<style>{REPORT_CSS}</style>\n</head>\n<body>\n"));
    let ready = rows.iter().filter(|r| r.ready()).count();
    out.push_str("<h1>Promotion packets: readiness report</h1>\n");
    out.push_str(&format!(
        "<p class=\"muted\">{ready} of {} packets ready to submit (no error, all three letter kinds, the sponsor's letter). Click a column heading to sort.</p>\n",
        rows.len()
    ));
    let heads = [
        "Packet", "Candidate", "Target", "Sponsor", "Readiness", "Sections", "Initiatives", "Mentoring", "Letter kinds",
        "Letters", "Sponsor's letter", "Errors", "Warnings", "Ready",
    ];
    out.push_str("<table id=\"report\">\n<thead><tr>");
    for (i, h) in heads.iter().enumerate() {
        out.push_str(&format!("<th data-col=\"{i}\" scope=\"col\">{}</th>", escape(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        let rd = &r.readiness;
        let cell = |sort: &str, class: &str, content: &str| {
            let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
            format!("<td data-sort=\"{}\"{class}>{content}</td>", escape(sort))
        };
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        let frac = |n: u32, d: u32| cell(&format!("{}", if d == 0 { 1.0 } else { n as f64 / d as f64 }), "num", &ratio(n, d));
        let score = r.score();
        let mut letters = String::from("<ul class=\"letters\">");
        for l in &r.letters {
            let class = if l.state.present() && l.file.is_some() { "" } else { " class=\"bad\"" };
            let file = l.file.as_ref().map(|f| format!(" <code>{}</code>", escape(f))).unwrap_or_default();
            letters.push_str(&format!("<li{class}>{}{file}: {}</li>", escape(&l.name), escape(l.state.describe())));
        }
        letters.push_str("</ul>");
        let (present, listed) = r.letter_files();
        out.push_str("<tr>");
        out.push_str(&cell(&r.path, "", &escape(&r.path)));
        out.push_str(&cell(&text(&r.candidate), "", &escape(&text(&r.candidate))));
        out.push_str(&cell(&text(&r.target), "", &escape(&text(&r.target))));
        out.push_str(&cell(&text(&r.sponsor), "", &escape(&text(&r.sponsor))));
        out.push_str(&cell(
            &score.to_string(),
            "",
            &format!(
                "<div class=\"bar{}\" title=\"{score}%\" role=\"img\" aria-label=\"{score}% ready\"><span style=\"width:{score}%\"></span></div>",
                if score == 100 { " full" } else { "" }
            ),
        ));
        out.push_str(&frac(rd.sections_present, rd.sections_required));
        out.push_str(&frac(rd.initiatives_complete, rd.initiatives_expected));
        out.push_str(&frac(rd.mentoring_evidenced, rd.mentoring_required));
        out.push_str(&frac(rd.letter_kinds_covered, rd.letter_kinds_required));
        out.push_str(&cell(&format!("{present}/{listed}"), "", &letters));
        let sl = r.sponsor_letter_words();
        out.push_str(&cell(sl, if rd.sponsor_letter { "yes" } else { "no" }, &escape(sl)));
        out.push_str(&cell(&r.errors.to_string(), "num", &r.errors.to_string()));
        out.push_str(&cell(&r.warnings.to_string(), "num", &r.warnings.to_string()));
        let (word, class) = if r.ready() { ("yes", "yes") } else { ("no", "no") };
        out.push_str(&cell(word, class, word));
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(&format!("<script>{SORT_SCRIPT}</script>\n</body>\n</html>\n"));
    out
}

/// SHA-256 (FIPS 180-4), for the page's script hash. The round constants
/// are computed as the standard defines them (fractional parts of the cube
/// roots of the first 64 primes; the initial hash from square roots of the
/// first 8), checked against the standard's test vectors below.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    fn primes(n: usize) -> Vec<u32> {
        let mut out = Vec::with_capacity(n);
        let mut c = 2u32;
        while out.len() < n {
            if out.iter().all(|p| c % p != 0) {
                out.push(c);
            }
            c += 1;
        }
        out
    }
    let frac32 = |x: f64| ((x - x.floor()) * 4294967296.0) as u32;
    let ps = primes(64);
    let k: Vec<u32> = ps.iter().map(|&p| frac32((p as f64).cbrt())).collect();
    let mut h: Vec<u32> = ps[..8].iter().map(|&p| frac32((p as f64).sqrt())).collect();
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (i, c) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]];
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(k[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(hex(&sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            hex(&sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@SUM(1)"), "'@SUM(1)");
    }
}
