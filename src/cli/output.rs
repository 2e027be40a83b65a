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

/// Display width of the first `chars` characters of `line` (tabs as 4).
fn width(line: &str, chars: u32) -> usize {
    line.chars().take(chars as usize).map(|c| if c == '\t' { 4 } else { c.width().unwrap_or(0) }).sum()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn human_diagnostic(out: &mut String, path: &str, d: &Reported, color: bool) {
    let sev = d.severity.as_str();
    out.push_str(&paint(&format!("{sev}[{}]", d.code.as_str()), severity_color(d.severity), color));
    out.push_str(&format!(": {}\n", d.message));
    let line_no = (d.start.0 + 1).to_string();
    let pad = " ".repeat(line_no.len());
    out.push_str(&format!("{pad}{} {path}:{}:{}\n", paint("-->", "1;34", color), d.start.0 + 1, d.start_char_col + 1));
    let bar = paint("|", "1;34", color);
    let shown: String = d.line_text.replace('\t', "    ");
    out.push_str(&format!("{pad} {bar}\n"));
    out.push_str(&format!("{} {bar} {}\n", paint(&line_no, "1;34", color), shown));
    let start_w = width(&d.line_text, d.start_char_col);
    let end_w = width(&d.line_text, d.end_char_col.max(d.start_char_col));
    let carets = "^".repeat((end_w.saturating_sub(start_w)).max(1));
    out.push_str(&format!("{pad} {bar} {}{}\n\n", " ".repeat(start_w), paint(&carets, severity_color(d.severity), color)));
}

pub fn human(reports: &[FileReport], explicit: &[PathBuf], color: bool) {
    let mut out = String::new();
    let (mut files, mut errors, mut warnings) = (0, 0, 0);
    for r in reports {
        let path = display(&r.path);
        if let Some(e) = &r.io_error {
            out.push_str(&format!("{}: {path}: {e}\n", paint("error", "1;31", color)));
            continue;
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
            out.push_str(&format!("{path}: fixed: {f}\n"));
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
            let i = c.info();
            json!({
                "id": i.code,
                "shortDescription": {"text": i.summary},
                "helpUri": c.doc_url(),
                "defaultConfiguration": {"level": sarif_level(i.severity)},
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
