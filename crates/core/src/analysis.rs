//! The entry point shared by the CLI, the server and the tests: text in,
//! diagnostics (with fixes), outline and readiness out. No I/O: what the
//! rules need to know about the file system comes in [`Env`].


use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::frontmatter::{self, FrontMatterData};
use crate::outline::Outline;
use crate::rules::{self, Cx};
use crate::suppress;

pub use crate::env::{Env, LetterStatus};
pub use crate::readiness::{initiative_complete, Readiness};

pub struct Analysis<'t, 'r> {
    pub doc: Document<'t>,
    pub outline: Outline<'r>,
    /// The front matter as data with positions (candidate, sponsor, letters).
    pub front: FrontMatterData,
    pub diagnostics: Vec<Diagnostic>,
    pub readiness: Readiness,
}

/// Analyses a packet's text. Diagnostics come sorted by position, with
/// configured severities applied and suppressed ones removed.
pub fn analyze<'t, 'r>(text: &'t str, settings: &'r Settings, env: &Env) -> Analysis<'t, 'r> {
    analyze_document(Document::parse(text), settings, env)
}

/// [`analyze`] of a document already parsed (by [`Document::parse_reusing`],
/// say).
pub fn analyze_document<'t, 'r>(doc: Document<'t>, settings: &'r Settings, env: &Env) -> Analysis<'t, 'r> {
    let outline = Outline::build(&doc, &settings.rubric);
    let front = frontmatter::parse(&doc);
    let mentoring = crate::mentoring::count(&doc, &settings.rubric, &outline);
    let cx = Cx { doc: &doc, rubric: &settings.rubric, outline: &outline, front: &front, env, mentoring, slots: outline.walk() };
    let mut diagnostics = rules::run_all(&cx);
    apply_levels(settings, &mut diagnostics);
    suppress::apply(&doc, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    let readiness = crate::readiness::of(&cx);
    Analysis { doc, outline, front, diagnostics, readiness }
}

/// Applies the configured severities (`[rules]` in `packet.toml`, the
/// editor's `rules`) to `diagnostics`, removing those of rules set to `off`.
pub fn apply_levels(settings: &Settings, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.retain_mut(|d| match settings.levels.get(&d.code) {
        Some(level) => match level.severity() {
            Some(s) => {
                d.severity = s;
                true
            }
            None => false,
        },
        None => true,
    });
}

/// Whether a Markdown file is analysed as a packet (spec §1): its name ends in
/// `.packet.md`, its front matter has a `packet:` key, or a `packet.toml`
/// includes it (`included_by_config`, worked out by the caller).
pub fn is_packet(file_name: &str, text: &str, included_by_config: bool) -> bool {
    if file_name.to_ascii_lowercase().ends_with(".packet.md") || included_by_config {
        return true;
    }
    crate::document::front_matter(text).is_some_and(|f| f.has_packet_key)
}
