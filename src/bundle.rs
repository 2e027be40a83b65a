//! `packet-ls bundle`: the complete package a sponsor submits, as one
//! self-contained HTML file: a cover (candidate, target role, sponsor), the
//! readiness summary, a table of contents, the packet, then each letter.
//!
//! No I/O here: the caller reads the letter files it resolved (see
//! [`crate::workspace::resolve_letters`]) and passes their text in. Every
//! piece of HTML that comes from an input (the packet, the letters, raw HTML
//! inside their Markdown) goes through `ammonia`, so no script, event handler
//! or `javascript:` URL survives; the page's own markup (cover, summary,
//! contents, headings) is built here with every text escaped.

use std::sync::Arc;

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::analysis::Analysis;
pub use crate::letters::{unavailable, LetterText, Letters};
use crate::document::{bom_len, front_matter};
use crate::frontmatter::{LetterKind, Person};
use crate::text::{Encoding, LineIndex};

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Loads a local image for the bundle: `(letter, src)`, where `letter` is the
/// letter `file:` (as written) the image appears in, or `None` for the
/// packet, and `src` is the image's address as written. Returns a `data:` URI,
/// or `None` (remote, missing, outside the workspace root, too big, not an
/// image type that is inlined): the image is then shown as its alt text.
pub type ImageLoader = Arc<dyn Fn(Option<&str>, &str) -> Option<String> + Send + Sync>;

/// Tags that raw HTML in the inputs may keep: ammonia's default safe list.
/// Every other tag is dropped (its text kept) before the HTML parser sees it:
/// some of them switch the parser into a mode that swallows what follows
/// (`<template>`, `<style>`, `<textarea>`, `<math>`, `<svg>`, `<plaintext>`…),
/// which used to empty the rest of a section.
const KEPT_TAGS: &[&str] = &[
    "a", "abbr", "acronym", "area", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "center",
    "cite", "code", "col", "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img", "ins", "kbd", "li",
    "map", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span", "strike",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
    "wbr",
];

/// Tags dropped together with their content, when it is closed in the same
/// piece of raw HTML (as ammonia does for these).
const DROPPED_WITH_CONTENT: &[&str] = &["script", "style"];

/// One `<…>` token of raw HTML starting at `b[p] == b'<'`.
enum Token<'a> {
    /// A start or end tag, ending before `end`.
    Tag { name: &'a str, closing: bool, end: usize },
    /// A comment, `<!…>` or `<?…>`, ending before `end`.
    Other { end: usize },
    /// Not a complete token: the `<` is text.
    Text,
}

fn token(raw: &str, p: usize) -> Token<'_> {
    let b = raw.as_bytes();
    let mut i = p + 1;
    if raw[i..].starts_with("!--") {
        let body = i + 3;
        // `<!-->` and `<!--->` end at once, as in the HTML tokenizer.
        for short in [">", "->"] {
            if raw[body..].starts_with(short) {
                return Token::Other { end: body + short.len() };
            }
        }
        return match raw[body..].find("-->") {
            Some(j) => Token::Other { end: body + j + 3 },
            // An unterminated comment hides the rest, as it does in Markdown.
            None => Token::Other { end: raw.len() },
        };
    }
    if matches!(b.get(i), Some(b'!') | Some(b'?')) {
        return match raw[i..].find('>') {
            Some(j) => Token::Other { end: i + j + 1 },
            None => Token::Text,
        };
    }
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    if !b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        return Token::Text;
    }
    let name_start = i;
    while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        i += 1;
    }
    let name = &raw[name_start..i];
    // Attributes, as the tokenizer reads them: a quoted value may hold `>`.
    loop {
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace() || *c == b'/') {
            i += 1;
        }
        match b.get(i) {
            None => return Token::Text,
            Some(b'>') => return Token::Tag { name, closing, end: i + 1 },
            _ => {}
        }
        while b.get(i).is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>' | b'=')) {
            i += 1;
        }
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => match raw[i + 1..].find(q as char) {
                Some(j) => i += j + 2,
                None => return Token::Text,
            },
            _ => {
                while b.get(i).is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>') {
                    i += 1;
                }
            }
        }
    }
}

/// Raw HTML from an input, reduced to text and complete tags of [`KEPT_TAGS`]:
/// other tags, comments and `<!…>` are dropped, `<script>…</script>` and
/// `<style>…</style>` with their content, and a `<` that starts no complete
/// tag becomes `&lt;`. What is left cannot put the HTML parser into a mode that
/// swallows the text after it. This only keeps text; safety comes from
/// ammonia, which still sees everything.
fn neutralize_raw_html(raw: &str) -> String {
    neutralize_open(raw).0
}

/// [`neutralize_raw_html`], and the name of a `<script>` or `<style>` that
/// is left open at the end of `raw` (its content, in the events that follow,
/// is dropped too).
fn neutralize_open(raw: &str) -> (String, Option<&'static str>) {
    let mut open = None;
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'<', &raw.as_bytes()[i..]) {
        let p = i + j;
        out.push_str(&raw[i..p]);
        match token(raw, p) {
            Token::Tag { name, closing, end } => {
                let lower = name.to_ascii_lowercase();
                i = end;
                if KEPT_TAGS.contains(&lower.as_str()) {
                    out.push_str(&raw[p..end]);
                } else if !closing && DROPPED_WITH_CONTENT.contains(&lower.as_str()) {
                    match close_end(raw, end, &lower) {
                        Some(e) => i = e,
                        None => {
                            open = DROPPED_WITH_CONTENT.iter().copied().find(|t| *t == lower);
                            i = raw.len();
                        }
                    }
                }
            }
            Token::Other { end } => i = end,
            Token::Text => {
                out.push_str("&lt;");
                i = p + 1;
            }
        }
    }
    out.push_str(&raw[i..]);
    (out, open)
}

/// Where the end tag `</name …>` after `from` ends, if there is one.
fn close_end(raw: &str, from: usize, name: &str) -> Option<usize> {
    let close = format!("</{name}");
    let k = raw[from..].to_ascii_lowercase().find(&close)?;
    let after = from + k;
    Some(match token(raw, after) {
        Token::Tag { end, .. } => end,
        _ => after + close.len(),
    })
}

/// Whether `v` is one of the `data:` URIs [`ImageLoader`]s make.
fn is_inlined_image(v: &str) -> bool {
    ["data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;base64,", "data:image/webp;base64,"]
        .iter()
        .any(|p| v.starts_with(p))
}

/// Sanitises HTML from an input with ammonia's defaults: a safe list of tags
/// and attributes, no `<script>`/`<style>`, no `on*` handlers, only safe URL
/// schemes (no `javascript:`), `rel="noopener noreferrer"` on links. Headings
/// keep their `id` (the contents link to them). An image's `src` becomes the
/// `data:` URI `images` gives for it, or is dropped: nothing is loaded from
/// anywhere.
pub fn sanitize(html: &str, images: Option<(ImageLoader, Option<String>)>) -> String {
    let mut b = ammonia::Builder::default();
    b.add_tag_attributes("h1", &["id"])
        .add_tag_attributes("h2", &["id"])
        .add_tag_attributes("h3", &["id"])
        .add_tag_attributes("h4", &["id"])
        .add_tag_attributes("h5", &["id"])
        .add_tag_attributes("h6", &["id"]);
    b.attribute_filter(move |element, attribute, value| {
        if element == "img" && attribute == "src" {
            if is_inlined_image(value) {
                return Some(value.into());
            }
            let (load, doc) = images.as_ref()?;
            return load(doc.as_deref(), value).filter(|v| is_inlined_image(v)).map(Into::into);
        }
        Some(value.into())
    });
    b.clean(html).to_string()
}

struct TocEntry {
    level: u8,
    id: String,
    text: String,
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

fn heading_level(n: u8) -> HeadingLevel {
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

/// Renders Markdown to sanitised HTML, sanitised as one document (a piece of
/// raw HTML cannot empty the part after it). Headings get ids `{id_base}-N`
/// and are shifted down by `shift` levels; headings of level `<= toc_depth`
/// (before the shift) are added to the contents. Images are inlined by
/// `images` (for the document `doc`: `None` the packet, else a letter file)
/// or replaced by their alt text.
fn render_markdown(
    md: &str,
    id_base: &str,
    shift: u8,
    toc_depth: u8,
    toc: &mut Vec<TocEntry>,
    images: Option<&ImageLoader>,
    doc: Option<&str>,
) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_FOOTNOTES;
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(u8, String, String)> = None;
    // For each open image: whether it is kept (inlined) or shown as its alt text.
    let mut image_kept: Vec<bool> = Vec::new();
    let mut n = 0;
    // An inline `<script>` / `<style>` left open: its content (the events up to
    // its end tag, or to the end of the enclosing block) is dropped, with the
    // depth of the inline elements opened meanwhile.
    let mut dropping: Option<(&str, usize)> = None;
    for ev in Parser::new_ext(md, opts) {
        if let Some((name, depth)) = &mut dropping {
            match &ev {
                Event::InlineHtml(h) | Event::Html(h) => {
                    if let Some(e) = close_end(h, 0, name) {
                        let (rest, open) = neutralize_open(&h[e..]);
                        events.push(Event::InlineHtml(rest.into()));
                        dropping = open.map(|o| (o, 0));
                    }
                    continue;
                }
                Event::Start(_) => {
                    *depth += 1;
                    continue;
                }
                Event::End(_) if *depth > 0 => {
                    *depth -= 1;
                    continue;
                }
                Event::End(_) => dropping = None,
                _ => continue,
            }
        }
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                n += 1;
                let id = format!("{id_base}-{n}");
                let shown = (level_num(level) + shift).min(6);
                events.push(Event::Start(Tag::Heading {
                    level: heading_level(shown),
                    id: Some(id.clone().into()),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                heading = Some((level_num(level), id, String::new()));
            }
            Event::End(TagEnd::Heading(level)) => {
                let shown = (level_num(level) + shift).min(6);
                events.push(Event::End(TagEnd::Heading(heading_level(shown))));
                if let Some((level, id, text)) = heading.take() {
                    if level <= toc_depth {
                        toc.push(TocEntry { level, id, text: text.trim().to_string() });
                    }
                }
            }
            Event::Html(h) => events.push(Event::Html(neutralize_raw_html(&h).into())),
            Event::InlineHtml(h) => {
                let (clean, open) = neutralize_open(&h);
                events.push(Event::InlineHtml(clean.into()));
                dropping = open.map(|o| (o, 0));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                // Kept with its own address: the sanitiser swaps in the data: URI
                // (it would drop a data: URI given here).
                let kept = images.and_then(|l| l(doc, &dest_url)).is_some_and(|v| is_inlined_image(&v));
                image_kept.push(kept);
                if kept {
                    events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Image) => {
                if image_kept.pop() == Some(true) {
                    events.push(Event::End(TagEnd::Image));
                }
            }
            e => {
                if let (Some((_, _, text)), Event::Text(t) | Event::Code(t)) = (&mut heading, &e) {
                    text.push_str(t);
                }
                events.push(e);
            }
        }
    }
    let mut h = String::new();
    html::push_html(&mut h, events.into_iter());
    sanitize(&h, images.map(|l| (l.clone(), doc.map(str::to_string))))
}

/// Markdown without its front matter (if any).
fn without_front_matter(text: &str) -> &str {
    match front_matter(text) {
        Some(f) => &text[f.range.end..],
        None => &text[bom_len(text)..],
    }
}

fn person_line(p: &Person) -> String {
    let name = p.name.as_ref().map(|f| f.text()).unwrap_or("(unnamed)");
    let details: Vec<&str> = [p.role.as_ref(), p.relation.as_ref()].into_iter().flatten().map(|f| f.text()).collect();
    if details.is_empty() {
        escape(name)
    } else {
        format!("{} <span class=\"muted\">({})</span>", escape(name), escape(&details.join(", ")))
    }
}

const CSS: &str = r#"
:root { --ink: #1d2330; --muted: #5b6474; --rule: #d5d9e0; --accent: #2f5da8; --warn: #9a5b00; --err: #a12a2a; }
* { box-sizing: border-box; }
html { font-family: "Noto Serif", "DejaVu Serif", Georgia, serif; color: var(--ink); font-size: 11pt; line-height: 1.45; }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.5rem; }
h1, h2, h3, h4, h5, h6 { font-family: "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif; line-height: 1.2; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 1.6rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; margin-top: 2rem; }
h2 { font-size: 1.25rem; margin-top: 1.5rem; }
h3 { font-size: 1.05rem; }
p, li { orphans: 3; widows: 3; }
a { color: var(--accent); }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; }
pre { background: #f4f5f7; padding: .6rem; white-space: pre-wrap; overflow-wrap: anywhere; }
pre, table, blockquote, figure, img, tr { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid var(--rule); padding: .25rem .4rem; vertical-align: top; }
blockquote { margin-left: 0; padding-left: 1rem; border-left: 3px solid var(--rule); color: var(--muted); }
img { max-width: 100%; }
.muted { color: var(--muted); }
.cover { min-height: 80vh; display: flex; flex-direction: column; justify-content: center; break-after: page; page-break-after: always; }
.cover .kicker { text-transform: uppercase; letter-spacing: .12em; color: var(--muted); font-family: sans-serif; font-size: .85rem; }
.cover h1 { font-size: 2.4rem; border: 0; margin: .3rem 0 1.5rem; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1.2rem; font-size: 1.1rem; }
.cover dt { color: var(--muted); }
.cover dd { margin: 0; }
.summary { break-after: page; page-break-after: always; }
.summary .readiness { font-size: 1.15rem; font-weight: bold; }
.summary li.error { color: var(--err); }
.summary li.warning { color: var(--warn); }
.toc ol { list-style: none; padding-left: 0; }
.toc li.l2 { padding-left: 1.5rem; }
.toc li.l3 { padding-left: 3rem; font-size: .95em; }
.toc { break-after: page; page-break-after: always; }
.letter { break-before: page; page-break-before: always; }
.letter .missing { border: 1px dashed var(--err); color: var(--err); padding: .6rem; }
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The inputs of a bundle.
pub struct BundleInput<'a, 't, 'r> {
    /// The packet's analysis (its text, front matter, diagnostics, readiness).
    pub analysis: &'a Analysis<'t, 'r>,
    /// A name for the packet (its file name), shown in the summary.
    pub packet_name: &'a str,
    /// Each letter `file:` as written, with its text or why it is missing.
    pub letters: &'a Letters,
    /// Inlines local images; `None`: every image is shown as its alt text.
    pub images: Option<ImageLoader>,
}

/// The page's Content-Security-Policy: nothing may be loaded from anywhere
/// (images only from `data:` URIs, styles only the page's own), so even a
/// resource that got past the sanitiser is not fetched.
pub const CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/// Renders the whole package as one HTML document.
pub fn render(input: &BundleInput) -> String {
    let a = input.analysis;
    let fm = &a.front;
    let text = a.doc.text;
    let candidate = fm.candidate.as_ref().map(|f| f.text()).unwrap_or("Candidate not named");
    let target = fm.target.as_ref().map(|f| f.text()).unwrap_or("Senior Engineering Manager");

    let mut toc = Vec::new();
    let images = input.images.as_ref();
    let packet_html = render_markdown(&text[a.doc.body_start..], "packet", 0, 2, &mut toc, images, None);

    // Letters: the sponsor's own first (seed 004: the sponsor collates the
    // letters and their own), then one article each, in front-matter order.
    let mut letters_html = String::new();
    let mut letter_toc = Vec::new();
    let sponsor = fm.sponsor.iter().map(|p| ("letter-sponsor".to_string(), p, true));
    let others = fm.letters.iter().enumerate().map(|(i, p)| (format!("letter-{}", i + 1), p, false));
    for (id, l, is_sponsor) in sponsor.chain(others) {
        let name = l.name.as_ref().map(|f| f.text()).unwrap_or("(unnamed)");
        let title = if is_sponsor { format!("Sponsor's letter from {name}") } else { format!("Letter from {name}") };
        letter_toc.push(TocEntry { level: 2, id: id.clone(), text: title.clone() });
        letters_html.push_str(&format!("<article class=\"letter\" id=\"{id}\">\n<h2>{}</h2>\n", escape(&title)));
        let kinds = l.kinds();
        let covers = if is_sponsor {
            "The sponsor's own recommendation.".to_string()
        } else if kinds.is_empty() {
            "Covers none of the required letter kinds.".to_string()
        } else {
            format!("Covers: {}.", kinds.iter().map(|k| k.describe()).collect::<Vec<_>>().join("; "))
        };
        letters_html.push_str(&format!("<p class=\"muted\">{} · {}</p>\n", person_line(l), escape(&covers)));
        match l.file_path() {
            None if is_sponsor => letters_html.push_str("<p class=\"missing\">The sponsor's own letter is not listed yet (add <code>file:</code> to the <code>sponsor:</code> entry).</p>\n"),
            None => letters_html.push_str("<p class=\"missing\">No letter file is listed for this recommender (add <code>file:</code> to the entry).</p>\n"),
            Some(f) => match input.letters.get(f) {
                Some(LetterText::Text(t)) => {
                    letters_html.push_str(&render_markdown(without_front_matter(t), &id, 2, 0, &mut Vec::new(), images, Some(f)));
                }
                Some(LetterText::Unavailable(why)) => {
                    letters_html.push_str(&format!("<p class=\"missing\">{}</p>\n", escape(why)));
                }
                None => letters_html.push_str(&format!("<p class=\"missing\">Letter file {} is missing.</p>\n", escape(f))),
            },
        }
        letters_html.push_str("</article>\n");
    }

    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"packet-ls\">\n");
    out.push_str(&format!("<title>Promotion package: {} for {}</title>\n", escape(candidate), escape(target)));
    out.push_str(&format!("<style>{CSS}</style>\n</head>\n<body>\n"));

    // Cover.
    out.push_str("<section class=\"cover\" id=\"cover\">\n<div class=\"kicker\">Promotion package</div>\n");
    out.push_str(&format!("<h1>{}</h1>\n<dl>\n", escape(candidate)));
    out.push_str(&format!("<dt>Target role</dt><dd>{}</dd>\n", escape(target)));
    let sponsor = match &fm.sponsor {
        Some(s) => person_line(s),
        None => "<span class=\"muted\">No sponsor named</span>".to_string(),
    };
    out.push_str(&format!("<dt>Sponsor</dt><dd>{sponsor}</dd>\n"));
    out.push_str(&format!("<dt>Letters</dt><dd>{} listed</dd>\n", fm.letters.len()));
    out.push_str(&format!("<dt>Readiness</dt><dd>{}</dd>\n</dl>\n</section>\n", escape(&a.readiness.to_string())));

    // Readiness summary.
    out.push_str("<section class=\"summary\" id=\"readiness\">\n<h1>Readiness</h1>\n");
    out.push_str(&format!("<p class=\"readiness\">{}</p>\n", escape(&a.readiness.to_string())));
    let count = |s: crate::diagnostic::Severity| a.diagnostics.iter().filter(|d| d.severity == s).count();
    use crate::diagnostic::Severity::*;
    out.push_str(&format!(
        "<p>{} errors, {} warnings, {} notes from <code>packet-ls check {}</code>.</p>\n",
        count(Error),
        count(Warning),
        count(Info) + count(Hint),
        escape(input.packet_name)
    ));
    let covered = fm.covered_kinds();
    out.push_str(&format!("<h2>Recommendation letters: {} of {} required kinds</h2>\n<ul>\n", covered.len(), LetterKind::ALL.len()));
    for k in LetterKind::ALL {
        let mark = if covered.contains(&k) { "✓" } else { "✗ missing:" };
        out.push_str(&format!("<li>{mark} {}</li>\n", escape(k.describe())));
    }
    out.push_str("</ul>\n");
    let sponsor_letter = if a.readiness.sponsor_letter {
        "✓ The sponsor's own letter is included."
    } else if fm.sponsor.as_ref().and_then(|s| s.file_path()).is_some() {
        "✗ missing: the sponsor's own letter (its file is not there)."
    } else {
        "✗ missing: the sponsor's own letter (no <code>file:</code> in the <code>sponsor:</code> entry)."
    };
    out.push_str(&format!("<h2>Sponsor's letter</h2>\n<p class=\"sponsor-letter\">{sponsor_letter}</p>\n"));
    let ready = a.readiness.package_complete() && count(Error) == 0;
    out.push_str(&format!(
        "<p class=\"ready\">{}</p>\n",
        if ready { "Ready to submit." } else { "Not ready to submit: see what is missing above." }
    ));
    if !a.diagnostics.is_empty() {
        let index = LineIndex::new(text);
        out.push_str("<h2>Open items</h2>\n<ul>\n");
        for d in &a.diagnostics {
            let p = index.position(text, d.range.start, Encoding::Utf32);
            out.push_str(&format!(
                "<li class=\"{}\">line {}: {} <span class=\"muted\">({})</span></li>\n",
                d.severity.as_str(),
                p.line + 1,
                escape(&d.message),
                d.code.as_str()
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");

    // Contents.
    out.push_str("<nav class=\"toc\" id=\"contents\">\n<h1>Contents</h1>\n<ol>\n");
    out.push_str("<li class=\"l1\"><a href=\"#readiness\">Readiness</a></li>\n");
    out.push_str("<li class=\"l1\"><a href=\"#packet\">Written document</a></li>\n");
    for e in &toc {
        out.push_str(&format!("<li class=\"l{}\"><a href=\"#{}\">{}</a></li>\n", e.level.min(2) + 1, e.id, escape(&e.text)));
    }
    out.push_str("<li class=\"l1\"><a href=\"#letters\">Recommendation letters</a></li>\n");
    for e in &letter_toc {
        out.push_str(&format!("<li class=\"l2\"><a href=\"#{}\">{}</a></li>\n", e.id, escape(&e.text)));
    }
    out.push_str("</ol>\n</nav>\n");

    // The packet, then the letters.
    out.push_str("<main class=\"packet\" id=\"packet\">\n");
    out.push_str(&packet_html);
    out.push_str("</main>\n<section class=\"letters\" id=\"letters\">\n");
    if fm.letters.is_empty() && fm.sponsor.is_none() {
        out.push_str("<h1>Recommendation letters</h1>\n<p class=\"missing\">No letters are listed in the front matter.</p>\n");
    } else {
        out.push_str(&letters_html);
    }
    out.push_str("</section>\n</body>\n</html>\n");
    out
}
