//! Rule diagnostics as fixtures whose expected output sits under the text it
//! is about: every `tests/fixtures/rules/<code>/*.md` is a packet (or a piece
//! of one) with marker lines that say which diagnostics it gets, where and
//! with which message:
//!
//! ```text
//! # Overview
//!
//! We shipped it. TODO
//!                ^^^^ placeholder: Unfilled placeholder "TODO": replace it with your own text
//! ```
//!
//! A marker line is a line whose first non-blank character is `^`: its
//! carets stand under the range (columns counted in characters, so an emoji
//! or a CJK character is one caret) of the nearest text line above it, then
//! `code: message` follows. Several markers may stand under one line. The
//! marker lines are removed, with their line breaks, before the text is
//! analysed (the way `packet-ls check` loads a file: packet detection,
//! `packet.toml`, letters beside it), so the text between them is exactly
//! what is checked; a file written with CRLF line ends keeps them.
//!
//! Checked exactly: for the fixture's rule (its folder's name) and every code
//! that a marker names, the diagnostics of those codes are the markers, each
//! with its byte range and its message — nothing missing, nothing extra.
//! Codes nobody marked (the count rules a snippet trips, say) are not
//! compared. `UPDATE_EXPECT=1` rewrites the markers from what the rules say.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use packet_ls::analysis::analyze;
use packet_ls::config::EditorOverrides;
use packet_ls::workspace::{self, LoadedConfig};
use packet_ls::RuleCode;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// One expected diagnostic: its byte range (start, end) in the text without markers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    range: (usize, usize),
    code: String,
    message: String,
}

/// A fixture split into the text that is analysed and the markers.
struct Fixture {
    text: String,
    expected: Vec<Expected>,
    /// Whether the file's lines end in CRLF (for writing markers back).
    crlf: bool,
}

/// The lines of `s` with their line breaks (`\n`, `\r\n`, or a lone `\r`).
fn lines_with_ends(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&s[start..=i]);
                start = i + 1;
            }
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                out.push(&s[start..i + 2]);
                i += 1;
                start = i + 1;
            }
            b'\r' => {
                out.push(&s[start..=i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn strip_end(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

fn is_marker(line: &str) -> bool {
    strip_end(line).trim_start().starts_with('^')
}

/// The byte offset of character column `col` of `line` (the end of the line past its last character).
fn byte_at_column(line: &str, col: usize) -> Option<usize> {
    if col == line.chars().count() {
        return Some(line.len());
    }
    line.char_indices().nth(col).map(|(i, _)| i)
}

fn parse(name: &str, raw: &str) -> Fixture {
    let mut text = String::new();
    let mut expected = Vec::new();
    // The start offset (in `text`) and content of the last text line.
    let mut last: Option<(usize, String)> = None;
    for (n, line) in lines_with_ends(raw).into_iter().enumerate() {
        if !is_marker(line) {
            last = Some((text.len(), strip_end(line).to_string()));
            text.push_str(line);
            continue;
        }
        let m = strip_end(line);
        let at = |what: &str| format!("{name}:{}: {what}: {m:?}", n + 1);
        let (target_start, target) = last.clone().unwrap_or_else(|| panic!("{}", at("a marker before any text line")));
        let first = m.chars().position(|c| c == '^').unwrap();
        let carets = m.chars().skip(first).take_while(|&c| c == '^').count();
        let rest: String = m.chars().skip(first + carets).collect();
        let rest = rest.strip_prefix(' ').unwrap_or_else(|| panic!("{}", at("expected \" code: message\" after the carets")));
        let (code, message) = rest.split_once(": ").unwrap_or_else(|| panic!("{}", at("expected \"code: message\"")));
        assert!(RuleCode::ALL.iter().any(|c| c.as_str() == code), "{}", at("unknown rule code"));
        let s = byte_at_column(&target, first).unwrap_or_else(|| panic!("{}", at("carets start past the end of the line above")));
        let e = byte_at_column(&target, first + carets).unwrap_or_else(|| panic!("{}", at("carets end past the end of the line above")));
        expected.push(Expected { range: (target_start + s, target_start + e), code: code.to_string(), message: message.to_string() });
    }
    let crlf = raw.contains("\r\n");
    Fixture { text, expected, crlf }
}

/// The fixture's text with markers for `diagnostics` (the file `UPDATE_EXPECT=1` writes).
fn render(text: &str, diagnostics: &[Expected], crlf: bool) -> String {
    let eol = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    let mut offset = 0;
    for line in lines_with_ends(text) {
        out.push_str(line);
        let content = strip_end(line);
        let (start, end) = (offset, offset + content.len());
        let next = offset + line.len();
        let mut here: Vec<&Expected> =
            diagnostics.iter().filter(|d| (offset..next).contains(&d.range.0) || (d.range.0 == next && next == text.len())).collect();
        here.sort();
        for d in here {
            let s = d.range.0.min(end) - start;
            let col = content[..s].chars().count();
            let width = content[s..d.range.1.clamp(start + s, end) - start].chars().count().max(1);
            if !out.ends_with('\n') && !out.ends_with('\r') {
                out.push_str(eol);
            }
            let _ = write!(out, "{}{} {}: {}{eol}", " ".repeat(col), "^".repeat(width), d.code, d.message);
        }
        offset = next;
    }
    out
}

/// What the rules report on `text` at `path`, loaded as `packet-ls check` loads a file.
fn diagnostics(path: &Path, text: &str) -> Vec<Expected> {
    let dir = path.parent().unwrap();
    let config = workspace::find_config(dir).map(|c| LoadedConfig::load(&c).unwrap());
    assert!(workspace::is_packet_file(path, text, config.as_ref()), "{}: not read as a packet", path.display());
    let settings = workspace::settings_for(text, config.as_ref(), &EditorOverrides::default());
    let env = workspace::env_for(path, text);
    let a = analyze(text, &settings, &env);
    a.diagnostics.iter().map(|d| Expected { range: (d.range.start, d.range.end), code: d.code.as_str().to_string(), message: d.message.clone() }).collect()
}

/// Checks one fixture; returns what differs (empty when it passes).
fn check(path: &Path) -> Option<String> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.strip_prefix(fixtures_dir()).unwrap().display().to_string();
    let rule = path.parent().unwrap().file_name().unwrap().to_str().unwrap().to_string();
    assert!(RuleCode::ALL.iter().any(|c| c.as_str() == rule), "{name}: folder {rule:?} is not a rule code");
    let f = parse(&name, &raw);
    let mut codes: Vec<String> = f.expected.iter().map(|e| e.code.clone()).collect();
    codes.push(rule.clone());
    let mut actual: Vec<Expected> = diagnostics(path, &f.text).into_iter().filter(|d| codes.contains(&d.code)).collect();
    actual.sort();
    let mut expected = f.expected.clone();
    expected.sort();
    if actual == expected {
        assert!(expected.iter().any(|e| e.code == rule), "{name}: marks no {rule} diagnostic");
        return None;
    }
    for d in &actual {
        let line_of = |o: usize| f.text[..o].matches('\n').count();
        assert_eq!(line_of(d.range.0), line_of(d.range.1), "{name}: {d:?} spans lines; a marker cannot show it");
    }
    let want = render(&f.text, &actual, f.crlf);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &want).unwrap();
        return None;
    }
    let missing: Vec<&Expected> = expected.iter().filter(|e| !actual.contains(e)).collect();
    let extra: Vec<&Expected> = actual.iter().filter(|a| !expected.contains(a)).collect();
    Some(format!(
        "{name}: the markers differ from the diagnostics\n  marked but not reported: {missing:#?}\n  reported but not marked: {extra:#?}\nThe file as the rules see it (UPDATE_EXPECT=1 writes it):\n{}",
        want.replace('\r', "␍")
    ))
}

fn fixture_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixtures_dir()).unwrap() {
        let dir = dir.unwrap().path();
        if dir.is_dir() {
            for f in std::fs::read_dir(&dir).unwrap() {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|x| x == "md") {
                    out.push(f);
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn rule_fixtures_get_exactly_their_marked_diagnostics() {
    let files = fixture_files();
    let failures: Vec<String> = files.iter().filter_map(|f| check(f)).collect();
    assert!(failures.is_empty(), "{} of {} fixtures fail:\n\n{}", failures.len(), files.len(), failures.join("\n\n"));
}

/// What the fixtures cover: at least eight rules, one fixture with CRLF line
/// ends and one with characters outside ASCII (emoji) in a marked line.
#[test]
fn rule_fixtures_cover_eight_rules_crlf_and_emoji() {
    let files = fixture_files();
    let mut rules: Vec<String> = files.iter().map(|f| f.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned()).collect();
    rules.dedup();
    assert!(rules.len() >= 8, "{rules:?}");
    let raws: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    assert!(raws.iter().any(|r| r.contains("\r\n") && !r.replace("\r\n", "").contains('\n')), "no fixture written with CRLF line ends (a -text .gitattributes keeps them)");
    assert!(
        files.iter().zip(&raws).any(|(f, r)| {
            let name = f.display().to_string();
            let fx = parse(&name, r);
            fx.expected.iter().any(|e| {
                let ls = fx.text[..e.range.0].rfind('\n').map_or(0, |i| i + 1);
                fx.text[ls..e.range.0].chars().any(|c| c as u32 > 0xFFFF)
            })
        }),
        "no marker stands after an emoji (a character outside the BMP) on its line"
    );
}

#[test]
fn markers_parse_to_byte_ranges_and_render_back() {
    let raw = "# Overview\n\n🚀 中 TODO here\n    ^^^^ placeholder: Unfilled placeholder \"TODO\": replace it with your own text\n";
    let f = parse("inline", raw);
    assert_eq!(f.text, "# Overview\n\n🚀 中 TODO here\n");
    let start = f.text.find("TODO").unwrap();
    assert_eq!(f.expected, vec![Expected { range: (start, start + 4), code: "placeholder".into(), message: "Unfilled placeholder \"TODO\": replace it with your own text".into() }]);
    assert_eq!(render(&f.text, &f.expected, false), raw);
    // CRLF: the marker line goes with its CRLF, the text keeps its own.
    let raw = "# A\r\nx TODO\r\n  ^^^^ placeholder: m\r\ny\r\n";
    let f = parse("crlf", raw);
    assert_eq!(f.text, "# A\r\nx TODO\r\ny\r\n");
    assert_eq!(f.expected[0].range, (7, 11));
    assert_eq!(render(&f.text, &f.expected, true), raw);
}
