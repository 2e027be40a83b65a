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

/// The line ending a document mostly uses, so inserted text matches it
/// (`\n` when there is none, or on a tie with it).
pub fn line_ending(text: &str) -> &'static str {
    // One SIMD scan per byte value; a `\r\n` is a `\n` preceded by `\r`.
    let bytes = text.as_bytes();
    let (mut crlf, mut newlines) = (0usize, 0usize);
    for i in memchr::memchr_iter(b'\n', bytes) {
        newlines += 1;
        crlf += usize::from(i > 0 && bytes[i - 1] == b'\r');
    }
    let lf = newlines - crlf;
    let cr = memchr::memchr_iter(b'\r', bytes).count() - crlf;
    if crlf > 0 && crlf >= lf && crlf >= cr {
        "\r\n"
    } else if cr > lf && cr > crlf {
        "\r"
    } else {
        "\n"
    }
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
