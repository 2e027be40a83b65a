//! Guards the performance work: the full diagnostics (code, severity, range,
//! message, fixes) of packets that exercise every optimised path must stay
//! exactly what they were before it. The snapshots were recorded on the code
//! before any optimisation.

use packet_ls::{analyze, Env, Settings};

#[path = "../../benches/support/packet_gen.rs"]
mod packet_gen;

fn render(text: &str) -> String {
    let settings = Settings::default();
    let a = analyze(text, &settings, &Env::default());
    let mut s = format!("readiness: {}\n", a.readiness);
    for d in &a.diagnostics {
        s.push_str(&format!("{:?} {:?} {:?} {}\n", d.code, d.severity, d.range, d.message));
        for f in &d.fixes {
            s.push_str(&format!("  fix {:?}: {:?}\n", f.title, f.edits));
        }
    }
    s
}

#[test]
fn tricky_packet_diagnostics_are_unchanged() {
    let text = include_str!("../fixtures/perf/tricky.packet.md");
    expect_test::expect_file!["../fixtures/perf/tricky.expected"].assert_eq(&render(text));
}

#[test]
fn draft_example_diagnostics_are_unchanged() {
    let text = include_str!("../../examples/draft.packet.md");
    expect_test::expect_file!["../fixtures/perf/draft.expected"].assert_eq(&render(text));
}

#[test]
fn generated_packets_diagnostics_are_unchanged() {
    let mut s = String::new();
    for seed in 1..=4 {
        let text = packet_gen::packet(600, seed);
        s.push_str(&format!("== seed {seed}: {} lines\n", text.lines().count()));
        s.push_str(&render(&text));
    }
    // Flawed variants: no digits (results rely on words), no first person,
    // placeholders and near-miss headings.
    let text = packet_gen::packet(600, 9)
        .replace(|c: char| c.is_ascii_digit() || c == '$' || c == '%', "")
        .replace("I ", "We ")
        .replace("# Summary", "# Summery")
        .replace("Search", "<Search Area>")
        .replace("café", "TODO café");
    s.push_str("== flawed variant\n");
    s.push_str(&render(&text));
    expect_test::expect_file!["../fixtures/perf/generated.expected"].assert_eq(&s);
}
