//! packet-ls: checks promotion packets (Markdown) against a promotion
//! framework's rubric.
//!
//! The workspace's crates (docs/architecture.md): `packet-ls-core` (the
//! analysis: text → sections → rules → diagnostics and fixes; no I/O, no
//! LSP), `packet-ls-workspace` (the file system around a packet and the one
//! path from a file to its analysis), and this package: the `packet-ls`
//! binary's command line ([`cli`]), language server ([`server`]) and output
//! formats ([`bundle`], [`report`]). The core's and the workspace's modules
//! are re-exported under their old names, so `packet_ls::analysis::analyze`
//! and `packet_ls::workspace::env_for` keep working for the tests and benches.

pub use packet_ls_core::{
    analysis, cap, code, config, diagnostic, document, env, features, fix, frontmatter, letter_template, letters, matching, mentoring, outline,
    readiness, rubric, rules, substance, suppress, template, text,
};
pub use packet_ls_workspace as workspace;
pub use packet_ls_workspace::beneath;

pub use packet_ls_core::{
    analyze, analyze_document, is_packet, Analysis, Config, ConfigError, Diagnostic, Edit, EditorOverrides, Env, Fix,
    LetterStatus, Readiness, RuleCode, Settings, Severity,
};
pub use packet_ls_core::diagnostic::apply_edits;

pub mod bundle;
pub mod cli;
pub mod report;
pub mod server;

/// Runs the language server on stdio.
pub fn server_main() -> std::process::ExitCode {
    server::run()
}
