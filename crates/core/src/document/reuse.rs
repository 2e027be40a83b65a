//! Re-parsing a packet after an edit: only the sections the edit touched.
//!
//! A keystroke changes a few bytes of a long packet, yet a full parse costs
//! as much as the rest of the analysis together. The parse of the previous
//! text is kept ([`Reusable`]); the next parse finds what changed (the
//! common prefix and suffix of the two texts), re-parses from the top-level
//! ATX heading before the change to the one after it, and takes everything
//! else from the previous parse, moved by the change in length.
//!
//! A top-level ATX heading at column 0 is a clean boundary: it closes every
//! open block, and whether a line is one depends only on the state at its
//! start, which text before the line decides. The re-parse includes the
//! heading after the change and checks that it is still there, with the same
//! level (an edit that opens a fenced code block, say, swallows it), and
//! gives up whenever the result could differ from a full parse: link
//! reference or footnote definitions anywhere (they are document-wide),
//! lone `\r` line breaks, a changed front matter, or an HTML comment that
//! reaches over a boundary. Giving up means a full parse, so the result is
//! always exactly [`Document::parse`]'s (checked by the property tests of
//! `tests/it/prop_analyze.rs` and `crates/core/src/incremental_tests.rs`).

use std::ops::Range;

use memchr::memmem;

use super::{Document, Heading};
use crate::text::LineBreaks;

/// A parse kept for the next one: the text and everything found in it.
#[derive(Debug)]
pub struct Reusable {
    text: String,
    doc: Document<'static>,
}

impl Reusable {
    /// Keeps `doc`, the parse of `text` (detached with [`Document::detach`]).
    pub fn new(text: String, doc: Document<'static>) -> Reusable {
        Reusable { text, doc }
    }

    /// The text that was parsed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many facts the kept parse has memoised (for tests and profiling).
    pub fn doc_memo_len(&self) -> usize {
        self.doc.memo.len()
    }
}

/// Where two texts differ: `old[start..old_end]` became `new[start..new_end]`,
/// the rest is the same. An editor's changes say it without a comparison of
/// the two texts (the server composes them with [`Splice::then`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splice {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Splice {
    /// No change to a text of `len` bytes.
    pub fn none(len: usize) -> Splice {
        Splice { start: len, old_end: len, new_end: len }
    }

    /// `self`, then `next` (its offsets in the text `self` made), as one splice.
    pub fn then(self, next: Splice) -> Splice {
        if self.is_none() {
            return next;
        }
        if next.is_none() {
            return self;
        }
        // From `tail` on, the middle text is untouched by either change.
        let tail = self.new_end.max(next.old_end);
        Splice {
            start: self.start.min(next.start),
            old_end: self.old_end + (tail - self.new_end),
            new_end: tail + next.new_end - next.old_end,
        }
    }

    /// Whether it changes nothing.
    pub fn is_none(self) -> bool {
        self.start == self.old_end && self.old_end == self.new_end
    }

    /// Whether it can stand between texts of these lengths.
    pub fn fits(self, old_len: usize, new_len: usize) -> bool {
        self.start <= self.old_end
            && self.start <= self.new_end
            && self.old_end <= old_len
            && self.new_end <= new_len
            && old_len - self.old_end == new_len - self.new_end
    }

    /// The common prefix and suffix lengths it stands for, if it fits texts of these lengths.
    fn affixes(self, old_len: usize, new_len: usize) -> Option<(usize, usize)> {
        self.fits(old_len, new_len).then_some((self.start, old_len - self.old_end))
    }
}

/// `]:` starts every link reference and footnote definition.
pub(super) fn may_define(text: &str) -> bool {
    memmem::find(text.as_bytes(), b"]:").is_some()
}

impl<'t> Document<'t> {
    /// The parse without its borrow of the text, to keep in a [`Reusable`].
    pub fn detach(self) -> Document<'static> {
        Document {
            text: "",
            index: self.index,
            bom: self.bom,
            front_matter: self.front_matter,
            body_start: self.body_start,
            headings: self.headings,
            roots: self.roots,
            child_list: self.child_list,
            items: self.items,
            runs: self.runs,
            comments: self.comments,
            skip: self.skip,
            line_ending: self.line_ending,
            breaks: self.breaks,
            may_define: self.may_define,
            open_tail: self.open_tail,
            block_starts: self.block_starts,
            memo: self.memo,
        }
    }

    /// Parses `text`, re-using what `prev` found in the text it parsed where
    /// that is sure to be the same. Always equal to [`Document::parse`].
    /// The facts `prev` memoised for what is unchanged are copied into the
    /// new parse: keep the new parse (analysed) for the next keystroke.
    pub fn parse_reusing(text: &'t str, prev: Option<&Reusable>) -> Document<'t> {
        prev.and_then(|p| Document::reparse(text, p)).unwrap_or_else(|| Document::parse(text))
    }

    /// The parse of `text` from `prev` and a re-parse of the changed
    /// sections only, or `None` when that might differ from a full parse.
    pub fn reparse(text: &'t str, prev: &Reusable) -> Option<Document<'t>> {
        reparse(text, &prev.text, &prev.doc)
    }

    /// [`Document::parse_reusing`] from a previous parse that is borrowed,
    /// not kept apart: `prev` is the (analysed) parse of `prev_text`. The
    /// server re-parses from the analysis it keeps of the previous version,
    /// so nothing is copied to keep it.
    pub fn parse_after(text: &'t str, prev: Option<(&str, &Document)>) -> Document<'t> {
        Document::parse_after_splice(text, prev, None)
    }

    /// [`Document::parse_after`] told where the texts differ (`splice`, from
    /// the editor's changes), so the two texts are not compared. A splice
    /// that does not fit the two texts' lengths is ignored.
    pub fn parse_after_splice(text: &'t str, prev: Option<(&str, &Document)>, splice: Option<Splice>) -> Document<'t> {
        prev.and_then(|(prev_text, prev_doc)| reparse_with(text, prev_text, prev_doc, splice))
            .unwrap_or_else(|| Document::parse(text))
    }
}

/// Length of the common prefix and of the common suffix of `a` and `b`,
/// which do not overlap in either.
fn common_affixes(a: &[u8], b: &[u8]) -> (usize, usize) {
    const CHUNK: usize = 256;
    let n = a.len().min(b.len());
    let mut p = 0;
    while p + CHUNK <= n && a[p..p + CHUNK] == b[p..p + CHUNK] {
        p += CHUNK;
    }
    while p < n && a[p] == b[p] {
        p += 1;
    }
    let rest = n - p;
    let mut q = 0;
    while q + CHUNK <= rest && a[a.len() - q - CHUNK..a.len() - q] == b[b.len() - q - CHUNK..b.len() - q] {
        q += CHUNK;
    }
    while q < rest && a[a.len() - q - 1] == b[b.len() - q - 1] {
        q += 1;
    }
    (p, q)
}

/// Whether heading `h` of `doc` is an ATX heading at column 0 that starts a
/// top-level block: a boundary a re-parse can start or stop at.
fn is_boundary(doc: &Document, text: &str, h: &Heading) -> bool {
    let b = text.as_bytes();
    // One line (a setext heading whose first line starts with `#` spans two
    // or more), `#`s from column 0 followed by a space, a tab or the line end.
    h.hashes.as_ref().is_some_and(|r| {
        r.start == h.line.start && (r.end == h.line.end || matches!(b.get(r.end), Some(b' ' | b'\t')))
    }) && h.block.end <= h.line.end
        && b.get(h.line.start) == Some(&b'#')
        && doc.block_starts.binary_search(&h.line.start).is_ok()
}

fn moved(r: &Range<usize>, delta: isize) -> Range<usize> {
    r.start.wrapping_add_signed(delta)..r.end.wrapping_add_signed(delta)
}

fn reparse<'t>(text: &'t str, old_text: &str, old: &Document) -> Option<Document<'t>> {
    reparse_with(text, old_text, old, None)
}

fn reparse_with<'t>(text: &'t str, old_text: &str, old: &Document, splice: Option<Splice>) -> Option<Document<'t>> {
    if old.may_define {
        return None;
    }
    let (p, q) = match splice.and_then(|s| s.affixes(old_text.len(), text.len())) {
        Some((p, q)) => {
            debug_assert!(
                old_text.as_bytes()[..p] == text.as_bytes()[..p]
                    && old_text.as_bytes()[old_text.len() - q..] == text.as_bytes()[text.len() - q..],
                "the splice {splice:?} does not say where the texts differ"
            );
            (p, q)
        }
        None => common_affixes(old_text.as_bytes(), text.as_bytes()),
    };
    let old_change_end = old_text.len() - q;
    let new_change_end = text.len() - q;
    let delta = text.len() as isize - old_text.len() as isize;
    // Line breaks and `]:` change only around the change: a byte's kind
    // depends on its neighbours, so one byte either side is looked at again.
    let a = p.saturating_sub(1);
    let breaks = old.breaks.replaced(
        LineBreaks::in_range(old_text, a..(old_change_end + 1).min(old_text.len())),
        LineBreaks::in_range(text, a..(new_change_end + 1).min(text.len())),
    );
    // The old text had no `]:`, so a new one overlaps the change.
    if breaks.cr > 0 || memmem::find(&text.as_bytes()[a..(new_change_end + 1).min(text.len())], b"]:").is_some() {
        return None;
    }

    let index = old.index.spliced(text, p, old_change_end, new_change_end);
    let mut doc = Document::front_with_index(text, index, breaks, false);
    let same_front = doc.bom == old.bom && doc.body_start == old.body_start && doc.front_matter == old.front_matter;
    if p < old.body_start || !same_front {
        return None;
    }

    // The boundaries: the last top-level ATX heading whose line the change
    // leaves whole before it, and the first one after the change.
    // (Searched back from the last heading wholly before the change, not from
    // the end: headings are in text order.)
    let before = old.headings.partition_point(|h| h.line.end < p);
    let first = old.headings[..before].iter().rposition(|h| is_boundary(old, old_text, h));
    let from = first.map_or(old.body_start, |i| old.headings[i].line.start);
    let after = first.map_or(0, |i| i + 1);
    let next = (after..old.headings.len())
        .find(|&i| old.headings[i].line.start >= old_change_end && is_boundary(old, old_text, &old.headings[i]));
    // A comment reaching over a boundary changes what lies beyond it.
    let crosses = |at: usize, comments: &[Range<usize>]| comments.iter().any(|c| c.start < at && c.end > at);
    if crosses(from, &old.comments) || next.is_some_and(|i| crosses(old.headings[i].line.start, &old.comments)) {
        return None;
    }

    // About as much as before: room for it all at once.
    doc.headings.reserve(old.headings.len() + 8);
    doc.items.reserve(old.items.len() + 16);
    doc.skip.reserve(old.skip.len() + 16);
    doc.block_starts.reserve(old.block_starts.len() + 16);

    // What lies before `from`, as it was (every list is in text order; the
    // tree is rebuilt by `finish`, so the children lists are not copied).
    doc.headings.extend(old.headings[..first.unwrap_or(0)].iter().map(Heading::without_children));
    doc.items.extend_from_slice(&old.items[..old.items.partition_point(|t| t.range.start < from)]);
    doc.runs = old.runs.before(from);
    doc.comments.extend_from_slice(&old.comments[..old.comments.partition_point(|c| c.start < from)]);
    doc.skip.extend_from_slice(&old.skip[..old.skip.partition_point(|c| c.start < from)]);
    doc.block_starts.extend_from_slice(&old.block_starts[..old.block_starts.partition_point(|&s| s < from)]);

    // The changed part, parsed afresh, up to and with the next boundary's line.
    let block = first.map_or(0, |i| old.headings[i].block_counter - 1);
    let Some(n) = next else {
        let last_top = doc.scan(text, from..text.len(), block);
        doc.runs.compact();
        doc.note_open_tail(text, last_top);
        doc.memo = old.memo.carried(Splice { start: from, old_end: old_text.len(), new_end: text.len() });
        return Some(finish(doc));
    };
    let old_next = &old.headings[n];
    let next_start = old_next.line.start.wrapping_add_signed(delta);
    let next_line_end = text[next_start..].find('\n').map_or(text.len(), |i| next_start + i + 1);
    doc.scan(text, from..next_line_end, block);
    let again = doc.headings.pop()?;
    if again.line.start != next_start
        || again.level != old_next.level
        || again.hashes.as_ref().map(|r| r.start) != Some(next_start)
        || doc.block_starts.pop() != Some(next_start)
        || crosses(next_start, &doc.comments)
    {
        return None;
    }
    // Drop what the scan found on the boundary's line: the old parse has it.
    // (In text order: only the end of each list is looked at.)
    doc.runs.truncate_tail(next_start);
    doc.items.truncate(doc.items.partition_point(|t| t.range.start < next_start));
    doc.skip.truncate(doc.skip.partition_point(|t| t.start < next_start));
    doc.comments.truncate(doc.comments.partition_point(|t| t.start < next_start));

    // What lies from the next boundary on, as it was, moved.
    let heading_shift = doc.headings.len() as isize - n as isize;
    let counter_shift = i64::from(again.block_counter) - i64::from(old_next.block_counter);
    let counter = |b: u32| (i64::from(b) + counter_shift) as u32;
    let index = |h: Option<usize>| h.map(|i| i.wrapping_add_signed(heading_shift));
    let start = old_next.line.start;
    doc.headings.extend(old.headings[n..].iter().map(|h| Heading {
        line: moved(&h.line, delta),
        block: moved(&h.block, delta),
        title: moved(&h.title, delta),
        hashes: h.hashes.as_ref().map(|r| moved(r, delta)),
        block_counter: counter(h.block_counter),
        ..h.without_children()
    }));
    let at = old.items.partition_point(|t| t.range.start < start);
    doc.items.extend(old.items[at..].iter().map(|t| super::ListItem { range: moved(&t.range, delta), heading: index(t.heading), ..*t }));
    doc.runs.append_moved(&old.runs, start, delta, heading_shift, counter_shift);
    let at = old.comments.partition_point(|c| c.start < start);
    doc.comments.extend(old.comments[at..].iter().map(|c| moved(c, delta)));
    let at = old.skip.partition_point(|c| c.start < start);
    doc.skip.extend(old.skip[at..].iter().map(|c| moved(c, delta)));
    let at = old.block_starts.partition_point(|&s| s < start);
    doc.block_starts.extend(old.block_starts[at..].iter().map(|s| s.wrapping_add_signed(delta)));
    if old.open_tail.is_some_and(|t| t < start) {
        return None;
    }
    doc.open_tail = old.open_tail.map(|t| t.wrapping_add_signed(delta));
    // Facts about what lies wholly before `from` or from `start` on hold still.
    doc.memo = old.memo.carried(Splice { start: from, old_end: start, new_end: next_start });
    Some(finish(doc))
}

/// Rebuilds the section tree over the spliced headings.
fn finish(mut doc: Document<'_>) -> Document<'_> {
    doc.build_tree();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(before: &str, after: &str) {
        let prev = Reusable::new(before.to_string(), Document::parse(before).detach());
        let full = format!("{:?}", Document::parse(after));
        let reused = format!("{:?}", Document::parse_reusing(after, Some(&prev)));
        assert_eq!(reused, full, "\nbefore: {before:?}\nafter: {after:?}");
    }

    /// Composed splices leave untouched what both changes left untouched.
    #[test]
    fn splices_compose() {
        fn apply(t: &str, at: usize, del: usize, ins: &str) -> (String, Splice) {
            let out = format!("{}{}{}", &t[..at], ins, &t[at + del..]);
            (out, Splice { start: at, old_end: at + del, new_end: at + ins.len() })
        }
        let base = "0123456789abcdefghij";
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n.max(1)
        };
        for _ in 0..500 {
            let mut t = base.to_string();
            let mut total = Splice::none(t.len());
            for _ in 0..1 + next(4) {
                let at = next(t.len() + 1);
                let del = next(t.len() - at + 1);
                let ins = &"XYZ"[..next(4)];
                let (n, s) = apply(&t, at, del, ins);
                total = total.then(s);
                t = n;
            }
            let (p, q) = total.affixes(base.len(), t.len()).expect("fits");
            assert_eq!(base[..p], t[..p]);
            assert_eq!(base[base.len() - q..], t[t.len() - q..]);
            let (cp, cq) = common_affixes(base.as_bytes(), t.as_bytes());
            assert!(p + q <= cp + cq, "{total:?} leaves out changed bytes ({cp}, {cq})");
            if base == t {
                assert!(total.is_none() || p + q < base.len(), "{total:?}");
            }
        }
    }

    #[test]
    fn affixes() {
        assert_eq!(common_affixes(b"abcdef", b"abXdef"), (2, 3));
        assert_eq!(common_affixes(b"aaa", b"aaaa"), (3, 0));
        assert_eq!(common_affixes(b"", b"x"), (0, 0));
        let long = "x".repeat(1000);
        assert_eq!(common_affixes(format!("{long}a{long}").as_bytes(), format!("{long}{long}").as_bytes()), (1000, 1000));
    }

    #[test]
    fn a_simple_edit_takes_the_partial_path() {
        let before = "# A\n\nSome text.\n\n## B\n\nMore.\n";
        let prev = Reusable::new(before.to_string(), Document::parse(before).detach());
        assert!(Document::reparse("# A\n\nSome more text.\n\n## B\n\nMore.\n", &prev).is_some());
    }

    #[test]
    fn edits_in_the_middle_match_a_full_parse() {
        let base = "---\npacket: senior-em\n---\n# Title\n\nIntro *text*.\n\n## A\n\nSome `code` here.\n\n- item\n  - nested\n\n## B\n\nMore <!-- c --> text.\n\n## C\n\nEnd.\n";
        for (from, to) in [
            ("Some", "Some more"),
            ("Some `code` here.", "```\nopen fence"),
            ("- item", "- item\n# Heading in list"),
            ("More", "<!-- open"),
            ("\n## B", "\nB\n---"),
            ("## B", "# B"),
            ("End.", "End. And [ref]: x"),
            ("Intro", "Intro\n\n## New"),
        ] {
            check(base, &base.replacen(from, to, 1));
            check(&base.replacen(from, to, 1), base);
        }
        // A setext heading whose first line starts with `#` is no boundary
        // (found by proptest: its text went to no section after the edit).
        let setext = "# A\n\n#a# R\nentoring\n===\n### B\n";
        for (from, to) in [("entoring\n===", "entoria==="), ("R\n", "R x\n")] {
            check(setext, &setext.replacen(from, to, 1));
            check(&setext.replacen(from, to, 1), setext);
        }
    }
}
