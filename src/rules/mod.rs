//! One module per rule, named after its code (`missing-section` lives in
//! `missing_section.rs`). Each module has `INFO` (code, default severity,
//! documentation) and a `check` that reads the shared [`Cx`] and pushes
//! diagnostics with their fixes.

use std::ops::{ControlFlow, Range};

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::outline::Outline;
use crate::rubric::Rubric;


/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub severity: Severity,
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
    /// The Mentoring section's examples, counted on first use: the rule and
    /// the readiness summary both need them.
    pub mentoring: std::cell::OnceCell<Option<insufficient_mentoring::MentoringCount>>,
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
        self.outline.slots.iter().find(|s| s.spec.kind == Some(crate::rubric::SectionKind::Mentoring))?.heading()
    }

    /// The examples of the Mentoring section (`None` without one), counted once.
    pub fn mentoring_count(&self) -> Option<insufficient_mentoring::MentoringCount> {
        *self
            .mentoring
            .get_or_init(|| self.mentoring_heading().map(|h| insufficient_mentoring::count_examples(self.doc, self.rubric, h)))
    }
}

macro_rules! rules {
    ($($variant:ident => $module:ident,)*) => {
        $(pub mod $module;)*

        /// Every rule code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleCode { $($variant,)* }

        impl RuleCode {
            pub const ALL: &'static [RuleCode] = &[$(RuleCode::$variant,)*];

            pub fn info(self) -> &'static RuleInfo {
                match self { $(RuleCode::$variant => &$module::INFO,)* }
            }

            pub(crate) fn run(self, cx: &Cx, out: &mut Vec<Diagnostic>) {
                match self { $(RuleCode::$variant => $module::check(cx, out),)* }
            }
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

impl RuleCode {
    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    pub fn parse(s: &str) -> Option<RuleCode> {
        RuleCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// The documentation link for `codeDescription`.
    pub fn doc_url(self) -> String {
        format!("{}#{}", DOCS_URL, self.as_str())
    }
}

pub const DOCS_URL: &str = "https://github.com/packet-ls/packet-ls/blob/main/docs/rules.md";

/// The rule's documentation as Markdown (`packet-ls explain`, `docs/rules.md`).
pub fn explain(code: RuleCode) -> String {
    let i = code.info();
    format!(
        "## `{}`\n\nDefault severity: **{}**. Quick fix: {}.\n\n{}\n\n{}\n\n{}Configure: `[rules] {} = \"off\" | \"hint\" | \"info\" | \"warning\" | \"error\"` in `packet.toml`; silence inline with `<!-- packet-ls-disable-next-line {} -->`.\n",
        i.code,
        i.severity.as_str(),
        if i.has_fix { "yes" } else { "no" },
        i.summary,
        i.doc.trim(),
        generated(code),
        i.code,
        i.code
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
        "# packet-ls rules\n\n<!-- Generated from src/rules/*.rs by `packet-ls explain --all`; a test keeps it in sync. -->\n\n| code | default severity | quick fix |\n|---|---|---|\n",
    );
    for c in RuleCode::ALL {
        let i = c.info();
        s.push_str(&format!("| [`{0}`](#{0}) | {1} | {2} |\n", i.code, i.severity.as_str(), if i.has_fix { "yes" } else { "—" }));
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
        c.run(cx, &mut out);
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

/// Finds whole-word, case-insensitive occurrences of any of `words` in `hay`
/// (already lower-cased). Multi-word entries match across single spaces.
pub fn contains_word(hay_lower: &str, word: &str) -> bool {
    let mut from = 0;
    // memmem (SIMD) finds what `str::find` finds: a match of a UTF-8 needle
    // in UTF-8 text always starts on a char boundary.
    while let Some(i) = memchr::memmem::find(&hay_lower.as_bytes()[from..], word.as_bytes()) {
        let s = from + i;
        let e = s + word.len();
        let before = hay_lower[..s].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay_lower[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = s + word.len().max(1);
        while !hay_lower.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Calls `f` with each word of the lower-cased `pieces` that is ASCII and at
/// most `max_len` bytes long, where a word is a maximal run of alphanumeric
/// chars and the pieces are joined with spaces: the words
/// `section_text(…).split(|c: char| !c.is_alphanumeric())` would give, without
/// building that string. Chars are lower-cased one by one, as
/// `str::to_lowercase` does (its one context rule, final sigma, only ever
/// yields a non-ASCII letter).
///
/// `f` may stop the walk by returning `ControlFlow::Break`.
pub fn for_each_short_word<'a>(
    pieces: impl Iterator<Item = &'a str>,
    max_len: usize,
    mut f: impl FnMut(&[u8]) -> ControlFlow<()>,
) {
    let mut word = [0u8; 16];
    let max_len = max_len.min(word.len());
    // Bytes of the current word, or usize::MAX once it cannot be reported.
    let mut len = 0usize;
    macro_rules! end_word {
        () => {
            if len != usize::MAX && len > 0 && f(&word[..len]).is_break() {
                return;
            }
            len = 0;
        };
    }
    for piece in pieces {
        let b = piece.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() {
                    if len < max_len {
                        word[len] = c.to_ascii_lowercase();
                        len += 1;
                    } else {
                        len = usize::MAX;
                    }
                } else {
                    end_word!();
                }
                i += 1;
                continue;
            }
            let ch = piece[i..].chars().next().expect("a char starts here");
            i += ch.len_utf8();
            for l in ch.to_lowercase() {
                if !l.is_alphanumeric() {
                    end_word!();
                } else if l.is_ascii() && len < max_len {
                    word[len] = l as u8;
                    len += 1;
                } else {
                    len = usize::MAX;
                }
            }
        }
        end_word!();
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
    use super::*;
    use proptest::prelude::*;

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
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && w.is_ascii() && w.len() <= 6)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn short_words_of_lowercased_text() {
        let p = ["We're \u{130}n", "KELVIN \u{212a}m MySelf", "ſt ΣΑΣ I'd", "toolongword x"];
        assert_eq!(words_of(&p), vec!["we", "re", "i", "n", "kelvin", "km", "myself", "i", "d", "x"]);
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
