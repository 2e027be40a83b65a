//! The entry point shared by the CLI, the server and the tests: text in,
//! diagnostics (with fixes), outline and readiness out. No I/O: what the
//! rules need to know about the file system comes in [`Env`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::frontmatter::{self, FrontMatterData};
use crate::outline::Outline;
use crate::rubric::SectionKind;
use crate::rules::{self, insufficient_mentoring, Cx};
use crate::suppress;

/// Facts about the packet's surroundings, looked up by the caller.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// The packet's own path, if it has one.
    pub path: Option<PathBuf>,
    /// The workspace root letter files must stay inside.
    pub root: Option<PathBuf>,
    /// What each letter `file:` (as written in front matter) resolved to,
    /// looked up by [`crate::workspace::resolve_letters`]. A letter whose
    /// file is not in the map is not checked (e.g. an unsaved document).
    pub letters: BTreeMap<String, LetterStatus>,
    /// The text of each letter file found (keyed like `letters`), read by
    /// [`crate::workspace::env_for`] race-free beneath the root, or why it
    /// could not be read. A found letter without an entry here is taken as
    /// present, its content unchecked.
    pub letter_texts: BTreeMap<String, crate::bundle::LetterText>,
}

/// Where a letter's `file:` led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterStatus {
    /// An existing file inside the workspace root (its canonical path).
    Found(PathBuf),
    /// Nothing (or not a regular file) at that path inside the root.
    Missing,
    /// The path leaves the workspace root (`..`, a symlink out).
    OutsideRoot,
    /// An absolute path: letters are named relative to the packet.
    Absolute,
}

/// How far the packet and its package are: "7/9 sections · 2/3 initiatives
/// complete · mentoring 1/3 · letter kinds 2/3 · sponsor's letter missing".
/// The check summary, the code lens, the hover, the bundle and `report` all
/// show this one value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Readiness {
    pub sections_present: u32,
    pub sections_required: u32,
    pub initiatives_complete: u32,
    pub initiatives_expected: u32,
    pub mentoring_evidenced: u32,
    pub mentoring_required: u32,
    /// How many of the required letter kinds the listed letters cover.
    pub letter_kinds_covered: u32,
    pub letter_kinds_required: u32,
    /// Whether the sponsor's own letter (`sponsor: { file: … }`) is there: a
    /// file found inside the workspace root, written and naming the
    /// candidate ([`crate::letters::LetterState::present`]; seed 004: the sponsor collates
    /// the letters *and their own*). Part of the package, not of the packet:
    /// its absence is no diagnostic.
    pub sponsor_letter: bool,
}

impl Readiness {
    /// Whether the package around the packet is complete: every letter kind
    /// covered and the sponsor's letter there. (Ready to submit also needs
    /// no error in the packet.)
    pub fn package_complete(&self) -> bool {
        self.letter_kinds_covered >= self.letter_kinds_required && self.sponsor_letter
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{} sections · {}/{} initiatives complete · mentoring {}/{} · letter kinds {}/{} · sponsor's letter {}",
            self.sections_present,
            self.sections_required,
            self.initiatives_complete,
            self.initiatives_expected,
            self.mentoring_evidenced,
            self.mentoring_required,
            self.letter_kinds_covered,
            self.letter_kinds_required,
            if self.sponsor_letter { "present" } else { "missing" }
        )
    }
}

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
    let cx = Cx { doc: &doc, rubric: &settings.rubric, outline: &outline, front: &front, env, mentoring: Default::default() };
    let mut diagnostics = rules::run_all(&cx);
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
    suppress::apply(&doc, &mut diagnostics);
    diagnostics.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    let readiness = readiness(&cx);
    Analysis { doc, outline, front, diagnostics, readiness }
}

fn readiness(cx: &Cx) -> Readiness {
    let r = cx.rubric;
    let mut out = Readiness {
        sections_present: cx.outline.slots.iter().filter(|s| s.found.is_some()).count() as u32,
        sections_required: cx.outline.slots.len() as u32,
        ..Readiness::default()
    };
    if let Some(slot) = cx.outline.slots.iter().find(|s| s.spec.kind == Some(SectionKind::Initiatives)) {
        out.initiatives_complete = slot.items.iter().filter(|i| initiative_complete(cx.doc, i)).count() as u32;
        out.initiatives_expected = (slot.items.len() as u32).max(r.min_initiatives);
    } else {
        out.initiatives_expected = r.min_initiatives;
    }
    let count = cx.mentoring_count().unwrap_or_default();
    (out.mentoring_evidenced, out.mentoring_required) = insufficient_mentoring::evidenced(r, count);
    out.letter_kinds_covered = cx.front.covered_kinds().len() as u32;
    out.letter_kinds_required = crate::frontmatter::LetterKind::ALL.len() as u32;
    let candidate = cx.front.candidate.as_ref().map(|f| f.text());
    out.sponsor_letter = cx.front.sponsor.as_ref().is_some_and(|s| crate::letters::state(cx.env, s, candidate).present());
    out
}

/// Whether an initiative is complete: every subsection present and written
/// (the readiness summary, the code lens and the hover all count this way).
pub fn initiative_complete(doc: &Document, item: &crate::outline::Item) -> bool {
    item.children.iter().all(|c| c.heading().is_some_and(|h| crate::substance::section_is_written(doc, h)))
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
