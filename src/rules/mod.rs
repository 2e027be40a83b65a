//! One module per rule, named after its code (`missing-section` lives in
//! `missing_section.rs`). Each module has `INFO` (code, default severity,
//! documentation) and a `check` that reads the shared [`Cx`] and pushes
//! diagnostics with their fixes.

use std::ops::Range;

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
}

impl Cx<'_, '_> {
    /// The line of heading `h`, without its line break.
    pub fn line(&self, h: usize) -> Range<usize> {
        self.doc.headings[h].line.clone()
    }

    pub fn title(&self, h: usize) -> &str {
        self.doc.title(h)
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
        "## `{}`\n\nDefault severity: **{}**. Quick fix: {}.\n\n{}\n\n{}\n\nConfigure: `[rules] {} = \"off\" | \"hint\" | \"info\" | \"warning\" | \"error\"` in `packet.toml`; silence inline with `<!-- packet-ls-disable-next-line {} -->`.\n",
        i.code,
        i.severity.as_str(),
        if i.has_fix { "yes" } else { "no" },
        i.summary,
        i.doc.trim(),
        i.code,
        i.code
    )
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

/// Finds whole-word, case-insensitive occurrences of any of `words` in `hay`
/// (already lower-cased). Multi-word entries match across single spaces.
pub fn contains_word(hay_lower: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay_lower[from..].find(word) {
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

/// The lower-cased text of a section (its headings' and children's text runs
/// included, comments and code excluded), for keyword checks.
pub fn section_text(doc: &Document, h: usize, include_own_heading: bool) -> String {
    let mut s = String::new();
    for r in doc.runs_in(h) {
        if !include_own_heading && r.in_heading && r.heading == Some(h) {
            continue;
        }
        s.push_str(&doc.text[r.range.clone()]);
        s.push(' ');
    }
    s.to_lowercase()
}
