//! Open documents as ropes. Changes are applied synchronously, in the order
//! the handlers call in (the server calls before its first `await`), and a
//! change whose version is not newer than the stored one is refused.

use std::collections::HashMap;

use ropey::Rope;

use crate::document::Splice;
use crate::text::{column_offset, Encoding, LineCol};

/// One incremental or full change, in the client's position encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `None`: replace the whole text.
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

#[derive(Debug)]
pub struct OpenDoc {
    pub rope: Rope,
    pub version: i32,
    pub language: String,
    /// Bumped on every accepted change: an analysis is current only while its
    /// generation is the document's.
    pub generation: u64,
    /// A change was refused as malformed (an inverted range): the server's
    /// text may differ from the editor's, so incremental changes are refused
    /// until a full-text change brings the two together again.
    pub out_of_sync: bool,
    /// The byte ranges the changes replaced, with the generation each made,
    /// for the changes after generation `edits_after` (a full-text change
    /// empties it): what the next analysis re-parses, without comparing the
    /// new text with the previous one.
    edits: Vec<(u64, Splice)>,
    edits_after: u64,
    /// The text of an earlier generation that nothing else holds any more
    /// (a retired analysis's): the next text is made from it in place.
    spare: Option<(u64, String)>,
}

/// At most this many changes are remembered; older analyses compare texts.
const MAX_EDITS: usize = 512;

/// Room left at the end of a text made for an analysis, so that typing can
/// edit it in place for a while (see [`OpenDoc::text_from`]).
fn slack(len: usize) -> usize {
    4096 + len / 256
}

impl OpenDoc {
    fn new(text: &str, version: i32, language: &str, generation: u64) -> OpenDoc {
        OpenDoc {
            rope: Rope::from_str(text),
            version,
            language: language.to_string(),
            generation,
            out_of_sync: false,
            edits: Vec::new(),
            edits_after: generation,
            spare: None,
        }
    }

    /// Where the text differs from the text at `generation`, composed from
    /// the changes since; `None` when they are not all remembered.
    pub fn changed_since(&self, generation: u64) -> Option<Splice> {
        if generation < self.edits_after || generation > self.generation {
            return None;
        }
        let first = self.edits.partition_point(|(g, _)| *g <= generation);
        // (No change composes as nothing: `then` of `none` is the other.)
        Some(self.edits[first..].iter().fold(Splice::none(self.rope.len_bytes()), |all, (_, e)| all.then(*e)))
    }

    /// Notes one change applied by generation `generation`.
    fn record(&mut self, generation: u64, splice: Option<Splice>) {
        match splice {
            Some(s) if self.edits.len() < MAX_EDITS => self.edits.push((generation, s)),
            _ => {
                self.edits.clear();
                self.edits_after = generation;
            }
        }
    }

    /// The text as one string: the rope's chunks copied into a string
    /// allocated once (`Rope::to_string` goes through `fmt::Write`, a
    /// tenth of a keystroke at 30,000 lines).
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.rope.len_bytes() + slack(self.rope.len_bytes()));
        for chunk in self.rope.chunks() {
            s.push_str(chunk);
        }
        s
    }

    /// [`OpenDoc::text`], made from `prev`, the text at generation `at`
    /// (the one the kept analysis owns), when the changes since are
    /// remembered: `prev`'s bytes before and after what they changed, the
    /// rope's in between. Two contiguous copies instead of a walk over the
    /// rope's leaves, scattered in memory (at 30,000 lines the copy of the
    /// text was a tenth of a keystroke, half of it the walk).
    pub fn text_from(&mut self, prev: Option<(&str, u64)>) -> String {
        let made = self.spare.take().and_then(|(at, spare)| self.edited_in_place(spare, at));
        let Some(text) = made.or_else(|| prev.and_then(|(p, at)| self.spliced_from(p, at))) else { return self.text() };
        debug_assert!(text == self.text(), "the text made from the previous one differs from the rope's");
        text
    }

    /// Keeps `text`, this document's text at `generation`, which nothing
    /// else holds, for [`OpenDoc::text_from`] to edit in place.
    /// Returns what is let go (that text, or an older spare), to be freed
    /// outside the session's lock.
    pub fn keep_spare(&mut self, generation: u64, text: String) -> Option<String> {
        if generation < self.generation && self.changed_since(generation).is_some() {
            self.spare.replace((generation, text)).map(|(_, t)| t)
        } else {
            Some(text)
        }
    }

    /// `text`, the text at generation `at`, edited into the current one:
    /// only the bytes after the change move, and only when its length
    /// changed (at 30,000 lines a copy of the whole text was a tenth of a
    /// keystroke).
    fn edited_in_place(&self, mut text: String, at: u64) -> Option<String> {
        let s = self.splice_from(at, text.len())?;
        if !text.is_char_boundary(s.start) || !text.is_char_boundary(s.old_end) {
            return None;
        }
        let middle: std::borrow::Cow<str> = self.rope.get_byte_slice(s.start..s.new_end)?.into();
        // Room to grow by a little, not by doubling (a text grown once would
        // carry twice its length into every later version).
        let len = self.rope.len_bytes();
        if len > text.capacity() {
            text.reserve_exact(len - text.len() + slack(len));
        }
        text.replace_range(s.start..s.old_end, &middle);
        (text.len() == self.rope.len_bytes()).then_some(text)
    }

    /// The changes since generation `at`, whose text was `old_len` bytes
    /// long, if they fit that text and the current one.
    fn splice_from(&self, at: u64, old_len: usize) -> Option<Splice> {
        self.changed_since(at).filter(|s| s.fits(old_len, self.rope.len_bytes()))
    }

    fn spliced_from(&self, prev: &str, at: u64) -> Option<String> {
        let s = self.splice_from(at, prev.len())?;
        let len = self.rope.len_bytes();
        let (before, after) = (prev.get(..s.start)?, prev.get(s.old_end..)?);
        let middle = self.rope.get_byte_slice(s.start..s.new_end)?;
        let mut out = String::with_capacity(len + slack(len));
        out.push_str(before);
        for chunk in middle.chunks() {
            out.push_str(chunk);
        }
        out.push_str(after);
        (out.len() == len).then_some(out)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChangeError {
    NotOpen,
    StaleVersion { stored: i32, got: i32 },
    /// Change number `index` of the notification has its end before its start.
    InvertedRange { index: usize },
    /// An incremental change while the document is out of sync.
    OutOfSync,
}

/// Converts a line/column in `enc` to a char index of the rope, clamping
/// positions past the end of a line or of the text (the column conversion
/// is [`crate::text::column_offset`], the one the line index uses). Returns
/// whether it did not have to clamp.
pub fn char_index(rope: &Rope, pos: LineCol, enc: Encoding) -> (usize, bool) {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return (rope.len_chars(), false);
    }
    let start = rope.line_to_char(line);
    // A line's text without its break (`cr_lines`: CR, LF and CRLF only).
    let text: std::borrow::Cow<str> = rope.line(line).into();
    let content = text.trim_end_matches(['\n', '\r']);
    let (at, exact) = column_offset(content, pos.col, enc);
    (start + content[..at].chars().count(), exact)
}

/// Applies one change to a rope. Returns false when a position had to be clamped.
pub fn apply_change(rope: &mut Rope, change: &Change, enc: Encoding) -> bool {
    apply_change_at(rope, change, enc).0
}

/// [`apply_change`], also returning the bytes it replaced (`None` for a
/// full-text change).
fn apply_change_at(rope: &mut Rope, change: &Change, enc: Encoding) -> (bool, Option<Splice>) {
    match change.range {
        None => {
            *rope = Rope::from_str(&change.text);
            (true, None)
        }
        Some((a, b)) => {
            let (s, ok1) = char_index(rope, a, enc);
            let (mut e, ok2) = char_index(rope, b, enc);
            // Inverted ranges are refused by `Store::change`; positions that
            // clamp (past a line's end) can still cross: then nothing is removed.
            if s > e {
                e = s;
            }
            let (start, old_end) = (rope.char_to_byte(s), rope.char_to_byte(e));
            rope.remove(s..e);
            rope.insert(s, &change.text);
            (ok1 && ok2, Some(Splice { start, old_end, new_end: start + change.text.len() }))
        }
    }
}

#[derive(Debug, Default)]
pub struct Store {
    docs: HashMap<String, OpenDoc>,
    /// The last generation handed out. One counter for the whole store, so a
    /// generation is never reused, not even after a close and a re-open: an
    /// analysis started before the close can never pass for current.
    last_generation: u64,
}

impl Store {
    fn next_generation(&mut self) -> u64 {
        self.last_generation += 1;
        self.last_generation
    }

    pub fn open(&mut self, uri: &str, text: &str, version: i32, language: &str) -> u64 {
        let generation = self.next_generation();
        self.docs.insert(uri.to_string(), OpenDoc::new(text, version, language, generation));
        generation
    }

    /// Applies changes of a new version. Returns the new generation and
    /// whether every position was in range.
    pub fn change(&mut self, uri: &str, version: i32, changes: &[Change], enc: Encoding) -> Result<(u64, bool), ChangeError> {
        let next = self.last_generation + 1;
        let doc = self.docs.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        if version <= doc.version {
            return Err(ChangeError::StaleVersion { stored: doc.version, got: version });
        }
        // Checked before anything is applied: a notification is taken whole or not at all.
        if let Some(index) = changes.iter().position(|c| c.range.is_some_and(|(a, b)| (b.line, b.col) < (a.line, a.col))) {
            doc.out_of_sync = true;
            return Err(ChangeError::InvertedRange { index });
        }
        if doc.out_of_sync {
            // Only the changes after the last full-text one are meaningful.
            let Some(full) = changes.iter().rposition(|c| c.range.is_none()) else {
                return Err(ChangeError::OutOfSync);
            };
            doc.out_of_sync = false;
            return self.apply(uri, version, &changes[full..], enc, next);
        }
        self.apply(uri, version, changes, enc, next)
    }

    fn apply(&mut self, uri: &str, version: i32, changes: &[Change], enc: Encoding, next: u64) -> Result<(u64, bool), ChangeError> {
        let doc = self.docs.get_mut(uri).ok_or(ChangeError::NotOpen)?;
        self.last_generation = next;
        let mut all_ok = true;
        for c in changes {
            let (ok, splice) = apply_change_at(&mut doc.rope, c, enc);
            all_ok &= ok;
            doc.record(next, splice);
        }
        doc.version = version;
        doc.generation = next;
        Ok((next, all_ok))
    }

    pub fn close(&mut self, uri: &str) -> bool {
        self.docs.remove(uri).is_some()
    }

    pub fn get(&self, uri: &str) -> Option<&OpenDoc> {
        self.docs.get(uri)
    }

    pub fn get_mut(&mut self, uri: &str) -> Option<&mut OpenDoc> {
        self.docs.get_mut(uri)
    }

    /// Bumps a document's generation (its settings changed) and returns it.
    pub fn touch(&mut self, uri: &str) -> Option<u64> {
        let next = self.last_generation + 1;
        let doc = self.docs.get_mut(uri)?;
        self.last_generation = next;
        doc.generation = next;
        Some(next)
    }

    pub fn uris(&self) -> Vec<String> {
        self.docs.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn utf16_edits_after_emoji_and_in_crlf_text() {
        let mut r = Rope::from_str("a😀b\r\nc\r\n");
        // Insert after the emoji (UTF-16 column 3).
        apply_change(&mut r, &Change { range: Some((lc(0, 3), lc(0, 3))), text: "X".into() }, Encoding::Utf16);
        assert_eq!(r.to_string(), "a😀Xb\r\nc\r\n");
        // A column past the end of a CRLF line clamps before the CR.
        let ok = apply_change(&mut r, &Change { range: Some((lc(1, 9), lc(1, 9))), text: "!".into() }, Encoding::Utf16);
        assert!(!ok);
        assert_eq!(r.to_string(), "a😀Xb\r\nc!\r\n");
        // UTF-8 columns count bytes.
        apply_change(&mut r, &Change { range: Some((lc(0, 5), lc(0, 6))), text: "".into() }, Encoding::Utf8);
        assert_eq!(r.to_string(), "a😀b\r\nc!\r\n");
    }

    /// What `changed_since` says is changed covers every byte that differs
    /// from the text of that generation, over random edits in UTF-16 and
    /// UTF-8 columns with emoji and CRLF.
    #[test]
    fn changes_since_a_generation_cover_what_differs() {
        let mut seed = 11u64;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as u32) % n.max(1)
        };
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let mut s = Store::default();
            let mut g = s.open("u", "a😀b\r\nc é\r\n\r\n# x\n", 1, "markdown");
            let mut seen = vec![(g, text(&s, "u"))];
            for v in 2..200 {
                let (line, col) = (next(5), next(6));
                let (line2, col2) = (line + next(2), next(6));
                let end = if (line2, col2) < (line, col) { lc(line, col) } else { lc(line2, col2) };
                let ins = ["", "x", "😀", "\r\n", "é\n"][next(5) as usize].to_string();
                let change = if next(40) == 0 { Change { range: None, text: ins } } else { Change { range: Some((lc(line, col), end)), text: ins } };
                g = s.change("u", v, &[change], enc).unwrap().0;
                let now = text(&s, "u");
                for (old_g, old) in &seen {
                    let Some(sp) = s.get("u").unwrap().changed_since(*old_g) else { continue };
                    assert!(sp.old_end <= old.len() && sp.new_end <= now.len() && old.len() - sp.old_end == now.len() - sp.new_end);
                    assert_eq!(old.as_bytes()[..sp.start], now.as_bytes()[..sp.start], "{sp:?}");
                    assert_eq!(old.as_bytes()[sp.old_end..], now.as_bytes()[sp.new_end..], "{sp:?}");
                    // The text made from the old one is the rope's, copied or edited in place.
                    assert_eq!(s.get("u").unwrap().spliced_from(old, *old_g).as_deref(), Some(now.as_str()));
                    assert_eq!(s.get("u").unwrap().edited_in_place(old.clone(), *old_g).as_deref(), Some(now.as_str()));
                }
                seen.push((g, now));
                if seen.len() > 8 {
                    seen.remove(0);
                }
            }
            // Nothing since the current generation: no change at the end.
            let len = text(&s, "u").len();
            // A previous text that does not fit the changes (not the one of
            // that generation) is not used: the text comes from the rope.
            let doc = s.get("u").unwrap();
            assert_eq!(doc.spliced_from("short", g), None);
            let want = text(&s, "u");
            let doc = s.get_mut("u").unwrap();
            assert_eq!(doc.text_from(Some(("short", g))), want);
            // A spare text is used once, and one that does not fit is not used.
            assert_eq!(doc.keep_spare(g - 1, "short".into()), None);
            assert!(doc.spare.is_some());
            assert_eq!(doc.text_from(None), want);
            assert!(doc.spare.is_none());
            // The current generation's text is not kept as a spare (nothing to edit).
            assert_eq!(doc.keep_spare(g, want.clone()), Some(want.clone()));
            assert!(doc.spare.is_none());
            assert_eq!(s.get("u").unwrap().changed_since(g), Some(Splice::none(len)));
            // A generation from before a full-text change, or the future, is not known.
            let g2 = s.change("u", 500, &[Change { range: None, text: "new".into() }], enc).unwrap().0;
            assert_eq!(s.get("u").unwrap().changed_since(g2 - 1), None);
            assert_eq!(s.get("u").unwrap().changed_since(g2 + 1), None);
        }
    }

    #[test]
    fn generations_are_never_reused_across_close_and_reopen() {
        let mut s = Store::default();
        let g1 = s.open("u", "x", 1, "markdown");
        assert!(s.close("u"));
        let g2 = s.open("u", "x", 1, "markdown");
        assert!(g2 > g1);
        let (g3, _) = s.change("u", 2, &[Change { range: None, text: "y".into() }], Encoding::Utf16).unwrap();
        assert!(g3 > g2);
        assert_eq!(s.touch("u"), Some(g3 + 1));
        assert_eq!(s.touch("gone"), None);
        assert_eq!(s.get("u").unwrap().generation, g3 + 1);
    }

    #[test]
    fn stale_versions_are_refused() {
        let mut s = Store::default();
        s.open("u", "x", 3, "markdown");
        let c = [Change { range: None, text: "y".into() }];
        assert_eq!(s.change("u", 3, &c, Encoding::Utf16), Err(ChangeError::StaleVersion { stored: 3, got: 3 }));
        assert!(s.change("u", 4, &c, Encoding::Utf16).is_ok());
        assert_eq!(s.change("nope", 5, &c, Encoding::Utf16), Err(ChangeError::NotOpen));
    }

    fn text(s: &Store, uri: &str) -> String {
        s.get(uri).unwrap().rope.to_string()
    }

    #[test]
    fn an_inverted_range_is_refused_and_the_document_waits_for_a_full_change() {
        let mut s = Store::default();
        s.open("u", "hello world", 1, "markdown");
        let lc = |line, col| LineCol { line, col };
        let ok = Change { range: Some((lc(0, 0), lc(0, 0))), text: ">".into() };
        let inverted = Change { range: Some((lc(0, 8), lc(0, 2))), text: "".into() };
        // The whole notification is refused, its valid first change too.
        assert_eq!(s.change("u", 2, &[ok.clone(), inverted], Encoding::Utf16), Err(ChangeError::InvertedRange { index: 1 }));
        assert_eq!(text(&s, "u"), "hello world");
        assert_eq!(s.get("u").unwrap().version, 1);
        // Incremental changes are refused until a full change.
        assert_eq!(s.change("u", 3, std::slice::from_ref(&ok), Encoding::Utf16), Err(ChangeError::OutOfSync));
        assert_eq!(text(&s, "u"), "hello world");
        let full = Change { range: None, text: "abc".into() };
        assert!(s.change("u", 4, &[ok.clone(), full, ok.clone()], Encoding::Utf16).is_ok());
        assert_eq!(text(&s, "u"), ">abc");
        assert!(s.change("u", 5, &[ok], Encoding::Utf16).is_ok());
        assert_eq!(text(&s, "u"), ">>abc");
        // An empty range at the same place, or a range across lines, is not inverted.
        let mut s = Store::default();
        s.open("u", "ab\ncd", 1, "markdown");
        let c = Change { range: Some((lc(0, 1), lc(1, 1))), text: "X".into() };
        assert!(s.change("u", 2, &[c], Encoding::Utf16).is_ok());
        assert_eq!(text(&s, "u"), "aXd");
    }
}
