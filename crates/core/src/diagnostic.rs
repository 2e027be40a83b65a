//! What the analysis reports: diagnostics with byte ranges and their fixes as
//! plain text edits. No protocol types here; the CLI and the server convert.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::code::RuleCode;

pub use crate::code::{Level, Severity};

/// Replace the bytes of `range` by `text` (an insertion when the range is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// An insertion as the rule meant it, before blank-line padding, so that
/// several fixes at one place can be merged ("insert all missing sections").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    pub at: usize,
    /// Lines joined by `\n`; converted to the document's line ending when applied.
    pub block: String,
    /// Whether blank lines separate the block from its neighbours (Markdown
    /// blocks) or not (front-matter lines).
    pub padded: bool,
    /// Heading level of the block's first line (7 for content without a
    /// heading): deeper blocks go first when several land at one offset.
    pub level: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The only obvious fix for its diagnostic.
    pub preferred: bool,
    /// Set when the fix only inserts text: what it inserts, unpadded.
    pub insertions: Vec<Insertion>,
    /// Bold labels turned into headings (`**Overview:** text` becomes
    /// `### Overview` and the text under it): the only edits besides
    /// insertions that "insert all" (`check --fix`) applies. Also in `edits`,
    /// where an insertion landing where a conversion starts is joined to it.
    pub conversions: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub range: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: RuleCode,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    pub fn new(code: RuleCode, range: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            range,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    /// Adds a fix; `None` (a fix that cannot be built here) adds nothing.
    pub fn with_fix(mut self, fix: impl Into<Option<Fix>>) -> Self {
        self.fixes.extend(fix.into());
        self
    }

    pub fn with_related(mut self, range: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related { range, message: message.into() });
        self
    }
}

/// Applies non-overlapping edits to a text.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<(usize, &Edit)> = edits.iter().enumerate().collect();
    sorted.sort_by_key(|(i, e)| (e.range.start, e.range.end, *i));
    let mut out = String::with_capacity(text.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut pos = 0;
    for (_, e) in sorted {
        let start = e.range.start.clamp(pos, text.len());
        out.push_str(&text[pos..start]);
        out.push_str(&e.text);
        pos = e.range.end.clamp(start, text.len());
    }
    out.push_str(&text[pos..]);
    out
}
