use std::sync::LazyLock;

use regex::Regex;

use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::fix::{insert_fix, mentoring_stubs};
use crate::rubric::{Rubric, SectionKind};

pub const INFO: RuleInfo = RuleInfo {
    code: "insufficient-mentoring",
    severity: Severity::Error,
    summary: "Fewer new-grad/new-hire mentees or interns are evidenced than required (default 2 and 1).",
    doc: "The framework asks for examples of formally mentoring at least two new-grad or new-hire engineers and one intern, and guiding them to complete their assigned work.\n\nAn example is a top-level list item or an H2/H3 under Mentoring and Coaching; nested list items belong to their parent. A heading that holds list items or example sub-headings is a group: each item below it is an example, and the group's title counts for each (`## New-grad mentees` then `- Alex …`, `- Sam …` is two new-grad examples). Kinds are recognised from whole words: \"new grad\", \"new-grad\", \"new graduate\", \"new hire\", \"new-hire\" (plural too) count as new-grad/new-hire; \"intern\", \"interns\", \"internship\" as intern (\"internal\" does not). An example counts once for each kind it names.\n\n**Fix:** inserts stub list items for what is missing. Configure with `[rubric] min-new-grad-mentees` and `min-interns`.",
    has_fix: true,
};

static NEW_GRAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bnew[- ]?(grad|grads|graduate|graduates|hire|hires)\b").expect("pattern"));
static INTERN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(intern|interns|internship|internships)\b").expect("pattern"));

/// Mentoring examples found, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MentoringCount {
    pub new_grad: u32,
    pub interns: u32,
    pub examples: u32,
}

fn text_of(doc: &Document, r: std::ops::Range<usize>) -> String {
    let first = doc.runs.partition_point(|t| t.range.start < r.start);
    let mut s = String::new();
    for t in doc.runs[first..].iter().take_while(|t| t.range.start < r.end) {
        s.push_str(&doc.text[t.range.clone()]);
        s.push(' ');
    }
    s
}

fn tally(count: &mut MentoringCount, text: &str) {
    count.examples += 1;
    if NEW_GRAD.is_match(text) {
        count.new_grad += 1;
    }
    if INTERN.is_match(text) {
        count.interns += 1;
    }
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
    let items: Vec<_> = doc.items.iter().filter(|i| i.heading == Some(h) && i.depth == 1).collect();
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
        let text = format!("{} {}", title, text_of(doc, doc.headings[h].line.end..doc.headings[h].end));
        tally(count, &text);
        return;
    }
    for it in items {
        let text = format!("{} {}", title, text_of(doc, it.range.clone()));
        tally(count, &text);
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
    let Some((_, h)) = cx.outline.top(SectionKind::Mentoring) else { return };
    let c = count_examples(cx.doc, h);
    let (need_ng, need_in) = (cx.rubric.min_new_grad_mentees, cx.rubric.min_interns);
    if c.new_grad >= need_ng && c.interns >= need_in {
        return;
    }
    let stubs = mentoring_stubs(cx.rubric, c.new_grad, c.interns);
    let fix = insert_fix(
        cx.doc,
        "Insert mentoring example stubs".to_string(),
        cx.doc.own_end(h),
        stubs.join("\n"),
        7,
        true,
    );
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
