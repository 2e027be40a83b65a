//! The Mentoring section's examples, counted by kind (new grads / new hires,
//! interns) with the rubric's vocabulary. A fact about the packet that the
//! `insufficient-mentoring` rule, the readiness summary and the hover all read.

use std::ops::Range;

use crate::document::memo::hash_str;
use crate::document::{Document, Fact};
use crate::outline::Outline;
use crate::rubric::{Rubric, SectionKind};
use crate::substance::{angle_placeholders, has_unfilled, has_written_text, is_placeholder_only, raw_pieces};
use crate::text::words::contains_word;

/// Mentoring examples found, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MentoringCount {
    /// Written examples of each kind (an example naming both counts for both).
    pub new_grad: u32,
    pub interns: u32,
    pub examples: u32,
    /// Examples of each kind still unfilled (only placeholders, or a `<…>`
    /// placeholder left in them): stubs that do not count.
    pub stub_new_grad: u32,
    pub stub_interns: u32,
}

/// The vocabulary of a rubric, normalised as [`fold`] normalises text.
struct Vocabulary {
    new_grad: Vec<String>,
    intern: Vec<String>,
    /// A hash of both lists: memoised kinds are kept per vocabulary (the
    /// parse outlives a change of rubric).
    hash: u64,
}

impl Vocabulary {
    fn new(rubric: &Rubric) -> Self {
        let norm = |v: &[String]| -> Vec<String> {
            let mut out: Vec<String> = v.iter().map(|w| fold(w)).filter(|w| !w.is_empty()).collect();
            out.sort();
            out.dedup();
            out
        };
        let (new_grad, intern) = (norm(&rubric.new_grad_words), norm(&rubric.intern_words));
        let joined = format!("{}\u{0}{}", new_grad.join("\u{1}"), intern.join("\u{1}"));
        Vocabulary { new_grad, intern, hash: hash_str(&joined) }
    }

    /// Kinds named in folded text: (new grad / new hire, intern).
    fn kinds(&self, folded: &str) -> (bool, bool) {
        let any = |words: &[String]| words.iter().any(|w| contains_word(folded, w));
        (any(&self.new_grad), any(&self.intern))
    }
}

/// Text lower-cased, with every dash and run of whitespace read as one
/// space: "New-Grad", "new  grad" and "new grad" all read "new grad".
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Counts the examples of the mentoring section headed by `h`.
pub fn count_examples(doc: &Document, rubric: &Rubric, h: usize) -> MentoringCount {
    let vocab = Vocabulary::new(rubric);
    // The count depends on the section's text and the vocabulary alone: kept
    // across keystrokes elsewhere (its examples' facts are memoised too).
    let section = doc.headings[h].line.start..doc.headings[h].end;
    *doc.memo.value(Fact::MentoringCount, &section, vocab.hash, || {
        let mut count = MentoringCount::default();
        visit(doc, &vocab, h, doc.headings[h].level, "", &mut count);
        count
    })
}

/// Tallies one example: `title` (its own heading's and its groups' titles),
/// `body` its source range, `written` whether it holds more than placeholders.
fn tally(doc: &Document, vocab: &Vocabulary, count: &mut MentoringCount, title: &str, body: Range<usize>, written: bool) {
    count.examples += 1;
    // What the example names depends on its title (inherited from the
    // headings above it) and its body: memoised by both.
    let kinds = doc.memo.get(Fact::MenteeKinds, &body, hash_str(title) ^ vocab.hash.rotate_left(17), || {
        let mut text = String::from(title);
        for piece in raw_pieces(doc, body.clone()) {
            text.push(' ');
            text.push_str(piece);
        }
        let (new_grad, intern) = vocab.kinds(&fold(&text));
        u64::from(new_grad) | u64::from(intern) << 1
    });
    let (new_grad, intern) = (kinds & 1 != 0, kinds & 2 != 0);
    if written && !has_unfilled(doc, body) && !angle_placeholders(title).any(|_| true) {
        count.new_grad += u32::from(new_grad);
        count.interns += u32::from(intern);
    } else {
        count.stub_new_grad += u32::from(new_grad);
        count.stub_interns += u32::from(intern);
    }
}

fn visit(doc: &Document, vocab: &Vocabulary, h: usize, base: u8, inherited: &str, count: &mut MentoringCount) {
    // Items are in text order, and those held by `h` start inside its section.
    let section = doc.headings[h].line.start..doc.headings[h].end;
    let first = doc.items.partition_point(|i| i.range.start < section.start);
    let items: Vec<_> = doc.items[first..]
        .iter()
        .take_while(|i| i.range.start < section.end)
        .filter(|i| i.heading == Some(h) && i.depth == 1)
        .collect();
    let sub: Vec<usize> = doc
        .children(h)
        .iter()
        .copied()
        .filter(|&c| doc.headings[c].level <= base + 2)
        .collect();
    let is_section = doc.headings[h].level == base;
    let title = if is_section { String::new() } else { format!("{} {}", inherited, doc.title(h)) };
    if !is_section && items.is_empty() && sub.is_empty() {
        // A heading example: its title and everything under it.
        let body = doc.headings[h].line.end..doc.headings[h].end;
        let written = !is_placeholder_only(doc.title(h)) || has_written_text(doc, body.clone());
        tally(doc, vocab, count, &title, body, written);
        return;
    }
    for it in items {
        let written = has_written_text(doc, it.range.clone());
        tally(doc, vocab, count, &title, it.range.clone(), written);
    }
    for c in sub {
        visit(doc, vocab, c, base, &title, count);
    }
}

/// Examples counted towards the requirement, and the requirement.
pub fn evidenced(rubric: &Rubric, c: MentoringCount) -> (u32, u32) {
    (
        c.new_grad.min(rubric.min_new_grad_mentees) + c.interns.min(rubric.min_interns),
        rubric.min_new_grad_mentees + rubric.min_interns,
    )
}


/// The Mentoring section's heading, if the rubric has one and it was found.
pub fn heading(outline: &Outline) -> Option<usize> {
    outline.slots.iter().find(|s| s.spec.kind == Some(SectionKind::Mentoring))?.heading()
}

/// The examples of the packet's Mentoring section, `None` without one.
pub fn count(doc: &Document, rubric: &Rubric, outline: &Outline) -> Option<MentoringCount> {
    heading(outline).map(|h| count_examples(doc, rubric, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(body: &str) -> MentoringCount {
        let text = format!("# Mentoring and Coaching\n\n{body}");
        let doc = Document::parse(&text);
        count_examples(&doc, &Rubric::senior_em(), 0)
    }

    #[test]
    fn vocabulary() {
        for (item, want) in [
            ("- Alex, a new college grad", (1, 0)),
            ("- Sam (NCG) shipped the importer", (1, 0)),
            ("- Kim, a university hire", (1, 0)),
            ("- Lee, a graduate hire", (1, 0)),
            ("- Jo, a campus hire", (1, 0)),
            ("- Ana, early-career engineer", (1, 0)),
            ("- Bo, a New-Hire", (1, 0)),
            ("- Cy, a new  grad", (1, 0)),
            ("- Di, our co-op student", (0, 1)),
            ("- Ed, a co-op", (0, 1)),
            ("- Fi, a summer student", (0, 1)),
            ("- Gus, an apprentice", (0, 1)),
            ("- Hal interned with us", (0, 1)),
            ("- Ivy's internship", (0, 1)),
            ("- Jay on internal tools", (0, 0)),
            ("- Kay renewed grad plans", (0, 0)),
            ("- Lu, a new grad who first joined as an intern", (1, 1)),
        ] {
            let c = count(item);
            assert_eq!((c.new_grad, c.interns), want, "{item:?}");
        }
    }

    #[test]
    fn table_rows_are_examples() {
        let c = count("| Mentee | Kind | Outcome |\n|---|---|---|\n| Alex | new grad | shipped |\n| Sam | NCG | shipped |\n| Kim | co-op | shipped |\n");
        assert_eq!((c.examples, c.new_grad, c.interns), (3, 2, 1));
    }

    #[test]
    fn stubs_do_not_count() {
        let c = count("- <New-grad mentee>: <what you guided them to complete, and the outcome>\n- Mentored <Name>, a new-grad engineer: <what you guided them to complete>\n- <Intern mentee>: TODO\n");
        assert_eq!((c.new_grad, c.interns, c.stub_new_grad, c.stub_interns), (0, 0, 2, 1));
    }

    #[test]
    fn extra_words_from_the_rubric() {
        let mut r = Rubric::senior_em();
        r.intern_words.push("Werkstudent".into());
        let doc = Document::parse("# Mentoring and Coaching\n\n- Max, our werkstudent, built the exporter\n");
        assert_eq!(count_examples(&doc, &r, 0).interns, 1);
    }
}
