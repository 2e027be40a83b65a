//! Checks shared by the property tests (`tests/it/prop_*.rs`), the corpus
//! replays (`tests/it/fuzz_replay.rs`) and the libFuzzer targets (`fuzz/`, which
//! includes this file by path). Everything here panics with a message when an
//! invariant is broken, so a fuzzer reports the input and a test shows why.
//!
//! Nothing here depends on proptest or libfuzzer: the inputs are plain text
//! or plain bytes decoded by [`EditScript::decode`].

#![allow(dead_code)]

use std::ops::Range;

use packet_ls::analysis::{analyze, Env};
use packet_ls::config::Settings;
use packet_ls::diagnostic::{apply_edits, Edit};
use packet_ls::fix::fix_all;
use packet_ls::rules::RuleCode;
use packet_ls::text::{Encoding, LineCol, LineIndex};

pub const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

// ---------------------------------------------------------------------------
// An independent oracle for positions (not LineIndex: that is under test).

fn width(c: char, enc: Encoding) -> u32 {
    match enc {
        Encoding::Utf8 => c.len_utf8() as u32,
        Encoding::Utf16 => c.len_utf16() as u32,
        Encoding::Utf32 => 1,
    }
}

/// Every position a client can name in `text`, in order: each char boundary
/// except the one between the `\r` and `\n` of a CRLF, with its line and
/// column in `enc`. Lines break at `\n`, `\r\n` and a lone `\r` (LSP).
pub fn positions(text: &str, enc: Encoding) -> Vec<(usize, LineCol)> {
    let mut out = vec![(0, LineCol { line: 0, col: 0 })];
    let (mut line, mut col) = (0u32, 0u32);
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        match c {
            '\r' if bytes.get(next) == Some(&b'\n') => continue, // the `\n` ends this line
            '\n' | '\r' => {
                line += 1;
                col = 0;
            }
            _ => col += width(c, enc),
        }
        out.push((next, LineCol { line, col }));
    }
    out
}

/// Byte offsets where each line's content ends (before its line break), by the oracle.
pub fn line_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => ends.push(i),
            b'\r' => {
                ends.push(i);
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    ends.push(b.len());
    ends
}

/// The lines of `text` without their line breaks (the oracle's split).
pub fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for e in line_ends(text) {
        out.push(&text[start..e]);
        start = e + if text[e..].starts_with("\r\n") { 2 } else { 1 };
    }
    out
}

/// The longest prefix of `text` of at most `n` bytes that ends on a char boundary.
pub fn prefix(text: &str, n: usize) -> &str {
    let mut n = n.min(text.len());
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    &text[..n]
}

/// LineIndex agrees with the oracle on every nameable position, both ways, in
/// every encoding; offsets inside a character or a CRLF snap back to the
/// previous nameable position; out-of-range input clamps.
pub fn check_positions(text: &str) {
    let ix = LineIndex::new(text);
    assert_eq!(ix.line_count(), line_ends(text).len(), "line count of {text:?}");
    for enc in ENCODINGS {
        let table = positions(text, enc);
        let mut k = 0;
        for off in 0..=text.len() {
            while k + 1 < table.len() && table[k + 1].0 <= off {
                k += 1;
            }
            let (valid_off, want) = table[k];
            let got = ix.position(text, off, enc);
            assert_eq!(got, want, "{enc:?} position of byte {off} in {text:?}");
            if off == valid_off {
                assert_eq!(ix.offset_checked(text, want, enc), (off, true), "{enc:?} offset of {want:?} in {text:?}");
            }
        }
        // Past the end of a line: its content end; past the last line: the end.
        for (line, &end) in line_ends(text).iter().enumerate() {
            let pos = LineCol { line: line as u32, col: u32::MAX / 2 };
            assert_eq!(ix.offset_checked(text, pos, enc), (end, false), "{enc:?} {pos:?} in {text:?}");
        }
        let past = LineCol { line: ix.line_count() as u32, col: 0 };
        assert_eq!(ix.offset_checked(text, past, enc), (text.len(), false));
        assert_eq!(ix.position(text, text.len() + 10, enc), table.last().unwrap().1);
    }
}

// ---------------------------------------------------------------------------
// Analysis: never panics, ranges are sane, fixes lose nothing.

/// Whether every line of `orig` appears in `new`, in order (greedy subsequence).
pub fn lines_kept_in_order(orig: &str, new: &str) -> bool {
    // A leading BOM is not part of the first line's content. One: a second
    // U+FEFF is text (a fix inserting a front matter after the BOM leaves it
    // at the start of the old first line, where it was).
    let (orig, new) = (orig.strip_prefix('\u{feff}').unwrap_or(orig), new.strip_prefix('\u{feff}').unwrap_or(new));
    let new_lines = lines(new);
    let mut it = new_lines.iter();
    lines(orig).iter().all(|l| it.any(|n| n == l))
}

fn check_range(text: &str, r: &Range<usize>, what: &str) {
    assert!(r.start <= r.end && r.end <= text.len(), "{what}: range {r:?} out of bounds ({} bytes)", text.len());
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what}: range {r:?} splits a character"
    );
}

/// Inserted text uses the document's line ending and nothing else.
fn check_line_endings(inserted: &str, nl: &str, what: &str) {
    let b = inserted.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        let ok = match (nl, c) {
            ("\r\n", b'\n') => i > 0 && b[i - 1] == b'\r',
            ("\r\n", b'\r') => b.get(i + 1) == Some(&b'\n'),
            ("\n", b'\r') | ("\r", b'\n') => false,
            _ => true,
        };
        assert!(ok, "{what}: inserted text {inserted:?} mixes in a line ending other than {nl:?}");
    }
}

/// Runs the analysis on `text` with the default settings and checks every
/// invariant of its output, `fix_all` idempotence included. Returns the
/// number of diagnostics.
pub fn check_analysis(text: &str) -> usize {
    check_analysis_with(text, true)
}

/// [`check_analysis`], with the idempotence of `fix_all` optional (see
/// docs/reliability.md: it still fails on some pathological nestings).
pub fn check_analysis_with(text: &str, idempotent: bool) -> usize {
    let settings = Settings::default();
    let a = analyze(text, &settings, &Env::default());
    let _ = a.readiness.to_string();
    let nl = a.doc.line_ending;
    let ix = LineIndex::new(text);
    for d in &a.diagnostics {
        let what = format!("{} {:?}", d.code.as_str(), d.message);
        check_range(text, &d.range, &what);
        for r in &d.related {
            check_range(text, &r.range, &what);
        }
        for enc in ENCODINGS {
            let s = ix.position(text, d.range.start, enc);
            let e = ix.position(text, d.range.end, enc);
            assert!(s <= e, "{what}: start {s:?} after end {e:?}");
        }
        for f in &d.fixes {
            let what = format!("{what} fix {:?}", f.title);
            assert!(!f.title.is_empty() && !f.edits.is_empty(), "{what}: empty fix");
            check_edits_disjoint(text, &f.edits, &what);
            let new = apply_edits(text, &f.edits);
            match d.code {
                RuleCode::HeadingLevel | RuleCode::HeadingNearMiss => {
                    check_rewrites_heading_only(text, &new, &d.range, &what)
                }
                _ => {
                    for e in &f.edits {
                        if !e.range.is_empty() {
                            assert!(
                                f.conversions.iter().any(|c| c.range == e.range && e.text.ends_with(&c.text)),
                                "{what}: replaces {:?} (only insertions allowed)",
                                e.range
                            );
                            check_conversion(text, e, &what);
                        }
                        check_line_endings(&e.text, nl, &what);
                    }
                    let converted = apply_edits(text, &f.conversions);
                    assert!(lines_kept_in_order(&converted, &new), "{what}: lost or reordered a line:\n{new:?}");
                }
            }
        }
    }
    if idempotent {
        check_fix_all(text, &settings);
    } else {
        check_fix_all_once(text, &settings);
    }
    a.diagnostics.len()
}

fn check_edits_disjoint(text: &str, edits: &[Edit], what: &str) {
    let mut rs: Vec<&Range<usize>> = edits.iter().map(|e| &e.range).collect();
    rs.sort_by_key(|r| (r.start, r.end));
    for r in &rs {
        check_range(text, r, what);
    }
    for w in rs.windows(2) {
        assert!(w[0].end <= w[1].start, "{what}: edits {:?} and {:?} overlap", w[0], w[1]);
    }
}

/// Heading fixes may rewrite the heading's own lines and nothing else.
fn check_rewrites_heading_only(orig: &str, new: &str, diag: &Range<usize>, what: &str) {
    let (a, b) = (lines(orig), lines(new));
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count().min(a.len().min(b.len()) - prefix);
    let ix = LineIndex::new(orig);
    let (first, last) = (ix.line_of(diag.start), ix.line_of(diag.end));
    let changed = prefix..a.len() - suffix;
    assert!(
        changed.is_empty() || (first <= changed.start && changed.end <= last + 1),
        "{what}: changed lines {changed:?} outside the heading's lines {first}..={last}:\n{new:?}"
    );
    assert!(b.len() <= a.len() && b.len() + (last - first) >= a.len(), "{what}: added or removed lines:\n{new:?}");
}

/// `check --fix` semantics: fix_all only inserts, keeps every line, and a
/// second run has nothing left to insert (or inserts nothing new).
pub fn check_fix_all(text: &str, settings: &Settings) -> String {
    let once = check_fix_all_once(text, settings);
    let b = analyze(&once, settings, &Env::default());
    let again = fix_all(&b.doc, &b.diagnostics);
    let twice = apply_edits(&once, &again);
    assert_eq!(
        twice, once,
        "fix_all is not idempotent: the second pass inserts {:?}\nafter the first gave:\n{once:?}",
        again.iter().map(|e| &e.text).collect::<Vec<_>>()
    );
    once
}

/// `fix_all` only inserts, in the document's line ending, and keeps every line.
pub fn check_fix_all_once(text: &str, settings: &Settings) -> String {
    let a = analyze(text, settings, &Env::default());
    let edits = fix_all(&a.doc, &a.diagnostics);
    check_edits_disjoint(text, &edits, "fix_all");
    let mut conversions = Vec::new();
    for e in &edits {
        if !e.range.is_empty() {
            check_conversion(text, e, "fix_all");
            // (Just the heading: an insertion joined to it is checked by the line test below.)
            let t = e.text.trim_end_matches(['\r', '\n']);
            let heading_at = t.rfind('\n').map_or(0, |i| i + 1);
            conversions.push(Edit { range: e.range.clone(), text: e.text[heading_at..].to_string() });
        }
        check_line_endings(&e.text, a.doc.line_ending, "fix_all");
    }
    let once = apply_edits(text, &edits);
    let converted = apply_edits(text, &conversions);
    assert!(lines_kept_in_order(&converted, &once), "fix_all lost or reordered a line:\n{once:?}");
    once
}

/// The one kind of edit besides insertions: a bold label (`**Overview:** `)
/// turned into a heading of its own words (`### Overview` and line breaks).
fn check_conversion(text: &str, e: &Edit, what: &str) {
    let old = &text[e.range.clone()];
    let delim = if old.starts_with("**") { "**" } else { "__" };
    assert!(old.starts_with(delim), "{what}: replaces {old:?}, not a bold label");
    let inner = old[2..].trim_end().trim_end_matches(':');
    let label = inner.strip_suffix(delim).unwrap_or_else(|| panic!("{what}: replaces {old:?}, not a bold label"));
    let label = label.trim().trim_end_matches(':').trim_end();
    // (An insertion joined to it comes first, in whole lines.)
    let heading = e.text.trim_end_matches(['\r', '\n']);
    let heading = heading.rsplit('\n').next().unwrap_or(heading);
    let hashes = heading.len() - heading.trim_start_matches('#').len();
    assert!((1..=6).contains(&hashes), "{what}: {old:?} becomes {:?}, not a heading", e.text);
    assert_eq!(&heading[hashes..], format!(" {label}"), "{what}: the label's words change");
}

// ---------------------------------------------------------------------------
// Edit sequences: a document store against a plain String.

/// An LSP `TextDocumentContentChangeEvent`: a range in the negotiated
/// encoding (`None`: replace the whole text) and the new text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

/// What the property needs of a document store. The server's store should be
/// adapted to this trait (a few lines) and passed to [`run_edit_script`];
/// [`RopeStore`] is the stand-in until then.
pub trait DocStore {
    fn open(text: &str, enc: Encoding) -> Self;
    fn change(&mut self, change: &Change);
    fn text(&self) -> String;
}

/// A minimal incremental store on ropey (without `unicode_lines`), applying
/// LSP ranges the way the server must.
pub struct RopeStore {
    rope: ropey::Rope,
    enc: Encoding,
}

impl RopeStore {
    fn char_index(&self, p: LineCol) -> usize {
        let r = &self.rope;
        let line = (p.line as usize).min(r.len_lines() - 1);
        let start = r.line_to_char(line);
        let col = p.col as usize;
        match self.enc {
            Encoding::Utf8 => r.byte_to_char(r.char_to_byte(start) + col),
            Encoding::Utf16 => r.utf16_cu_to_char(r.char_to_utf16_cu(start) + col),
            Encoding::Utf32 => start + col,
        }
    }
}

impl DocStore for RopeStore {
    fn open(text: &str, enc: Encoding) -> Self {
        RopeStore { rope: ropey::Rope::from_str(text), enc }
    }

    fn change(&mut self, c: &Change) {
        match c.range {
            None => self.rope = ropey::Rope::from_str(&c.text),
            Some((s, e)) => {
                let (s, e) = (self.char_index(s), self.char_index(e));
                self.rope.remove(s..e);
                self.rope.insert(s, &c.text);
            }
        }
    }

    fn text(&self) -> String {
        self.rope.to_string()
    }
}

/// Pieces inserted text is made of: multi-byte characters, every line break,
/// and Markdown that changes structure.
pub const PIECES: &[&str] = &[
    "a", "Z", " ", "é", "中", "😀", "👩‍💻", "\u{feff}", "\u{2028}", "\n", "\r\n", "\r", "\t", "# ", "## Overview", "- ",
    "> ", "<!--", "-->", "---", "`", "```", "|", "*",
];

/// Where an edit starts, chosen against the text as it is when the edit comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The n-th nameable position (modulo their number).
    Any(u32),
    /// The end of the n-th line's content (just before its line break).
    LineEnd(u32),
    /// The start of the n-th line.
    LineStart(u32),
    /// The end of the document.
    End,
}

/// One edit of a script: replace `len` nameable positions' worth of text
/// from `at` (0: a pure insertion) with `text`, or the whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditStep {
    pub at: At,
    pub len: u32,
    pub text: String,
    pub full: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditScript {
    pub initial: String,
    pub enc: Encoding,
    pub steps: Vec<EditStep>,
}

impl EditStep {
    /// The change this step sends against `text`, and the byte range it
    /// replaces there (computed by the oracle, not by the store).
    pub fn resolve(&self, text: &str, enc: Encoding) -> (Change, Range<usize>) {
        if self.full {
            return (Change { range: None, text: self.text.clone() }, 0..text.len());
        }
        let table = positions(text, enc);
        let ends = line_ends(text);
        let n = table.len();
        let at_off = match self.at {
            At::Any(i) => table[i as usize % n].0,
            At::LineEnd(l) => ends[l as usize % ends.len()],
            At::LineStart(l) => {
                let l = l as usize % ends.len();
                if l == 0 {
                    0
                } else {
                    let e = ends[l - 1];
                    e + if text[e..].starts_with("\r\n") { 2 } else { 1 }
                }
            }
            At::End => text.len(),
        };
        let k = table.partition_point(|(o, _)| *o < at_off);
        let j = (k + self.len as usize).min(n - 1);
        let (s, e) = (table[k], table[j]);
        (Change { range: Some((s.1, e.1)), text: self.text.clone() }, s.0..e.0)
    }
}

/// Applies the script to a `S` and to a plain String; after every step the
/// store's text must equal the String, and the parse that re-uses the
/// previous step's parse (what the server does per keystroke) must equal a
/// full parse.
pub fn run_edit_script<S: DocStore>(script: &EditScript) {
    use packet_ls::document::{Document, Reusable};
    let mut reference = script.initial.clone();
    let mut store = S::open(&reference, script.enc);
    let mut prev = Reusable::new(reference.clone(), Document::parse(&reference).detach());
    for (i, step) in script.steps.iter().enumerate() {
        let (change, bytes) = step.resolve(&reference, script.enc);
        reference.replace_range(bytes, &step.text);
        store.change(&change);
        let got = store.text();
        assert!(got == reference, "step {i} {change:?} ({:?}):\nstore:     {got:?}\nreference: {reference:?}", script.enc);
        let reused = Document::parse_reusing(&reference, Some(&prev));
        let full = Document::parse(&reference);
        assert!(
            format!("{reused:?}") == format!("{full:?}"),
            "step {i}: the re-used parse differs from a full parse of {reference:?}\nbefore: {:?}",
            prev.text()
        );
        prev = Reusable::new(reference.clone(), reused.detach());
    }
}

/// A little cursor over fuzzer bytes.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn u16(&mut self) -> Option<u32> {
        Some(u32::from(self.u8()?) | u32::from(self.u8()?) << 8)
    }
    fn pieces(&mut self, max: u8) -> Option<String> {
        let n = self.u8()? % (max + 1);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(PIECES[self.u8()? as usize % PIECES.len()]);
        }
        Some(s)
    }
}

impl EditScript {
    /// Reads a script from arbitrary bytes (for the fuzzer and corpus replays):
    /// encoding, initial text from pieces, then steps until the bytes run out.
    pub fn decode(data: &[u8]) -> EditScript {
        let mut b = Bytes(data);
        let enc = ENCODINGS[b.u8().unwrap_or(1) as usize % 3];
        let initial = b.pieces(64).unwrap_or_default();
        let mut steps = Vec::new();
        while let Some(kind) = b.u8() {
            let Some(sel) = b.u16() else { break };
            let Some(len) = b.u8() else { break };
            let Some(text) = b.pieces(8) else { break };
            let at = match kind % 8 {
                0..=3 => At::Any(sel),
                4 => At::LineEnd(sel),
                5 => At::LineStart(sel),
                _ => At::End,
            };
            let full = kind == 0xff;
            steps.push(EditStep { at, len: u32::from(len % 16).saturating_sub(4), text, full });
        }
        EditScript { initial, enc, steps }
    }
}
