//! Heading titles compared the way the spec says (§2), in one place: every
//! structural rule, the fixes and the editor features go through here.
//!
//! [`normalize`] sees through what people decorate titles with: case,
//! surrounding whitespace, leading and trailing emoji and symbols, numbering
//! (`1.`, `1)`, `2.3`, `I.`, `VII.`, `A.`, `Part 2 –`, `Section 3:`), inline
//! markup (`**`, `_`, `` ` ``, `~~`, links, a few inline HTML tags), trailing
//! punctuation, and reads `&`, `/` and `+` as `and`. A `<Word>` part of a
//! canonical title matches any text. [`match_names`] then tells an exact
//! match from a qualified one (the title followed by `(…)`, ` - …`, ` — …`,
//! `: …` or ` and …`) and from a near miss (small edit distance).


/// Inline HTML tags that decorate a title rather than name a placeholder.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "big", "br", "cite", "code", "del", "em", "font", "i", "ins", "kbd", "mark", "q", "s", "small",
    "span", "strike", "strong", "sub", "sup", "u",
];

/// The length of an inline decoration tag (`<b>`, `</span>`, `<a href=…>`) at
/// the start of `s`, if one is there.
fn inline_tag_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('<')?;
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let name = &rest[..name_len];
    if name.is_empty() || !INLINE_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
        return None;
    }
    let after = &rest[name_len..];
    if !(after.starts_with('>') || after.starts_with([' ', '/'])) {
        return None;
    }
    let close = s.find('>')?;
    Some(close + 1)
}

/// Whether `c` may stand at either end of a normalised title: letters and
/// digits, `<` / `>` of a placeholder, `(` / `)` of a qualifier.
fn keeps(c: char) -> bool {
    c.is_alphanumeric()
}

/// A roman numeral of the usual section numbers (i–xxxix).
fn is_roman(w: &str) -> bool {
    !w.is_empty() && w.len() <= 6 && w.bytes().all(|b| matches!(b, b'i' | b'v' | b'x'))
}

/// A section number: `3`, `2.3`, `vii`, a single letter.
fn is_number(w: &str) -> bool {
    let digits = !w.is_empty()
        && w.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && w.as_bytes()[0].is_ascii_digit();
    digits || is_roman(w) || (w.len() == 1 && w.as_bytes()[0].is_ascii_lowercase())
}

/// Strips one leading numbering from a lower-cased, space-collapsed title:
/// `1. `, `1) `, `2.3 `, `vii. `, `a) `, `3 - `, `part 2 – `, `section 3: `.
/// Returns `None` when there is none.
fn strip_numbering(s: &str) -> Option<&str> {
    let (first, rest) = s.split_once(' ')?;
    // "part 2 - x", "section iii: x", "chapter 1 x".
    if matches!(first, "part" | "section" | "chapter" | "step") {
        let (num, after) = rest.split_once(' ').unwrap_or((rest, ""));
        let num_clean = num.trim_end_matches(['.', ')', ':', '-']);
        if is_number(num_clean) && !after.is_empty() {
            let after = after.strip_prefix("- ").or_else(|| after.strip_prefix(": ")).unwrap_or(after);
            return Some(after);
        }
        return None;
    }
    // "1." / "1)" / "vii." / "a)" / "1:" directly followed by the title.
    if let Some(num) = first.strip_suffix(['.', ')', ':']) {
        let num = num.strip_prefix('(').unwrap_or(num);
        // (A single letter or a roman numeral needs its `.` or `)`: it has one.)
        return is_number(num).then_some(rest);
    }
    // "7 summary", "2.3 overview", "3 - summary": digits only (a bare word
    // could be the title's own first word).
    if !first.is_empty() && first.as_bytes()[0].is_ascii_digit() && is_number(first) {
        let rest = rest.strip_prefix("- ").or_else(|| rest.strip_prefix(": ")).unwrap_or(rest);
        return Some(rest);
    }
    None
}

/// The normalised form of a heading title (see the module documentation).
pub fn normalize(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 4);
    let mut space = false;
    let push_word = |out: &mut String, space: &mut bool, w: &str| {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(w);
        *space = true;
    };
    let mut rest = title.trim();
    while let Some(c) = rest.chars().next() {
        let len = c.len_utf8();
        match c {
            '<' => {
                if let Some(n) = inline_tag_len(rest) {
                    rest = &rest[n..];
                    continue;
                }
            }
            // Emphasis, code, strikethrough and the brackets of a link.
            '*' | '_' | '`' | '~' | '[' => {
                rest = &rest[len..];
                continue;
            }
            ']' => {
                // `[text](url)`: the text stays, the url goes.
                let after = &rest[1..];
                rest = match after.strip_prefix('(').and_then(|a| a.find(')').map(|i| &a[i + 1..])) {
                    Some(a) => a,
                    None => after,
                };
                continue;
            }
            '&' | '+' | '/' => {
                push_word(&mut out, &mut space, "and");
                rest = &rest[len..];
                continue;
            }
            c if c.is_whitespace() => {
                space = true;
                rest = &rest[len..];
                continue;
            }
            _ => {}
        }
        rest = &rest[len..];
        if space && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        space = false;
        match c {
            // Dashes of every width read as one hyphen.
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    trim_decoration(&out).to_string()
}

/// Strips leading decoration and numbering, and trailing symbols and
/// punctuation, from a lower-cased, space-collapsed title.
fn trim_decoration(mut s: &str) -> &str {
    // Each round strips one layer ("1. 🧭 overview", "part 2 – 1) x").
    for _ in 0..8 {
        let before = s.len();
        // (A `(` may open a numbering: "(1) overview".)
        s = s.trim_start_matches(|c: char| !keeps(c) && c != '<' && c != '(');
        if let Some(n) = strip_numbering(s) {
            s = n;
        }
        s = s.trim_start_matches(|c: char| !keeps(c) && c != '<');
        if s.len() == before {
            break;
        }
    }
    s.trim_end_matches(|c: char| !keeps(c) && c != '>' && c != ')')
}

/// Whether `rest`, the text after a title, makes the heading a qualified
/// form of that title: `(…)`, ` - …`, `: …` or ` and …`.
fn is_qualifier(rest: &str) -> bool {
    if rest.starts_with(':') {
        return true;
    }
    let Some(r) = rest.strip_prefix(' ') else { return false };
    r.starts_with('(') || r.starts_with("- ") || r.starts_with("and ") || r.starts_with(": ")
}

/// How a normalised title stands to one normalised name: the length of the
/// name's match when the title is the name (`Some(true)`) or the name and a
/// qualifier (`Some(false)`).
fn match_one(norm: &str, pattern: &str) -> Option<bool> {
    match (pattern.find('<'), pattern.find('>')) {
        (Some(a), Some(b)) if a < b => {
            let (pre, post) = (&pattern[..a], &pattern[b + 1..]);
            let tail = norm.strip_prefix(pre)?;
            if tail.is_empty() {
                return None;
            }
            if post.is_empty() {
                return Some(true);
            }
            // The `<…>` part is non-empty: look for `post` from its second byte on.
            let mut best = None;
            for (i, _) in tail.match_indices(post) {
                if i == 0 {
                    continue;
                }
                let rest = &tail[i + post.len()..];
                if rest.is_empty() {
                    return Some(true);
                }
                if is_qualifier(rest) {
                    best = Some(false);
                }
            }
            best
        }
        _ => {
            let rest = norm.strip_prefix(pattern)?;
            if rest.is_empty() {
                Some(true)
            } else {
                is_qualifier(rest).then_some(false)
            }
        }
    }
}

/// Whether a normalised title matches a normalised pattern exactly, where a
/// `<…>` part of the pattern stands for any non-empty text.
pub fn matches_pattern(norm: &str, pattern: &str) -> bool {
    match_one(norm, pattern) == Some(true)
}

/// How a heading relates to a section spec, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TitleMatch {
    None,
    /// Within a small edit distance of the title or an alias.
    NearMiss,
    /// The title or an alias followed by a qualifier (`Summary and next steps`).
    Qualified,
    Exact,
}

impl TitleMatch {
    /// Exact or qualified: the heading is that section.
    pub fn is_match(self) -> bool {
        matches!(self, TitleMatch::Exact | TitleMatch::Qualified)
    }
}

/// The edit distance that still counts as a near miss for a title of `len` chars.
fn near_threshold(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=9 => 1,
        10..=19 => 2,
        _ => 3,
    }
}

/// A spec's title and aliases, normalised once (the outline compares every
/// candidate heading with them).
#[derive(Debug, Clone)]
pub struct SpecNames(Vec<String>);

impl SpecNames {
    /// A section's title and its aliases, normalised.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        SpecNames(names.into_iter().map(normalize).collect())
    }

    /// How strongly a title matches these names, to let the best of several
    /// sections take a heading: exact before qualified, then the longer name.
    /// `None` unless the title is one of the names, or one followed by a
    /// qualifier that is not rather a near miss of a longer name
    /// ("Mentorship & Coching" is a misspelt "Mentorship and Coaching", not
    /// "Mentorship" qualified).
    pub fn strength(&self, norm: &str) -> Option<(bool, usize)> {
        let best = self.0.iter().filter_map(|pat| match_one(norm, pat).map(|exact| (exact, pat.len()))).max()?;
        if !best.0 && self.0.iter().any(|pat| pat.len() > best.1 && is_near(norm, pat)) {
            return None;
        }
        Some(best)
    }

    fn any_near(&self, norm: &str) -> bool {
        self.0.iter().any(|pat| is_near(norm, pat))
    }
}

/// Whether `norm` is within the edit distance a name of that length allows
/// (names with a `<…>` part have no near misses).
fn is_near(norm: &str, pat: &str) -> bool {
    if pat.contains('<') {
        return false;
    }
    let limit = near_threshold(pat.chars().count());
    limit > 0 && norm.len().abs_diff(pat.len()) <= limit * 4 && strsim::levenshtein(norm, pat) <= limit
}

/// Whether a normalised title matches one of the names exactly (patterns
/// included, no qualifier).
pub fn is_exact(norm: &str, names: &SpecNames) -> bool {
    names.0.iter().any(|pat| matches_pattern(norm, pat))
}

/// Whether a normalised title matches one of the names exactly or with a qualifier.
pub fn is_match(norm: &str, names: &SpecNames) -> bool {
    names.strength(norm).is_some()
}

/// A normalised heading title compared with the names normalised beforehand: `Exact` if any name
/// matches, `Qualified` if one matches followed by a qualifier, else
/// `NearMiss` if any name without a `<…>` part is within the edit distance
/// its length allows.
pub fn match_names(norm: &str, names: &SpecNames) -> TitleMatch {
    match names.strength(norm) {
        Some((true, _)) => return TitleMatch::Exact,
        Some((false, _)) => return TitleMatch::Qualified,
        None => {}
    }
    if names.any_near(norm) {
        TitleMatch::NearMiss
    } else {
        TitleMatch::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::{Rubric, SectionSpec};

    fn match_title(norm: &str, spec: &SectionSpec) -> TitleMatch {
        match_names(norm, spec.names())
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize("  Mentoring & Coaching: "), "mentoring and coaching");
        assert_eq!(normalize("**Summary**"), "summary");
        assert_eq!(normalize("3. Scope of   Responsibilities"), "scope of responsibilities");
        assert_eq!(normalize("Roles&Responsibilities"), "roles and responsibilities");
    }

    #[test]
    fn decorations_are_seen_through() {
        for (title, want) in [
            ("🧭 Overview", "overview"),
            ("🏁 Summary 🏁", "summary"),
            ("💜 Alignment with Brightcart Values", "alignment with brightcart values"),
            ("VII. Summary", "summary"),
            ("vii) Summary", "summary"),
            ("7. Summary", "summary"),
            ("7) Summary", "summary"),
            ("7 Summary", "summary"),
            ("2.3 Overview", "overview"),
            ("A. Overview", "overview"),
            ("b) Overview", "overview"),
            ("Part 2 – Mentoring and Coaching", "mentoring and coaching"),
            ("Part II: Summary", "summary"),
            ("Section 3: Summary", "summary"),
            ("1. 🧭 Overview", "overview"),
            ("✅ 4) Summary.", "summary"),
            ("Results / Impact", "results and impact"),
            ("Results+Impact", "results and impact"),
            ("<b>Summary</b>", "summary"),
            ("[Summary](#summary)", "summary"),
            ("~~Draft~~ Summary!", "draft summary"),
            ("Summary — next steps", "summary - next steps"),
            ("Alignment with <Company> Values", "alignment with <company> values"),
            ("Roles and Responsibilities (mine)", "roles and responsibilities (mine)"),
            ("Intern", "intern"),
            ("I led the migration", "i led the migration"),
            ("Scope", "scope"),
            ("2024", "2024"),
            ("🚀", ""),
        ] {
            assert_eq!(normalize(title), want, "{title:?}");
        }
    }

    #[test]
    fn patterns_aliases_and_near_misses() {
        let r = Rubric::senior_em();
        let values = &r.sections[7];
        assert_eq!(match_title(&normalize("Alignment with Acme Values"), values), TitleMatch::Exact);
        assert_eq!(match_title(&normalize("Alignment with  Values"), values), TitleMatch::Exact, "alias");
        let mentoring = &r.sections[4];
        assert_eq!(match_title(&normalize("Coaching & Mentoring"), mentoring), TitleMatch::Exact);
        assert_eq!(match_title(&normalize("Mentorship & Coching"), mentoring), TitleMatch::NearMiss);
        assert_eq!(match_title(&normalize("Hobbies"), mentoring), TitleMatch::None);
        assert_eq!(match_title(&normalize("Summery"), &r.sections[8]), TitleMatch::NearMiss);
    }

    #[test]
    fn qualifiers() {
        let r = Rubric::senior_em();
        let cfc = &r.sections[6];
        let summary = &r.sections[8];
        let values = &r.sections[7];
        let roles = &r.initiative_subsections[1];
        let results = &r.initiative_subsections[2];
        for (title, spec, want) in [
            ("Cross-Functional Collaboration (with Product & Ops)", cfc, TitleMatch::Qualified),
            ("Summary and next steps", summary, TitleMatch::Qualified),
            ("Summary: what comes next", summary, TitleMatch::Qualified),
            ("Summary - what comes next", summary, TitleMatch::Qualified),
            ("Summary — what comes next", summary, TitleMatch::Qualified),
            ("Summaryish", summary, TitleMatch::None),
            ("Summary of my year", summary, TitleMatch::None),
            ("Roles and Responsibilities (mine)", roles, TitleMatch::Qualified),
            ("Results / Impact", results, TitleMatch::Exact),
            ("Alignment with Brightcart Values (2026)", values, TitleMatch::Qualified),
            ("Cross Functional Collaboration", cfc, TitleMatch::NearMiss),
            ("Role and Responsibilities", roles, TitleMatch::NearMiss),
        ] {
            assert_eq!(match_title(&normalize(title), spec), want, "{title:?}");
        }
    }
}
