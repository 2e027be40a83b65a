//! Analysis on arbitrary bytes (lossy UTF-8): every invariant of
//! tests/harness (no panic, sane ranges, fixes keep every line, fix_all only
//! inserts). Idempotence is left to the property tests (see docs/reliability.md).
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    harness::check_positions(harness::prefix(&text, 256));
    harness::check_analysis_with(&text, false);
});
