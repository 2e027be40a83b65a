//! The front matter as data, with positions: candidate, target role, sponsor
//! and letters, each key and value carrying its byte range in the full text,
//! so diagnostics, hovers and document links point at what the user wrote.
//!
//! The YAML is read with `yaml-rust2`'s event parser. Its markers give a line
//! (1-based) and a column in characters; the character index it also carries
//! is not reliable after block scalars, so positions are converted through the
//! document's [`LineIndex`](crate::text::LineIndex) from line and column.
//! YAML and the Language Server Protocol break lines at the same characters
//! (`\n`, `\r\n`, `\r`), so the two agree.

use std::ops::Range;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostic::Severity;
use crate::document::Document;
use crate::text::{Encoding, LineCol};

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }

            /// The accepted values, comma-separated, for messages.
            pub fn accepted() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

vocabulary! {
    /// A letter writer's or sponsor's role (spec §3.1).
    Role {
        Engineer => "engineer",
        SeniorEngineer => "senior-engineer",
        LeadEngineer => "lead-engineer",
        StaffEngineer => "staff-engineer",
        SeniorStaffEngineer => "senior-staff-engineer",
        PrincipalEngineer => "principal-engineer",
        DistinguishedEngineer => "distinguished-engineer",
        ProductManager => "product-manager",
        ProgramManager => "program-manager",
        EngineeringManager => "engineering-manager",
        SeniorEngineeringManager => "senior-engineering-manager",
        Director => "director",
        SeniorDirector => "senior-director",
        Vp => "vp",
        QaManager => "qa-manager",
        SupportManager => "support-manager",
        Other => "other",
    }
}

vocabulary! {
    /// How a letter writer or the sponsor relates to the candidate (spec §3.1).
    Relation {
        SameTeam => "same-team",
        OtherTeam => "other-team",
        OtherOrg => "other-org",
        DirectManager => "direct-manager",
        SkipLevel => "skip-level",
        Peer => "peer",
    }
}

impl Role {
    /// Any individual-contributor engineering role.
    pub fn is_engineer(self) -> bool {
        matches!(
            self,
            Role::Engineer
                | Role::SeniorEngineer
                | Role::LeadEngineer
                | Role::StaffEngineer
                | Role::SeniorStaffEngineer
                | Role::PrincipalEngineer
                | Role::DistinguishedEngineer
        )
    }

    /// Lead engineer or higher.
    pub fn is_lead_or_higher_engineer(self) -> bool {
        self.is_engineer() && !matches!(self, Role::Engineer | Role::SeniorEngineer)
    }

    /// Engineering manager or above.
    pub fn is_manager_or_above(self) -> bool {
        matches!(
            self,
            Role::EngineeringManager | Role::SeniorEngineeringManager | Role::Director | Role::SeniorDirector | Role::Vp
        )
    }
}

/// The three letter kinds the framework requires (spec §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LetterKind {
    /// A lead/staff (or higher) engineer from the same team.
    SameTeamSeniorEngineer,
    /// A product or program manager.
    ProductOrProgramManager,
    /// An engineer from another team or org, or a manager/director from another org.
    CrossTeam,
}

impl LetterKind {
    pub const ALL: [LetterKind; 3] =
        [LetterKind::SameTeamSeniorEngineer, LetterKind::ProductOrProgramManager, LetterKind::CrossTeam];

    /// The kind in words, as messages and hovers name it.
    pub fn describe(self) -> &'static str {
        match self {
            LetterKind::SameTeamSeniorEngineer => "a staff/lead (or higher) engineer from the same team",
            LetterKind::ProductOrProgramManager => "a product or program manager",
            LetterKind::CrossTeam => "an engineer from another team, or a manager/director from another org",
        }
    }

    /// A short identifier for reports (`report --format json|csv`).
    pub fn id(self) -> &'static str {
        match self {
            LetterKind::SameTeamSeniorEngineer => "same-team-senior-engineer",
            LetterKind::ProductOrProgramManager => "product-or-program-manager",
            LetterKind::CrossTeam => "cross-team",
        }
    }

    /// A front-matter letter entry (YAML flow mapping) that covers this kind.
    pub fn entry(self) -> &'static str {
        match self {
            LetterKind::SameTeamSeniorEngineer => "{ name: TODO, role: staff-engineer, relation: same-team }",
            LetterKind::ProductOrProgramManager => "{ name: TODO, role: product-manager }",
            LetterKind::CrossTeam => "{ name: TODO, role: engineer, relation: other-team }",
        }
    }
}

/// A scalar as written: its text and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub value: String,
    pub range: Range<usize>,
}

/// A `key: value` pair whose value is a scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: Range<usize>,
    pub value: Scalar,
}

impl Field {
    pub fn text(&self) -> &str {
        &self.value.value
    }
}

/// The sponsor or one letter: a mapping with name, role, relation, `file`
/// (the letter file; for the sponsor, their own letter) and `exception`
/// (sponsor). Unknown keys are kept out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// The whole entry as written (the mapping, or the list item).
    pub range: Range<usize>,
    pub name: Option<Field>,
    pub role: Option<Field>,
    pub relation: Option<Field>,
    pub exception: Option<Field>,
    pub file: Option<Field>,
}

impl Person {
    /// The role, when it is present and one of the vocabulary's.
    pub fn role(&self) -> Option<Role> {
        self.role.as_ref().and_then(|f| Role::parse(f.text()))
    }

    pub fn relation(&self) -> Option<Relation> {
        self.relation.as_ref().and_then(|f| Relation::parse(f.text()))
    }

    /// Which required letter kinds this letter covers.
    pub fn kinds(&self) -> Vec<LetterKind> {
        let (Some(role), relation) = (self.role(), self.relation()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if role.is_lead_or_higher_engineer() && relation == Some(Relation::SameTeam) {
            out.push(LetterKind::SameTeamSeniorEngineer);
        }
        if matches!(role, Role::ProductManager | Role::ProgramManager) {
            out.push(LetterKind::ProductOrProgramManager);
        }
        let other = matches!(relation, Some(Relation::OtherTeam | Relation::OtherOrg));
        if (role.is_engineer() && other) || (role.is_manager_or_above() && relation == Some(Relation::OtherOrg)) {
            out.push(LetterKind::CrossTeam);
        }
        out
    }

    /// The letter's file path as written, when non-empty.
    pub fn file_path(&self) -> Option<&str> {
        self.file.as_ref().map(|f| f.text()).filter(|s| !s.trim().is_empty())
    }
}

/// Something wrong with the front matter: an `error` (YAML syntax, a key of
/// the wrong type) or a `warning` (an unknown role or relation value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub range: Range<usize>,
    pub message: String,
    pub severity: Severity,
}

/// How the `letters:` value is written, so a fix can add an entry to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LettersShape {
    /// No `letters:` key.
    #[default]
    Absent,
    /// `letters:` with no value.
    Empty,
    /// A block sequence (`- …` lines): the items' indentation (bytes of
    /// the first item's line before its `-`) and where the last item ends.
    Block { indent: usize, end: usize },
    /// A flow sequence `[…]`: the offset of its closing `]` and whether it has items.
    Flow { close: usize, has_items: bool },
    /// Not a list: reported as `front-matter-invalid`.
    Invalid,
}

/// The parsed front matter. With a YAML syntax error only `syntax_error` is set.
#[derive(Debug, Clone, Default)]
pub struct FrontMatterData {
    /// Whether the document has a front matter block at all.
    pub present: bool,
    /// The front matter's first line (`---`), without its line break.
    pub first_line: Range<usize>,
    /// The YAML text between the delimiters.
    pub body: Range<usize>,
    pub syntax_error: Option<Problem>,
    /// Keys of the wrong type and unknown values (empty with a syntax error).
    pub problems: Vec<Problem>,
    /// Every top-level key as written, in order.
    pub keys: Vec<Scalar>,
    pub packet: Option<Field>,
    pub candidate: Option<Field>,
    pub target: Option<Field>,
    /// The `sponsor:` key.
    pub sponsor_key: Option<Range<usize>>,
    /// The sponsor, when `sponsor:` is a mapping.
    pub sponsor: Option<Person>,
    /// Whether `sponsor:` has a value of the wrong type (reported as a problem).
    pub sponsor_invalid: bool,
    /// The `letters:` key.
    pub letters_key: Option<Range<usize>>,
    pub letters_shape: LettersShape,
    /// The letters that are mappings (other items are reported as problems).
    pub letters: Vec<Person>,
}

impl FrontMatterData {
    /// Whether the YAML parsed (or there is no front matter).
    pub fn parsed(&self) -> bool {
        self.syntax_error.is_none()
    }

    /// Which required kinds the letters cover, in the order of [`LetterKind::ALL`].
    pub fn covered_kinds(&self) -> Vec<LetterKind> {
        let mut k: Vec<LetterKind> = self.letters.iter().flat_map(Person::kinds).collect();
        k.sort();
        k.dedup();
        k
    }

    /// The letter entries with a file, the sponsor's first: the letter files
    /// of the package, in the order the bundle shows them.
    pub fn letter_files(&self) -> impl Iterator<Item = &Person> {
        self.sponsor.iter().chain(self.letters.iter()).filter(|p| p.file_path().is_some())
    }

    /// The letter entry at byte `offset`, if any (for hovers and links).
    pub fn letter_at(&self, offset: usize) -> Option<&Person> {
        self.letters.iter().find(|l| l.range.start <= offset && offset <= l.range.end)
    }
}

/// A YAML node with byte ranges.
#[derive(Debug)]
enum Node {
    Scalar { value: String, range: Range<usize>, plain_empty: bool },
    Seq { items: Vec<Node>, range: Range<usize>, flow: bool },
    Map { entries: Vec<(Node, Node)>, range: Range<usize> },
    Alias { range: Range<usize> },
}

impl Node {
    fn range(&self) -> Range<usize> {
        match self {
            Node::Scalar { range, .. } | Node::Seq { range, .. } | Node::Map { range, .. } | Node::Alias { range } => {
                range.clone()
            }
        }
    }

    fn kind_name(&self) -> &'static str {
        match self {
            Node::Scalar { .. } => "a text value",
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a mapping",
            Node::Alias { .. } => "an alias",
        }
    }
}

/// Collects events with their byte offsets.
struct Collector<'a> {
    doc: &'a Document<'a>,
    first_line: usize,
    body: Range<usize>,
    events: Vec<(Event, usize)>,
}

impl Collector<'_> {
    /// The byte offset of a marker (line 1-based, column in characters).
    fn offset(&self, m: &Marker) -> usize {
        let line = (self.first_line + m.line().saturating_sub(1)) as u32;
        let off = self.doc.index.offset(self.doc.text, LineCol { line, col: m.col() as u32 }, Encoding::Utf32);
        off.clamp(self.body.start, self.body.end)
    }
}

impl MarkedEventReceiver for Collector<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = self.offset(&mark);
        self.events.push((ev, at));
    }
}

/// Where a scalar written at `start` ends.
fn scalar_end(text: &str, start: usize, limit: usize, value: &str, style: TScalarStyle) -> usize {
    let rest = &text[start..limit];
    let line_end = start + rest.find(['\n', '\r']).unwrap_or(rest.len());
    match style {
        TScalarStyle::Plain => {
            if rest.starts_with(value) {
                start + value.len()
            } else {
                // A multi-line plain scalar: its first line.
                let line = &text[start..line_end];
                let line = line.split(" #").next().unwrap_or(line);
                start + line.trim_end().len()
            }
        }
        TScalarStyle::SingleQuoted => {
            let mut chars = rest.char_indices().skip(1).peekable();
            while let Some((i, c)) = chars.next() {
                if c == '\'' {
                    if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                    } else {
                        return start + i + 1;
                    }
                }
            }
            limit
        }
        TScalarStyle::DoubleQuoted => {
            let mut chars = rest.char_indices().skip(1);
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => return start + i + 1,
                    _ => {}
                }
            }
            limit
        }
        // Block scalars: the indicator line.
        _ => line_end,
    }
}

/// The range of the character at `at` (empty at a line end).
fn char_range(text: &str, at: usize) -> Range<usize> {
    match text[at..].chars().next() {
        Some(c) if c != '\n' && c != '\r' => at..at + c.len_utf8(),
        _ => at..at,
    }
}

struct Builder<'a> {
    text: &'a str,
    limit: usize,
    /// Offset of the last collection end event read (a flow collection's closing bracket).
    last_close: usize,
    events: std::vec::IntoIter<(Event, usize)>,
}

impl Builder<'_> {
    /// Reads the next node; `None` at the end of a collection or the document.
    fn node(&mut self) -> Option<Node> {
        loop {
            let (ev, at) = self.events.next()?;
            return Some(match ev {
                Event::Scalar(value, style, _, _) => {
                    let plain_empty =
                        style == TScalarStyle::Plain && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL");
                    let end = if value.is_empty() && style == TScalarStyle::Plain {
                        at
                    } else {
                        scalar_end(self.text, at, self.limit, &value, style)
                    };
                    Node::Scalar { value, range: at..end, plain_empty }
                }
                Event::SequenceStart(..) => {
                    let flow = self.text[at..].starts_with('[');
                    let mut items = Vec::new();
                    while let Some(n) = self.node() {
                        items.push(n);
                    }
                    let end = self.last_end(flow, at, items.last().map(Node::range));
                    Node::Seq { items, range: at..end, flow }
                }
                Event::MappingStart(..) => {
                    let flow = self.text[at..].starts_with('{');
                    let mut entries = Vec::new();
                    while let Some(k) = self.node() {
                        let v = self.node().unwrap_or(Node::Scalar {
                            value: String::new(),
                            range: k.range().end..k.range().end,
                            plain_empty: true,
                        });
                        entries.push((k, v));
                    }
                    // A block mapping's start marker comes after its first key.
                    let start = entries.first().map_or(at, |(k, _)| k.range().start.min(at));
                    let end = self.last_end(flow, at, entries.last().map(|(k, v)| k.range().start..v.range().end));
                    Node::Map { entries, range: start..end }
                }
                Event::Alias(_) => Node::Alias { range: char_range(self.text, at) },
                Event::SequenceEnd | Event::MappingEnd => {
                    self.last_close = at;
                    return None;
                }
                Event::DocumentEnd | Event::StreamEnd => return None,
                Event::StreamStart | Event::DocumentStart | Event::Nothing => continue,
            });
        }
    }

    /// The end of a collection just closed: after its closing bracket
    /// (flow) or at its last child's end (block).
    fn last_end(&self, flow: bool, start: usize, last: Option<Range<usize>>) -> usize {
        if flow && self.text[self.last_close..].starts_with([']', '}']) {
            self.last_close + 1
        } else {
            last.map_or(start, |r| r.end)
        }
    }
}

/// Parses the document's front matter.
pub fn parse(doc: &Document) -> FrontMatterData {
    let Some(fm) = &doc.front_matter else {
        return FrontMatterData::default();
    };
    let text = doc.text;
    let first_line_no = doc.index.line_of(fm.range.start);
    let mut data = FrontMatterData {
        present: true,
        first_line: fm.range.start..doc.index.line_end(text, first_line_no),
        body: fm.body.clone(),
        ..FrontMatterData::default()
    };
    let mut collector =
        Collector { doc, first_line: doc.index.line_of(fm.body.start), body: fm.body.clone(), events: Vec::new() };
    let yaml = &text[fm.body.clone()];
    let mut parser = Parser::new_from_str(yaml);
    // Only the first document: a `---` inside the body would start a second one.
    if let Err(e) = parser.load(&mut collector, false) {
        let at = collector.offset(e.marker());
        data.syntax_error = Some(Problem {
            range: char_range(text, at),
            message: format!("Front matter is not valid YAML: {}", e.info()),
            severity: Severity::Error,
        });
        return data;
    }
    let mut b = Builder { text, limit: fm.body.end, last_close: 0, events: collector.events.into_iter() };
    let Some(root) = b.node() else {
        return data; // empty front matter
    };
    let entries = match root {
        Node::Map { entries, .. } => entries,
        Node::Scalar { plain_empty: true, .. } => return data,
        other => {
            data.problems.push(Problem {
                range: other.range(),
                message: format!("Front matter must be a mapping of keys (packet, candidate, …), not {}", other.kind_name()),
                severity: Severity::Error,
            });
            // No `letters:` key can be added to it (the fix would only be offered again).
            data.letters_shape = LettersShape::Invalid;
            return data;
        }
    };
    read_top(text, &mut data, entries);
    data
}

fn wrong_type(problems: &mut Vec<Problem>, key: &str, node: &Node, expected: &str) {
    problems.push(Problem {
        range: node.range(),
        message: format!("`{key}` must be {expected}, not {}", node.kind_name()),
        severity: Severity::Error,
    });
}

/// A scalar field, or a problem when the value is not a scalar. Empty values count as absent.
fn scalar_field(problems: &mut Vec<Problem>, name: &str, key: Range<usize>, v: Node) -> Option<Field> {
    match v {
        Node::Scalar { plain_empty: true, .. } => None,
        Node::Scalar { value, range, .. } => Some(Field { key, value: Scalar { value, range } }),
        other => {
            wrong_type(problems, name, &other, "a text value");
            None
        }
    }
}

/// Checks the duplicates among a mapping's keys; returns the keys as scalars.
/// `seen` is a set: a mapping with 200,000 keys took minutes with a list.
fn duplicate_check(
    problems: &mut Vec<Problem>,
    seen: &mut std::collections::HashSet<String>,
    key: &str,
    range: &Range<usize>,
) -> bool {
    if seen.contains(key) {
        problems.push(Problem {
            range: range.clone(),
            message: format!("Duplicate key `{key}`: only one is allowed"),
            severity: Severity::Error,
        });
        return false;
    }
    seen.insert(key.to_string());
    true
}

fn read_top(text: &str, data: &mut FrontMatterData, entries: Vec<(Node, Node)>) {
    let mut seen = std::collections::HashSet::new();
    for (k, v) in entries {
        let (key, krange) = match k {
            Node::Scalar { value, range, .. } => (value, range),
            other => {
                wrong_type(&mut data.problems, "a key", &other, "a text value");
                continue;
            }
        };
        data.keys.push(Scalar { value: key.clone(), range: krange.clone() });
        if !duplicate_check(&mut data.problems, &mut seen, &key, &krange) {
            continue;
        }
        match key.as_str() {
            "packet" => data.packet = scalar_field(&mut data.problems, "packet", krange, v),
            "candidate" => data.candidate = scalar_field(&mut data.problems, "candidate", krange, v),
            "target" => data.target = scalar_field(&mut data.problems, "target", krange, v),
            "sponsor" => {
                data.sponsor_key = Some(krange);
                match v {
                    Node::Map { entries, range } => {
                        data.sponsor = Some(read_person(&mut data.problems, "sponsor", entries, range))
                    }
                    Node::Scalar { plain_empty: true, .. } => {}
                    other => {
                        data.sponsor_invalid = true;
                        wrong_type(
                            &mut data.problems,
                            "sponsor",
                            &other,
                            "a mapping such as `{ name: …, relation: direct-manager, role: director }`",
                        )
                    }
                }
            }
            "letters" => {
                data.letters_key = Some(krange);
                match v {
                    Node::Seq { items, flow, range } => {
                        data.letters_shape = if flow {
                            LettersShape::Flow { close: range.end.saturating_sub(1), has_items: !items.is_empty() }
                        } else {
                            let line_start = text[..range.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                            LettersShape::Block { indent: range.start - line_start, end: range.end }
                        };
                        for item in items {
                            match item {
                                Node::Map { entries, range } => {
                                    let p = read_person(&mut data.problems, "letter", entries, range);
                                    data.letters.push(p);
                                }
                                other => wrong_type(
                                    &mut data.problems,
                                    "each letter",
                                    &other,
                                    "a mapping such as `{ name: …, role: staff-engineer, relation: same-team }`",
                                ),
                            }
                        }
                    }
                    Node::Scalar { plain_empty: true, .. } => data.letters_shape = LettersShape::Empty,
                    other => {
                        data.letters_shape = LettersShape::Invalid;
                        wrong_type(&mut data.problems, "letters", &other, "a list of letters");
                    }
                }
            }
            _ => {} // unknown keys are allowed
        }
    }
}

fn read_person(
    problems: &mut Vec<Problem>,
    what: &str,
    entries: Vec<(Node, Node)>,
    range: Range<usize>,
) -> Person {
    let mut p = Person { range, ..Person::default() };
    let mut seen = std::collections::HashSet::new();
    for (k, v) in entries {
        let (key, krange) = match k {
            Node::Scalar { value, range, .. } => (value, range),
            other => {
                wrong_type(problems, "a key", &other, "a text value");
                continue;
            }
        };
        if !duplicate_check(problems, &mut seen, &key, &krange) {
            continue;
        }
        let slot = match key.as_str() {
            "name" => &mut p.name,
            "role" => &mut p.role,
            "relation" => &mut p.relation,
            "exception" => &mut p.exception,
            // The sponsor's own letter is named like any other (seed 004: the
            // sponsor collates the letters and their own).
            "file" => &mut p.file,
            _ => continue,
        };
        *slot = scalar_field(problems, &format!("{what} {key}"), krange, v);
    }
    if let Some(f) = &p.role {
        if Role::parse(f.text()).is_none() {
            problems.push(unknown_value("role", f, &Role::accepted()));
        }
    }
    if let Some(f) = &p.relation {
        if Relation::parse(f.text()).is_none() {
            problems.push(unknown_value("relation", f, &Relation::accepted()));
        }
    }
    p
}

fn unknown_value(key: &str, f: &Field, accepted: &str) -> Problem {
    Problem {
        range: f.value.range.clone(),
        message: format!("Unknown {key} `{}`: use one of {accepted}", f.text()),
        severity: Severity::Warning,
    }
}

/// Where a front-matter rule points when it has no key of its own: the front
/// matter's first line, or the document's first line when there is none.
pub fn anchor(doc: &Document, front: &FrontMatterData) -> Range<usize> {
    if front.present {
        front.first_line.clone()
    } else {
        doc.bom..doc.index.line_end(doc.text, 0)
    }
}
