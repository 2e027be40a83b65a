//! packet-ls: checks promotion packets (Markdown) against a promotion
//! framework's rubric.
//!
//! Layers: [`document`] parses text into a section tree; [`outline`] matches
//! it against the [`rubric`]; [`rules`] turn that into [`diagnostic`]s with
//! fixes; [`analysis`] ties them together. None of these do I/O or know the
//! Language Server Protocol: [`workspace`] reads files, `cli` and `server`
//! translate.

pub mod analysis;
pub mod beneath;
pub mod bundle;
pub mod cap;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod frontmatter;
pub mod features;
pub mod fix;
pub mod letters;
pub mod matching;
pub mod outline;
pub mod report;
pub mod rubric;
pub mod rules;
pub mod substance;
pub mod suppress;
pub mod text;

pub use analysis::{analyze, analyze_document, is_packet, Analysis, Env, LetterStatus, Readiness};
pub use config::{Config, ConfigError, EditorOverrides, Settings};
pub use diagnostic::{apply_edits, Diagnostic, Edit, Fix, Severity};
pub use rules::RuleCode;
pub mod cli;
pub mod workspace;

pub mod server;

/// Runs the language server on stdio.
pub fn server_main() -> std::process::ExitCode {
    server::run()
}
