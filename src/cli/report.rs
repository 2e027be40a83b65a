//! `packet-ls report PATH... [--format human|json|csv|html] [-o FILE]`: one
//! row per packet (see [`crate::report`]). Files are found as `check` finds
//! them (folders walked, every Markdown packet inside) and analysed in
//! parallel. Exit status: 0 when the report was made — whether or not the
//! packets are ready (readiness is the report's content, not a failure) —
//! and 2 on a usage or I/O error (a path that does not exist, a file that
//! cannot be read, an output that cannot be written); the rows that could be
//! made are still printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::check::{collect, configs_for};
use super::output::{shown_path, visible};
use crate::config::EditorOverrides;
use crate::report::{self, Row};
use crate::workspace::{load::Packet, LoadedConfig};

#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Csv,
    Html,
}

/// A file's row, `None` when it is not a packet, or why it could not be read.
fn row_for(path: &Path, config: Option<&LoadedConfig>) -> Result<Option<Row>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "not valid UTF-8 text".to_string())?;
    let Some(packet) = Packet::detect(path, &text, config, &EditorOverrides::default(), None) else {
        return Ok(None);
    };
    let env = &packet.env;
    let mut a = packet.analyze(&text);
    crate::cap::cap_per_rule(&mut a.diagnostics);
    let shown = path.to_string_lossy().replace('\\', "/");
    Ok(Some(Row::new(&shown, &a, env)))
}

/// The rows for `paths` (in path order), the errors met and notes (a file
/// named on the command line that is not a packet), as messages.
pub fn report_rows(paths: &[PathBuf]) -> (Vec<Row>, Vec<String>, Vec<String>) {
    let (files, missing) = collect(paths);
    let mut errors: Vec<String> =
        missing.iter().map(|r| format!("{}: {}", shown_path(&r.path), r.io_error.as_deref().unwrap_or("error"))).collect();
    let (configs, config_of) = configs_for(&files);
    let results: Vec<(PathBuf, Result<Option<Row>, String>)> = files
        .par_iter()
        .zip(config_of.par_iter())
        .map(|(f, c)| (f.clone(), row_for(f, c.as_ref().and_then(|c| configs.get(c)).and_then(|c| c.as_ref()))))
        .collect();
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (f, r) in results {
        match r {
            Ok(Some(row)) => rows.push(row),
            Ok(None) if paths.contains(&f) => notes.push(format!(
                "{}: not a packet (name it *.packet.md, add `packet: senior-em` to its front matter, or list it in packet.toml `include`)",
                shown_path(&f)
            )),
            Ok(None) => {}
            Err(e) => errors.push(format!("{}: {}", shown_path(&f), visible(&e))),
        }
    }
    (rows, errors, notes)
}

fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(UnicodeWidthStr::width(s))))
}

/// The rows as a table for a terminal, then the letters that are not there
/// and a count of the packets ready to submit. Text from files is shown with
/// control characters escaped.
pub fn human(rows: &[Row]) -> String {
    let head = [
        "packet", "candidate", "sponsor", "sections", "initiatives", "mentoring", "letter kinds", "letter files",
        "sponsor's letter", "errors", "warnings", "ready",
    ];
    let mut table: Vec<Vec<String>> = vec![head.iter().map(|s| s.to_string()).collect()];
    for r in rows {
        let rd = &r.readiness;
        let (present, listed) = r.letter_files();
        table.push(vec![
            visible(&r.path).into_owned(),
            visible(r.candidate.as_deref().unwrap_or("-")).into_owned(),
            visible(r.sponsor.as_deref().unwrap_or("-")).into_owned(),
            format!("{}/{}", rd.sections_present, rd.sections_required),
            format!("{}/{}", rd.initiatives_complete, rd.initiatives_expected),
            format!("{}/{}", rd.mentoring_evidenced, rd.mentoring_required),
            format!("{}/{}", rd.letter_kinds_covered, rd.letter_kinds_required),
            format!("{present}/{listed}"),
            r.sponsor_letter_words().to_string(),
            r.errors.to_string(),
            r.warnings.to_string(),
            if r.ready() { "yes" } else { "no" }.to_string(),
        ]);
    }
    let widths: Vec<usize> =
        (0..head.len()).map(|i| table.iter().map(|row| UnicodeWidthStr::width(row[i].as_str())).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in &table {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(c, w)| pad(c, *w)).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    let mut notes = String::new();
    for r in rows {
        for l in r.letters.iter().filter(|l| l.file.is_some() && !l.state.present()) {
            notes.push_str(&format!(
                "{}: letter from {} ({}): {}\n",
                visible(&r.path),
                visible(&l.name),
                visible(l.file.as_deref().unwrap_or("")),
                l.state.describe()
            ));
        }
    }
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes);
    }
    let ready = rows.iter().filter(|r| r.ready()).count();
    out.push_str(&format!(
        "\n{ready} of {} {} ready to submit (no error, all three letter kinds, the sponsor's letter).\n",
        rows.len(),
        if rows.len() == 1 { "packet" } else { "packets" }
    ));
    out
}

pub fn run(paths: &[PathBuf], format: ReportFormat, output: Option<&Path>) -> ExitCode {
    let (rows, errors, notes) = report_rows(paths);
    let text = match format {
        ReportFormat::Human => human(&rows),
        ReportFormat::Json => report::json(&rows),
        ReportFormat::Csv => report::csv(&rows),
        ReportFormat::Html => report::html(&rows),
    };
    for e in notes.iter().chain(&errors) {
        eprintln!("packet-ls: {e}");
    }
    let written = match output {
        None => std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| format!("cannot write the report: {e}")),
        Some(o) => {
            // Never over one of the packets reported on.
            let same = |p: &Path| p == o || matches!((std::fs::canonicalize(p), std::fs::canonicalize(o)), (Ok(a), Ok(b)) if a == b);
            if paths.iter().any(|p| same(p)) || rows.iter().any(|r| same(Path::new(&r.path))) {
                Err(format!("refusing to write {}: it is one of the packets", shown_path(o)))
            } else {
                std::fs::write(o, text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", shown_path(o)))
            }
        }
    };
    if let Err(e) = &written {
        eprintln!("packet-ls: {e}");
    }
    if written.is_err() || !errors.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
