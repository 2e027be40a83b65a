//! Columns of diagnostics in UTF-8 bytes, UTF-16 code units and UTF-32
//! (chars) on lines with emoji (4 bytes, 2 units, 1 char), CJK (3 bytes,
//! 1 unit, 1 char), CRLF and a BOM: through `text::LineIndex` and through the
//! CLI's JSON output.

use crate::common;

use std::process::Command;

use expect_test::expect;
use packet_ls::text::{Encoding, LineCol, LineIndex};

/// Line and column of `offset` counted by hand: LSP line breaks (`\n`, `\r\n`, `\r`).
fn by_hand(text: &str, offset: usize, enc: Encoding) -> LineCol {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    let b = before.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            line += 1;
            line_start = i + 1;
        }
    }
    let prefix = &text[line_start..offset];
    let col = match enc {
        Encoding::Utf8 => prefix.len(),
        Encoding::Utf16 => prefix.encode_utf16().count(),
        Encoding::Utf32 => prefix.chars().count(),
    };
    LineCol { line, col: col as u32 }
}

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

#[test]
fn every_diagnostic_position_in_the_corpus_matches_a_hand_count() {
    for rel in common::corpus_files() {
        let f = common::load(&rel);
        let a = f.analyze();
        let ix = LineIndex::new(&f.text);
        for d in &a.diagnostics {
            for off in [d.range.start, d.range.end] {
                for enc in ENCODINGS {
                    let p = ix.position(&f.text, off, enc);
                    assert_eq!(p, by_hand(&f.text, off, enc), "{rel}: {} at byte {off} in {enc:?}", d.code.as_str());
                    assert_eq!(ix.offset(&f.text, p, enc), off, "{rel}: round trip in {enc:?}");
                }
            }
        }
    }
}

/// The non-ASCII packet's diagnostics in all three units: `TODO` after
/// accented letters, `→`, CJK and an emoji; `TBD` after two CJK characters;
/// a heading ending in an emoji.
#[test]
fn non_ascii_columns_in_each_encoding() {
    let f = common::load("non-ascii.packet.md");
    assert!(f.text.starts_with('\u{feff}'));
    let a = f.analyze();
    let ix = LineIndex::new(&f.text);
    let rows: Vec<String> = a
        .diagnostics
        .iter()
        .map(|d| {
            let cols: Vec<String> = ENCODINGS
                .iter()
                .map(|&e| {
                    let (s, t) = (ix.position(&f.text, d.range.start, e), ix.position(&f.text, d.range.end, e));
                    format!("{e:?} {}:{}-{}", s.line, s.col, t.col)
                })
                .collect();
            format!("{} {:?}: {}", d.code.as_str(), &f.text[d.range.clone()], cols.join(", "))
        })
        .collect();
    expect![[r#"
        [
            "placeholder \"TODO\": Utf8 61:110-114, Utf16 61:97-101, Utf32 61:96-100",
            "placeholder \"TBD\": Utf8 65:7-10, Utf16 65:3-6, Utf32 65:3-6",
            "heading-near-miss \"Mentoring and Coching 🎓\": Utf8 67:2-28, Utf16 67:2-26, Utf32 67:2-25",
        ]
    "#]]
    .assert_debug_eq(&rows);
}

/// A CRLF document: the `\r` is part of the line break, never of a column,
/// and a column past the end of a line clamps before the `\r\n`.
#[test]
fn crlf_columns_and_line_ends() {
    let f = common::load("crlf.packet.md");
    let ix = LineIndex::new(&f.text);
    let a = f.analyze();
    for d in &a.diagnostics {
        let line = ix.position(&f.text, d.range.start, Encoding::Utf16).line as usize;
        let end = ix.line_end(&f.text, line);
        assert!(!f.text[ix.line_start(line)..end].contains('\r'));
        assert!(d.range.end <= end, "{}: range runs into the line break", d.code.as_str());
        let past = ix.offset(&f.text, LineCol { line: line as u32, col: 10_000 }, Encoding::Utf16);
        assert_eq!(past, end);
    }
    let heading = f.text.find("## Index freshness program\r\n").unwrap();
    let p = ix.position(&f.text, heading + "## Index freshness program".len(), Encoding::Utf16);
    assert_eq!((p.line, p.col), (43, 26));
    assert_eq!(ix.position(&f.text, heading + "## Index freshness program\r".len(), Encoding::Utf16).line, 43);
    assert_eq!(ix.position(&f.text, heading + "## Index freshness program\r\n".len(), Encoding::Utf16), LineCol { line: 44, col: 0 });
}

/// Emoji and CJK on CRLF lines, with a BOM, through `check --format json`:
/// 0-based lines, UTF-16 characters, the BOM not counted.
#[test]
fn cli_json_columns_are_utf16_on_emoji_cjk_crlf_and_bom_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}---\r\npacket: senior-em\r\n---\r\n# Overview\r\n\r\n## Background\r\n\r\n😀😀 TODO 中文 TBD\r\n\r\n## Statement of Intent\r\n\r\nCafé → Straße 👩‍💻 <Initiative 1>\r\n";
    let path = dir.path().join("p.packet.md");
    std::fs::write(&path, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_packet-ls")).args(["check", "--format", "json", "p.packet.md"]).current_dir(dir.path()).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let placeholders: Vec<String> = v[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "placeholder")
        .map(|d| {
            let r = &d["range"];
            format!("{}:{}-{}:{}", r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"])
        })
        .collect();
    // TODO after two emoji (2 units each) and a space: 5. 中文 are 1 unit each.
    // "Café → Straße " is 14 units, 👩‍💻 is 👩 (2) + ZWJ (1) + 💻 (2) = 5, then a space: 20.
    expect![[r#"
        [
            "7:5-7:9",
            "7:13-7:16",
            "11:20-11:34",
        ]
    "#]]
    .assert_debug_eq(&placeholders);
    // The same by hand from the text without its BOM.
    let body = text.strip_prefix('\u{feff}').unwrap();
    let line7 = body.split("\r\n").nth(7).unwrap();
    let todo = line7.find("TODO").unwrap();
    assert_eq!(line7[..todo].encode_utf16().count(), 5);
    let line11 = body.split("\r\n").nth(11).unwrap();
    let tag = line11.find('<').unwrap();
    assert_eq!(line11[..tag].encode_utf16().count(), 20);
    // The first line's diagnostics start at character 0, not after the BOM.
    let first = v[0]["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "sponsor-role").unwrap();
    assert_eq!(first["range"]["start"], serde_json::json!({"line": 0, "character": 0}));
    // A missing section points at the last line, after the emoji.
    let missing = v[0]["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "missing-section").unwrap();
    assert_eq!(missing["range"], serde_json::json!({"start": {"line": 11, "character": 0}, "end": {"line": 11, "character": 34}}));
}
