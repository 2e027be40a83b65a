//! `packet-ls check`: find packets, analyse them in parallel, print, and exit
//! 0 (no errors), 1 (errors found) or 2 (usage or I/O error).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::output;
use super::Format;
use crate::analysis::{analyze, Readiness};
use crate::config::EditorOverrides;
use crate::diagnostic::Severity;
use crate::fix::fix_text;
use crate::rules::RuleCode;
use crate::workspace::{self, LoadedConfig};

#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    pub format: Format,
    pub fix: bool,
    pub color: bool,
}

/// A diagnostic ready to print: positions resolved against the file's text.
#[derive(Debug, Clone)]
pub struct Reported {
    pub code: RuleCode,
    pub severity: Severity,
    pub message: String,
    /// Zero-based line; column in UTF-16 units (for JSON/SARIF) and chars (for humans).
    pub start: (u32, u32),
    pub end: (u32, u32),
    pub start_char_col: u32,
    pub end_char_col: u32,
    /// The source line the diagnostic starts on.
    pub line_text: String,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub is_packet: bool,
    pub diagnostics: Vec<Reported>,
    pub readiness: Option<Readiness>,
    /// What `--fix` inserted (fix titles).
    pub fixed: Vec<String>,
    pub io_error: Option<String>,
}

impl FileReport {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

fn report_diagnostics(text: &str, diags: impl Iterator<Item = (RuleCode, Severity, String, std::ops::Range<usize>)>) -> Vec<Reported> {
    use crate::text::{Encoding, LineIndex};
    // A leading BOM is not part of the text an editor shows: columns on the
    // first line are counted after it, and it is not printed.
    let bom = crate::document::bom_len(text);
    let text = &text[bom..];
    let index = LineIndex::new(text);
    diags
        .map(|(code, severity, message, range)| {
            let range = range.start.saturating_sub(bom)..range.end.saturating_sub(bom);
            let s16 = index.position(text, range.start, Encoding::Utf16);
            let e16 = index.position(text, range.end, Encoding::Utf16);
            let s32 = index.position(text, range.start, Encoding::Utf32);
            let e32 = index.position(text, range.end, Encoding::Utf32);
            let line = s16.line as usize;
            let ls = index.line_start(line);
            let le = index.line_end(text, line);
            Reported {
                code,
                severity,
                message,
                start: (s16.line, s16.col),
                end: (e16.line, e16.col),
                start_char_col: s32.col,
                end_char_col: if e32.line == s32.line { e32.col } else { text[ls..le].chars().count() as u32 },
                line_text: text[ls..le].to_string(),
            }
        })
        .collect()
}

/// Checks one file. `explicit` files are reported even when they are not packets.
fn check_file(path: &Path, config: Option<&LoadedConfig>, fix: bool) -> FileReport {
    let mut report = FileReport {
        path: path.to_path_buf(),
        is_packet: false,
        diagnostics: Vec::new(),
        readiness: None,
        fixed: Vec::new(),
        io_error: None,
    };
    let mut text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                report.io_error = Some("not valid UTF-8 text".into());
                return report;
            }
        },
        Err(e) => {
            report.io_error = Some(e.to_string());
            return report;
        }
    };
    if !workspace::is_packet_file(path, &text, config) {
        return report;
    }
    report.is_packet = true;
    let settings = workspace::settings_for(&text, config, &EditorOverrides::default());
    let mut env = workspace::env_for(path, &text);
    if fix {
        let (new_text, titles) = fix_text(&text, &settings, &env);
        if new_text != text {
            report.fixed = titles;
            if let Err(e) = std::fs::write(path, &new_text) {
                report.io_error = Some(format!("cannot write fixes: {e}"));
                return report;
            }
            text = new_text;
            env = workspace::env_for(path, &text);
        }
    }
    let a = analyze(&text, &settings, &env);
    report.readiness = Some(a.readiness);
    report.diagnostics =
        report_diagnostics(&text, a.diagnostics.into_iter().map(|d| (d.code, d.severity, d.message, d.range)));
    report
}

/// How to show a `packet.toml` found for the given inputs: relative to the
/// current folder when the inputs were relative paths (as the packets are shown).
fn config_display_path(cfg: &Path, relative_inputs: bool) -> PathBuf {
    if relative_inputs {
        if let Ok(cwd) = std::env::current_dir() {
            if let Ok(rel) = cfg.strip_prefix(workspace::absolute(&cwd)) {
                return rel.to_path_buf();
            }
        }
    }
    cfg.to_path_buf()
}

fn config_report(cfg: &LoadedConfig, path: PathBuf) -> FileReport {
    FileReport {
        path,
        is_packet: false,
        diagnostics: report_diagnostics(
            &cfg.text,
            cfg.errors.iter().map(|e| (RuleCode::ConfigInvalid, Severity::Error, e.message.clone(), e.range.clone())),
        ),
        readiness: None,
        fixed: Vec::new(),
        io_error: None,
    }
}

fn is_markdown(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Expands the paths into the files to check. Missing paths are I/O errors.
fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileReport>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let walker = ignore::WalkBuilder::new(p).hidden(true).require_git(false).build();
            let mut found: Vec<PathBuf> = walker
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_markdown(e.path()))
                .map(|e| e.into_path())
                .collect();
            found.sort();
            files.extend(found);
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            errors.push(FileReport {
                path: p.clone(),
                is_packet: false,
                diagnostics: Vec::new(),
                readiness: None,
                fixed: Vec::new(),
                io_error: Some("no such file or folder".into()),
            });
        }
    }
    files.dedup();
    (files, errors)
}

/// Checks the given paths; returns the reports in path order (configs with
/// errors included as reports of their own).
pub fn check_paths(paths: &[PathBuf], fix: bool) -> Vec<FileReport> {
    let (files, mut reports) = collect(paths);
    // One load per packet.toml, shared by the files under it.
    let mut configs: BTreeMap<PathBuf, Option<LoadedConfig>> = BTreeMap::new();
    let mut config_of: Vec<Option<PathBuf>> = Vec::with_capacity(files.len());
    for f in &files {
        let dir = workspace::absolute(f).parent().map(Path::to_path_buf).unwrap_or_default();
        let cfg = workspace::find_config(&dir);
        if let Some(c) = &cfg {
            configs.entry(c.clone()).or_insert_with(|| LoadedConfig::load(c).ok());
        }
        config_of.push(cfg);
    }
    let mut checked: Vec<FileReport> = files
        .par_iter()
        .zip(config_of.par_iter())
        .map(|(f, c)| check_file(f, c.as_ref().and_then(|c| configs.get(c)).and_then(|c| c.as_ref()), fix))
        .collect();
    let relative_inputs = paths.iter().all(|p| p.is_relative());
    for cfg in configs.values().flatten() {
        if !cfg.errors.is_empty() {
            checked.push(config_report(cfg, config_display_path(&cfg.path, relative_inputs)));
        }
    }
    reports.append(&mut checked);
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    reports
}

pub fn run(paths: &[PathBuf], opts: CheckOptions) -> ExitCode {
    let reports = check_paths(paths, opts.fix);
    let explicit: Vec<PathBuf> = paths.to_vec();
    match opts.format {
        Format::Human => output::human(&reports, &explicit, opts.color),
        Format::Json => output::json(&reports),
        Format::Sarif => output::sarif(&reports),
    }
    if reports.iter().any(|r| r.io_error.is_some()) {
        ExitCode::from(2)
    } else if reports.iter().any(|r| r.count(Severity::Error) > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
