//! Timings of the adversarial inputs of issue 12 at 1×, 4× and 16×, through
//! the release binary. Not part of a normal `cargo test` (ignored: timings
//! depend on the machine); run it with
//!
//! ```sh
//! cargo build --release
//! cargo test --release --test it adversarial_timing -- --ignored --nocapture
//! ```
//!
//! It prints one row per input and size; docs/reliability.md has the figures.
//! The only assertion is that 16× costs less than 16² / 4 times 1× (growth
//! well below quadratic), so a quadratic regression fails it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn release_bin() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/packet-ls");
    assert!(p.exists(), "run `cargo build --release` first");
    p
}

fn front_matter_keys(n: usize) -> String {
    let mut s = String::from("---\npacket: senior-em\n");
    for i in 0..n {
        s.push_str(&format!("key{i}: value\n"));
    }
    s + "---\n# Overview\n"
}

fn suppressions(n: usize) -> String {
    let mut s = String::from("---\npacket: senior-em\n---\n# Overview\n\n");
    for _ in 0..n {
        s.push_str("<!-- packet-ls-disable-next-line placeholder -->\nTODO\n");
    }
    s
}

fn todo_line(n: usize) -> String {
    format!("---\npacket: senior-em\n---\n# Summary\n\n{}\n", "TODO ".repeat(n))
}

/// Initiatives that each lack two subsections: `--fix` inserts into every one.
fn initiatives(n: usize) -> String {
    let mut s = String::from("---\npacket: senior-em\n---\n\n# Selected Projects and Initiatives\n\n");
    for i in 0..n {
        s.push_str(&format!("## Initiative {i}\n\n### Overview\n\nText.\n\n"));
    }
    s
}

fn run(bin: &Path, dir: &Path, args: &[&str]) -> (Duration, usize) {
    let t = Instant::now();
    let o = Command::new(bin).args(args).current_dir(dir).output().unwrap();
    (t.elapsed(), o.stdout.len())
}

/// A name, a maker of the input of size n, the 1× n, and the arguments.
type Case = (&'static str, fn(usize) -> String, usize, &'static [&'static str]);

#[test]
#[ignore]
fn adversarial_inputs_grow_linearly() {
    let bin = release_bin();
    let cases: [Case; 6] = [
        ("initiatives missing subsections", initiatives, 2_500, &["check", "--format", "json", "a.packet.md"]),
        ("initiatives missing subsections, --fix", initiatives, 2_500, &["check", "--fix", "--format", "json", "a.packet.md"]),
        ("front matter keys", front_matter_keys, 12_500, &["check", "--format", "json", "a.packet.md"]),
        ("disable-next-line comments", suppressions, 2_500, &["check", "--format", "json", "a.packet.md"]),
        ("TODOs on one line (json)", todo_line, 2_500, &["check", "--format", "json", "a.packet.md"]),
        ("TODOs on one line (human)", todo_line, 2_500, &["check", "a.packet.md"]),
    ];
    println!("| input | n | bytes in | time | bytes out |");
    println!("|---|---|---|---|---|");
    for (name, make, base, args) in cases {
        let mut times = Vec::new();
        for k in [1, 4, 16] {
            let dir = tempfile::tempdir().unwrap();
            let text = make(base * k);
            std::fs::write(dir.path().join("a.packet.md"), &text).unwrap();
            let (t, out) = run(&bin, dir.path(), args);
            println!("| {name} | {} | {} | {:.3} s | {out} |", base * k, text.len(), t.as_secs_f64());
            times.push(t.as_secs_f64().max(0.005));
        }
        assert!(times[2] / times[0] < 64.0, "{name}: 16× took {:.1}× as long as 1×", times[2] / times[0]);
    }
    // The config bound: an absurd minimum is clamped, whatever its value.
    for v in ["100", "100000", "4294967295"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("packet.toml"), format!("[rubric]\nmin-initiatives = {v}\n")).unwrap();
        std::fs::write(dir.path().join("a.packet.md"), todo_line(1)).unwrap();
        let (t, out) = run(&bin, dir.path(), &["check", "--format", "json", "."]);
        println!("| min-initiatives = {v} | | | {:.3} s | {out} |", t.as_secs_f64());
    }
}
