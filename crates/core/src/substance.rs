//! What counts as written content, for the honest counts of spec §3.1: an
//! item (initiative, component, mentoring example, product area, value)
//! counts towards a minimum only when it holds text other than placeholders
//! (`<Name>`, `<what you did>`, `TODO`, `TBD`, `FIXME`, `lorem ipsum`,
//! `Value1`) and prompt comments. Inserted stubs are made of those, so a
//! fix never satisfies a minimum by itself.

use std::ops::Range;

use std::hash::Hasher;

use crate::document::memo::{QuickHasher, RUN};
use crate::document::{Document, Fact};

/// HTML tags that are markup, not a `<placeholder>`.
const HTML_TAGS: &[&str] = &[
    "a", "abbr", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "br", "button",
    "caption", "center", "cite", "code", "col", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "embed",
    "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "iframe", "img",
    "input", "ins", "kbd", "label", "li", "mark", "math", "meter", "nav", "object", "ol", "p", "picture", "pre",
    "progress", "q", "s", "samp", "section", "small", "source", "span", "strike", "strong", "style", "sub", "summary",
    "sup", "svg", "table", "tbody", "td", "template", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
    "video", "wbr",
];

/// The `<…>` placeholders in `s` (one line at most each): a `<` and a
/// letter, up to the next `>` on the line, that is not an HTML tag or an
/// autolink.
pub fn angle_placeholders(s: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let b = s.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while let Some(i) = memchr::memchr(b'<', &b[pos..]) {
            let start = pos + i;
            pos = start + 1;
            if !b.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
                continue;
            }
            let rest = &b[start + 1..];
            let Some(len) = rest.iter().take(160).position(|&c| matches!(c, b'>' | b'<' | b'\n' | b'\r')) else {
                continue;
            };
            if rest[len] != b'>' {
                continue;
            }
            let inner = &s[start + 1..start + 1 + len];
            let name_len = inner.bytes().take_while(u8::is_ascii_alphanumeric).count();
            let name = &inner[..name_len];
            let tag = HTML_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name))
                && inner[name_len..].chars().next().is_none_or(|c| c == ' ' || c == '/');
            let autolink = inner.contains("://") || (inner.contains('@') && !inner.contains(' ')) || inner.contains('=');
            if tag || autolink {
                continue;
            }
            pos = start + 1 + len + 1;
            return Some(start..pos);
        }
        None
    })
}

/// Whether `s` is only placeholders, punctuation and whitespace.
pub fn is_placeholder_only(s: &str) -> bool {
    let mut cleaned = String::with_capacity(s.len());
    let mut last = 0;
    for r in angle_placeholders(s) {
        cleaned.push_str(&s[last..r.start]);
        cleaned.push(' ');
        last = r.end;
    }
    cleaned.push_str(&s[last..]);
    cleaned
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(is_placeholder_word)
}

/// `TODO`, `TBD`, `FIXME`, `lorem`, `ipsum`, `Value1`…
fn is_placeholder_word(w: &str) -> bool {
    matches!(w, "TODO" | "TBD" | "FIXME" | "XXX")
        || w.eq_ignore_ascii_case("lorem")
        || w.eq_ignore_ascii_case("ipsum")
        || w.strip_prefix("Value").is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

/// Whether the text of `r` outside code and comments holds a `<…>` placeholder.
pub fn has_unfilled(doc: &Document, r: Range<usize>) -> bool {
    doc.memo.flag(Fact::Unfilled, &r, || raw_pieces(doc, r.clone()).any(|p| angle_placeholders(p).next().is_some()))
}

/// The source text of `r` in pieces, without HTML comments and code.
pub fn raw_pieces<'d>(doc: &'d Document, r: Range<usize>) -> impl Iterator<Item = &'d str> + 'd {
    let first = doc.skip.partition_point(|s| s.end <= r.start);
    let mut at = r.start;
    let mut skips = doc.skip[first..].iter().take_while(move |s| s.start < r.end).peekable();
    let end = r.end;
    std::iter::from_fn(move || {
        while at < end {
            match skips.peek() {
                Some(s) if s.start <= at => {
                    at = at.max(s.end.min(end));
                    skips.next();
                }
                Some(s) => {
                    let piece = &doc.text[at..s.start.min(end)];
                    at = s.start.min(end);
                    if !piece.is_empty() {
                        return Some(piece);
                    }
                }
                None => {
                    let piece = &doc.text[at..end];
                    at = end;
                    return Some(piece);
                }
            }
        }
        None
    })
}

/// Whether text runs outside headings that start in `r` hold written text
/// (not only placeholders), or `r` holds code.
pub fn has_written_text(doc: &Document, r: Range<usize>) -> bool {
    doc.memo.flag(Fact::Written, &r, || compute_written_text(doc, r.clone()))
}

fn compute_written_text(doc: &Document, r: Range<usize>) -> bool {
    let mut text = String::new();
    for run in doc.runs.starting_in(r.clone()).filter(|t| !t.in_heading) {
        text.push_str(&doc.text[run.range]);
        text.push(' ');
    }
    if !is_placeholder_only(&text) {
        return true;
    }
    // Code is content too (comments are not).
    let first = doc.skip.partition_point(|s| s.end <= r.start);
    doc.skip[first..].iter().take_while(|s| s.start < r.end).any(|s| !doc.text[s.clone()].starts_with("<!--"))
}

/// Whether the section of heading `h` (children included) holds written
/// content: a heading item (initiative, component, value) counts only then.
pub fn section_is_written(doc: &Document, h: usize) -> bool {
    doc.has_content(h) && has_written_text(doc, doc.headings[h].line.end..doc.headings[h].end)
}

/// How many of a container's items (initiatives, components, values) are written.
pub fn written_count(doc: &Document, items: &[crate::outline::Item]) -> u32 {
    item_counts(doc, items).written
}

/// Of a container's items: how many are written, how many complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemCounts {
    pub written: u32,
    pub complete: u32,
}

/// [`ItemCounts`] of `items` (consecutive children of one container),
/// memoised per run of [`RUN`] items: a keystroke changes one run, so a
/// container of hundreds of items costs a few lookups and one run's items.
/// A run's counts depend on its text and on which of its headings the
/// outline took as items and as their subsections (offsets from its first
/// item), the key's `extra`.
pub fn item_counts(doc: &Document, items: &[crate::outline::Item]) -> ItemCounts {
    let count = |run: &[crate::outline::Item]| {
        run.iter().fold(ItemCounts::default(), |mut c, i| {
            let s = item_state(doc, i);
            c.written += u32::from(s.written);
            c.complete += u32::from(s.complete);
            c
        })
    };
    let mut total = ItemCounts::default();
    for run in items.chunks(RUN) {
        let c = if run.len() < RUN {
            count(run)
        } else {
            let (first, last) = (run[0].heading, run[run.len() - 1].heading);
            let range = doc.headings[first].line.start..doc.headings[last].end;
            let mut key = QuickHasher::default();
            for i in run {
                key.write_usize(i.heading.wrapping_sub(first));
                write_subsections(&mut key, i, first);
            }
            let bits = doc.memo.get(Fact::ItemCounts, &range, key.finish(), || {
                let c = count(run);
                u64::from(c.written) | u64::from(c.complete) << 32
            });
            ItemCounts { written: bits as u32, complete: (bits >> 32) as u32 }
        };
        total.written += c.written;
        total.complete += c.complete;
    }
    total
}

/// Which headings the outline took as `item`'s subsections, as offsets from
/// heading `base`: the part of a memo key that says how an item was matched.
fn write_subsections(key: &mut QuickHasher, item: &crate::outline::Item, base: usize) {
    key.write_usize(item.children.len());
    for c in &item.children {
        key.write_usize(c.heading().map_or(usize::MAX, |k| k.wrapping_sub(base)));
    }
}

/// What the counts and the readiness ask of an item (an initiative, a component, a value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemState {
    /// The item's section is written ([`section_is_written`]).
    pub written: bool,
    /// Every subsection present and written (initiatives; an item without
    /// subsections in the rubric is complete).
    pub complete: bool,
}

/// [`ItemState`] of `item`: it depends on the item's text and on which
/// headings the outline matched as its subsections (offsets from its own
/// heading). Kept in the item's facts when the outline memoised its match (an
/// initiative: a long packet has hundreds), else in the memo.
pub fn item_state(doc: &Document, item: &crate::outline::Item) -> ItemState {
    let h = item.heading;
    let section = doc.headings[h].line.start..doc.headings[h].end;
    let mut key = QuickHasher::default();
    write_subsections(&mut key, item, h);
    let bits = doc.memo.get_in(item.facts.as_deref(), Fact::ItemState, &section, key.finish(), || {
        let written = section_is_written(doc, h);
        let complete = item.children.iter().all(|c| c.heading().is_some_and(|k| section_is_written(doc, k)));
        u64::from(written) | u64::from(complete) << 1
    });
    ItemState { written: bits & 1 != 0, complete: bits & 2 != 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_markup() {
        let found = |s: &str| angle_placeholders(s).map(|r| s[r].to_string()).collect::<Vec<_>>();
        assert_eq!(found("<Name>, a <b>bold</b> <what you did, and how>"), vec!["<Name>", "<what you did, and how>"]);
        assert_eq!(found("<https://x.y> <a href=\"x\"> <me@x.y> a < b > c <br/>"), Vec::<String>::new());
        assert!(is_placeholder_only(" <New-grad mentee>: <what you guided them to complete> "));
        assert!(is_placeholder_only("TODO TBD Lorem ipsum Value2 ..."));
        assert!(!is_placeholder_only("Mentored <Name>, a new grad"));
        assert!(!is_placeholder_only("Values matter"));
    }

    #[test]
    fn written_sections() {
        let doc = Document::parse("# A\n\n<!-- prompt -->\n\n# B\n\nTODO\n\n# C\n\n<Name>: <what>\n\n# D\n\nShipped it.\n\n# E\n\n```\ncode\n```\n");
        let got: Vec<bool> = (0..doc.headings.len()).map(|h| section_is_written(&doc, h)).collect();
        assert_eq!(got, vec![false, false, false, true, true]);
    }
}
