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

#[cfg(test)]
mod contract {
    /// The rule codes of the spec (§3) are a contract outside tests check:
    /// each is a code of this binary, and lives in the core's
    /// `rules/<code with underscores>.rs`, so a reader finds a rule from its
    /// code alone.
    const SPEC_RULE_CODES: [&str; 25] = [
        "missing-section",
        "missing-subsection",
        "empty-section",
        "placeholder",
        "heading-level",
        "heading-near-miss",
        "duplicate-section",
        "section-order",
        "too-few-initiatives",
        "initiative-missing-subsection",
        "results-without-metrics",
        "roles-without-first-person",
        "insufficient-mentoring",
        "too-few-components",
        "too-few-product-areas",
        "missing-value",
        "missing-competency",
        "no-cross-functional-partner",
        "section-too-short",
        "self-focused-intent",
        "front-matter-invalid",
        "missing-recommender",
        "sponsor-role",
        "letter-not-found",
        "config-invalid",
    ];

    #[test]
    fn every_spec_rule_code_is_a_rule_in_its_own_module() {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/src/rules");
        for code in SPEC_RULE_CODES {
            let rule = crate::RuleCode::parse(code).unwrap_or_else(|| panic!("{code} is not a rule code"));
            assert_eq!(rule.as_str(), code);
            let file = rules.join(format!("{}.rs", code.replace('-', "_")));
            assert!(file.is_file(), "{code}: no {}", file.display());
        }
        assert_eq!(crate::RuleCode::ALL.len(), SPEC_RULE_CODES.len(), "a rule the spec does not name");
    }
}
