use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Edit, Fix, Insertion};
use crate::fix::merge_insertions;
use crate::frontmatter::{anchor, LetterKind, LettersShape, Person};
use crate::letters::{self, LetterState};

pub const INFO: RuleInfo = RuleInfo {
    summary: "The letters listed in front matter do not cover the three required kinds.",
    doc: "The framework requires letters from (1) a staff/lead or higher engineer from the same team (`role:` lead-engineer, staff-engineer, senior-staff-engineer, principal-engineer or distinguished-engineer with `relation: same-team`), (2) a product or program manager (`role: product-manager` or `program-manager`), and (3) an engineer from another team (any engineer role with `relation: other-team` or `other-org`) or a manager/director from another org (engineering-manager or above with `relation: other-org`). One diagnostic names each missing kind; it points at the `letters:` key (or the front matter's first line when there is none).\n\nA packet with no front matter at all gets a single diagnostic on its first line saying that the sponsor and the letters are not named (instead of one per letter kind plus `sponsor-role`).\n\n**Letter files as documents.** For each letter file the front matter names (the recommenders' `file:` and the sponsor's own letter) that is found and readable, one warning on its entry when the letter is empty or holds only placeholders and prompt comments, or else when it never names the candidate (the packet's `candidate:`, in full or by first name, outside comments and code), and one for each key of the letter's own front matter (`writer`, `role`, `relation`, `candidate`) that disagrees with the entry (`name`, `role`, `relation`) or with the packet's `candidate:`, naming both values. A recommendation that is empty, about someone else or from someone else is a recommender missing, so these findings share this rule's code and severity (they have no quick fix). Missing or refused files are `letter-not-found`; a packet that names no letter files gets none of these.\n\n**Fix:** inserts a front-matter letter entry for the missing kind (adding a `letters:` key when there is none). Without front matter, inserts a front-matter skeleton: `packet`, `candidate`, `target`, a `sponsor` (direct manager, director) and one letter of each required kind, with `TODO` for each name.",
    has_fix: true,
};

// Front-matter lines are inserted with levels above any Markdown block's
// (1–7), so that at one offset they go first, in this order: the opening
// lines, then the entries. Identical opening lines of several
// fixes merge into one under "fix all".
const OPENING: u8 = 10;
const ENTRY: u8 = 9;

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
            return Some(Fix { title, edits: vec![Edit { range: close..close, text }], preferred: true, insertions: Vec::new(), conversions: Vec::new() });
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
        // No front matter at all: `no_front_matter` reports it once.
        LettersShape::Absent => return None,
    };
    Some(Fix { title, edits: merge_insertions(doc, &insertions), preferred: true, insertions, conversions: Vec::new() })
}

/// The front matter a packet without one gets: the rubric, the candidate,
/// the target role, a sponsor and one letter of each required kind, with
/// `TODO` where a name goes (reported by `placeholder` until filled in).
pub fn front_matter_skeleton(rubric: &str) -> String {
    let mut lines = vec![
        "---".to_string(),
        format!("packet: {rubric}"),
        "candidate: TODO".to_string(),
        "target: Senior Engineering Manager".to_string(),
        "sponsor: { name: TODO, relation: direct-manager, role: director }".to_string(),
        "letters:".to_string(),
    ];
    lines.extend(LetterKind::ALL.iter().map(|k| format!("  - {}", k.entry())));
    lines.push("---".to_string());
    lines.push(String::new());
    lines.join("\n")
}

/// A packet with no front matter at all: one diagnostic on its first line,
/// whose fix inserts [`front_matter_skeleton`] (not one per letter kind plus
/// one for the sponsor).
fn no_front_matter(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let doc = cx.doc;
    let insertions = vec![line(front_matter_skeleton(&cx.rubric.name), doc.bom, OPENING)];
    let fix = Fix {
        title: "Insert a front matter with sponsor and letters".to_string(),
        edits: merge_insertions(doc, &insertions),
        preferred: true,
        insertions,
        conversions: Vec::new(),
    };
    let message = format!(
        "No front matter: the sponsor and the recommendation letters are not named; add a front matter with `sponsor:` and `letters:` covering the {} required kinds",
        LetterKind::ALL.len()
    );
    out.push(Diagnostic::new(RuleCode::MissingRecommender, anchor(doc, cx.front), message).with_fix(Some(fix)));
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let fm = cx.front;
    if !fm.present {
        no_front_matter(cx, out);
        return;
    }
    if !fm.parsed() || fm.letters_shape == LettersShape::Invalid {
        return;
    }
    letter_contents(cx, out);
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

/// Letter files as documents (the recommenders' and the sponsor's own): a
/// letter that is empty or holds only placeholders and prompt comments, one
/// that never names the candidate, and a letter whose own front matter
/// (`writer`, `role`, `relation`, `candidate`) disagrees with its entry are
/// each reported on the entry — a recommendation that is not really there
/// counts as a recommender missing. Only found, readable files named by a
/// `file:` are looked at (missing and refused ones are `letter-not-found`),
/// so a packet that names no letter files gets nothing from this.
fn letter_contents(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let fm = cx.front;
    let candidate = fm.candidate.as_ref().map(|f| f.text()).filter(|c| !c.trim().is_empty());
    for (p, is_sponsor) in fm.sponsor.iter().map(|p| (p, true)).chain(fm.letters.iter().map(|p| (p, false))) {
        let (Some(path), Some(file)) = (p.file_path(), p.file.as_ref()) else { continue };
        let LetterState::Read(facts) = letters::state(cx.env, p, candidate) else { continue };
        let whose = match (&p.name, is_sponsor) {
            (Some(n), true) => format!("the sponsor's letter (`{path}`, {})", n.text()),
            (Some(n), false) => format!("{}'s letter (`{path}`)", n.text()),
            (None, true) => format!("the sponsor's letter (`{path}`)"),
            (None, false) => format!("the letter `{path}`"),
        };
        let at = file.value.range.clone();
        let mut push = |range: std::ops::Range<usize>, message: String| {
            out.push(Diagnostic::new(RuleCode::MissingRecommender, range, message));
        };
        if !facts.written {
            push(at.clone(), format!("{} is empty or holds only placeholders and prompt comments: write the letter, or ask its writer for it", capital(&whose)));
        } else if facts.names_candidate == Some(false) {
            let c = candidate.unwrap_or_default();
            let first = c.split_whitespace().next().unwrap_or(c);
            let names = if first == c.trim() { format!("\"{c}\"") } else { format!("\"{c}\" or \"{first}\"") };
            push(at.clone(), format!("{} never names the candidate ({names}): is it the letter for this packet?", capital(&whose)));
        }
        mismatches(p, &facts.front, candidate, &whose, &at, &mut push);
    }
}

/// The letter's own front matter against its entry in the packet.
fn mismatches(
    p: &Person,
    front: &letters::LetterFront,
    candidate: Option<&str>,
    whose: &str,
    file_at: &std::ops::Range<usize>,
    push: &mut impl FnMut(std::ops::Range<usize>, String),
) {
    let pairs = [
        ("writer", front.writer.as_deref(), p.name.as_ref(), "name"),
        ("role", front.role.as_deref(), p.role.as_ref(), "role"),
        ("relation", front.relation.as_deref(), p.relation.as_ref(), "relation"),
    ];
    for (key, said, entry, entry_key) in pairs {
        if let (Some(said), Some(field)) = (said, entry) {
            if !letters::same_value(said, field.text()) {
                push(
                    field.value.range.clone(),
                    format!("{} says `{key}: {said}`, but its entry here has `{entry_key}: {}`: make them agree", capital(whose), field.text()),
                );
            }
        }
    }
    if let (Some(said), Some(c)) = (front.candidate.as_deref(), candidate) {
        if !letters::same_value(said, c) {
            push(file_at.clone(), format!("{} says `candidate: {said}`, but this packet's candidate is `{c}`: is it the letter for this packet?", capital(whose)));
        }
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
