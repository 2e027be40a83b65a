//! The integration tests of packet-ls, as one test binary (`cargo test --test it`):
//! one link of the crate instead of one per file, and every test still runs
//! against the built `packet-ls` binary where it needs it (`CARGO_BIN_EXE_packet-ls`).
//!
//! Run one file's tests by its module path, e.g. `cargo test --test it lsp_e2e::`.
//!
//! Paths: fixtures stay where they were (`tests/corpus`, `tests/packets`,
//! `tests/fixtures`, `tests/snapshots`); `include_str!` and `expect_file!` are
//! relative to the source file, so they name them as `../corpus/…`. The
//! property tests' saved failure seeds are in `tests/proptest-regressions/<module>.txt`,
//! where proptest's default `FileFailurePersistence::SourceParallel` finds them
//! for a module next to this `main.rs`.

// Shared helpers.
mod common;
// Also compiled by the fuzz targets (fuzz/fuzz_targets/*.rs), which include it by path.
#[path = "../harness/mod.rs"]
mod harness;
mod lsp;
mod sarif;

// The tests, one module per former test binary.
mod adversarial_timing;
mod bundle;
mod ci_gates;
mod cli;
mod config_poll;
mod corpus;
mod distribution;
mod docs;
mod editor_habits;
mod fix_atomic;
mod fix_full_disk;
mod fixes;
mod frontmatter;
mod fuzz_replay;
mod hostile_cli;
mod init_letter;
mod letter_documents;
mod letter_paths;
mod letter_race;
mod letters;
mod linear;
mod lsp_e2e;
mod lsp_flows;
mod lsp_hostile;
mod lsp_reliability;
mod perf_equivalence;
mod positions;
mod prop_analyze;
mod prop_edits;
mod prop_positions;
mod prop_real_habits;
mod real_habits;
mod regressions;
mod report;
mod rule_fixtures;
mod security;
mod sponsor;
mod stress;
