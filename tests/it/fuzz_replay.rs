//! Replays the fuzz targets' inputs without libFuzzer or nightly: every file
//! of fuzz/corpus/<target> and fuzz/regressions/<target> goes through the
//! same harness function the target calls. (libFuzzer's own corpus grows in
//! fuzz/corpus when `cargo fuzz run` is used; crashes it finds are copied to
//! fuzz/regressions with a name saying what they were.)

use crate::harness;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for e in rd.flatten() {
            out.push((e.path().display().to_string(), std::fs::read(e.path()).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn analyze_target_inputs() {
    let all = inputs("analyze");
    assert!(all.len() >= 10, "the seed corpus and regressions are there");
    // Small versions of issue 12's adversarial inputs (see docs/reliability.md).
    let adversarial = all
        .iter()
        .filter(|(n, _)| Path::new(n).file_name().is_some_and(|f| f.to_string_lossy().starts_with("adversarial-")))
        .count();
    assert!(adversarial >= 6, "issue 12's adversarial inputs are in the corpus ({adversarial})");
    for (name, data) in all {
        let text = String::from_utf8_lossy(&data);
        eprintln!("{name}");
        harness::check_positions(harness::prefix(&text, 256));
        harness::check_analysis_with(&text, false);
    }
}

#[test]
fn edits_target_inputs() {
    let all = inputs("edits");
    assert!(all.len() >= 8);
    for (name, data) in all {
        eprintln!("{name}");
        harness::run_edit_script::<harness::RopeStore>(&harness::EditScript::decode(&data));
    }
}
