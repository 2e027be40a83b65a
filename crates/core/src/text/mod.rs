//! Text positions. The analysis works on byte offsets into the document text;
//! this module is the one place that turns them into line/column pairs in the
//! unit a consumer wants (UTF-8 bytes, UTF-16 code units, Unicode scalar values)
//! and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, exactly as the Language Server
//! Protocol defines them (U+2028, U+0085 … are *not* line breaks).

mod line_index;
pub mod words;

pub use line_index::{column_offset, Encoding, LineCol, LineIndex};

/// How many line breaks of each kind a text has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineBreaks {
    pub lf: usize,
    pub crlf: usize,
    /// Lone `\r`s (not followed by `\n`).
    pub cr: usize,
}

impl LineBreaks {
    pub fn count(text: &str) -> LineBreaks {
        // One SIMD scan per byte value; a `\r\n` is a `\n` preceded by `\r`.
        let bytes = text.as_bytes();
        let (mut crlf, mut newlines) = (0usize, 0usize);
        for i in memchr::memchr_iter(b'\n', bytes) {
            newlines += 1;
            crlf += usize::from(i > 0 && bytes[i - 1] == b'\r');
        }
        let cr = memchr::memchr_iter(b'\r', bytes).count() - crlf;
        LineBreaks { lf: newlines - crlf, crlf, cr }
    }

    /// The breaks whose last byte lies in `r` (a `\r` counts when the byte
    /// after it, maybe outside `r`, is not `\n`).
    pub fn in_range(text: &str, r: std::ops::Range<usize>) -> LineBreaks {
        let b = text.as_bytes();
        let mut out = LineBreaks::default();
        for i in memchr::memchr2_iter(b'\n', b'\r', &b[r.clone()]).map(|i| i + r.start) {
            if b[i] == b'\n' {
                if i > 0 && b[i - 1] == b'\r' {
                    out.crlf += 1;
                } else {
                    out.lf += 1;
                }
            } else if b.get(i + 1) != Some(&b'\n') {
                out.cr += 1;
            }
        }
        out
    }

    /// `self` with the breaks of `old` taken out and those of `new` added.
    pub fn replaced(self, old: LineBreaks, new: LineBreaks) -> LineBreaks {
        LineBreaks { lf: self.lf - old.lf + new.lf, crlf: self.crlf - old.crlf + new.crlf, cr: self.cr - old.cr + new.cr }
    }

    /// The line ending mostly used (`\n` when there is none, or on a tie with it).
    pub fn ending(&self) -> &'static str {
        let LineBreaks { lf, crlf, cr } = *self;
        if crlf > 0 && crlf >= lf && crlf >= cr {
            "\r\n"
        } else if cr > lf && cr > crlf {
            "\r"
        } else {
            "\n"
        }
    }
}

/// The line ending a document mostly uses, so inserted text matches it
/// (`\n` when there is none, or on a tie with it).
pub fn line_ending(text: &str) -> &'static str {
    LineBreaks::count(text).ending()
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_ending_is_the_most_used_one() {
        assert_eq!(super::line_ending(""), "\n");
        assert_eq!(super::line_ending("a\r\nb\r\nc\n"), "\r\n");
        assert_eq!(super::line_ending("a\r\nb\nc\n"), "\n");
        assert_eq!(super::line_ending("a\rb\rc\r\n"), "\r");
        assert_eq!(super::line_ending("a\r\nb"), "\r\n");
    }
}
