use std::ops::ControlFlow;

use super::{section_pieces, Cx, RuleCode, RuleInfo};
use crate::text::words::for_each_short_word;
use crate::diagnostic::Diagnostic;
use crate::document::Fact;
use crate::rubric::SectionKind;

pub const INFO: RuleInfo = RuleInfo {
    summary: "A Roles and Responsibilities subsection says \"we\" but never \"I\"/\"my\".",
    doc: "The framework asks the applicant to highlight *their* specific role and contribution, especially when a project involved several developers. \"We shipped\" hides who did what; say what you did: \"I designed…\", \"my part was…\".",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for &slot in &cx.slots {
        if slot.spec.kind != Some(SectionKind::Roles) {
            continue;
        }
        let Some(h) = slot.heading() else { continue };
        // Whole words of the lower-cased section text. "we're", "we've",
        // "i'm", "i've" and "i'd" contain "we" or "i" as a whole word, so
        // looking for the plain words finds them too: one pass over the text,
        // without copying it, that stops at the first "I" (which settles it).
        let section = cx.doc.headings[h].line.start..cx.doc.headings[h].end;
        let person = cx.doc.memo.get_in(slot.facts.as_deref(), Fact::Person, &section, 0, || {
            let (mut we, mut i) = (false, false);
            for_each_short_word(section_pieces(cx.doc, h, false), 6, |w| match w {
                b"we" | b"our" | b"us" => {
                    we = true;
                    ControlFlow::Continue(())
                }
                b"i" | b"my" | b"me" | b"myself" | b"mine" => {
                    i = true;
                    ControlFlow::Break(())
                }
                _ => ControlFlow::Continue(()),
            });
            u64::from(we) | u64::from(i) << 1
        });
        let (we, i) = (person & 1 != 0, person & 2 != 0);
        if we && !i {
            let owner = cx.doc.headings[h].parent.map(|p| cx.title(p)).unwrap_or("");
            out.push(Diagnostic::new(
                RuleCode::RolesWithoutFirstPerson,
                cx.line(h),
                format!(
                    "\"{}\" of \"{}\" says \"we\" but never \"I\" or \"my\"; state your own contribution",
                    cx.title(h),
                    owner
                ),
            ));
        }
    }
}
