use super::{section_pieces, Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::document::Fact;
use crate::rubric::SectionKind;
use crate::text::words::{Token, WordWalker};

pub const INFO: RuleInfo = RuleInfo {
    summary: "A Results and Impact subsection states no measurable figure (number, %, currency, duration).",
    doc: "Results read as claims until they are measured: latency down 40%, $2M saved, shipped in six weeks, three teams onboarded. Any digit counts, as do words such as \"doubled\", \"halved\", \"twice\" or a spelled-out number followed by a unit of time or a count noun. Empty subsections are left to `empty-section`.",
    has_fix: false,
};

/// What counts as a figure, besides a digit, `$`, `€`, `£`, `¥` or `%`: the
/// case-insensitive regex
/// `\b(doubled|tripled|halved|twice|thrice|quadrupled|tenfold)\b|\b(one|two|…|millions)\s+\w+`
/// over the lower-cased section text (the runs joined by spaces), matched
/// here by a walk over its words.
fn is_multiple(w: &[u8]) -> bool {
    matches!(w, b"doubled" | b"tripled" | b"halved" | b"twice" | b"thrice" | b"quadrupled" | b"tenfold")
}

fn is_count(w: &[u8]) -> bool {
    matches!(
        w,
        b"one" | b"two" | b"three" | b"four" | b"five" | b"six" | b"seven" | b"eight" | b"nine" | b"ten" | b"eleven"
            | b"twelve" | b"dozen" | b"dozens" | b"hundreds" | b"thousands" | b"millions"
    )
}

/// Whether the lower-cased `pieces`, each followed by a space, hold a
/// multiple word, or a count word followed by whitespace and a word. A count
/// word has no `\b` after it in the pattern, but whitespace must follow it,
/// so it is a whole word all the same.
fn has_figure_word<'a>(pieces: impl Iterator<Item = &'a str>) -> bool {
    #[derive(PartialEq)]
    enum After {
        Other,
        Count,
        CountSpace,
    }
    let mut after = After::Other;
    let mut found = false;
    let mut f = |t: Token| match t {
        Token::Start => {
            found |= after == After::CountSpace;
            after = After::Other;
        }
        Token::Word(w) => {
            let w = w.unwrap_or(b""); // a word that is none of these
            found |= is_multiple(w);
            after = if is_count(w) { After::Count } else { After::Other };
        }
        Token::Gap(c) => {
            after = if after != After::Other && c.is_whitespace() { After::CountSpace } else { After::Other };
        }
    };
    let mut walker = WordWalker::default();
    for piece in pieces {
        walker.push_str(piece, true, &mut f);
        walker.push_ascii(b' ', &mut f);
    }
    walker.finish(&mut f);
    found
}

/// Whether the section's text (own heading excluded) holds an ASCII digit,
/// `$`, `€`, `£`, `¥` or `%`.
fn has_digit_or_sign(cx: &Cx, h: usize) -> bool {
    cx.doc.runs_in(h).filter(|r| !(r.in_heading && r.heading == Some(h))).any(|r| {
        let t = &cx.doc.text[r.range.clone()];
        t.bytes().any(|b| b.is_ascii_digit() || b == b'$' || b == b'%') || t.contains(['€', '£', '¥'])
    })
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    for &slot in &cx.slots {
        if slot.spec.kind != Some(SectionKind::Results) {
            continue;
        }
        let Some(h) = slot.heading() else { continue };
        if !cx.doc.has_content(h) {
            continue;
        }
        // Most results state a digit, a currency sign or `%` (case and
        // lower-casing do not change them): look for those first.
        let section = cx.doc.headings[h].line.start..cx.doc.headings[h].end;
        let figure = cx.doc.memo.get_in(slot.facts.as_deref(), Fact::Figure, &section, 0, || {
            u64::from(has_digit_or_sign(cx, h) || has_figure_word(section_pieces(cx.doc, h, false)))
        }) != 0;
        if figure {
            continue;
        }
        let owner = cx.doc.headings[h].parent.map(|p| cx.title(p)).unwrap_or("");
        out.push(Diagnostic::new(
            RuleCode::ResultsWithoutMetrics,
            cx.line(h),
            format!(
                "\"{}\" of \"{}\" states no measurable figure; add a number, percentage, amount or duration",
                cx.title(h),
                owner
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use regex::Regex;

    /// The rule's pattern before the word walk replaced it (the digit and
    /// sign part is checked on its own).
    fn by_regex(pieces: &[&str]) -> bool {
        let re = Regex::new(r"(?i)\b(doubled|tripled|halved|twice|thrice|quadrupled|tenfold)\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|hundreds|thousands|millions)\s+\w+").unwrap();
        let mut s = String::new();
        for p in pieces {
            s.push_str(p);
            s.push(' ');
        }
        re.is_match(&s.to_lowercase())
    }

    fn walk(pieces: &[&str]) -> bool {
        has_figure_word(pieces.iter().copied())
    }

    #[test]
    fn figure_words() {
        for (p, want) in [
            (&["Latency DOUBLED."][..], true),
            (&["redoubled effort"], false),
            (&["doubled_x"], false),
            (&["Two teams"], true),
            (&["two"], false),
            (&["two", "teams"], true),
            (&["tens of teams"], false),
            (&["dozens\u{a0}\u{2003}of"], true),
            (&["six ."], false),
            (&["\u{17f}ix months"], true),
            (&["someone else"], false),
            (&["one_ team"], false),
            (&["ten\u{301} x"], false),
            (&["ten caf\u{e9}"], true),
            (&["ten \u{301}"], true),
            (&["\u{130}one x"], false),
        ] {
            assert_eq!(walk(p), want, "{p:?}");
            assert_eq!(by_regex(p), want, "{p:?}");
        }
    }

    proptest! {
        #[test]
        fn figure_words_match_the_regex(pieces in proptest::collection::vec(
            proptest::collection::vec(prop::sample::select(vec![
                "one", "ONE", "Ten", "dozen", "dozens", "Thousands", "\u{17f}ix", "doubled", "TWICE", "tenfold",
                "x", "re", "s", "_", "-", " ", "  ", "\t", "\n", "\u{a0}", "\u{2003}", ".", "\u{301}", "\u{e9}",
                "\u{130}", "\u{212a}", "\u{3a3}", "\u{6771}", "0", "\u{200d}",
            ]), 0..10).prop_map(|v| v.concat()), 0..4)) {
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            prop_assert_eq!(walk(&refs), by_regex(&refs));
        }
    }
}
