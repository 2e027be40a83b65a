use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Edit, Fix, Insertion, Severity};
use crate::fix::merge_insertions;
use crate::frontmatter::{anchor, LetterKind, LettersShape};

pub const INFO: RuleInfo = RuleInfo {
    code: "missing-recommender",
    severity: Severity::Warning,
    summary: "The letters listed in front matter do not cover the three required kinds.",
    doc: "The framework requires letters from (1) a staff/lead or higher engineer from the same team (`role:` lead-engineer, staff-engineer, senior-staff-engineer, principal-engineer or distinguished-engineer with `relation: same-team`), (2) a product or program manager (`role: product-manager` or `program-manager`), and (3) an engineer from another team (any engineer role with `relation: other-team` or `other-org`) or a manager/director from another org (engineering-manager or above with `relation: other-org`). One diagnostic names each missing kind; it points at the `letters:` key (or the front matter's first line when there is none, or the document's first line without front matter).\n\n**Fix:** inserts a front-matter letter entry for the missing kind (adding a `letters:` key, or a whole front matter block, when there is none).",
    has_fix: true,
};

// Front-matter lines are inserted with levels above any Markdown block's
// (1–7), so that at one offset they go first, in this order: the opening
// lines, the entries, the closing `---`. Identical opening lines of several
// fixes merge into one under "fix all".
const OPENING: u8 = 10;
const ENTRY: u8 = 9;
const CLOSING: u8 = 8;

fn line(block: String, at: usize, level: u8) -> Insertion {
    Insertion { at, block, padded: false, level }
}

/// The fix that adds a letter entry of `kind`, or `None` when the letters
/// are not a list.
fn fix_for(cx: &Cx, kind: LetterKind) -> Option<Fix> {
    let doc = cx.doc;
    let fm = cx.front;
    let next_line = |offset: usize| doc.index.line_start(doc.index.line_of(offset) + 1);
    let title = format!("Add a letter entry for {}", kind.describe());
    let insertions = match fm.letters_shape {
        LettersShape::Invalid => return None,
        LettersShape::Flow { close, has_items } => {
            let text = if has_items { format!(", {}", kind.entry()) } else { kind.entry().to_string() };
            return Some(Fix { title, edits: vec![Edit { range: close..close, text }], preferred: true, insertions: Vec::new() });
        }
        LettersShape::Block { indent, end } => {
            vec![line(format!("{}- {}", " ".repeat(indent), kind.entry()), next_line(end), ENTRY)]
        }
        LettersShape::Empty => {
            let at = next_line(fm.letters_key.clone().unwrap_or_default().start);
            vec![line(format!("  - {}", kind.entry()), at, ENTRY)]
        }
        LettersShape::Absent if fm.present => {
            vec![line("letters:".into(), fm.body.end, OPENING), line(format!("  - {}", kind.entry()), fm.body.end, ENTRY)]
        }
        LettersShape::Absent => vec![
            line("---\nletters:".into(), doc.bom, OPENING),
            line(format!("  - {}", kind.entry()), doc.bom, ENTRY),
            line("---".into(), doc.bom, CLOSING),
        ],
    };
    Some(Fix { title, edits: merge_insertions(doc, &insertions), preferred: true, insertions })
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let fm = cx.front;
    if !fm.parsed() || fm.letters_shape == LettersShape::Invalid {
        return;
    }
    let covered = fm.covered_kinds();
    let range = fm.letters_key.clone().unwrap_or_else(|| anchor(cx.doc, fm));
    for kind in LetterKind::ALL.into_iter().filter(|k| !covered.contains(k)) {
        let message = format!(
            "No recommendation letter from {}: the letters cover {} of {} required kinds",
            kind.describe(),
            covered.len(),
            LetterKind::ALL.len()
        );
        let mut d = Diagnostic::new(RuleCode::MissingRecommender, range.clone(), message);
        if let Some(f) = fix_for(cx, kind) {
            d = d.with_fix(f);
        }
        out.push(d);
    }
}
