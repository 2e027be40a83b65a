//! Letter files as documents: what a letter's text says about itself (its
//! own front matter: `writer`, `role`, `relation`, `candidate`), whether it
//! is written (more than placeholders and prompt comments) and whether it
//! names the candidate. No I/O: the text comes in [`Env::letter_texts`],
//! read by `packet_ls_workspace` when it resolves the letters.

pub use crate::env::{unavailable, Env, LetterStatus, LetterText, Letters};
use crate::code::RuleCode;
use crate::diagnostic::Diagnostic;
use crate::document::{front_matter, Document};
use crate::frontmatter::Person;

/// What a letter's own front matter says (each key when it is a text value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterFront {
    pub writer: Option<String>,
    pub role: Option<String>,
    pub relation: Option<String>,
    pub candidate: Option<String>,
}

/// What the text of a letter file shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFacts {
    pub front: LetterFront,
    /// Holds text other than headings, placeholders and prompt comments.
    pub written: bool,
    /// Names the candidate (full or first name) outside comments and code;
    /// `None` when the packet names no candidate.
    pub names_candidate: Option<bool>,
}

/// Where a sponsor's or letter entry's letter stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterState {
    /// The entry has no `file:`.
    NoFile,
    /// The file was not found, or was refused (outside the root, absolute).
    NotFound(LetterStatus),
    /// Found, but it could not be read (the reason).
    Unreadable(String),
    /// Not resolved at all (an editor buffer without a path: there is no
    /// folder to look in). Not counted as present.
    Unresolved,
    /// Found; its text was not looked at (a caller that only resolved the
    /// paths). Counted as present, its content unchecked.
    Unread,
    /// Found and read.
    Read(LetterFacts),
}

impl LetterState {
    /// Whether the letter is there: found, and, when its text was read,
    /// written and naming the candidate.
    pub fn present(&self) -> bool {
        match self {
            LetterState::Unread => true,
            LetterState::Read(f) => f.written && f.names_candidate != Some(false),
            _ => false,
        }
    }

    /// A short identifier for reports (`json`, `csv`).
    pub fn id(&self) -> &'static str {
        match self {
            LetterState::NoFile => "no-file",
            LetterState::Unresolved => "not-checked",
            LetterState::NotFound(LetterStatus::OutsideRoot) => "outside-root",
            LetterState::NotFound(LetterStatus::Absolute) => "absolute-path",
            LetterState::NotFound(_) => "missing",
            LetterState::Unreadable(_) => "unreadable",
            LetterState::Read(f) if !f.written => "empty",
            LetterState::Read(f) if f.names_candidate == Some(false) => "candidate-not-named",
            LetterState::Unread | LetterState::Read(_) => "present",
        }
    }

    /// The state in words, for human output and HTML.
    pub fn describe(&self) -> &'static str {
        match self.id() {
            "no-file" => "no file listed",
            "outside-root" => "outside the workspace root",
            "absolute-path" => "absolute path (refused)",
            "missing" => "file not found",
            "unreadable" => "could not be read",
            "not-checked" => "not checked (no file path)",
            "empty" => "empty or only placeholders",
            "candidate-not-named" => "does not name the candidate",
            _ => "present",
        }
    }
}

/// Where `person`'s letter stands under `env`, for a packet about `candidate`.
pub fn state(env: &Env, person: &Person, candidate: Option<&str>) -> LetterState {
    let Some(file) = person.file_path() else {
        return LetterState::NoFile;
    };
    match env.letters.get(file) {
        None => LetterState::Unresolved,
        Some(LetterStatus::Found(_)) => match env.letter_texts.get(file) {
            None => LetterState::Unread,
            Some(LetterText::Unavailable(why)) => LetterState::Unreadable(why.clone()),
            Some(LetterText::Text(t)) => LetterState::Read(examine(t, candidate)),
        },
        Some(other) => LetterState::NotFound(other.clone()),
    }
}

/// Reads a letter's text: its front matter, whether it is written, whether it
/// names `candidate`.
pub fn examine(text: &str, candidate: Option<&str>) -> LetterFacts {
    let doc = Document::parse(text);
    let body = doc.body_start..text.len();
    let written = crate::substance::has_written_text(&doc, body.clone());
    let names_candidate = candidate.filter(|c| !c.trim().is_empty()).map(|c| {
        let pieces: Vec<&str> = crate::substance::raw_pieces(&doc, body.clone()).collect();
        let shown = pieces.join(" ");
        names_person(&shown, c)
    });
    LetterFacts { front: letter_front(text), written, names_candidate }
}

/// The letter's own front matter keys (top-level text values). Not YAML,
/// or not a mapping: none. Read from the parser's events, so aliases are
/// never expanded (a "billion laughs" letter costs nothing).
pub fn letter_front(text: &str) -> LetterFront {
    use yaml_rust2::parser::{Event, EventReceiver, Parser};
    #[derive(Default)]
    struct Top {
        depth: usize,
        key: Option<String>,
        root_is_map: bool,
        front: LetterFront,
    }
    impl EventReceiver for Top {
        fn on_event(&mut self, ev: Event) {
            match ev {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    if self.depth == 0 {
                        self.root_is_map = matches!(ev, Event::MappingStart(..));
                    } else if self.depth == 1 {
                        self.key = None; // a key's value that is a collection
                    }
                    self.depth += 1;
                }
                Event::MappingEnd | Event::SequenceEnd => self.depth = self.depth.saturating_sub(1),
                Event::Scalar(v, ..) if self.depth == 1 && self.root_is_map => match self.key.take() {
                    None => self.key = Some(v),
                    Some(k) => {
                        let slot = match k.as_str() {
                            "writer" => &mut self.front.writer,
                            "role" => &mut self.front.role,
                            "relation" => &mut self.front.relation,
                            "candidate" => &mut self.front.candidate,
                            _ => return,
                        };
                        let v = v.trim();
                        if !v.is_empty() && slot.is_none() {
                            *slot = Some(v.to_string());
                        }
                    }
                },
                // An alias as a value: skip that pair; as a key: skip the value after it.
                Event::Alias(_) if self.depth == 1 && self.key.take().is_none() => self.key = Some(String::new()),
                _ => {}
            }
        }
    }
    let Some(fm) = front_matter(text) else {
        return LetterFront::default();
    };
    let mut top = Top::default();
    let mut parser = Parser::new_from_str(&text[fm.body]);
    if parser.load(&mut top, false).is_err() {
        return LetterFront::default();
    }
    top.front
}

/// Whether `text` names `name`: the full name, or its first word, as whole
/// words, case-insensitively ("Dana Example" is named by "Dana" and by
/// "DANA EXAMPLE", not by "Danamark").
pub fn names_person(text: &str, name: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-').filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let hay = words(text);
    let full = words(name);
    let Some(first) = full.first() else {
        return true;
    };
    hay.iter().any(|w| w == first || w.strip_suffix("'s").is_some_and(|w| w == first))
        || hay.windows(full.len()).any(|win| win == full.as_slice())
}

/// Two names or values that agree: the same words, whatever the case and spacing.
pub fn same_value(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    norm(a) == norm(b)
}

/// The diagnostics of a letter file opened on its own (in the editor): its
/// placeholders (`<…>`, `TODO`… as `placeholder`, where they stand), the
/// template's prompt comments still in a written letter (`placeholder`, on
/// the comment), and, as `missing-recommender` on the letter's title (its
/// first heading, else its first line of text): a letter that is empty or
/// holds only placeholders and prompt comments, and a written letter that
/// never names `candidate` (full or first name, outside comments and code;
/// without a candidate from the packet, the letter's own `candidate:`).
/// Default severities, sorted by position; inline
/// `<!-- packet-ls-disable … -->` comments apply as in a packet.
pub fn letter_diagnostics(text: &str, candidate: Option<&str>) -> Vec<Diagnostic> {
    let doc = Document::parse(text);
    let mut out = Vec::new();
    let all = doc.bom..text.len();
    // Placeholders: the packet rule's, and any `<…>` (lowercase ones too) outside code and comments.
    let mut found: Vec<std::ops::Range<usize>> = Vec::new();
    for (r, _) in crate::rules::placeholder::find(text, doc.bom, |at| doc.in_skip(at)) {
        found.push(r);
    }
    for piece in crate::substance::raw_pieces(&doc, all.clone()) {
        let base = piece.as_ptr() as usize - text.as_ptr() as usize;
        for r in crate::substance::angle_placeholders(piece) {
            found.push(base + r.start..base + r.end);
        }
    }
    found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut last_end = 0;
    for r in found {
        if r.start < last_end {
            continue; // inside (or the same as) one already reported
        }
        last_end = r.end;
        out.push(Diagnostic::new(RuleCode::Placeholder, r.clone(), crate::rules::placeholder::message(&text[r])));
    }
    let body = doc.body_start..text.len();
    let anchor = title_line(&doc);
    if !crate::substance::has_written_text(&doc, body.clone()) {
        out.push(Diagnostic::new(
            RuleCode::MissingRecommender,
            anchor,
            "This letter is empty or holds only placeholders and prompt comments: write the letter (its prompt comments say what goes in it)",
        ));
    } else {
        for c in doc.comments.iter().filter(|c| c.start >= doc.body_start) {
            let inner = text[c.clone()].trim_start_matches("<!--").trim_end_matches("-->").trim();
            if let Some(label) = crate::letter_template::PROMPT_LABELS.iter().find(|l| inner.starts_with(*l)) {
                out.push(Diagnostic::new(
                    RuleCode::Placeholder,
                    c.clone(),
                    format!(
                        "Prompt left from the letter template (\"{} …\"): write what it asks for, then delete the comment",
                        label.trim_end()
                    ),
                ));
            }
        }
        let own = letter_front(text).candidate;
        let candidate = candidate.filter(|c| !c.trim().is_empty()).or(own.as_deref());
        if let Some(c) = candidate {
            let pieces: Vec<&str> = crate::substance::raw_pieces(&doc, body).collect();
            if !names_person(&pieces.join(" "), c) {
                let c = c.trim();
                let first = c.split_whitespace().next().unwrap_or(c);
                let names = if first == c { format!("\"{c}\"") } else { format!("\"{c}\" or \"{first}\"") };
                out.push(Diagnostic::new(
                    RuleCode::MissingRecommender,
                    anchor,
                    format!("This letter never names the candidate ({names}): is it the letter for this packet?"),
                ));
            }
        }
    }
    crate::suppress::apply(&doc, &mut out);
    out.sort_by_key(|d| (d.range.start, d.range.end, d.code));
    out
}

/// Where a letter's own diagnostics about the whole letter stand: its first
/// heading's line, else its first line of text after the front matter
/// (without the line break), else the empty range where the body starts.
fn title_line(doc: &Document) -> std::ops::Range<usize> {
    if let Some(h) = doc.headings.first() {
        return h.line.clone();
    }
    let text = doc.text;
    let mut at = doc.body_start;
    while at < text.len() {
        let end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
        if !text[at..end].trim().is_empty() {
            return at..end;
        }
        at = end + if text[end..].starts_with("\r\n") { 2 } else { 1 };
    }
    doc.body_start..doc.body_start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_substance() {
        assert!(names_person("I recommend Dana.", "Dana Example"));
        assert!(names_person("DANA EXAMPLE led it", "Dana Example"));
        assert!(names_person("Dana's work", "Dana Example"));
        assert!(!names_person("Danamark and Example", "Dana Example"));
        assert!(names_person("Zoë 山田 ist gut", "Zoë 山田"));
        let f = examine("---\nwriter: Lee\nrole: director\n---\n# Letter for Dana\n\n<!-- write here -->\nTODO\n", Some("Dana Example"));
        assert_eq!(f.front.writer.as_deref(), Some("Lee"));
        assert_eq!(f.front.role.as_deref(), Some("director"));
        assert!(!f.written);
        assert_eq!(f.names_candidate, Some(true), "the heading names her");
        let f = examine("I recommend Sam for the role.", Some("Dana Example"));
        assert!(f.written);
        assert_eq!(f.names_candidate, Some(false));
        // Only in a comment: not named.
        assert_eq!(examine("Great work. <!-- Dana -->", Some("Dana")).names_candidate, Some(false));
        assert_eq!(examine("", None).names_candidate, None);
        assert_eq!(letter_front("---\n: [bad\n---\nx").writer, None);
    }
}

#[cfg(test)]
mod letter_document_tests {
    use super::*;

    fn shown(text: &str, candidate: Option<&str>) -> Vec<(&'static str, String, String)> {
        letter_diagnostics(text, candidate).into_iter().map(|d| (d.code.as_str(), text[d.range].to_string(), d.message)).collect()
    }

    #[test]
    fn a_fresh_template_is_one_empty_letter() {
        let t = "---\nwriter: Wei\ncandidate: Jo\n---\n# Recommendation for Jo\n\n<!-- Your relationship: x -->\n\n<!-- Examples: y -->\n";
        assert_eq!(
            shown(t, Some("Jo")),
            [("missing-recommender", "# Recommendation for Jo".to_string(), "This letter is empty or holds only placeholders and prompt comments: write the letter (its prompt comments say what goes in it)".to_string())]
        );
        assert_eq!(shown("", None).len(), 1);
        assert_eq!(letter_diagnostics("", None)[0].range, 0..0);
        assert_eq!(letter_diagnostics("\n\n  \n", None)[0].range, 0..0);
    }

    #[test]
    fn placeholders_prompts_and_the_candidate() {
        let t = "---\r\ncandidate: Dana Example\r\n---\r\nI worked with <name> for TODO years 😀.\r\n<!-- Examples: what Dana did -->\r\n<!-- my own note -->\r\n";
        assert_eq!(
            shown(t, None),
            [
                ("missing-recommender", "I worked with <name> for TODO years 😀.".to_string(), "This letter never names the candidate (\"Dana Example\" or \"Dana\"): is it the letter for this packet?".to_string()),
                ("placeholder", "<name>".to_string(), "Unfilled placeholder \"<name>\": replace it with your own text".to_string()),
                ("placeholder", "TODO".to_string(), "Unfilled placeholder \"TODO\": replace it with your own text".to_string()),
                ("placeholder", "<!-- Examples: what Dana did -->".to_string(), "Prompt left from the letter template (\"Examples: …\"): write what it asks for, then delete the comment".to_string()),
            ]
        );
        // The packet's candidate wins over the letter's own; named: nothing.
        assert!(shown("Sam led it well.", Some("Sam Lee")).is_empty());
        assert!(shown("I recommend Dana.\n<!-- packet-ls-disable-next-line placeholder -->\nTBD\n", Some("Dana")).is_empty());
        // `<Initiative 1>`-style and lowercase ones are one diagnostic each.
        assert_eq!(shown("Dana: <Initiative 1>", None).len(), 1);
    }
}
