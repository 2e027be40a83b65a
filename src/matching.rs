//! Heading titles compared the way the spec says: case-insensitive, ignoring
//! surrounding whitespace, a trailing `:`, emphasis markers and a leading
//! section number, with `&` read as `and`; a `<Word>` part of a canonical
//! title matches any text; near misses by edit distance.

use crate::rubric::SectionSpec;

/// The normalised form of a heading title.
pub fn normalize(title: &str) -> String {
    let mut s = title.trim();
    // Leading numbering: "1.", "2.3", "4)".
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').len();
    if digits > 0 {
        let rest = &s[digits..];
        let rest = rest.strip_prefix(')').unwrap_or(rest);
        if rest.starts_with(char::is_whitespace) {
            s = rest;
        }
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut space = false;
    for c in s.chars() {
        match c {
            '*' | '_' | '`' => continue,
            '&' => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push_str("and");
                space = true;
                continue;
            }
            c if c.is_whitespace() => {
                space = true;
                continue;
            }
            _ => {}
        }
        if space && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    while out.ends_with(':') || out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether a normalised title matches a normalised pattern, where a
/// `<…>` part of the pattern stands for any non-empty text.
pub fn matches_pattern(norm: &str, pattern: &str) -> bool {
    match (pattern.find('<'), pattern.find('>')) {
        (Some(a), Some(b)) if a < b => {
            let (pre, post) = (&pattern[..a], &pattern[b + 1..]);
            norm.len() > pre.len() + post.len() && norm.starts_with(pre) && norm.ends_with(post)
        }
        _ => norm == pattern,
    }
}

/// How a heading relates to a section spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleMatch {
    Exact,
    /// Within a small edit distance of the title or an alias.
    NearMiss,
    None,
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

/// Compares a normalised heading title with a spec's title and aliases.
pub fn match_title(norm: &str, spec: &SectionSpec) -> TitleMatch {
    match_names(norm, spec.names())
}

/// A spec's title and aliases, normalised once (the outline compares every
/// candidate heading with them).
#[derive(Debug, Clone)]
pub struct SpecNames(Vec<String>);

impl SpecNames {
    pub fn new(spec: &SectionSpec) -> Self {
        SpecNames(std::iter::once(&spec.title).chain(spec.aliases.iter()).map(|n| normalize(n)).collect())
    }
}

/// Whether a normalised title matches one of the names exactly (patterns included).
pub fn is_exact(norm: &str, names: &SpecNames) -> bool {
    names.0.iter().any(|pat| matches_pattern(norm, pat))
}

/// [`match_title`] with the names normalised beforehand: `Exact` if any name
/// matches, else `NearMiss` if any name without a `<…>` part is within the
/// edit distance its length allows.
pub fn match_names(norm: &str, names: &SpecNames) -> TitleMatch {
    if is_exact(norm, names) {
        return TitleMatch::Exact;
    }
    let near = names.0.iter().any(|pat| {
        if pat.contains('<') {
            return false;
        }
        let limit = near_threshold(pat.chars().count());
        limit > 0 && norm.len().abs_diff(pat.len()) <= limit * 4 && strsim::levenshtein(norm, pat) <= limit
    });
    if near {
        TitleMatch::NearMiss
    } else {
        TitleMatch::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Rubric;

    #[test]
    fn normalisation() {
        assert_eq!(normalize("  Mentoring & Coaching: "), "mentoring and coaching");
        assert_eq!(normalize("**Summary**"), "summary");
        assert_eq!(normalize("3. Scope of   Responsibilities"), "scope of responsibilities");
        assert_eq!(normalize("Roles&Responsibilities"), "roles and responsibilities");
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
}
