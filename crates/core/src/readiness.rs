//! How far a packet and its package are: the one summary the check output,
//! the code lens, the hover, the status item, the bundle and `report` show.

use std::fmt;

use crate::document::Document;
use crate::rubric::SectionKind;
use crate::rules::Cx;

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

/// The readiness of an analysed packet (`cx` as the rules saw it).
pub fn of(cx: &Cx) -> Readiness {
    let r = cx.rubric;
    let mut out = Readiness {
        sections_present: cx.outline.slots.iter().filter(|s| s.found.is_some()).count() as u32,
        sections_required: cx.outline.slots.len() as u32,
        ..Readiness::default()
    };
    if let Some(slot) = cx.outline.slots.iter().find(|s| s.spec.kind == Some(SectionKind::Initiatives)) {
        out.initiatives_complete = crate::substance::item_counts(cx.doc, &slot.items).complete;
        out.initiatives_expected = (slot.items.len() as u32).max(r.min_initiatives);
    } else {
        out.initiatives_expected = r.min_initiatives;
    }
    let count = cx.mentoring_count().unwrap_or_default();
    (out.mentoring_evidenced, out.mentoring_required) = crate::mentoring::evidenced(r, count);
    out.letter_kinds_covered = cx.front.covered_kinds().len() as u32;
    out.letter_kinds_required = crate::frontmatter::LetterKind::ALL.len() as u32;
    let candidate = cx.front.candidate.as_ref().map(|f| f.text());
    out.sponsor_letter = cx.front.sponsor.as_ref().is_some_and(|s| crate::letters::state(cx.env, s, candidate).present());
    out
}

/// Whether an initiative is complete: every subsection present and written
/// (the readiness summary, the code lens and the hover all count this way).
pub fn initiative_complete(doc: &Document, item: &crate::outline::Item) -> bool {
    crate::substance::item_state(doc, item).complete
}

