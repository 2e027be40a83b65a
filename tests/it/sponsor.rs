//! The sponsor's own letter (seed 004, "Sponsor Task"): `sponsor:` takes
//! `file:` like a letter, `letter-not-found` checks it, and it is part of the
//! package's readiness (check's summary, the code lens and hover, the bundle)
//! rather than a diagnostic on the packet.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use packet_ls::analysis::analyze;
use packet_ls::config::Settings;
use packet_ls::workspace::env_for;
use packet_ls::RuleCode;

fn write(p: &Path, s: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

/// The body of the clean corpus packet (everything after its front matter).
fn body() -> String {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/complete.packet.md")).unwrap();
    let end = text[4..].find("\n---\n").unwrap() + 4 + 5;
    text[end..].to_string()
}

fn packet(sponsor_file: Option<&str>, letter_files: bool) -> String {
    let file = |f: &str| if letter_files { format!(", file: {f}") } else { String::new() };
    let sponsor_file = sponsor_file.map(|f| format!(", file: {f}")).unwrap_or_default();
    format!(
        "---\npacket: senior-em\ncandidate: Jordan Rivera\ntarget: Senior Engineering Manager\n\
sponsor: {{ name: Morgan Lee, relation: direct-manager, role: director{sponsor_file} }}\nletters:\n\
  - {{ name: Priya Natarajan, role: staff-engineer, relation: same-team{} }}\n\
  - {{ name: Tomás Ortega, role: product-manager, relation: other-team{} }}\n\
  - {{ name: Wei Chen, role: engineer, relation: other-team{} }}\n---\n{}",
        file("letters/priya.md"),
        file("letters/tomas.md"),
        file("letters/wei.md"),
        body()
    )
}

const SPONSOR_LETTER: &str = "# Sponsor's recommendation\n\nI have managed Jordan for three years and recommend Jordan Rivera for Senior Engineering Manager.\n";

/// A workspace (`packet.toml` at its root) holding the packet and, optionally, its letter files.
fn workspace(text: &str, letters: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    write(&root.join("packet.toml"), "");
    let p = root.join("jordan.packet.md");
    write(&p, text);
    for (f, t) in letters {
        write(&root.join(f), t);
    }
    (tmp, p)
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_packet-ls")
}

#[test]
fn the_sponsors_file_is_parsed_resolved_and_counted_in_readiness() {
    let text = packet(Some("letters/sponsor.md"), false);
    let (_tmp, p) = workspace(&text, &[("letters/sponsor.md", SPONSOR_LETTER)]);
    let env = env_for(&p, &text);
    assert!(matches!(env.letters["letters/sponsor.md"], packet_ls::LetterStatus::Found(_)), "{:?}", env.letters);
    let settings = Settings::default();
    let a = analyze(&text, &settings, &env);
    let sponsor = a.front.sponsor.as_ref().unwrap();
    assert_eq!(sponsor.file_path(), Some("letters/sponsor.md"));
    assert!(a.readiness.sponsor_letter);
    assert_eq!((a.readiness.letter_kinds_covered, a.readiness.letter_kinds_required), (3, 3));
    assert!(a.readiness.package_complete());
    assert_eq!(
        a.readiness.to_string(),
        "9/9 sections · 2/2 initiatives complete · mentoring 3/3 · letter kinds 3/3 · sponsor's letter present"
    );
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}

#[test]
fn a_missing_or_outside_sponsor_letter_is_letter_not_found_on_the_sponsor_entry() {
    for (file, want) in [
        ("letters/sponsor.md", "Letter file `letters/sponsor.md` not found (paths are relative to the packet)"),
        ("../outside.md", "Letter file `../outside.md` is outside the workspace root: keep letters inside the packet's workspace"),
        ("/etc/hostname", "Letter file `/etc/hostname` is an absolute path: name it relative to the packet, inside the workspace"),
    ] {
        let text = packet(Some(file), false);
        let (tmp, p) = workspace(&text, &[]);
        write(&tmp.path().join("outside.md"), SPONSOR_LETTER);
        let env = env_for(&p, &text);
        let settings = Settings::default();
        let a = analyze(&text, &settings, &env);
        let got: Vec<(&str, String, &str)> =
            a.diagnostics.iter().map(|d| (d.code.as_str(), d.message.clone(), &text[d.range.clone()])).collect();
        assert_eq!(got, vec![("letter-not-found", want.to_string(), file)], "{file}");
        assert!(!a.readiness.sponsor_letter, "{file}");
        assert!(!a.readiness.package_complete());
    }
}

#[test]
fn a_packet_naming_no_letter_files_gets_no_new_diagnostic() {
    let text = packet(None, false);
    let (_tmp, p) = workspace(&text, &[]);
    let env = env_for(&p, &text);
    let settings = Settings::default();
    let a = analyze(&text, &settings, &env);
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    assert!(!a.readiness.sponsor_letter);
    assert!(a.readiness.to_string().ends_with("letter kinds 3/3 · sponsor's letter missing"));
    // `check` still passes (exit 0), and its summary says the letter is missing.
    let o = Command::new(bin()).arg("check").arg(&p).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("jordan.packet.md: 9/9 sections · 2/2 initiatives complete · mentoring 3/3 · letter kinds 3/3 · sponsor's letter missing — 0 errors, 0 warnings, 0 notes"),
        "{out}"
    );
}

#[test]
fn check_reports_the_sponsors_letter_as_present() {
    let text = packet(Some("letters/sponsor.md"), false);
    let (_tmp, p) = workspace(&text, &[("letters/sponsor.md", SPONSOR_LETTER)]);
    let o = Command::new(bin()).arg("check").arg(&p).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("letter kinds 3/3 · sponsor's letter present — 0 errors"), "{out}");
}

#[test]
fn hover_on_the_sponsor_entry_says_whether_the_letter_is_there() {
    let settings = Settings::default();
    for (file, present, want) in [
        (Some("letters/sponsor.md"), true, "Sponsor's letter: present (`letters/sponsor.md`)."),
        (Some("letters/sponsor.md"), false, "Sponsor's letter: missing (`letters/sponsor.md` is not there)."),
        (None, false, "Sponsor's letter: missing — add `file:` to this entry"),
    ] {
        let text = packet(file, false);
        let letters: &[(&str, &str)] = if present { &[("letters/sponsor.md", SPONSOR_LETTER)] } else { &[] };
        let (_tmp, p) = workspace(&text, letters);
        let env = env_for(&p, &text);
        let a = analyze(&text, &settings, &env);
        let at = text.find("Morgan Lee").unwrap();
        let (range, md) = packet_ls::features::hover(&a, &settings.rubric, at).unwrap();
        assert!(text[range].starts_with("{ name: Morgan Lee"));
        assert!(md.starts_with("**Morgan Lee** is the sponsor."), "{md}");
        assert!(md.contains(want), "{md}");
        assert!(md.contains(&format!("Readiness: {}", a.readiness)), "{md}");
    }
}

#[test]
fn the_bundle_puts_the_sponsors_letter_first_and_says_whether_it_is_there() {
    let text = packet(Some("letters/sponsor.md"), true);
    let letters = [
        ("letters/sponsor.md", SPONSOR_LETTER),
        ("letters/priya.md", "Jordan Rivera led the rewrite."),
        ("letters/tomas.md", "Jordan planned with product."),
        ("letters/wei.md", "Jordan helped our team."),
    ];
    let (_tmp, p) = workspace(&text, &letters);
    let html = packet_ls::cli::bundle_html(&p).unwrap();
    let order = ["id=\"letter-sponsor\"", "id=\"letter-1\"", "id=\"letter-2\"", "id=\"letter-3\""];
    let pos: Vec<usize> = order.iter().map(|s| html.find(s).unwrap_or_else(|| panic!("{s} missing"))).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
    assert!(html.contains("<h2>Sponsor&#39;s letter from Morgan Lee</h2>"), "{html}");
    assert!(html.contains("I have managed Jordan for three years"));
    assert!(html.contains(r##"<li class="l2"><a href="#letter-sponsor">Sponsor&#39;s letter from Morgan Lee</a></li>"##));
    assert!(html.contains("✓ The sponsor's own letter is included."));
    assert!(html.contains("<p class=\"ready\">Ready to submit.</p>"));
    assert!(html.contains("letter kinds 3/3 · sponsor&#39;s letter present"));

    // Without the file: listed as missing, not ready, and still no diagnostic.
    let text = packet(None, false);
    let (_tmp, p) = workspace(&text, &[]);
    let html = packet_ls::cli::bundle_html(&p).unwrap();
    assert!(html.contains("The sponsor&#39;s own letter is not listed yet") || html.contains("The sponsor's own letter is not listed yet"), "{html}");
    assert!(html.contains("✗ missing: the sponsor's own letter (no <code>file:</code>"), "{html}");
    assert!(html.contains("Not ready to submit"));
    assert!(html.contains("0 errors, 0 warnings, 0 notes"));
}

#[test]
fn the_letter_not_found_rule_code_is_used_for_the_sponsor() {
    // The diagnostic points at the sponsor's `file:` value (not the whole entry).
    let text = packet(Some("letters/nope.md"), false);
    let (_tmp, p) = workspace(&text, &[]);
    let reports = packet_ls::cli::check_paths(&[p], false);
    let d: Vec<_> = reports[0].diagnostics.iter().filter(|d| d.code == RuleCode::LetterNotFound).collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].start.0, 4, "line of `sponsor:`");
}

#[test]
fn the_sponsors_letter_is_linked_and_unknown_without_a_path() {
    let text = packet(Some("letters/sponsor.md"), false);
    let (_tmp, p) = workspace(&text, &[("letters/sponsor.md", SPONSOR_LETTER)]);
    let env = env_for(&p, &text);
    let settings = Settings::default();
    let a = analyze(&text, &settings, &env);
    let links = packet_ls::features::letter_links(&a, &env.letters);
    assert_eq!(links.len(), 1);
    assert_eq!(&text[links[0].0.clone()], "letters/sponsor.md");
    assert!(links[0].1.ends_with("letters/sponsor.md"));
    // An editor buffer with no path: nothing is resolved, so the letter is not claimed present.
    let a = analyze(&text, &settings, &packet_ls::Env::default());
    assert!(!a.readiness.sponsor_letter);
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}
