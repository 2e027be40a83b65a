//! Text positions. The analysis works on byte offsets into the document text;
//! this module is the one place that turns them into line/column pairs in the
//! unit a consumer wants (UTF-8 bytes, UTF-16 code units, Unicode scalar values)
//! and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, exactly as the Language Server
//! Protocol defines them (U+2028, U+0085 … are *not* line breaks).

mod line_index;
pub mod words;

pub use line_index::{Encoding, LineCol, LineIndex};

/// The line ending a document mostly uses, so inserted text matches it.
pub fn line_ending(text: &str) -> &'static str {
    // One SIMD scan for `\n`; a `\r\n` is a `\n` preceded by `\r`.
    let bytes = text.as_bytes();
    let (mut crlf, mut lf) = (0usize, 0usize);
    for i in memchr::memchr_iter(b'\n', bytes) {
        lf += 1;
        crlf += usize::from(i > 0 && bytes[i - 1] == b'\r');
    }
    if crlf > 0 && crlf * 2 >= lf {
        "\r\n"
    } else {
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::line_ending;

    #[test]
    fn line_ending_is_the_majority_with_ties_to_crlf() {
        assert_eq!(line_ending(""), "\n");
        assert_eq!(line_ending("a\nb\n"), "\n");
        assert_eq!(line_ending("a\r\nb\r\n"), "\r\n");
        assert_eq!(line_ending("a\r\nb\n"), "\r\n", "a tie goes to CRLF");
        assert_eq!(line_ending("a\r\nb\nc\n"), "\n");
        assert_eq!(line_ending("\r\r\n\n\r"), "\r\n", "lone CRs are not counted");
        assert_eq!(line_ending("\n\r"), "\n");
    }
}
