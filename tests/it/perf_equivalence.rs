//! Guards the performance work: the full diagnostics (code, severity, range,
//! message, fixes) of packets that exercise every optimised path must stay
//! exactly what they were before it. The expected values were recorded on the
//! code before any optimisation (first as `{:?}` text; now the JSON files in
//! `tests/fixtures/perf/`, converted value for value) and are
//! compared as values, field by field: the rule code and severity by their
//! names, the byte range, the message, each fix's title and its edits'
//! byte ranges and texts. `UPDATE_EXPECT=1` rewrites the files.

use packet_ls::{analyze, Env, Settings};
use serde_json::{json, Value};

#[path = "../../benches/support/packet_gen.rs"]
mod packet_gen;

fn range(r: &std::ops::Range<usize>) -> Value {
    json!([r.start, r.end])
}

/// The analysis of `text` as a value: the readiness line and every diagnostic.
fn analysed(text: &str) -> Value {
    let settings = Settings::default();
    let a = analyze(text, &settings, &Env::default());
    let diagnostics: Vec<Value> = a
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.code.as_str(),
                "severity": d.severity.as_str(),
                "range": range(&d.range),
                "message": d.message,
                "fixes": d.fixes.iter().map(|f| json!({
                    "title": f.title,
                    "edits": f.edits.iter().map(|e| json!({"range": range(&e.range), "text": e.text})).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"readiness": a.readiness.to_string(), "diagnostics": diagnostics})
}

/// Compares `actual` with the expected value in `tests/fixtures/perf/<name>.json`,
/// diagnostic by diagnostic, so a failure names the first one that differs.
fn assert_same(name: &str, actual: &[(String, Value)]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/perf").join(format!("{name}.json"));
    let actual_value = Value::Array(actual.iter().map(|(label, v)| json!({"packet": label, "analysis": v})).collect());
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&actual_value).unwrap() + "\n").unwrap();
        return;
    }
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let expected = expected.as_array().unwrap();
    assert_eq!(expected.len(), actual.len(), "{name}: number of packets");
    for (e, (label, a)) in expected.iter().zip(actual) {
        assert_eq!(e["packet"], json!(label), "{name}: packets in another order");
        let e = &e["analysis"];
        assert_eq!(e["readiness"], a["readiness"], "{name} / {label}: readiness");
        let (ed, ad) = (e["diagnostics"].as_array().unwrap(), a["diagnostics"].as_array().unwrap());
        for (i, (x, y)) in ed.iter().zip(ad).enumerate() {
            for field in ["code", "severity", "range", "message", "fixes"] {
                assert_eq!(y[field], x[field], "{name} / {label}: diagnostic {i}: {field} (expected {x:#}, got {y:#})");
            }
            assert_eq!(y, x, "{name} / {label}: diagnostic {i}");
        }
        assert_eq!(ad.len(), ed.len(), "{name} / {label}: number of diagnostics (expected {:#}, got {:#})", e["diagnostics"], a["diagnostics"]);
    }
}

#[test]
fn tricky_packet_diagnostics_are_unchanged() {
    let text = include_str!("../fixtures/perf/tricky.packet.md");
    assert_same("tricky", &[("tricky.packet.md".into(), analysed(text))]);
}

#[test]
fn draft_example_diagnostics_are_unchanged() {
    let text = include_str!("../../examples/draft.packet.md");
    assert_same("draft", &[("examples/draft.packet.md".into(), analysed(text))]);
}

#[test]
fn generated_packets_diagnostics_are_unchanged() {
    let mut all = Vec::new();
    for seed in 1..=4 {
        let text = packet_gen::packet(600, seed);
        all.push((format!("seed {seed}: {} lines", text.lines().count()), analysed(&text)));
    }
    // Flawed variants: no digits (results rely on words), no first person,
    // placeholders and near-miss headings.
    let text = packet_gen::packet(600, 9)
        .replace(|c: char| c.is_ascii_digit() || c == '$' || c == '%', "")
        .replace("I ", "We ")
        .replace("# Summary", "# Summery")
        .replace("Search", "<Search Area>")
        .replace("café", "TODO café");
    all.push(("flawed variant".into(), analysed(&text)));
    assert_same("generated", &all);
}

/// The expected files name real rule codes and severities and well-formed
/// ranges, so a hand edit that breaks them fails here and not as a diff.
#[test]
fn expected_values_are_well_formed() {
    for name in ["tricky", "draft", "generated"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/perf").join(format!("{name}.json"));
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for p in v.as_array().unwrap() {
            for d in p["analysis"]["diagnostics"].as_array().unwrap() {
                let code = d["code"].as_str().unwrap();
                assert!(packet_ls::RuleCode::ALL.iter().any(|c| c.as_str() == code), "{name}: unknown code {code}");
                assert!(["error", "warning", "info", "hint"].contains(&d["severity"].as_str().unwrap()), "{name}: {d}");
                let r = d["range"].as_array().unwrap();
                assert!(r.len() == 2 && r[0].as_u64().unwrap() <= r[1].as_u64().unwrap(), "{name}: {d}");
            }
        }
    }
}
