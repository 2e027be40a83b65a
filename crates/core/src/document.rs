//! A packet document parsed once into what every rule reads: the front matter
//! block, the headings as a section tree, top-level list items, the runs of
//! text (for word counts and keyword checks) and the ranges to skip when
//! scanning raw text (code and HTML comments).
//!
//! One pass of pulldown-cmark over the body; everything is byte offsets into
//! the full text (BOM and front matter included), so rules never re-parse.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::text::words::count_words;
use crate::text::{LineBreaks, LineIndex};

pub mod memo;
mod reuse;
mod runs;
pub use runs::Runs;
pub use memo::{Fact, Facts, FactsRef, Memo};
pub use reuse::{Reusable, Splice};

/// The YAML block between `---` lines at the very top of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// From the opening `---` to the end of the closing delimiter line (with its line break).
    pub range: Range<usize>,
    /// The YAML text between the delimiter lines.
    pub body: Range<usize>,
    /// Whether a top-level `packet:` key is present (read by line, so it works
    /// even when the YAML itself is broken).
    pub has_packet_key: bool,
    /// The value of the top-level `packet:` key, if it is a plain scalar.
    pub packet_value: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    /// The heading's first line, without its line break.
    pub line: Range<usize>,
    /// The whole heading block (several lines for a setext heading), without the final line break.
    pub block: Range<usize>,
    /// The title text as written (markers and closing hashes removed).
    pub title: Range<usize>,
    /// The run of `#` that opens an ATX heading (`None` for setext headings).
    pub hashes: Option<Range<usize>>,
    /// Where the section ends: the start of the next heading of the same or a
    /// higher level, or the end of the text.
    pub end: usize,
    pub parent: Option<usize>,
    /// Where its children are in the document's list of children
    /// ([`Document::children`]): one list for the whole tree, not one
    /// allocation per heading, made again at every re-parse.
    children: (u32, u32),
    /// Whether anything other than comments and blank lines sits directly under it.
    pub own_content: bool,
    /// The text-run block counter where the heading starts (its own runs
    /// have the next value): where a re-parse from this heading goes on from.
    pub block_counter: u32,
}

impl Heading {
    /// A copy without its children (a re-parse rebuilds the tree).
    pub(crate) fn without_children(&self) -> Heading {
        Heading {
            line: self.line.clone(),
            block: self.block.clone(),
            title: self.title.clone(),
            hashes: self.hashes.clone(),
            children: (0, 0),
            ..*self
        }
    }
}

#[derive(Debug, Clone)]
pub struct ListItem {
    pub range: Range<usize>,
    /// 1 for an item of a list that is not inside another list item.
    pub depth: u16,
    /// The heading whose own content holds the item (`None` before any heading).
    pub heading: Option<usize>,
    /// A table body row rather than a list item (its depth is that of the
    /// list items around the table, plus one).
    pub row: bool,
}

/// A run of text from a text event: prose, or heading text.
#[derive(Debug, Clone)]
pub struct TextRun {
    pub range: Range<usize>,
    pub heading: Option<usize>,
    pub in_heading: bool,
    /// Index of the block (paragraph, item, cell…) the run belongs to, so that
    /// adjacent runs can be joined when counting words.
    pub block: u32,
}

#[derive(Debug)]
pub struct Document<'t> {
    pub text: &'t str,
    pub index: LineIndex,
    /// Length of a leading UTF-8 byte-order mark (0 or 3).
    pub bom: usize,
    pub front_matter: Option<FrontMatter>,
    /// First byte after the BOM and front matter.
    pub body_start: usize,
    pub headings: Vec<Heading>,
    /// Headings with no parent, in order.
    pub roots: Vec<usize>,
    /// Every heading's children, heading after heading ([`Document::children`]).
    child_list: Vec<usize>,
    pub items: Vec<ListItem>,
    pub runs: Runs,
    /// HTML comments, in order.
    pub comments: Vec<Range<usize>>,
    /// Code spans and blocks plus comments: raw-text scans skip these, in order.
    pub skip: Vec<Range<usize>>,
    pub line_ending: &'static str,
    /// The text's line breaks by kind (`line_ending` is the most used).
    pub breaks: LineBreaks,
    /// Whether the text could hold link reference or footnote definitions
    /// (it has a `]:`): a re-parse of part of it could then differ.
    pub may_define: bool,
    /// Start of the line opening a top-level fenced code block or HTML block
    /// (an unterminated comment, `<script>`…) that is still open at the end of
    /// the text: text appended at the end would land inside it, so insertions
    /// go before it instead.
    pub open_tail: Option<usize>,
    /// Line starts of the top-level blocks, in order: the only places where
    /// inserted blocks start a block of their own.
    pub block_starts: Vec<usize>,
    /// Facts about ranges of the text, kept across re-parses ([`memo`]).
    pub memo: Memo,
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Length of a leading UTF-8 byte-order mark: 3 or 0.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// The front matter of a whole text (after its BOM, if any).
pub fn front_matter(text: &str) -> Option<FrontMatter> {
    split_front_matter(text, bom_len(text))
}

/// Finds the front matter: `---` on the first line (after a BOM) and a closing
/// `---` or `...` line. Without a closing line there is no front matter.
pub fn split_front_matter(text: &str, start: usize) -> Option<FrontMatter> {
    let rest = &text[start..];
    let first_end = rest.find(['\n', '\r'])?;
    if rest[..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = start + first_end;
    pos += if text[pos..].starts_with("\r\n") { 2 } else { 1 };
    let body_start = pos;
    let mut has_packet_key = false;
    let mut packet_value = None;
    while pos < text.len() {
        let line_end = text[pos..].find(['\n', '\r']).map_or(text.len(), |i| pos + i);
        let line = &text[pos..line_end];
        let next = if text[line_end..].starts_with("\r\n") {
            line_end + 2
        } else {
            (line_end + 1).min(text.len())
        };
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some(FrontMatter {
                range: start..next,
                body: body_start..pos,
                has_packet_key,
                packet_value,
            });
        }
        if let Some(v) = line.strip_prefix("packet:") {
            has_packet_key = true;
            let v = v.split(" #").next().unwrap_or("").trim().trim_matches(['"', '\'']);
            if !v.is_empty() {
                packet_value = Some(v.to_string());
            }
        }
        pos = next;
    }
    None
}

/// The title of an ATX heading line: `(hashes, title)` byte ranges relative to the line.
fn atx_parts(line: &str) -> Option<(Range<usize>, Range<usize>)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let after_indent = &line[indent..];
    let hashes = after_indent.len() - after_indent.trim_start_matches('#').len();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let hash_range = indent..indent + hashes;
    let mut s = indent + hashes;
    let bytes = line.as_bytes();
    while s < line.len() && (bytes[s] == b' ' || bytes[s] == b'\t') {
        s += 1;
    }
    let mut e = line.trim_end().len().max(s);
    // An optional closing sequence of `#`, preceded by a space.
    let body = &line[s..e];
    let no_close = body.trim_end_matches('#');
    if no_close.len() < body.len() && (no_close.is_empty() || no_close.ends_with([' ', '\t'])) {
        e = s + no_close.trim_end().len();
    }
    Some((hash_range, s..e))
}

impl<'t> Document<'t> {
    pub fn parse(text: &'t str) -> Document<'t> {
        let mut doc = Document::front_only(text);
        // Room for what typical packets hold (a text run per 30-40 bytes, a
        // list item per 150…), so that the vectors rarely grow.
        doc.headings.reserve(text.len() / 512);
        doc.items.reserve(text.len() / 128);
        doc.runs.reserve(text.len() / 32);
        doc.scan_body();
        doc.runs.seal();
        doc.build_tree();
        doc
    }

    /// The byte-order mark, front matter and line index of `text`, with the
    /// Markdown body left unparsed (no headings, items or runs): enough for
    /// `frontmatter::parse`, at a fraction of the cost of [`Document::parse`].
    pub fn front_only(text: &'t str) -> Document<'t> {
        Document::front_with_index(text, LineIndex::new(text), LineBreaks::count(text), reuse::may_define(text))
    }

    /// [`Document::front_only`] with the line index, line breaks and
    /// `]:` search of `text` already made.
    fn front_with_index(text: &'t str, index: LineIndex, breaks: LineBreaks, may_define: bool) -> Document<'t> {
        let bom = bom_len(text);
        let front_matter = split_front_matter(text, bom);
        let body_start = front_matter.as_ref().map_or(bom, |f| f.range.end);
        Document {
            text,
            index,
            bom,
            front_matter,
            body_start,
            headings: Vec::new(),
            roots: Vec::new(),
            child_list: Vec::new(),
            items: Vec::new(),
            runs: Runs::default(),
            comments: Vec::new(),
            skip: Vec::new(),
            line_ending: breaks.ending(),
            breaks,
            may_define,
            open_tail: None,
            block_starts: Vec::new(),
            memo: Memo::new(text.len()),
        }
    }

    fn scan_body(&mut self) {
        // pulldown-cmark 0.13 does not end a line of an indented code block at
        // a lone `\r` (it swallows the headings that follow). Lines break the
        // same way with `\n` in its place, and the length stays the same, so
        // every offset is still an offset into the real text.
        let normalized = (self.breaks.cr > 0).then(|| lone_cr_to_lf(self.text));
        let source = normalized.as_deref().unwrap_or(self.text);
        let last_top = self.scan(source, self.body_start..self.text.len(), 0);
        self.note_open_tail(source, last_top);
    }

    /// Only the last top-level block can reach the end, and only code and
    /// HTML blocks survive the blank line an insertion starts with.
    fn note_open_tail(&mut self, source: &str, last_top: Option<(usize, bool)>) {
        if let Some((start, true)) = last_top {
            if swallows_appended(&source[start..]) {
                self.open_tail = Some(self.index.line_start(self.index.line_of(start)).max(self.body_start));
            }
        }
    }

    /// Parses `source[range]` (a run of whole top-level blocks, parsed as a
    /// document of its own) and appends what it holds, with `block` the
    /// block counter to go on from. Returns the last top-level block's start
    /// and whether it is a code or HTML block.
    fn scan(&mut self, source: &str, range: Range<usize>, mut block: u32) -> Option<(usize, bool)> {
        let base = range.start;
        let body = &source[range];
        let opts = Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES;
        let mut item_depth: u16 = 0;
        let mut in_heading = false;
        let mut in_code_block = false;
        let mut current: Option<usize> = None;
        let mut depth = 0u32;
        let mut last_top: Option<(usize, bool)> = None; // (start, code or HTML block)
        for (ev, r) in Parser::new_ext(body, opts).into_offset_iter() {
            let r = r.start + base..r.end + base;
            match &ev {
                Event::Start(t) => {
                    if depth == 0 {
                        last_top = Some((r.start, matches!(t, Tag::CodeBlock(_) | Tag::HtmlBlock)));
                        self.block_starts.push(self.index.line_start(self.index.line_of(r.start)).max(self.body_start));
                    }
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            match ev {
                Event::Start(Tag::Heading { level, .. }) => {
                    in_heading = true;
                    block += 1;
                    let h = self.make_heading(heading_level(level), r, block);
                    self.headings.push(h);
                    current = Some(self.headings.len() - 1);
                }
                Event::End(TagEnd::Heading(_)) => {
                    in_heading = false;
                    block += 1;
                }
                Event::Start(Tag::Item) => {
                    item_depth += 1;
                    block += 1;
                    self.items.push(ListItem { range: r, depth: item_depth, heading: current, row: false });
                }
                Event::Start(Tag::TableRow) => {
                    self.items.push(ListItem { range: r, depth: item_depth + 1, heading: current, row: true });
                }
                Event::End(TagEnd::Item) => {
                    item_depth = item_depth.saturating_sub(1);
                    block += 1;
                }
                Event::Start(Tag::Paragraph | Tag::TableCell | Tag::BlockQuote(_)) => block += 1,
                Event::End(TagEnd::Paragraph | TagEnd::TableCell | TagEnd::BlockQuote(_)) => block += 1,
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code_block = true;
                    self.skip.push(r);
                    self.mark_content(current);
                }
                Event::End(TagEnd::CodeBlock) => in_code_block = false,
                Event::Code(_) => {
                    self.skip.push(r);
                    if !in_heading {
                        self.mark_content(current);
                    }
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    if self.inside_open_comment(r.start) {
                        // The rest of a multi-line comment already recorded.
                    } else if self.text[r.clone()].trim().is_empty() {
                        // With CRLF line endings pulldown-cmark gives each line
                        // break of an HTML block as an event of its own: not content.
                    } else if self.text[r.clone()].trim_start().starts_with("<!--") {
                        self.note_comments(r);
                    } else if !in_heading {
                        self.mark_content(current);
                    }
                }
                Event::Text(_) if !in_code_block => {
                    self.runs.push(TextRun { range: r, heading: current, in_heading, block });
                    if !in_heading {
                        self.mark_content(current);
                    }
                }
                Event::FootnoteReference(_) | Event::TaskListMarker(_) if !in_heading => {
                    self.mark_content(current)
                }
                _ => {}
            }
        }
        last_top
    }

    fn mark_content(&mut self, current: Option<usize>) {
        if let Some(h) = current {
            self.headings[h].own_content = true;
        }
    }

    fn inside_open_comment(&self, at: usize) -> bool {
        // An HTML block holding a multi-line comment arrives as several events;
        // the first one opened the comment and recorded it up to its `-->`.
        self.comments.last().is_some_and(|c| c.start <= at && at < c.end)
    }

    /// Records every `<!-- … -->` that starts inside an HTML event's range.
    fn note_comments(&mut self, r: Range<usize>) {
        let mut pos = r.start;
        while pos < r.end {
            let Some(open) = self.text[pos..r.end].find("<!--") else { break };
            let start = pos + open;
            let end = self.text[start + 4..]
                .find("-->")
                .map_or(self.text.len(), |i| start + 4 + i + 3);
            self.comments.push(start..end);
            self.skip.push(start..end);
            pos = end;
        }
    }

    fn make_heading(&self, level: u8, r: Range<usize>, block: u32) -> Heading {
        let line_no = self.index.line_of(r.start);
        // A BOM is not part of the first line's text (else `# Title` after it
        // does not parse as an ATX heading here and its title keeps the `#`).
        let ls = self.index.line_start(line_no).max(self.bom);
        let le = self.index.line_end(self.text, line_no);
        let line = ls..le;
        let mut block_end = r.end;
        while block_end > r.start && matches!(self.text.as_bytes()[block_end - 1], b'\n' | b'\r') {
            block_end -= 1;
        }
        let (hashes, title) = match atx_parts(&self.text[line.clone()]) {
            Some((h, t)) => (Some(h.start + ls..h.end + ls), t.start + ls..t.end + ls),
            None => {
                // Setext: the title is every line before the underline.
                let last_line = self.index.line_of(block_end);
                let title_end = self.index.line_end(self.text, last_line.saturating_sub(1).max(line_no));
                let raw = &self.text[ls..title_end];
                let s = ls + (raw.len() - raw.trim_start().len());
                let e = ls + raw.trim_end().len();
                (None, s..e.max(s))
            }
        };
        Heading {
            level,
            line,
            block: r.start.min(ls)..block_end.max(le),
            title,
            hashes,
            end: self.text.len(),
            parent: None,
            children: (0, 0),
            own_content: false,
            block_counter: block,
        }
    }

    /// Parents, section ends and children of the headings, from their levels
    /// alone (whatever the headings held before: a re-parse rebuilds the tree
    /// over copied headings). Two passes over the headings, the rest in small
    /// lists: at 30,000 lines they are 300 KB, walked once per keystroke.
    fn build_tree(&mut self) {
        const NONE: u32 = u32::MAX;
        let len = self.text.len();
        let n = self.headings.len();
        let mut stack: Vec<usize> = Vec::new();
        let mut parents: Vec<u32> = Vec::with_capacity(n);
        // How many children each heading has, then where its children start.
        let mut firsts: Vec<u32> = vec![0; n];
        self.roots.clear();
        for i in 0..n {
            let (level, start) = (self.headings[i].level, self.headings[i].line.start);
            while let Some(&top) = stack.last() {
                if self.headings[top].level < level {
                    break;
                }
                self.headings[top].end = start;
                stack.pop();
            }
            let parent = stack.last().copied();
            let h = &mut self.headings[i];
            h.end = len;
            h.parent = parent;
            match parent {
                Some(p) => {
                    firsts[p] += 1;
                    parents.push(p as u32);
                }
                None => {
                    self.roots.push(i);
                    parents.push(NONE);
                }
            }
            stack.push(i);
        }
        let mut at = 0u32;
        for (h, first) in self.headings.iter_mut().zip(firsts.iter_mut()) {
            let count = *first;
            h.children = (at, count);
            *first = at;
            at += count;
        }
        self.child_list.clear();
        self.child_list.resize(at as usize, 0);
        for (i, &p) in parents.iter().enumerate() {
            if p != NONE {
                let next = &mut firsts[p as usize];
                self.child_list[*next as usize] = i;
                *next += 1;
            }
        }
    }

    /// The child headings of `h`, in order.
    pub fn children(&self, h: usize) -> &[usize] {
        let (start, len) = self.headings[h].children;
        &self.child_list[start as usize..(start + len) as usize]
    }

    /// Words of paragraph and list text in the runs that start inside `r`.
    /// Words are counted when asked for, not while parsing: only the
    /// sections with a minimum length need them, and counting is a pass over
    /// their text. Kept in `facts` when given (those of the section `r` is).
    fn words_of_runs(&self, r: Range<usize>, facts: Option<&memo::Facts>) -> u32 {
        self.memo.get_in(facts, Fact::Words, &r, 0, || u64::from(self.count_words_of_runs(r.clone()))) as u32
    }

    fn count_words_of_runs(&self, r: Range<usize>) -> u32 {
        let mut prev: Option<(u32, bool)> = None; // (block, ended inside a word)
        let mut total = 0;
        for run in self.runs.starting_in(r) {
            if run.in_heading {
                prev = None;
                continue;
            }
            let s = &self.text[run.range.clone()];
            // A run that goes on a word of the previous run of its block
            // (`x *y*z`) does not start one.
            let joined = matches!(prev, Some((b, true)) if b == run.block)
                && s.chars().next().is_some_and(|c| !c.is_whitespace());
            let mut n = count_words(s);
            if joined && n > 0 {
                n -= 1;
            }
            prev = Some((run.block, s.chars().last().is_some_and(|c| !c.is_whitespace())));
            total += n;
        }
        total
    }

    /// Words of paragraph and list text directly under heading `h` (not in children).
    pub fn own_words(&self, h: usize) -> u32 {
        self.words_of_runs(self.headings[h].line.start..self.own_end(h), None)
    }

    /// Words of prose before the first heading.
    pub fn preamble_words(&self) -> u32 {
        self.words_of_runs(0..self.headings.first().map_or(self.text.len(), |h| h.line.start), None)
    }

    /// The heading's title as written.
    pub fn title(&self, h: usize) -> &'t str {
        &self.text[self.headings[h].title.clone()]
    }

    /// Every heading inside the section of `h` (children, grandchildren…), in order.
    pub fn descendants(&self, h: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.headings[h].end;
        (h + 1..self.headings.len()).take_while(move |&i| self.headings[i].line.start < end)
    }

    /// Words in the section of `h`, its children included.
    pub fn words_in(&self, h: usize) -> u32 {
        self.words_in_with(h, None)
    }

    /// [`Document::words_in`], kept in `facts` (the section's, from its outline slot) when given.
    pub fn words_in_with(&self, h: usize, facts: Option<&memo::Facts>) -> u32 {
        self.words_of_runs(self.headings[h].line.start..self.headings[h].end, facts)
    }

    /// Whether the section of `h` (children included) has any content.
    pub fn has_content(&self, h: usize) -> bool {
        self.headings[h].own_content || self.descendants(h).any(|d| self.headings[d].own_content)
    }

    /// Text runs inside the section of `h` (children and their headings included).
    pub fn runs_in(&self, h: usize) -> impl Iterator<Item = TextRun> + '_ {
        self.runs.starting_in(self.headings[h].line.start..self.headings[h].end)
    }

    /// Where the section's own content ends: its first child heading, or its end.
    pub fn own_end(&self, h: usize) -> usize {
        self.children(h).first().map_or(self.headings[h].end, |&c| self.headings[c].line.start)
    }

    /// The document's first line after the front matter, without its line break.
    pub fn first_line(&self) -> Range<usize> {
        let line = self.index.line_of(self.body_start);
        self.body_start..self.index.line_end(self.text, line).max(self.body_start)
    }

    /// The start of the top-level block holding `at` (a line start), or `at`
    /// itself when it is already a block boundary or after the last block.
    pub fn block_boundary(&self, at: usize) -> usize {
        let i = self.block_starts.partition_point(|&s| s <= at);
        if i == 0 || i == self.block_starts.len() && at >= self.text.len() {
            return at;
        }
        self.block_starts[i - 1]
    }

    /// Whether `offset` falls inside code or an HTML comment.
    pub fn in_skip(&self, offset: usize) -> bool {
        let i = self.skip.partition_point(|r| r.end <= offset);
        self.skip.get(i).is_some_and(|r| r.start <= offset)
    }
}

/// Whether a block of text (from a top-level block's start to the end)
/// swallows whatever is appended after it: parsed with a heading added.
fn swallows_appended(tail: &str) -> bool {
    let probe = format!("{tail}\n\n# probe\n");
    !Parser::new(&probe).any(|e| matches!(e, Event::Start(Tag::Heading { .. })))
}

/// The text with each lone `\r` replaced by `\n` (same length, same offsets).
fn lone_cr_to_lf(text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    for i in 0..b.len() {
        if b[i] == b'\r' && b.get(i + 1) != Some(&b'\n') {
            b[i] = b'\n';
        }
    }
    String::from_utf8(b).expect("ASCII replaced by ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_after_bom_with_crlf() {
        let t = "\u{feff}---\r\npacket: senior-em\r\n---\r\n# Overview\r\n";
        let d = Document::parse(t);
        let fm = d.front_matter.as_ref().unwrap();
        assert!(fm.has_packet_key);
        assert_eq!(fm.packet_value.as_deref(), Some("senior-em"));
        assert_eq!(&t[d.body_start..], "# Overview\r\n");
        assert_eq!(d.title(0), "Overview");
    }

    #[test]
    fn unclosed_front_matter_is_not_front_matter() {
        let d = Document::parse("---\npacket: x\n# A\n");
        assert!(d.front_matter.is_none());
    }

    #[test]
    fn headings_tree_words_and_comments() {
        let t = "# A #\n\nOne two.\n\n## B\n\n<!-- not\ncounted -->\n\n- x *y*z\n  - nested\n\n# C\n中文 ok\n";
        let d = Document::parse(t);
        assert_eq!(d.headings.len(), 3);
        assert_eq!(d.title(0), "A");
        assert_eq!(d.headings[1].parent, Some(0));
        assert_eq!(d.roots, vec![0, 2]);
        assert_eq!(d.own_words(0), 2);
        assert_eq!(d.own_words(1), 3, "x, y*z joined, nested");
        assert_eq!(d.words_in(0), 5);
        assert_eq!(d.own_words(2), 3);
        assert_eq!(d.words_in(2), 3);
        let d2 = Document::parse("Before *the* first\n\n# A\n\nx\n\n## B\n\ny z\n");
        assert_eq!((d2.preamble_words(), d2.own_words(0), d2.words_in(0), d2.own_words(1)), (3, 1, 3, 2));
        assert_eq!(d.comments.len(), 1);
        assert!(d.in_skip(t.find("counted").unwrap()));
        assert_eq!(d.items.iter().map(|i| i.depth).collect::<Vec<_>>(), vec![1, 2]);
    }

    #[test]
    fn comment_only_section_has_no_content() {
        let d = Document::parse("# A\n<!-- prompt -->\n# B\ntext\n");
        assert!(!d.headings[0].own_content);
        assert!(d.headings[1].own_content);
    }

    #[test]
    fn comment_only_section_has_no_content_with_crlf() {
        // Found by tests/it/prop_analyze.rs: the template with CRLF lost its
        // empty-section diagnostics because the `\n` after a comment came as
        // an HTML event of its own and counted as content.
        let d = Document::parse("# A\r\n\r\n<!-- prompt -->\r\n\r\n# B\r\n<!-- a\r\nb -->\r\n# C\r\ntext\r\n");
        assert!(!d.headings[0].own_content);
        assert!(!d.headings[1].own_content);
        assert!(d.headings[2].own_content);
        assert_eq!(d.comments.len(), 2);
    }

    #[test]
    fn heading_right_after_bom() {
        // Found by tests/it/prop_analyze.rs: with a BOM and no front matter the
        // first heading's title was "\u{feff}# Overview", so it matched nothing.
        let d = Document::parse("\u{feff}# Overview\n");
        assert_eq!(d.title(0), "Overview");
        assert_eq!(d.headings[0].line, 3..13);
        assert_eq!(d.headings[0].hashes, Some(3..4));
    }

    #[test]
    fn lone_cr_ends_indented_code() {
        // Found by tests/it/prop_analyze.rs: with lone-CR line endings the
        // heading after an indented code block was swallowed by the block.
        let d = Document::parse("# O\r\r    - \r\r# Alignment\rx\r");
        assert_eq!(d.headings.len(), 2);
        assert_eq!(d.title(1), "Alignment");
        assert_eq!(d.headings[1].line, 13..24);
    }

    #[test]
    fn unclosed_fence_or_comment_at_end_is_an_open_tail() {
        let t = "# A\n\ntext\n\n```\n# not a heading\n";
        assert_eq!(Document::parse(t).open_tail, Some(t.find("```").unwrap()));
        let t = "# A\n\n<!-- open\n\n# B\n";
        assert_eq!(Document::parse(t).open_tail, Some(5));
        assert_eq!(Document::parse("# A\n\n```\ncode\n```\n").open_tail, None);
        assert_eq!(Document::parse("# A\n\n<!-- done -->\n").open_tail, None);
        assert_eq!(Document::parse("# A\n\n    code\n").open_tail, None);
    }

    #[test]
    fn setext_and_placeholder_titles() {
        let d = Document::parse("Summary\n=======\n\n## <Initiative 1>\n");
        assert_eq!(d.title(0), "Summary");
        assert_eq!(d.headings[0].hashes, None);
        assert_eq!(d.title(1), "<Initiative 1>");
    }
}
