use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::fix::{insert_fix, mentoring_stubs, under};

pub const INFO: RuleInfo = RuleInfo {
    summary: "Fewer new-grad/new-hire mentees or interns are evidenced than required (default 2 and 1).",
    doc: "The framework asks for examples of formally mentoring at least two new-grad or new-hire engineers and one intern, and guiding them to complete their assigned work.\n\nAn example is a top-level list item, a table body row or an H2/H3 under Mentoring and Coaching; nested list items belong to their parent. A heading that holds list items or example sub-headings is a group: each item below it is an example, and the group's title counts for each (`## New-grad mentees` then `- Alex …`, `- Sam …` is two new-grad examples). Kinds are recognised from whole words of the example's heading and text, case-insensitive, a `-` read as a space (the full lists are below; `packet.toml` `[rubric.mentoring]` `new-grad = [...]` and `intern = [...]` add words). An example counts once for each kind it names (\"a new grad who first joined as an intern\" is both).\n\nOnly written examples count: one that is only placeholders, or still holds a `<…>` placeholder (`- <New-grad mentee>: <what you guided them to complete>`, the inserted stub), is a stub; the message says how many stubs are left to fill in.\n\n**Fix:** inserts stub list items for what is missing and not already stubbed. Configure with `[rubric] min-new-grad-mentees` and `min-interns`.",
    has_fix: true,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let (Some(h), Some(c)) = (cx.mentoring_heading(), cx.mentoring_count()) else { return };
    let (need_ng, need_in) = (cx.rubric.min_new_grad_mentees, cx.rubric.min_interns);
    if c.new_grad >= need_ng && c.interns >= need_in {
        return;
    }
    // Stubs already there are not inserted again (a second `--fix` adds nothing).
    let stubs = mentoring_stubs(cx.rubric, c.new_grad + c.stub_new_grad, c.interns + c.stub_interns);
    let fix = (!stubs.is_empty())
        .then(|| {
            // Level 7: list items, after any heading inserted at the same place, and
            // owned by the nearest heading before them (`under`).
            let stubs_fix =
                insert_fix(cx.doc, "Insert mentoring example stubs".to_string(), cx.doc.own_end(h), stubs.join("\n"), 7, true);
            under(cx.doc, h, stubs_fix)
        })
        .flatten();
    let unfilled = c.stub_new_grad.min(need_ng.saturating_sub(c.new_grad)) + c.stub_interns.min(need_in.saturating_sub(c.interns));
    let unfilled = match unfilled {
        0 => String::new(),
        1 => " (1 example is still a stub to fill in)".to_string(),
        n => format!(" ({n} examples are still stubs to fill in)"),
    };
    out.push(
        Diagnostic::new(
            RuleCode::InsufficientMentoring,
            cx.line(h),
            format!(
                "\"{}\" evidences {} of {} new-grad/new-hire mentees and {} of {} interns{}; name each as a new grad / new hire, or an intern / co-op, in a list item, heading or table row",
                cx.title(h),
                c.new_grad.min(need_ng),
                need_ng,
                c.interns.min(need_in),
                need_in,
                unfilled
            ),
        )
        .with_fix(fix),
    );
}
