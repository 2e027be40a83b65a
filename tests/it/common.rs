//! Shared helpers of the corpus, fix and position tests: load a corpus file
//! the way `packet-ls check` does (its `packet.toml`, packet detection) and
//! render diagnostics as text that reads side by side with the fixture.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use packet_ls::analysis::{analyze, Analysis, Env};
use packet_ls::config::{EditorOverrides, Settings};
use packet_ls::diagnostic::{Diagnostic, Edit};
use packet_ls::text::{Encoding, LineIndex};
use packet_ls::workspace::{self, LoadedConfig};

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every Markdown file of the corpus, relative to the corpus folder, sorted.
pub fn corpus_files() -> Vec<String> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(&corpus_dir(), &corpus_dir(), &mut out);
    out.sort();
    out
}

/// A corpus file with what `packet-ls check` would use to analyse it.
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub is_packet: bool,
    pub settings: Settings,
    pub env: Env,
}

impl Loaded {
    pub fn analyze(&self) -> Analysis<'_, '_> {
        analyze(&self.text, &self.settings, &self.env)
    }

    /// The same file with other text (for re-checking after a fix).
    pub fn with_text(&self, text: String) -> Loaded {
        Loaded { path: self.path.clone(), text, is_packet: self.is_packet, settings: self.settings.clone(), env: self.env.clone() }
    }
}

pub fn load(rel: &str) -> Loaded {
    let path = corpus_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = path.parent().unwrap().to_path_buf();
    let config = workspace::find_config(&dir).map(|c| LoadedConfig::load(&c).unwrap());
    let is_packet = workspace::is_packet_file(&path, &text, config.as_ref());
    let settings = workspace::settings_for(&text, config.as_ref(), &EditorOverrides::default());
    let env = workspace::env_for(&path, &text);
    Loaded { path, text, is_packet, settings, env }
}

/// `line:col` with a 1-based line and a 1-based column in characters.
pub fn line_col(text: &str, index: &LineIndex, offset: usize) -> String {
    let p = index.position(text, offset, Encoding::Utf32);
    format!("{}:{}", p.line + 1, p.col + 1)
}

/// Text with its line breaks made visible: `\r` as `␍`.
fn visible(s: &str) -> String {
    s.replace('\r', "␍")
}

fn render_edit(out: &mut String, text: &str, index: &LineIndex, e: &Edit) {
    let kind = if e.range.is_empty() { "insert at" } else { "replace" };
    let at = if e.range.is_empty() {
        line_col(text, index, e.range.start)
    } else {
        format!("{}-{} {:?}", line_col(text, index, e.range.start), line_col(text, index, e.range.end), &text[e.range.clone()])
    };
    out.push_str(&format!("      {kind} {at}:\n"));
    let mut lines: Vec<&str> = e.text.split('\n').collect();
    let last = lines.pop().unwrap_or("");
    for l in lines {
        out.push_str(&format!("      |{}\n", visible(l)));
    }
    if !last.is_empty() {
        out.push_str(&format!("      |{} (no line break)\n", visible(last)));
    }
}

/// The diagnostics of an analysis as text: position, severity, code and
/// message; the source line with carets under the range; each fix's title
/// and the exact text of its edits.
pub fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in diagnostics {
        let s = index.position(text, d.range.start, Encoding::Utf32);
        let e = index.position(text, d.range.end, Encoding::Utf32);
        out.push_str(&format!(
            "{}-{} {} {}: {}\n",
            line_col(text, &index, d.range.start),
            line_col(text, &index, d.range.end),
            d.severity.as_str(),
            d.code.as_str(),
            d.message
        ));
        let ls = index.line_start(s.line as usize);
        let le = index.line_end(text, s.line as usize);
        let line = &text[ls..le];
        out.push_str(&format!("    | {line}\n"));
        let end_col = if e.line == s.line { e.col } else { line.chars().count() as u32 };
        let carets = (end_col.saturating_sub(s.col)).max(1) as usize;
        out.push_str(&format!("    | {}{}\n", " ".repeat(s.col as usize), "^".repeat(carets)));
        for r in &d.related {
            out.push_str(&format!("    related {}: {}\n", line_col(text, &index, r.range.start), r.message));
        }
        for f in &d.fixes {
            out.push_str(&format!("    fix{}: {}\n", if f.preferred { " (preferred)" } else { "" }, f.title));
            for e in &f.edits {
                render_edit(&mut out, text, &index, e);
            }
        }
    }
    out
}
