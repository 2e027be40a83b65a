//! One module per rule, named after its code (`missing-section` lives in
//! `missing_section.rs`). Each module has `INFO` (code, default severity,
//! documentation) and a `check` that reads the shared [`Cx`] and pushes
//! diagnostics with their fixes.

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::outline::Outline;
use crate::rubric::Rubric;


/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleInfo {
    /// One line: when the rule fires.
    pub summary: &'static str,
    /// Markdown: why it matters, how to fix it (without the heading).
    pub doc: &'static str,
    /// Whether the rule offers a quick fix.
    pub has_fix: bool,
}

/// What rules read: the parsed document, the rubric and the outline, plus the
/// facts about the packet's surroundings the caller looked up.
pub struct Cx<'a, 'r> {
    pub doc: &'a Document<'a>,
    pub rubric: &'r Rubric,
    pub outline: &'a Outline<'r>,
    pub front: &'a crate::frontmatter::FrontMatterData,
    pub env: &'a crate::analysis::Env,
    /// The Mentoring section's examples (`None` without the section),
    /// counted once by the analysis: the rule and the readiness read them.
    pub mentoring: Option<crate::mentoring::MentoringCount>,
    /// Every slot of the outline, depth first ([`Outline::walk`]), walked
    /// once for all the rules that visit each slot.
    pub slots: Vec<&'a crate::outline::Slot<'r>>,
}

impl<'a, 'r> Cx<'a, 'r> {
    /// The slot of a kind at any depth, if the rubric has one and it was found.
    pub fn found_kind(&self, kind: crate::rubric::SectionKind) -> Option<&'a crate::outline::Slot<'r>> {
        self.slots.iter().copied().find(|s| s.spec.kind == Some(kind) && s.found.is_some())
    }
}

impl Cx<'_, '_> {
    /// The line of heading `h`, without its line break.
    pub fn line(&self, h: usize) -> Range<usize> {
        self.doc.headings[h].line.clone()
    }

    pub fn title(&self, h: usize) -> &str {
        self.doc.title(h)
    }

    /// The Mentoring section's heading, if the rubric has one and it was found.
    pub fn mentoring_heading(&self) -> Option<usize> {
        crate::mentoring::heading(self.outline)
    }

    /// The examples of the Mentoring section (`None` without one).
    pub fn mentoring_count(&self) -> Option<crate::mentoring::MentoringCount> {
        self.mentoring
    }
}

macro_rules! rules {
    ($($variant:ident => $module:ident,)*) => {
        $(pub mod $module;)*

        /// A rule's documentation.
        pub fn info(code: RuleCode) -> &'static RuleInfo {
            match code { $(RuleCode::$variant => &$module::INFO,)* }
        }

        fn run(code: RuleCode, cx: &Cx, out: &mut Vec<Diagnostic>) {
            match code { $(RuleCode::$variant => $module::check(cx, out),)* }
        }
    };
}

rules! {
    MissingSection => missing_section,
    MissingSubsection => missing_subsection,
    EmptySection => empty_section,
    Placeholder => placeholder,
    HeadingLevel => heading_level,
    HeadingNearMiss => heading_near_miss,
    DuplicateSection => duplicate_section,
    SectionOrder => section_order,
    TooFewInitiatives => too_few_initiatives,
    InitiativeMissingSubsection => initiative_missing_subsection,
    ResultsWithoutMetrics => results_without_metrics,
    RolesWithoutFirstPerson => roles_without_first_person,
    InsufficientMentoring => insufficient_mentoring,
    TooFewComponents => too_few_components,
    TooFewProductAreas => too_few_product_areas,
    MissingValue => missing_value,
    MissingCompetency => missing_competency,
    NoCrossFunctionalPartner => no_cross_functional_partner,
    SectionTooShort => section_too_short,
    SelfFocusedIntent => self_focused_intent,
    FrontMatterInvalid => front_matter_invalid,
    MissingRecommender => missing_recommender,
    SponsorRole => sponsor_role,
    LetterNotFound => letter_not_found,
    ConfigInvalid => config_invalid,
}

pub use crate::code::{RuleCode, DOCS_URL};

/// The rule's documentation as Markdown (`packet-ls explain`, `docs/rules.md`).
pub fn explain(code: RuleCode) -> String {
    let i = info(code);
    format!(
        "## `{}`\n\nDefault severity: **{}**. Quick fix: {}.\n\n{}\n\n{}\n\n{}Configure: `[rules] {} = \"off\" | \"hint\" | \"info\" | \"warning\" | \"error\"` in `packet.toml`; silence inline with `<!-- packet-ls-disable-next-line {} -->`.\n",
        code.as_str(),
        code.default_severity().as_str(),
        if i.has_fix { "yes" } else { "no" },
        i.summary,
        i.doc.trim(),
        generated(code),
        code.as_str(),
        code.as_str()
    )
}

/// The parts of a rule's documentation read off the built-in rubric: the
/// titles and aliases headings are matched against, the mentee vocabulary.
fn generated(code: RuleCode) -> String {
    let r = Rubric::senior_em();
    let names = |s: &crate::rubric::SectionSpec| {
        let mut n = format!("`{}`", s.title);
        if !s.aliases.is_empty() {
            let a: Vec<String> = s.aliases.iter().map(|a| format!("`{a}`")).collect();
            n.push_str(&format!(" (aliases: {})", a.join(", ")));
        }
        n
    };
    match code {
        RuleCode::MissingSection | RuleCode::HeadingNearMiss | RuleCode::MissingSubsection => {
            let mut s = String::from("Titles and aliases of the built-in rubric `senior-em` (`[rubric.aliases]` in `packet.toml` adds more):\n\n");
            for sec in &r.sections {
                s.push_str(&format!("- H1 {}\n", names(sec)));
                for c in &sec.children {
                    s.push_str(&format!("  - H2 {}\n", names(c)));
                }
            }
            s.push_str("- each initiative (H2 under Selected Projects and Initiatives):\n");
            for c in &r.initiative_subsections {
                s.push_str(&format!("  - H3 {}\n", names(c)));
            }
            s.push('\n');
            s
        }
        RuleCode::InsufficientMentoring => {
            let list = |v: &[String]| v.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", ");
            format!(
                "Words that make an example one of a new grad / new hire: {}.\n\nWords that make it one of an intern: {}.\n\n",
                list(&r.new_grad_words),
                list(&r.intern_words)
            )
        }
        _ => String::new(),
    }
}

/// `docs/rules.md`, generated from the rules' own documentation.
pub fn rules_markdown() -> String {
    let mut s = String::from(
        "# packet-ls rules\n\n<!-- Generated from crates/core/src/rules/*.rs by `packet-ls explain --all`; a test keeps it in sync. -->\n\n| code | default severity | quick fix |\n|---|---|---|\n",
    );
    for c in RuleCode::ALL {
        let has_fix = info(*c).has_fix;
        s.push_str(&format!("| [`{0}`](#{0}) | {1} | {2} |\n", c.as_str(), c.default_severity().as_str(), if has_fix { "yes" } else { "—" }));
    }
    for c in RuleCode::ALL {
        s.push('\n');
        s.push_str(&explain(*c));
    }
    s
}

/// Runs every rule except the configuration rule (reported on `packet.toml`).
pub fn run_all(cx: &Cx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in RuleCode::ALL {
        run(*c, cx, &mut out);
    }
    out
}

/// Of a container's items (initiatives, components, values): how many are
/// written and how many are still empty or only placeholders (spec §3.1,
/// honest counts).
pub fn written_items(cx: &Cx, items: &[crate::outline::Item]) -> (u32, u32) {
    let written = crate::substance::written_count(cx.doc, items);
    (written, items.len() as u32 - written)
}

/// " (2 more are still empty or placeholders)" for a count message.
pub fn unwritten_note(unwritten: u32) -> String {
    match unwritten {
        0 => String::new(),
        1 => " with content (1 more is still empty or only placeholders)".to_string(),
        n => format!(" with content ({n} more are still empty or only placeholders)"),
    }
}


/// The text runs `section_text` joins, in order.
pub fn section_pieces<'d>(doc: &'d Document, h: usize, include_own_heading: bool) -> impl Iterator<Item = &'d str> + 'd {
    doc.runs_in(h)
        .filter(move |r| include_own_heading || !(r.in_heading && r.heading == Some(h)))
        .map(|r| &doc.text[r.range.clone()])
}

/// The lower-cased text of a section (its headings' and children's text runs
/// included, comments and code excluded), for keyword checks.
pub fn section_text(doc: &Document, h: usize, include_own_heading: bool) -> String {
    let mut s = String::new();
    for piece in section_pieces(doc, h, include_own_heading) {
        s.push_str(piece);
        s.push(' ');
    }
    if s.is_ascii() {
        // What `to_lowercase` gives for ASCII, in place.
        s.make_ascii_lowercase();
        s
    } else {
        s.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use crate::text::words::for_each_short_word;
    use proptest::prelude::*;
    use std::ops::ControlFlow;

    fn words_of(pieces: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for_each_short_word(pieces.iter().copied(), 6, |w| {
            out.push(String::from_utf8(w.to_vec()).unwrap());
            ControlFlow::Continue(())
        });
        out
    }

    /// What the words must be: those of the lower-cased joined text.
    fn reference(pieces: &[&str]) -> Vec<String> {
        let mut s = String::new();
        for p in pieces {
            s.push_str(p);
            s.push(' ');
        }
        s.to_lowercase()
            .split(|c: char| !crate::text::words::is_word_char(c))
            .filter(|w| !w.is_empty() && w.is_ascii() && w.len() <= 6)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn short_words_of_lowercased_text() {
        let p = ["We're \u{130}n", "KELVIN \u{212a}m MySelf", "ſt ΣΑΣ I'd", "toolongword x"];
        // "İn" lower-cases to "i̇n" (a combining dot after the i: a word char,
        // as in `\w`), one non-ASCII word: not the pronoun "i".
        assert_eq!(words_of(&p), vec!["we", "re", "kelvin", "km", "myself", "i", "d", "x"]);
        assert_eq!(words_of(&p), reference(&p));
    }

    proptest! {
        #[test]
        fn short_words_match_the_lowercased_text(pieces in proptest::collection::vec(
            proptest::collection::vec(prop::sample::select(vec![
                "we", "We", "WE", "our", "Us", "i", "I", "\u{130}", "\u{131}", "my", "Me", "MYSELF", "mine",
                "'", "\u{2019}", " ", "-", "\u{212a}", "\u{17f}", "\u{3a3}", "x", "\u{e9}", "\u{6771}", "0", "\u{301}",
            ]), 0..12).prop_map(|v| v.concat()), 0..4)) {
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            prop_assert_eq!(words_of(&refs), reference(&refs));
        }
    }
}
