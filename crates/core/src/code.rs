//! The vocabulary every other module shares: rule codes, severities and
//! levels. A leaf: it imports nothing of the crate, so the diagnostics, the
//! configuration and the rules can all name a rule without importing the
//! rules.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The LSP number: 1 error, 2 warning, 3 information, 4 hint.
    pub fn lsp_number(self) -> u8 {
        match self {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Info => 3,
            Severity::Hint => 4,
        }
    }
}

/// A rule's configured level: a severity or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Hint => Some(Severity::Hint),
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "off" => Level::Off,
            "hint" => Level::Hint,
            "info" | "information" => Level::Info,
            "warning" | "warn" => Level::Warning,
            "error" => Level::Error,
            _ => return None,
        })
    }
}

macro_rules! codes {
    ($($variant:ident => $code:literal, $severity:ident,)*) => {
        /// Every rule code. The rule itself lives in `rules/<code with _>.rs`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleCode { $($variant,)* }

        impl RuleCode {
            pub const ALL: &'static [RuleCode] = &[$(RuleCode::$variant,)*];

            /// The code as users write it (`missing-section`).
            pub fn as_str(self) -> &'static str {
                match self { $(RuleCode::$variant => $code,)* }
            }

            /// The severity when `packet.toml` does not configure one.
            pub fn default_severity(self) -> Severity {
                match self { $(RuleCode::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    MissingSection => "missing-section", Error,
    MissingSubsection => "missing-subsection", Error,
    EmptySection => "empty-section", Warning,
    Placeholder => "placeholder", Warning,
    HeadingLevel => "heading-level", Warning,
    HeadingNearMiss => "heading-near-miss", Warning,
    DuplicateSection => "duplicate-section", Warning,
    SectionOrder => "section-order", Hint,
    TooFewInitiatives => "too-few-initiatives", Error,
    InitiativeMissingSubsection => "initiative-missing-subsection", Error,
    ResultsWithoutMetrics => "results-without-metrics", Info,
    RolesWithoutFirstPerson => "roles-without-first-person", Info,
    InsufficientMentoring => "insufficient-mentoring", Error,
    TooFewComponents => "too-few-components", Error,
    TooFewProductAreas => "too-few-product-areas", Warning,
    MissingValue => "missing-value", Error,
    MissingCompetency => "missing-competency", Warning,
    NoCrossFunctionalPartner => "no-cross-functional-partner", Info,
    SectionTooShort => "section-too-short", Info,
    SelfFocusedIntent => "self-focused-intent", Hint,
    FrontMatterInvalid => "front-matter-invalid", Error,
    MissingRecommender => "missing-recommender", Warning,
    SponsorRole => "sponsor-role", Warning,
    LetterNotFound => "letter-not-found", Warning,
    ConfigInvalid => "config-invalid", Error,
}

impl RuleCode {
    pub fn parse(s: &str) -> Option<RuleCode> {
        RuleCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// The documentation link for `codeDescription`.
    pub fn doc_url(self) -> String {
        format!("{}#{}", DOCS_URL, self.as_str())
    }
}

pub const DOCS_URL: &str = "https://github.com/packet-ls/packet-ls/blob/main/docs/rules.md";
