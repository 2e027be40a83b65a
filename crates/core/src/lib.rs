//! The analysis of packet-ls: a promotion packet's text in, diagnostics
//! (with their fixes), outline and readiness out. No file system, no
//! Language Server Protocol, no async runtime: Cargo keeps those out (this
//! crate depends on none of them), and `packet-ls-workspace`, the CLI and the
//! server build on it.
//!
//! Layers, each importing only the ones before it:
//! [`code`] (rule codes, severities) → [`text`] (line index, words) →
//! [`document`] (sections) → [`frontmatter`] → [`rubric`] / [`matching`] →
//! [`outline`] (the document matched against the rubric) → [`substance`] /
//! [`mentoring`] (what is written) → [`fix`] (edit builders) → [`rules`]
//! (one module per code) → [`readiness`] → [`analysis`] (ties them
//! together) → [`features`] (hover, completion, symbols).

pub mod analysis;
pub mod cap;
pub mod code;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod env;
pub mod features;
pub mod fix;
#[cfg(test)]
mod incremental_tests;
pub mod frontmatter;
pub mod letter_template;
pub mod letters;
pub mod matching;
pub mod mentoring;
pub mod outline;
pub mod readiness;
pub mod rubric;
pub mod rules;
pub mod substance;
pub mod suppress;
pub mod template;
pub mod text;

pub use analysis::{analyze, analyze_document, is_packet, Analysis, Env, LetterStatus};
pub use code::RuleCode;
pub use config::{Config, ConfigError, EditorOverrides, Settings};
pub use diagnostic::{apply_edits, Diagnostic, Edit, Fix, Severity};
pub use readiness::Readiness;
