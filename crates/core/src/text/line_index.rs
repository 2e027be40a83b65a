use serde::{Deserialize, Serialize};

/// The unit in which a column is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Unicode scalar values (chars).
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A zero-based line and column, the column counted in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of a text, for offset ↔ line/column lookups.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 40 + 1);
        starts.push(0);
        // memchr2 finds the line breaks with SIMD; a CR directly followed by
        // LF is one break (the LF is then found and skipped).
        let mut skip_lf_at = usize::MAX;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\r' {
                if bytes.get(i + 1) == Some(&b'\n') {
                    skip_lf_at = i + 1;
                    starts.push(i + 2);
                } else {
                    starts.push(i + 1);
                }
            } else if i != skip_lf_at {
                starts.push(i + 1);
            }
        }
        LineIndex { starts, len: bytes.len() }
    }

    /// The index of `text`, made from this index of a text that differed
    /// from it only in `p..old_end` (now `p..new_end`): line starts before
    /// the change are kept, those after it moved, only the changed bytes
    /// (and one either side) are looked at. Equal to `LineIndex::new(text)`.
    pub fn spliced(&self, text: &str, p: usize, old_end: usize, new_end: usize) -> LineIndex {
        let bytes = text.as_bytes();
        // A line starts at `s` when byte `s - 1` is a line break and not the
        // CR of a CR LF: both bytes lie before the change for `s < p`, and
        // after it for `s > new_end + 1`.
        let starts_at = |s: usize| match bytes[s - 1] {
            b'\n' => true,
            b'\r' => bytes.get(s) != Some(&b'\n'),
            _ => false,
        };
        let lo = p.max(1);
        let hi = (new_end + 1).min(bytes.len());
        let keep = self.starts.partition_point(|&s| s < lo);
        let mut starts = Vec::with_capacity(self.starts.len() + (new_end - p) / 40 + 1);
        starts.extend_from_slice(&self.starts[..keep]);
        if lo <= hi {
            starts.extend(memchr::memchr2_iter(b'\n', b'\r', &bytes[lo - 1..hi]).map(|i| lo + i).filter(|&s| starts_at(s)));
        }
        let delta = new_end as isize - old_end as isize;
        let after = self.starts.partition_point(|&s| s.wrapping_add_signed(delta) <= hi || s <= old_end);
        starts.extend(self.starts[after..].iter().map(|s| s.wrapping_add_signed(delta)));
        LineIndex { starts, len: bytes.len() }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where `line` starts (clamped to the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    /// Byte offset where the content of `line` ends, before its line break.
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let line = line.min(self.starts.len() - 1);
        let end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        let mut e = end;
        if e > self.starts[line] && b.get(e - 1) == Some(&b'\n') {
            e -= 1;
        }
        if e > self.starts[line] && b.get(e - 1) == Some(&b'\r') {
            e -= 1;
        }
        e
    }

    /// The zero-based line holding byte `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    /// Line and column of a byte offset. An offset past the end is clamped to
    /// the end; one inside a multi-byte character snaps to its start, and one
    /// between the `\r` and `\n` of a CRLF to the end of the line's content
    /// (a client cannot name a position inside a line break).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let b = text.as_bytes();
        if offset > 0 && b[offset - 1] == b'\r' && b.get(offset) == Some(&b'\n') {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = match enc {
            Encoding::Utf8 => offset - start,
            _ => text[start..offset].chars().map(|c| enc.width(c)).sum(),
        };
        LineCol { line: line as u32, col: col as u32 }
    }

    /// Byte offset of a line and column. A line past the end gives the end of
    /// the text; a column past the end of its line gives the end of the line's
    /// content; a column inside a character gives the start of that character.
    /// The boolean says whether the position was valid as given.
    pub fn offset_checked(&self, text: &str, pos: LineCol, enc: Encoding) -> (usize, bool) {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return (self.len, false);
        }
        let start = self.starts[line];
        let end = self.line_end(text, line);
        let (at, exact) = column_offset(&text[start..end], pos.col, enc);
        (start + at, exact)
    }

    /// Like [`offset_checked`](Self::offset_checked), dropping the validity flag.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        self.offset_checked(text, pos, enc).0
    }
}

/// The byte offset within `line` (one line's text, without its line break)
/// of column `col` counted in `enc`, and whether the column is exactly a char
/// boundary of the line: a column inside a char snaps back to its start, one
/// past the end clamps to the end (both `false`). The one conversion from an
/// LSP column: [`LineIndex::offset_checked`] and the server's rope store
/// (applying `didChange` ranges) both use it.
pub fn column_offset(line: &str, col: u32, enc: Encoding) -> (usize, bool) {
    let want = col as usize;
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units == want {
            return (i, true);
        }
        let w = enc.width(c);
        if units + w > want {
            return (i, false);
        }
        units += w;
    }
    (line.len(), units == want)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    /// Every text of up to 4 bytes over `a`, CR and LF, every replaced
    /// range and a few replacements: the spliced index equals a new one.
    #[test]
    fn spliced_equals_new_exhaustively() {
        let alphabet = ['a', '\r', '\n'];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> =
                texts.iter().filter(|t| t.len() == texts.last().unwrap().len()).flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
            texts.extend(longer);
        }
        for old in &texts {
            let ix = LineIndex::new(old);
            for p in 0..=old.len() {
                for e in p..=old.len() {
                    for ins in ["", "a", "\n", "\r", "\r\n", "\n\r", "a\r\nb"] {
                        let new = format!("{}{}{}", &old[..p], ins, &old[e..]);
                        let got = ix.spliced(&new, p, e, p + ins.len());
                        let want = LineIndex::new(&new);
                        assert_eq!((got.starts, got.len), (want.starts, want.len), "{old:?} -> {new:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn crlf_and_lone_cr_break_lines() {
        let t = "a\r\nb\rc\nd";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_count(), 4);
        assert_eq!(ix.position(t, 3, Encoding::Utf16), lc(1, 0));
        assert_eq!(ix.position(t, 5, Encoding::Utf16), lc(2, 0));
        assert_eq!(ix.line_end(t, 0), 1);
        assert_eq!(ix.offset(t, lc(0, 9), Encoding::Utf16), 1, "clamped before CRLF");
    }

    #[test]
    fn mixed_breaks_in_a_row() {
        let idx = LineIndex::new("a\r\r\nb\n\nc\r");
        let starts: Vec<usize> = (0..idx.line_count()).map(|l| idx.line_start(l)).collect();
        assert_eq!(starts, vec![0, 2, 4, 6, 7, 9]);
    }

    #[test]
    fn offset_inside_crlf_snaps_to_line_end() {
        // Found by tests/it/prop_positions.rs: byte 1 of "\r\n-" gave (0, 1), a
        // column past the line's end that does not map back to byte 1.
        let t = "\r\n-";
        let ix = LineIndex::new(t);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(ix.position(t, 1, enc), lc(0, 0));
        }
        let t = "ab\r\n";
        assert_eq!(LineIndex::new(t).position(t, 3, Encoding::Utf16), lc(0, 2));
    }

    #[test]
    fn unicode_line_separators_are_not_breaks() {
        let t = "a\u{2028}b\u{85}c\n";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_count(), 2);
    }

    #[test]
    fn emoji_and_cjk_columns_in_every_encoding() {
        // 😀 is 4 bytes / 2 UTF-16 units / 1 char; 中 is 3 / 1 / 1.
        let t = "x😀中y";
        let ix = LineIndex::new(t);
        let y = t.find('y').unwrap();
        assert_eq!(ix.position(t, y, Encoding::Utf8), lc(0, 8));
        assert_eq!(ix.position(t, y, Encoding::Utf16), lc(0, 4));
        assert_eq!(ix.position(t, y, Encoding::Utf32), lc(0, 3));
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let p = ix.position(t, y, enc);
            assert_eq!(ix.offset(t, p, enc), y);
        }
        // Column 2 in UTF-16 is the middle of the emoji's surrogate pair.
        assert_eq!(ix.offset_checked(t, lc(0, 2), Encoding::Utf16), (1, false));
        // An offset inside a multi-byte char snaps to its start.
        assert_eq!(ix.position(t, 2, Encoding::Utf16), lc(0, 1));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let t = "ab\ncd";
        let ix = LineIndex::new(t);
        assert_eq!(ix.offset_checked(t, lc(7, 0), Encoding::Utf16), (5, false));
        assert_eq!(ix.offset_checked(t, lc(1, 99), Encoding::Utf16), (5, false));
        assert_eq!(ix.position(t, 999, Encoding::Utf16), lc(1, 2));
    }
}
