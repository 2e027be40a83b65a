//! Words, in one place. A word, for matching, is a run of [`is_word_char`]
//! (the regex crate's `\w`, as a case-insensitive regex with Unicode `\b`
//! sees it): [`WordWalker`] (figures in results, the rules' patterns),
//! [`contains_word`] (vocabularies: mentees, partners, competencies, phrases)
//! and [`for_each_short_word`] (pronouns) all use it. Counted words
//! (`section-too-short`, spec §3.1) are whitespace-separated tokens with each
//! CJK character one word: [`count_words`]. All walk the text without building
//! strings or running a regex engine.
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
        let before = hay_lower[..s].chars().next_back().is_none_or(|c| !is_word_char(c));
        let after = hay_lower[e..].chars().next().is_none_or(|c| !is_word_char(c));
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
/// most `max_len` bytes long, where a word is a maximal run of word chars
/// ([`is_word_char`]) and the pieces are joined with spaces: the words
/// `section_text(…).split(|c: char| !is_word_char(c))` would give, without
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
                if c.is_ascii_alphanumeric() || c == b'_' {
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
                if !is_word_char(l) {
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

/// Whitespace-separated tokens; every CJK character counts as a word of its own.
///
/// Eight bytes at a time in a `u64`, every byte of a non-ASCII char taken for
/// a letter: a word starts at every byte that is not ASCII whitespace and
/// follows ASCII whitespace or starts the text. That count is exact except
/// next to the non-ASCII chars that are whitespace or CJK, so chunks holding
/// a non-ASCII byte also correct for those ([`correct_non_ascii`]).
pub fn count_words(s: &str) -> u32 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const fn splat(x: u8) -> u64 {
        u64::from_le_bytes([x; 8])
    }
    // The high bit of each byte of the result: whether that byte is ASCII
    // whitespace (9..=13 or 32). Adding `0x80 - x` to a byte below 0x80 sets
    // its high bit exactly when it is at least `x`, with no carry out.
    let spaces = |w: u64| {
        let lo = w & LOW;
        let at_least = |x: u8| lo + splat(0x80 - x);
        ((at_least(9) & !at_least(14)) | (at_least(32) & !at_least(33))) & !w & HIGH
    };
    // Counts the high bits, the only bits set (no popcnt in baseline x86-64).
    let count = |x: u64| ((x >> 7).wrapping_mul(splat(1)) >> 56) as u32;
    let b = s.as_bytes();
    let mut n = 0;
    // The byte before the chunk was whitespace (the text's start counts as such).
    let mut before: u64 = 0x80;
    // Non-ASCII chars starting before this byte are corrected for.
    let mut done = 0;
    let mut i = 0;
    while i < b.len() {
        let w = match b.get(i..i + 8) {
            Some(c) => u64::from_le_bytes(c.try_into().expect("eight bytes")),
            None => {
                // Padded with spaces, which start no word.
                let mut w = splat(b' ');
                for (k, &c) in b[i..].iter().enumerate() {
                    w = (w & !(0xFF << (8 * k))) | u64::from(c) << (8 * k);
                }
                w
            }
        };
        let sp = spaces(w);
        n += count((sp << 8 | before) & !sp & HIGH);
        before = sp >> 56;
        if w & HIGH != 0 {
            let end = (i + 8).min(b.len());
            let mut j = done.max(i);
            while j < end {
                j = if b[j] < 0x80 { j + 1 } else { correct_non_ascii(s, j, &mut n) };
            }
            done = j;
        }
        i += 8;
    }
    n
}

/// Corrects the byte count `n` for the non-ASCII char at `j` (which the
/// count has already passed) and returns where the next char starts.
fn correct_non_ascii(s: &str, j: usize, n: &mut u32) -> usize {
    let b = s.as_bytes();
    // Chars with these lead bytes (U+00C0–U+0FFF, U+E000–U+EFFF, U+40000 and
    // up) are neither whitespace nor CJK: skip them undecoded.
    let lead = b[j];
    if matches!(lead, 0xC3..=0xE0 | 0xEE | 0xF1..=0xF4) {
        return j + if lead < 0xE0 { 2 } else if lead < 0xF0 { 3 } else { 4 };
    }
    let ch = s[j..].chars().next().expect("a char starts here");
    let k = j + ch.len_utf8();
    let cjk = is_cjk(ch);
    if !cjk && !ch.is_whitespace() {
        return k; // a letter: the byte count was right
    }
    // The byte count started a word here if a space (or nothing) came
    // before; a CJK char is a word of its own, whitespace none.
    let counted = j == 0 || ascii_space(b[j - 1]);
    *n = *n + u32::from(cjk) - u32::from(counted);
    // The byte count never starts a word right after a non-ASCII char; a
    // letter there does start one. (A following space starts none, and a
    // following whitespace or CJK char is corrected on its own.)
    if let Some(next) = s[k..].chars().next() {
        if !next.is_whitespace() && !is_cjk(next) {
            *n += 1;
        }
    }
    k
}

/// An ASCII byte is whitespace exactly when `char::is_whitespace` says so
/// (tab, LF, VT, FF, CR, space).
fn ascii_space(c: u8) -> bool {
    c == b' ' || c.wrapping_sub(b'\t') < 5
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FFFF) // CJK Extensions B–F
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_counts_ascii_and_beyond() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  one\ttwo\u{0b}three\u{0c}four\r\nfive "), 5);
        assert_eq!(count_words("café au lait"), 3);
        assert_eq!(count_words("ab\u{a0}cd"), 2, "no-break space separates");
        assert_eq!(count_words("x 東京 y"), 4, "each CJK character is a word");
        assert_eq!(count_words("ab東京cd"), 4);
        assert_eq!(count_words("word\u{2003}word"), 2, "em space");
    }

    /// The plain definition: a word starts at a non-whitespace, non-CJK char
    /// that does not follow another such char; each CJK char is a word.
    fn reference_count(s: &str) -> u32 {
        let (mut n, mut in_word) = (0, false);
        for c in s.chars() {
            if is_cjk(c) {
                n += 1;
                in_word = false;
            } else if c.is_whitespace() {
                in_word = false;
            } else {
                n += u32::from(!in_word);
                in_word = true;
            }
        }
        n
    }

    proptest::proptest! {
        #[test]
        fn word_count_matches_the_plain_definition(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "word", " ", "  ", "\t", "\n", "\r\n", "\u{0b}", "\u{0c}", "\u{85}", "\u{a0}", "\u{1680}",
                "\u{2003}", "\u{2028}", "\u{3000}", "\u{e9}", "caf\u{e9}", "\u{2019}", "\u{2014}", "\u{1f680}",
                "\u{6771}\u{4eac}", "\u{30c7}", "\u{ac00}", "\u{f900}", "\u{20000}", "\u{2ffff}", "\u{30000}",
                "\u{303f}", "\u{4dc0}", "\u{d7b0}", "12345678", "abcdefghijklmnop", "\u{7f}", "\u{8}", "\u{e}", "!",
                "\u{1f}", "\u{21}", "\u{c0}", "\u{ff}", "\u{7ff}", "\u{800}", "\u{fff}", "\u{1000}", "\u{e000}",
                "\u{efff}", "\u{f000}", "\u{3ffff}", "\u{40000}", "\u{10ffff}",
            ]), 0..40)) {
            let s = parts.concat();
            proptest::prop_assert_eq!(count_words(&s), reference_count(&s), "{:?}", s);
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_word_count_matches_the_plain_definition(s in "[\\x00-\\x7f]{0,40}") {
            proptest::prop_assert_eq!(count_words(&s), reference_count(&s));
        }
    }

    #[test]
    fn skipped_lead_bytes_start_no_whitespace_or_cjk() {
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let lead = c.encode_utf8(&mut buf).as_bytes()[0];
            if matches!(lead, 0xC3..=0xE0 | 0xEE | 0xF1..=0xF4) {
                assert!(!c.is_whitespace() && !is_cjk(c), "{c:?}");
            }
        }
    }

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
