//! `packet-ls check`: find packets, analyse them in parallel, print, and exit
//! 0 (no errors), 1 (errors found) or 2 (usage or I/O error).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use super::output;
use super::Format;
use std::sync::Arc;

use crate::analysis::Readiness;
use crate::config::EditorOverrides;
use crate::diagnostic::Severity;
use super::fix::fix_text;
use crate::rules::RuleCode;
use crate::workspace::{self, load::Packet, LoadedConfig};

#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    pub format: Format,
    pub fix: bool,
    pub color: bool,
    /// Exit 1 when the files have more warnings than this, in all
    /// (`--max-warnings N`; `--deny warnings` is 0).
    pub max_warnings: Option<usize>,
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
    /// The source line the diagnostic starts on, or, for a line over 1,000
    /// bytes, a part of it (at most 320 characters around the diagnostic,
    /// `…` where it is cut): one diagnostic never copies a whole long line.
    pub line_text: String,
    /// Where the diagnostic starts and ends in `line_text`, in chars.
    pub shown_cols: (u32, u32),
}

#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: PathBuf,
    pub is_packet: bool,
    pub diagnostics: Vec<Reported>,
    pub readiness: Option<Readiness>,
    /// What `--fix` inserted (fix titles).
    pub fixed: Vec<String>,
    /// Errors `--fix` made go away only by inserting skeletons (sections,
    /// subsections) that are still to be written: the run still fails, so
    /// that `--fix` alone never turns exit status 1 into 0.
    pub skeleton_errors: usize,
    pub io_error: Option<String>,
}

impl FileReport {
    pub fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }
}

/// A source line up to this many bytes is shown whole under a diagnostic.
const WHOLE_LINE_BYTES: usize = 1000;
/// How many characters of a longer line human output shows before a
/// diagnostic's start, of the diagnostic itself, and after its end.
const EXCERPT_BEFORE: usize = 80;
const EXCERPT_SPAN: usize = 160;
const EXCERPT_AFTER: usize = 80;

/// Columns of byte offsets on their lines, counted from the previous query
/// when it was on the same line and not after this one. Queries come in
/// order (diagnostics are sorted), so a line holding 40,000 diagnostics is
/// walked once, not once per diagnostic.
struct Columns<'t> {
    text: &'t str,
    index: &'t crate::text::LineIndex,
    /// (line, byte offset, UTF-16 column, char column) of the last query.
    last: Option<(usize, usize, u32, u32)>,
}

impl Columns<'_> {
    /// (line, UTF-16 column, char column, snapped offset) of `offset`,
    /// snapped like `LineIndex::position` (to a char boundary, before a
    /// CRLF's LF).
    fn at(&mut self, offset: usize) -> (u32, u32, u32, usize) {
        let p = self.index.position(self.text, offset, crate::text::Encoding::Utf8);
        let line = p.line as usize;
        let off = self.index.line_start(line) + p.col as usize;
        let (from, mut u16c, mut chars) = match self.last {
            Some((l, o, u, c)) if l == line && o <= off => (o, u, c),
            _ => (self.index.line_start(line), 0, 0),
        };
        for ch in self.text[from..off].chars() {
            u16c += ch.len_utf16() as u32;
            chars += 1;
        }
        self.last = Some((line, off, u16c, chars));
        (p.line, u16c, chars, off)
    }
}

/// At most `EXCERPT_BEFORE` characters before char column `start` of
/// `line`, `EXCERPT_SPAN` from it, and `EXCERPT_AFTER` after `end`, with `…`
/// where the line was cut; and the columns of `start` and `end` in it.
/// `start_byte` is the diagnostic's start in `line`, at char column `start`.
fn excerpt(line: &str, start_byte: usize, start: u32, end: u32) -> (String, u32, u32) {
    if line.len() <= WHOLE_LINE_BYTES {
        return (line.to_string(), start, end);
    }
    let before: Vec<(usize, char)> = line[..start_byte].char_indices().rev().take(EXCERPT_BEFORE + 1).collect();
    let cut_front = before.len() > EXCERPT_BEFORE;
    let from = if cut_front { before[EXCERPT_BEFORE - 1].0 } else { 0 };
    let shown_before = if cut_front { EXCERPT_BEFORE } else { before.len() } as u32;
    let span = (end.saturating_sub(start) as usize).min(EXCERPT_SPAN);
    let keep = span + EXCERPT_AFTER;
    let mut rest = line[start_byte..].char_indices();
    let to = rest.nth(keep).map(|(i, _)| start_byte + i);
    let mut out = String::new();
    let lead = u32::from(cut_front);
    if cut_front {
        out.push('…');
    }
    out.push_str(&line[from..to.unwrap_or(line.len())]);
    if to.is_some() {
        out.push('…');
    }
    let s = lead + shown_before;
    (out, s, s + span as u32)
}

fn report_diagnostics(text: &str, diags: impl Iterator<Item = (RuleCode, Severity, String, std::ops::Range<usize>)>) -> Vec<Reported> {
    use crate::text::LineIndex;
    // A leading BOM is not part of the text an editor shows: columns on the
    // first line are counted after it, and it is not printed.
    let bom = crate::document::bom_len(text);
    let text = &text[bom..];
    let index = LineIndex::new(text);
    let mut starts = Columns { text, index: &index, last: None };
    let mut ends = Columns { text, index: &index, last: None };
    diags
        .map(|(code, severity, message, range)| {
            let range = range.start.saturating_sub(bom)..range.end.saturating_sub(bom);
            let (sl, s16, s32, soff) = starts.at(range.start);
            let (el, e16, e32, _) = ends.at(range.end.max(range.start));
            let line = sl as usize;
            let ls = index.line_start(line);
            let le = index.line_end(text, line);
            let start_byte = soff.clamp(ls, le) - ls;
            let end_chars = if el == sl { e32 } else { s32 + text[ls + start_byte..le].chars().count() as u32 };
            let (line_text, start_char_col, end_char_col) = excerpt(&text[ls..le], start_byte, s32, end_chars);
            Reported {
                code,
                severity,
                message,
                start: (sl, s16),
                end: (el, e16),
                start_char_col: s32,
                end_char_col: end_chars,
                line_text,
                shown_cols: (start_char_col, end_char_col),
            }
        })
        .collect()
}

/// Replaces the file at `path` (a symlink: the file it points to, so the link
/// stays a link) by `new_text`, atomically: the text goes to a temporary file
/// in the same folder, which is synced, given the file's permissions (and
/// owner, where allowed) and renamed over it. A full disk or a killed process
/// leaves the old file whole. Just before the rename the file is read again:
/// if it changed since `original` was read (another `--fix`, an editor) or is
/// gone, nothing is written. A deleted file is never re-created. (A writer
/// that gets in between that last read and the rename still loses; the window
/// is one `read` long.)
pub(super) fn write_fixed(path: &Path, original: &[u8], new_text: &str) -> Result<(), String> {
    use std::io::Write;
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("not fixed: the file was deleted since it was read".into()),
        Err(e) => return Err(format!("cannot write fixes: {e}")),
    };
    let dir = target.parent().ok_or_else(|| "cannot write fixes: the file has no folder".to_string())?;
    let meta = std::fs::metadata(&target).map_err(|e| format!("cannot write fixes: {e}"))?;
    if !meta.is_file() {
        return Err("cannot write fixes: not a regular file".into());
    }
    // Renaming would replace a file we may not write (read-only, or someone
    // else's in a shared folder): ask for write access first, without
    // writing. A file with no write permission at all is left alone even
    // when the open would succeed (root): it was made read-only on purpose.
    if meta.permissions().readonly() {
        return Err("cannot write fixes: the file is read-only".into());
    }
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(&target) {
        return Err(format!("cannot write fixes: {e}"));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".packet-ls-fix-")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot write fixes: cannot create a temporary file in {}: {e}", dir.display()))?;
    let written = (|| -> std::io::Result<()> {
        // Through the plain file: the error then names no temporary path
        // (the temporary file is removed when `tmp` drops).
        tmp.as_file_mut().write_all(new_text.as_bytes())?;
        tmp.as_file().set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only root may give a file away; for everyone else the owner is
            // already theirs, and a group they are not in is not kept.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
        }
        tmp.as_file().sync_all()
    })();
    if let Err(e) = written {
        // A full disk lands here (ENOSPC on write or on sync): only the
        // temporary file was written to.
        return Err(format!("cannot write fixes: {e}; the file is unchanged"));
    }
    match std::fs::read(&target) {
        Ok(now) if now == original => {}
        Ok(_) => return Err("not fixed: the file changed since it was read; run again".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("not fixed: the file was deleted since it was read".into()),
        Err(e) => return Err(format!("cannot write fixes: {e}")),
    }
    tmp.persist(&target).map_err(|e| format!("cannot write fixes: {}", e.error))?;
    // The rename itself is durable once the folder is synced.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Checks one file. `explicit` files are reported even when they are not packets.
fn check_file(path: &Path, config: Option<&LoadedConfig>, fix: bool) -> FileReport {
    let mut report = FileReport {
        path: path.to_path_buf(),
        is_packet: false,
        diagnostics: Vec::new(),
        readiness: None,
        fixed: Vec::new(),
        skeleton_errors: 0,
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
    let mut packet = Packet::with_settings(path, &text, Arc::new(workspace::settings_for(&text, config, &EditorOverrides::default())), None);
    let mut skeletons = 0;
    if fix {
        let fixed = fix_text(&text, &packet.settings, &packet.env);
        if fixed.text != text {
            skeletons = fixed.skeleton_errors;
            // On failure the diagnostics of the text as read are still reported.
            match write_fixed(path, text.as_bytes(), &fixed.text) {
                Ok(()) => {
                    report.fixed = fixed.titles;
                    text = fixed.text;
                    packet.refresh(&text);
                }
                Err(e) => report.io_error = Some(e),
            }
        }
    }
    let mut a = packet.analyze(&text);
    crate::cap::cap_per_rule(&mut a.diagnostics);
    if !report.fixed.is_empty() {
        report.skeleton_errors = skeletons;
    }
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
        skeleton_errors: 0,
        io_error: None,
    }
}

/// Expands the paths into the files to check. Missing paths are I/O errors.
pub(super) fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<FileReport>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.is_dir() {
            let walker = ignore::WalkBuilder::new(p).hidden(true).require_git(false).build();
            let mut found: Vec<PathBuf> = walker
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && workspace::is_markdown(e.path()))
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
                skeleton_errors: 0,
                io_error: Some("no such file or folder".into()),
            });
        }
    }
    files.dedup();
    (files, errors)
}

/// The `packet.toml` of each file (its path, in file order), each loaded
/// once and shared by the files under it.
pub(super) type Configs = BTreeMap<PathBuf, Option<LoadedConfig>>;

pub(super) fn configs_for(files: &[PathBuf]) -> (Configs, Vec<Option<PathBuf>>) {
    let mut configs: Configs = BTreeMap::new();
    let mut config_of: Vec<Option<PathBuf>> = Vec::with_capacity(files.len());
    for f in files {
        let dir = workspace::absolute(f).parent().map(Path::to_path_buf).unwrap_or_default();
        let cfg = workspace::find_config(&dir);
        if let Some(c) = &cfg {
            configs.entry(c.clone()).or_insert_with(|| LoadedConfig::load(c).ok());
        }
        config_of.push(cfg);
    }
    (configs, config_of)
}

/// Checks the given paths; returns the reports in path order (configs with
/// errors included as reports of their own).
pub fn check_paths(paths: &[PathBuf], fix: bool) -> Vec<FileReport> {
    let (files, mut reports) = collect(paths);
    let (configs, config_of) = configs_for(&files);
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
    let (status, why) = exit_status(&reports, opts.max_warnings);
    if let Some(why) = why {
        // On stderr for every format: JSON and SARIF output stays machine-readable.
        eprintln!("packet-ls: {why}");
    }
    ExitCode::from(status)
}

/// The exit status, the same for every format: 2 for an I/O error, 1 for
/// errors (or errors `--fix` only covered with skeletons), 1 for more
/// warnings than `max_warnings` (with the reason to print), else 0.
pub fn exit_status(reports: &[FileReport], max_warnings: Option<usize>) -> (u8, Option<String>) {
    if reports.iter().any(|r| r.io_error.is_some()) {
        return (2, None);
    }
    if reports.iter().any(|r| r.count(Severity::Error) > 0 || r.skeleton_errors > 0) {
        return (1, None);
    }
    let warnings: usize = reports.iter().map(|r| r.count(Severity::Warning)).sum();
    match max_warnings {
        Some(0) if warnings > 0 => (1, Some(format!("{warnings} warning{} and --deny warnings: exit status 1", if warnings == 1 { "" } else { "s" }))),
        Some(max) if warnings > max => (1, Some(format!("{warnings} warnings, more than --max-warnings {max}: exit status 1"))),
        _ => (0, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, "edited by someone else").unwrap();
        let e = write_fixed(&p, b"as read", "fixed").unwrap_err();
        assert!(e.contains("changed since it was read"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "edited by someone else");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_deleted_file_is_not_re_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gone.md");
        let e = write_fixed(&p, b"as read", "fixed").unwrap_err();
        assert!(e.contains("deleted"), "{e}");
        assert!(!p.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_unchanged_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, "as read").unwrap();
        write_fixed(&p, b"as read", "fixed").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "fixed");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
