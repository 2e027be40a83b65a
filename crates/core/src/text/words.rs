//! Words as a case-insensitive regex with Unicode `\b` sees them, walked
//! without building strings or running a regex engine.
//!
//! The regex crate handles a Unicode word boundary only in its slowest
//! engine as soon as the text holds a non-ASCII char, and the rules that
//! looked for whole words (`\bintern\b`, `\bnew[- ]?grad\b`, `\btwice\b` …)
//! paid for that on every section. Their patterns only ever need a word's
//! folded letters and the chars between words, which [`WordWalker`] hands
//! out in one pass.

use std::ops::ControlFlow;

/// The regex crate's `\w`: Unicode `Alphabetic`, `M`, `Nd`, `Pc` and join
/// controls (`_` among the ASCII chars).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// `c` as a case-insensitive regex compares it with an ASCII letter of its
/// pattern: ASCII lower-cased, and the only two non-ASCII chars whose simple
/// case folding is an ASCII letter (KELVIN SIGN, LONG S) mapped to it. Any
/// other non-ASCII char stays what it is and so never equals an ASCII letter.
pub fn fold(c: char) -> char {
    match c {
        '\u{212a}' => 'k',
        '\u{17f}' => 's',
        c => c.to_ascii_lowercase(),
    }
}

/// What the walker reports, in text order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// A word begins (its first char is a word char after a non-word char or
    /// at the start).
    Start,
    /// A word ended: its folded letters when they are all ASCII and at most
    /// [`MAX_WORD`] bytes, else `None`.
    Word(Option<&'a [u8]>),
    /// A non-word char between words, as written.
    Gap(char),
}

/// The longest word reported with its letters.
pub const MAX_WORD: usize = 16;

/// Feeds chars one at a time; call [`WordWalker::finish`] at the end of the text.
#[derive(Debug, Default)]
pub struct WordWalker {
    buf: [u8; MAX_WORD],
    /// Bytes in `buf`, or `usize::MAX` once the word cannot be reported.
    len: usize,
    in_word: bool,
}

impl WordWalker {
    /// Feeds every char of `s`; with `lower`, non-ASCII chars are first
    /// lower-cased as `str::to_lowercase` does (ASCII letters are folded
    /// either way). ASCII takes a byte-wise path.
    #[inline]
    pub fn push_str(&mut self, s: &str, lower: bool, f: &mut impl FnMut(Token)) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                self.push_ascii(c, f);
                i += 1;
                continue;
            }
            let ch = s[i..].chars().next().expect("a char starts here");
            i += ch.len_utf8();
            if lower {
                for l in ch.to_lowercase() {
                    self.push(l, f);
                }
            } else {
                self.push(ch, f);
            }
        }
    }

    #[inline(always)]
    pub fn push_ascii(&mut self, c: u8, f: &mut impl FnMut(Token)) {
        if c.is_ascii_alphanumeric() || c == b'_' {
            self.word_char(c.to_ascii_lowercase(), f);
        } else {
            self.end_word(f);
            f(Token::Gap(c as char));
        }
    }

    pub fn push(&mut self, c: char, f: &mut impl FnMut(Token)) {
        if c.is_ascii() {
            self.push_ascii(c as u8, f);
        } else if is_word_char(c) {
            let l = fold(c);
            // A non-ASCII letter never equals an ASCII one: 0x80 marks the word unreportable.
            self.word_char(if l.is_ascii() { l as u8 } else { 0x80 }, f);
        } else {
            self.end_word(f);
            f(Token::Gap(c));
        }
    }

    /// Ends the word the text ends with, if any.
    pub fn finish(&mut self, f: &mut impl FnMut(Token)) {
        self.end_word(f);
    }

    #[inline(always)]
    fn word_char(&mut self, folded: u8, f: &mut impl FnMut(Token)) {
        if !self.in_word {
            self.in_word = true;
            self.len = 0;
            f(Token::Start);
        }
        if folded < 0x80 && self.len < MAX_WORD {
            self.buf[self.len] = folded;
            self.len += 1;
        } else {
            self.len = usize::MAX;
        }
    }

    #[inline(always)]
    fn end_word(&mut self, f: &mut impl FnMut(Token)) {
        if self.in_word {
            self.in_word = false;
            f(Token::Word((self.len != usize::MAX).then(|| &self.buf[..self.len])));
        }
    }
}

/// Finds whole-word, case-insensitive occurrences of any of `words` in `hay`
/// (already lower-cased). Multi-word entries match across single spaces.
pub fn contains_word(hay_lower: &str, word: &str) -> bool {
    let mut from = 0;
    // memmem (SIMD) finds what `str::find` finds: a match of a UTF-8 needle
    // in UTF-8 text always starts on a char boundary.
    while let Some(i) = memchr::memmem::find(&hay_lower.as_bytes()[from..], word.as_bytes()) {
        let s = from + i;
        let e = s + word.len();
        let before = hay_lower[..s].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay_lower[e..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = s + word.len().max(1);
        while !hay_lower.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Calls `f` with each word of the lower-cased `pieces` that is ASCII and at
/// most `max_len` bytes long, where a word is a maximal run of alphanumeric
/// chars and the pieces are joined with spaces: the words
/// `section_text(…).split(|c: char| !c.is_alphanumeric())` would give, without
/// building that string. Chars are lower-cased one by one, as
/// `str::to_lowercase` does (its one context rule, final sigma, only ever
/// yields a non-ASCII letter).
///
/// `f` may stop the walk by returning `ControlFlow::Break`.
pub fn for_each_short_word<'a>(
    pieces: impl Iterator<Item = &'a str>,
    max_len: usize,
    mut f: impl FnMut(&[u8]) -> ControlFlow<()>,
) {
    let mut word = [0u8; 16];
    let max_len = max_len.min(word.len());
    // Bytes of the current word, or usize::MAX once it cannot be reported.
    let mut len = 0usize;
    macro_rules! end_word {
        () => {
            if len != usize::MAX && len > 0 && f(&word[..len]).is_break() {
                return;
            }
            len = 0;
        };
    }
    for piece in pieces {
        let b = piece.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() {
                    if len < max_len {
                        word[len] = c.to_ascii_lowercase();
                        len += 1;
                    } else {
                        len = usize::MAX;
                    }
                } else {
                    end_word!();
                }
                i += 1;
                continue;
            }
            let ch = piece[i..].chars().next().expect("a char starts here");
            i += ch.len_utf8();
            for l in ch.to_lowercase() {
                if !l.is_alphanumeric() {
                    end_word!();
                } else if l.is_ascii() && len < max_len {
                    word[len] = l as u8;
                    len += 1;
                } else {
                    len = usize::MAX;
                }
            }
        }
        end_word!();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn all_chars() -> String {
        (0..=0x10FFFFu32).filter_map(char::from_u32).collect()
    }

    #[test]
    fn word_chars_are_the_regex_crates() {
        let text = all_chars();
        let re = Regex::new(r"\w").unwrap();
        let by_regex: Vec<char> = re.find_iter(&text).map(|m| m.as_str().chars().next().unwrap()).collect();
        let ours: Vec<char> = text.chars().filter(|&c| is_word_char(c)).collect();
        assert_eq!(by_regex, ours);
    }

    #[test]
    fn whitespace_is_the_regex_crates() {
        let text = all_chars();
        let re = Regex::new(r"\s").unwrap();
        let by_regex: Vec<char> = re.find_iter(&text).map(|m| m.as_str().chars().next().unwrap()).collect();
        let ours: Vec<char> = text.chars().filter(|c| c.is_whitespace()).collect();
        assert_eq!(by_regex, ours);
    }

    #[test]
    fn folding_is_the_regex_crates_for_ascii_letters() {
        // Every char a case-insensitive ASCII letter matches, and which letter.
        let text = all_chars();
        for letter in 'a'..='z' {
            let re = Regex::new(&format!("(?i){letter}")).unwrap();
            let by_regex: Vec<char> = re.find_iter(&text).map(|m| m.as_str().chars().next().unwrap()).collect();
            let ours: Vec<char> = text.chars().filter(|&c| fold(c) == letter).collect();
            assert_eq!(by_regex, ours, "{letter}");
        }
    }

    #[test]
    fn tokens() {
        let mut out = Vec::new();
        let mut w = WordWalker::default();
        let mut f = |t: Token| {
            out.push(match t {
                Token::Word(Some(w)) => format!("Word(Some({:?}))", String::from_utf8_lossy(w)),
                t => format!("{t:?}"),
            })
        };
        for c in "New-GRAD \u{17f}ix_1 caf\u{e9} ".chars() {
            w.push(c, &mut f);
        }
        w.push_str("abcdefghijklmnopq \u{212a}M\u{130}", true, &mut f);
        w.finish(&mut f);
        assert_eq!(
            out.join(" "),
            "Start Word(Some(\"new\")) Gap('-') Start Word(Some(\"grad\")) Gap(' ') Start Word(Some(\"six_1\")) \
             Gap(' ') Start Word(None) Gap(' ') Start Word(None) Gap(' ') Start Word(None)"
        );
    }
}
