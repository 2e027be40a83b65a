use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::fix::{insert_fix, mentoring_stubs, under};
use crate::rubric::Rubric;
use crate::text::words::{Token, WordWalker};

pub const INFO: RuleInfo = RuleInfo {
    code: "insufficient-mentoring",
    severity: Severity::Error,
    summary: "Fewer new-grad/new-hire mentees or interns are evidenced than required (default 2 and 1).",
    doc: "The framework asks for examples of formally mentoring at least two new-grad or new-hire engineers and one intern, and guiding them to complete their assigned work.\n\nAn example is a top-level list item or an H2/H3 under Mentoring and Coaching; nested list items belong to their parent. A heading that holds list items or example sub-headings is a group: each item below it is an example, and the group's title counts for each (`## New-grad mentees` then `- Alex …`, `- Sam …` is two new-grad examples). Kinds are recognised from whole words: \"new grad\", \"new-grad\", \"new graduate\", \"new hire\", \"new-hire\" (plural too) count as new-grad/new-hire; \"intern\", \"interns\", \"internship\" as intern (\"internal\" does not). An example counts once for each kind it names.\n\n**Fix:** inserts stub list items for what is missing. Configure with `[rubric] min-new-grad-mentees` and `min-interns`.",
    has_fix: true,
};

/// Mentoring examples found, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MentoringCount {
    pub new_grad: u32,
    pub interns: u32,
    pub examples: u32,
}

/// The text runs that start inside `r`.
fn runs_of<'d>(doc: &'d Document, r: std::ops::Range<usize>) -> impl Iterator<Item = &'d str> + 'd {
    let first = doc.runs.partition_point(|t| t.range.start < r.start);
    doc.runs[first..].iter().take_while(move |t| t.range.start < r.end).map(|t| &doc.text[t.range.clone()])
}

/// Kinds named by an example: the case-insensitive regexes
/// `\bnew[- ]?(grad|grads|graduate|graduates|hire|hires)\b` and
/// `\b(intern|interns|internship|internships)\b`, matched by a walk over the
/// words of `title`, a space, then each run followed by a space.
fn kinds<'a>(title: &'a str, runs: impl Iterator<Item = &'a str>) -> (bool, bool) {
    fn after_new(w: &[u8]) -> bool {
        matches!(w, b"grad" | b"grads" | b"graduate" | b"graduates" | b"hire" | b"hires")
    }
    #[derive(PartialEq)]
    enum After {
        Other,
        New,
        NewSep,
    }
    let (mut new_grad, mut intern) = (false, false);
    let mut after = After::Other;
    let mut f = |t: Token| match t {
        Token::Start => {}
        Token::Word(w) => {
            let w = w.unwrap_or(b""); // a word that is none of these
            new_grad |= w.strip_prefix(b"new").is_some_and(after_new) || (after == After::NewSep && after_new(w));
            intern |= matches!(w, b"intern" | b"interns" | b"internship" | b"internships");
            after = if w == b"new" { After::New } else { After::Other };
        }
        Token::Gap(c) => {
            after = if after == After::New && (c == '-' || c == ' ') { After::NewSep } else { After::Other };
        }
    };
    let mut walker = WordWalker::default();
    for piece in [title].into_iter().chain(runs) {
        walker.push_str(piece, false, &mut f);
        walker.push_ascii(b' ', &mut f);
    }
    walker.finish(&mut f);
    (new_grad, intern)
}

fn tally<'a>(count: &mut MentoringCount, title: &'a str, runs: impl Iterator<Item = &'a str>) {
    count.examples += 1;
    let (new_grad, intern) = kinds(title, runs);
    count.new_grad += u32::from(new_grad);
    count.interns += u32::from(intern);
}

/// Counts the examples of the mentoring section headed by `h`.
pub fn count_examples(doc: &Document, h: usize) -> MentoringCount {
    let mut count = MentoringCount::default();
    let base = doc.headings[h].level;
    // Top-level list items directly under the section.
    visit(doc, h, base, "", &mut count);
    count
}

fn visit(doc: &Document, h: usize, base: u8, inherited: &str, count: &mut MentoringCount) {
    // Items are in text order, and those held by `h` start inside its section.
    let section = doc.headings[h].line.start..doc.headings[h].end;
    let first = doc.items.partition_point(|i| i.range.start < section.start);
    let items: Vec<_> = doc.items[first..]
        .iter()
        .take_while(|i| i.range.start < section.end)
        .filter(|i| i.heading == Some(h) && i.depth == 1)
        .collect();
    let sub: Vec<usize> = doc.headings[h]
        .children
        .iter()
        .copied()
        .filter(|&c| doc.headings[c].level <= base + 2)
        .collect();
    let is_section = doc.headings[h].level == base;
    let title = if is_section { String::new() } else { format!("{} {}", inherited, doc.title(h)) };
    if !is_section && items.is_empty() && sub.is_empty() {
        // A heading example: its title and everything under it.
        tally(count, &title, runs_of(doc, doc.headings[h].line.end..doc.headings[h].end));
        return;
    }
    for it in items {
        tally(count, &title, runs_of(doc, it.range.clone()));
    }
    for c in sub {
        visit(doc, c, base, &title, count);
    }
}

/// Examples counted towards the requirement, and the requirement.
pub fn evidenced(rubric: &Rubric, c: MentoringCount) -> (u32, u32) {
    (
        c.new_grad.min(rubric.min_new_grad_mentees) + c.interns.min(rubric.min_interns),
        rubric.min_new_grad_mentees + rubric.min_interns,
    )
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let (Some(h), Some(c)) = (cx.mentoring_heading(), cx.mentoring_count()) else { return };
    let (need_ng, need_in) = (cx.rubric.min_new_grad_mentees, cx.rubric.min_interns);
    if c.new_grad >= need_ng && c.interns >= need_in {
        return;
    }
    let stubs = mentoring_stubs(cx.rubric, c.new_grad, c.interns);
    // Level 7: list items, after any heading inserted at the same place, and
    // owned by the nearest heading before them (`under`).
    let stubs_fix = insert_fix(cx.doc, "Insert mentoring example stubs".to_string(), cx.doc.own_end(h), stubs.join("\n"), 7, true);
    let fix = under(cx.doc, h, stubs_fix);
    out.push(
        Diagnostic::new(
            RuleCode::InsufficientMentoring,
            cx.line(h),
            format!(
                "\"{}\" evidences {} of {} new-grad/new-hire mentees and {} of {} interns; add an example (list item or heading) for each",
                cx.title(h),
                c.new_grad.min(need_ng),
                need_ng,
                c.interns.min(need_in),
                need_in
            ),
        )
        .with_fix(fix),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The rule's patterns before the word walk replaced them, over the text
    /// it used to build.
    fn by_regex(title: &str, runs: &[&str]) -> (bool, bool) {
        let new_grad = Regex::new(r"(?i)\bnew[- ]?(grad|grads|graduate|graduates|hire|hires)\b").unwrap();
        let intern = Regex::new(r"(?i)\b(intern|interns|internship|internships)\b").unwrap();
        let mut text = format!("{title} ");
        for r in runs {
            text.push_str(r);
            text.push(' ');
        }
        (new_grad.is_match(&text), intern.is_match(&text))
    }

    #[test]
    fn kinds_of_examples() {
        for (title, runs, want) in [
            (" New grads", &[][..], (true, false)),
            ("", &["Mentored a NEW-HIRE and an intern."], (true, true)),
            ("", &["new  grad"], (false, false)),
            ("", &["new", "grad"], (true, false)),
            ("", &["newgraduates", "internal"], (true, false)),
            ("", &["renew grad", "new_grad", "news grad"], (false, false)),
            ("", &["new-grad-level", "INTERN\u{17f}"], (true, true)),
            ("", &["new\u{a0}grad", "\u{130}ntern"], (false, false)),
            ("", &["interns\u{301}"], (false, false)),
        ] {
            assert_eq!(kinds(title, runs.iter().copied()), want, "{title:?} {runs:?}");
            assert_eq!(by_regex(title, runs), want, "{title:?} {runs:?}");
        }
    }

    proptest! {
        #[test]
        fn kinds_match_the_regexes(title in "[a-z ]{0,6}", runs in proptest::collection::vec(
            proptest::collection::vec(prop::sample::select(vec![
                "new", "NEW", "New", "grad", "Grads", "graduate", "hire", "HIRES", "intern", "Intern\u{17f}", "internship",
                "re", "s", "_", "-", " ", "  ", "\t", "\u{a0}", ".", "\u{301}", "\u{e9}", "\u{130}", "\u{212a}", "0",
            ]), 0..8).prop_map(|v| v.concat()), 0..4)) {
            let refs: Vec<&str> = runs.iter().map(String::as_str).collect();
            prop_assert_eq!(kinds(&title, refs.iter().copied()), by_regex(&title, &refs));
        }
    }
}
