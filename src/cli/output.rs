//! Output formats of `check`: compiler-style text, LSP-shaped JSON, SARIF 2.1.0.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use unicode_width::UnicodeWidthChar;

use super::check::{FileReport, Reported};
use crate::diagnostic::Severity;
use crate::rules::RuleCode;

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// How one character of file contents or a file name is shown in human
/// output: `None` when it is shown as itself. Control characters would
/// otherwise reach the terminal as commands (`ESC[2J` clears the screen,
/// `ESC[1A ESC[2K` rewrites the line above, OSC 8 makes links, OSC 0 sets the
/// title, a newline in a file name fakes a line of output), and the bidi
/// controls reorder what is shown. They are written as Rust-style escapes:
/// `\n`, `\r`, `\t`, `\x1b` (C0 and DEL), `\u{9b}` (C1), `\u{202e}` (bidi
/// controls, line and paragraph separators).
fn escaped(c: char) -> Option<String> {
    Some(match c {
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        '\0'..='\x1f' | '\x7f' => format!("\\x{:02x}", c as u32),
        '\u{80}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            format!("\\u{{{:x}}}", c as u32)
        }
        _ => return None,
    })
}

/// `s` with every control character escaped (see [`escaped`]).
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| escaped(c).is_some()) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match escaped(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A file name as shown in human output: `/` separators, controls escaped.
pub fn shown_path(p: &Path) -> String {
    visible(&display(p)).into_owned()
}

/// A source line as shown under a diagnostic (tabs as four spaces, controls
/// escaped), with the display columns where the characters `from` and `to`
/// (char indices) start.
fn shown_line(line: &str, from: u32, to: u32) -> (String, usize, usize) {
    let mut out = String::with_capacity(line.len());
    let (mut w, mut from_w, mut to_w) = (0, None, None);
    for (i, c) in line.chars().enumerate() {
        if i as u32 == from {
            from_w = Some(w);
        }
        if i as u32 == to {
            to_w = Some(w);
        }
        if c == '\t' {
            out.push_str("    ");
            w += 4;
        } else if let Some(e) = escaped(c) {
            w += e.len();
            out.push_str(&e);
        } else {
            out.push(c);
            w += c.width().unwrap_or(0);
        }
    }
    let from_w = from_w.unwrap_or(w);
    (out, from_w, to_w.unwrap_or(w).max(from_w))
}

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
        Severity::Hint => "1;32",
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn human_diagnostic(out: &mut String, path: &str, d: &Reported, color: bool) {
    let sev = d.severity.as_str();
    out.push_str(&paint(&format!("{sev}[{}]", d.code.as_str()), severity_color(d.severity), color));
    out.push_str(&format!(": {}\n", visible(&d.message)));
    let line_no = (d.start.0 + 1).to_string();
    let pad = " ".repeat(line_no.len());
    out.push_str(&format!("{pad}{} {path}:{}:{}\n", paint("-->", "1;34", color), d.start.0 + 1, d.start_char_col + 1));
    let bar = paint("|", "1;34", color);
    let (shown, start_w, end_w) = shown_line(&d.line_text, d.shown_cols.0, d.shown_cols.1.max(d.shown_cols.0));
    out.push_str(&format!("{pad} {bar}\n"));
    out.push_str(&format!("{} {bar} {}\n", paint(&line_no, "1;34", color), shown));
    let carets = "^".repeat((end_w.saturating_sub(start_w)).max(1));
    out.push_str(&format!("{pad} {bar} {}{}\n\n", " ".repeat(start_w), paint(&carets, severity_color(d.severity), color)));
}

pub fn human(reports: &[FileReport], explicit: &[PathBuf], color: bool) {
    let mut out = String::new();
    let (mut files, mut errors, mut warnings) = (0, 0, 0);
    for r in reports {
        let path = shown_path(&r.path);
        let io_error = r.io_error.as_ref().map(|e| format!("{}: {path}: {}\n", paint("error", "1;31", color), visible(e)));
        if !r.is_packet {
            // A file that could not be read: only the error.
            if let Some(e) = io_error {
                out.push_str(&e);
                continue;
            }
        }
        let is_config = r.path.file_name().is_some_and(|n| n == crate::workspace::CONFIG_FILE);
        if !r.is_packet && !is_config {
            if explicit.iter().any(|p| p == &r.path) {
                out.push_str(&format!(
                    "{path}: not a packet (name it *.packet.md, add `packet: senior-em` to its front matter, or list it in packet.toml `include`)\n"
                ));
            }
            continue;
        }
        files += 1;
        for d in &r.diagnostics {
            human_diagnostic(&mut out, &path, d, color);
        }
        for f in &r.fixed {
            out.push_str(&format!("{path}: fixed: {}\n", visible(f)));
        }
        if r.skeleton_errors > 0 && r.count(Severity::Error) == 0 {
            out.push_str(&format!(
                "{path}: {} fixed by inserting skeletons that are still to be written (exit status 1)\n",
                plural(r.skeleton_errors, "error")
            ));
        }
        let (e, w) = (r.count(Severity::Error), r.count(Severity::Warning));
        errors += e;
        warnings += w;
        let other = r.diagnostics.len() - e - w;
        match &r.readiness {
            Some(rd) => out.push_str(&format!(
                "{}: {rd} — {}, {}, {}\n\n",
                paint(&path, "1", color),
                plural(e, "error"),
                plural(w, "warning"),
                plural(other, "note")
            )),
            None => out.push_str(&format!("{}: {}\n\n", paint(&path, "1", color), plural(e, "error"))),
        }
        // A packet whose fixes could not be written: its diagnostics above, then why.
        if let Some(e) = io_error {
            out.push_str(&e);
            out.push('\n');
        }
    }
    out.push_str(&format!("Checked {}: {}, {}.\n", plural(files, "file"), plural(errors, "error"), plural(warnings, "warning")));
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
}

fn lsp_diagnostic(d: &Reported) -> Value {
    json!({
        "range": {
            "start": {"line": d.start.0, "character": d.start.1},
            "end": {"line": d.end.0, "character": d.end.1}
        },
        "severity": d.severity.lsp_number(),
        "code": d.code.as_str(),
        "source": "packet-ls",
        "message": d.message,
    })
}

pub fn json(reports: &[FileReport]) {
    let v: Vec<Value> = reports
        .iter()
        .map(|r| {
            let mut o = json!({
                "path": display(&r.path),
                "diagnostics": r.diagnostics.iter().map(lsp_diagnostic).collect::<Vec<_>>(),
            });
            if let Some(e) = &r.io_error {
                o["error"] = json!(e);
            }
            o
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

pub fn sarif(reports: &[FileReport]) {
    let rules: Vec<Value> = RuleCode::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "shortDescription": {"text": crate::rules::info(*c).summary},
                "helpUri": c.doc_url(),
                "defaultConfiguration": {"level": sarif_level(c.default_severity())},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for d in &r.diagnostics {
            results.push(json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": RuleCode::ALL.iter().position(|c| *c == d.code),
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": display(&r.path)},
                        "region": {
                            "startLine": d.start.0 + 1,
                            "startColumn": d.start.1 + 1,
                            "endLine": d.end.0 + 1,
                            "endColumn": d.end.1 + 1,
                        }
                    }
                }]
            }));
        }
    }
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "packet-ls",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::rules::DOCS_URL,
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_text_is_kept() {
        assert_eq!(visible("plain é 中 😀"), "plain é 中 😀");
        assert_eq!(visible("a\x1b[2Jb\x07\x1b]0;t\x07"), "a\\x1b[2Jb\\x07\\x1b]0;t\\x07");
        assert_eq!(visible("x\ny\rz\t\x7f"), "x\\ny\\rz\\t\\x7f");
        assert_eq!(visible("\u{9b}2J \u{202e}abc \u{2028}"), "\\u{9b}2J \\u{202e}abc \\u{2028}");
    }

    #[test]
    fn carets_count_escapes_at_their_shown_width() {
        // "\x1bX TODO": the escape shows as four columns.
        let (shown, from, to) = shown_line("\x1bX\tTODO", 3, 7);
        assert_eq!(shown, "\\x1bX    TODO");
        assert_eq!((from, to), (9, 13));
        let (_, from, to) = shown_line("中TODO", 1, 5);
        assert_eq!((from, to), (2, 6));
        // Past the end of the line (a range that ends on a later line).
        let (_, from, to) = shown_line("ab", 1, 9);
        assert_eq!((from, to), (1, 2));
    }
}
