//! The one place where protocol types meet the library's plain types: byte
//! ranges ↔ LSP ranges in the negotiated encoding, diagnostics, fixes,
//! symbols, completions. Everything else in the server passes through here.

use std::ops::Range as ByteRange;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity,
    DocumentSymbol, Location, NumberOrString, Position, Range, SymbolKind, TextEdit, Uri, WorkspaceEdit,
};

use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::features::{Completion, CompletionKind, Symbol};
use crate::text::{Encoding, LineCol, LineIndex};

/// A text with its line index and the client's encoding: converts positions.
pub struct Positions<'t> {
    pub text: &'t str,
    pub index: &'t LineIndex,
    pub enc: Encoding,
}

impl Positions<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let p = self.index.position(self.text, offset, self.enc);
        Position { line: p.line, character: p.col }
    }

    pub fn range(&self, r: &ByteRange<usize>) -> Range {
        Range { start: self.position(r.start), end: self.position(r.end) }
    }

    /// A byte offset for an LSP position, clamped into the text.
    pub fn offset(&self, p: Position) -> usize {
        self.index.offset(self.text, LineCol { line: p.line, col: p.character }, self.enc)
    }
}

pub fn line_col(p: Position) -> LineCol {
    LineCol { line: p.line, col: p.character }
}

pub fn encoding_kind(e: Encoding) -> lsp::PositionEncodingKind {
    match e {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

/// Picks the encoding: the first of the client's that we support (UTF-8
/// preferred when offered, since our offsets are bytes), else UTF-16.
pub fn negotiate(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
    let Some(list) = offered else { return Encoding::Utf16 };
    if list.contains(&lsp::PositionEncodingKind::UTF8) {
        return Encoding::Utf8;
    }
    for k in list {
        if *k == lsp::PositionEncodingKind::UTF16 {
            return Encoding::Utf16;
        }
        if *k == lsp::PositionEncodingKind::UTF32 {
            return Encoding::Utf32;
        }
    }
    Encoding::Utf16
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// What a diagnostic carries in `Diagnostic.data`: which of the server's
/// diagnostics it is, never its fixes. A code action request only selects by
/// it; the edits always come from the server's own analysis of the current
/// text, so a forged or edited payload (or a diagnostic whose range the
/// client moved) cannot make the server offer an edit it did not compute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DiagnosticData {
    /// The document version the diagnostic was computed for.
    pub version: i32,
    /// Its range as published (clients move their copy as the user types).
    pub range: Range,
    /// How many quick fixes it has (what a client may show before asking).
    pub fixes: usize,
}

/// A quick fix of one of the server's diagnostics, ready to offer.
#[derive(Debug, Clone, PartialEq)]
pub struct FixData {
    pub title: String,
    pub preferred: bool,
    pub edits: Vec<TextEdit>,
}

pub fn edits(pos: &Positions, edits: &[Edit]) -> Vec<TextEdit> {
    edits.iter().map(|e| TextEdit { range: pos.range(&e.range), new_text: e.text.clone() }).collect()
}

fn fix_data(pos: &Positions, f: &Fix) -> FixData {
    FixData { title: f.title.clone(), preferred: f.preferred, edits: edits(pos, &f.edits) }
}

/// The server's fixes for the diagnostic a client sent back, looked up in the
/// current analysis (`diagnostics`, computed for `version`). `data` selects:
/// for the current version, the diagnostic of the same rule, message and
/// published range; for an older version (the text changed since), the
/// current diagnostic of the same rule and message. Without `data` the
/// diagnostic's own range is the key. A selection that matches nothing gives
/// nothing. Every edit returned is one the server computed for this text:
/// insertions, or a heading's (or bold label's) own rewrite.
pub fn select_fixes(pos: &Positions, version: i32, diagnostics: &[Diagnostic], sent: &lsp::Diagnostic) -> Vec<FixData> {
    if sent.source.as_deref() != Some("packet-ls") {
        return Vec::new();
    }
    let Some(NumberOrString::String(code)) = &sent.code else { return Vec::new() };
    let data = sent.data.clone().and_then(|v| serde_json::from_value::<DiagnosticData>(v).ok());
    let same = |d: &&Diagnostic| d.code.as_str() == code && d.message == sent.message;
    let found = match &data {
        Some(data) if data.version == version => diagnostics.iter().filter(same).find(|d| pos.range(&d.range) == data.range),
        Some(_) => diagnostics.iter().find(same),
        None => diagnostics.iter().filter(same).find(|d| pos.range(&d.range) == sent.range),
    };
    found.map(|d| d.fixes.iter().map(|f| fix_data(pos, f)).collect()).unwrap_or_default()
}

/// The documentation link of each rule, parsed once (a publish converts
/// every diagnostic of the document on every keystroke).
fn doc_link(code: crate::code::RuleCode) -> Option<&'static Uri> {
    static LINKS: std::sync::LazyLock<Vec<(crate::code::RuleCode, Option<Uri>)>> = std::sync::LazyLock::new(|| {
        crate::code::RuleCode::ALL.iter().map(|&c| (c, Uri::from_str(&c.doc_url()).ok())).collect()
    });
    LINKS.iter().find(|(c, _)| *c == code)?.1.as_ref()
}

fn code_description(code: crate::code::RuleCode) -> Option<CodeDescription> {
    doc_link(code).map(|href| CodeDescription { href: href.clone() })
}

pub fn diagnostic(pos: &Positions, uri: &Uri, version: i32, d: &Diagnostic) -> lsp::Diagnostic {
    let range = pos.range(&d.range);
    let data = DiagnosticData { version, range, fixes: d.fixes.len() };
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.as_str().to_string())),
        code_description: code_description(d.code),
        source: Some("packet-ls".to_string()),
        message: d.message.clone(),
        related_information: related(pos, uri, d),
        tags: None,
        data: serde_json::to_value(data).ok(),
    }
}

/// `textDocument/publishDiagnostics` as this server sends it: the params
/// carry rules' diagnostics as [`Wire`] ones. tower-lsp-server turns every
/// notification's params into a `serde_json::Value` tree before writing it;
/// building an [`lsp::Diagnostic`], with its `data` already such a tree, first
/// doubled that work for each of the hundreds of diagnostics a long packet can
/// have. The JSON is the same (a unit test compares the two).
pub enum PublishDiagnostics {}

impl lsp::notification::Notification for PublishDiagnostics {
    type Params = PublishParams;
    const METHOD: &'static str = "textDocument/publishDiagnostics";
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PublishParams {
    pub uri: Uri,
    pub diagnostics: Vec<Published>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
}

/// One published diagnostic: a rule's, or another kind (a file too large, a letter's).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Published {
    Rule(Wire),
    Other(lsp::Diagnostic),
}

/// A rule's diagnostic as [`diagnostic`] makes it, serialised from its parts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wire {
    range: Range,
    severity: DiagnosticSeverity,
    code: std::borrow::Cow<'static, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_description: Option<Href>,
    source: std::borrow::Cow<'static, str>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_information: Option<Vec<DiagnosticRelatedInformation>>,
    data: DiagnosticData,
}

/// `codeDescription`: the rule's documentation link.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Href {
    href: std::borrow::Cow<'static, str>,
}

/// [`diagnostic`], for publishing.
pub fn wire(pos: &Positions, uri: &Uri, version: i32, d: &Diagnostic) -> Published {
    let range = pos.range(&d.range);
    Published::Rule(Wire {
        range,
        severity: severity(d.severity),
        code: d.code.as_str().into(),
        code_description: doc_link(d.code).map(|u| Href { href: u.as_str().into() }),
        source: "packet-ls".into(),
        message: d.message.clone(),
        related_information: related(pos, uri, d),
        data: DiagnosticData { version, range, fixes: d.fixes.len() },
    })
}

fn related(pos: &Positions, uri: &Uri, d: &Diagnostic) -> Option<Vec<DiagnosticRelatedInformation>> {
    (!d.related.is_empty()).then(|| {
        d.related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location { uri: uri.clone(), range: pos.range(&r.range) },
                message: r.message.clone(),
            })
            .collect()
    })
}

/// A diagnostic that is not a rule's (e.g. a file too large to analyse).
pub fn plain_diagnostic(range: Range, severity: DiagnosticSeverity, message: String) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range,
        severity: Some(severity),
        source: Some("packet-ls".to_string()),
        message,
        ..Default::default()
    }
}

/// A workspace edit for one document, versioned when the client supports it.
pub fn workspace_edit(uri: &Uri, version: Option<i32>, edits: Vec<TextEdit>, document_changes: bool) -> WorkspaceEdit {
    if document_changes {
        WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Edits(vec![lsp::TextDocumentEdit {
                text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version },
                edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        let mut changes = std::collections::HashMap::new();
        changes.insert(uri.clone(), edits);
        WorkspaceEdit { changes: Some(changes), ..Default::default() }
    }
}

/// The quick-fix actions for `fixes` (from [`select_fixes`]) of the
/// diagnostic `d` the client sent.
pub fn quick_fixes(uri: &Uri, d: &lsp::Diagnostic, version: i32, fixes: Vec<FixData>, document_changes: bool) -> Vec<CodeAction> {
    let only_one = fixes.len() == 1;
    fixes
        .into_iter()
        .map(|f| CodeAction {
            title: f.title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(workspace_edit(uri, Some(version), f.edits, document_changes)),
            is_preferred: Some(f.preferred && only_one),
            ..Default::default()
        })
        .collect()
}

#[allow(deprecated)]
pub fn symbol(pos: &Positions, s: &Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: if s.title.is_empty() { "(untitled)".to_string() } else { s.title.clone() },
        detail: Some(format!("H{}", s.level)),
        kind: match s.level {
            1 => SymbolKind::NAMESPACE,
            2 => SymbolKind::CLASS,
            3 => SymbolKind::METHOD,
            _ => SymbolKind::FIELD,
        },
        tags: None,
        deprecated: None,
        range: pos.range(&s.range),
        selection_range: pos.range(&s.selection),
        children: (!s.children.is_empty()).then(|| s.children.iter().map(|c| symbol(pos, c)).collect()),
    }
}

/// A completion item. With `snippets` (the client's `snippetSupport`) the
/// text goes as a snippet (`$`, `}` and `\\` escaped): Neovim 0.11 inserts
/// only the first whitespace-free run of a plain-text item's edit (its
/// `get_completion_word`), but a snippet item's label or filter text, and
/// `vim.lsp.completion` expands the whole snippet when the item is accepted.
pub fn completion(pos: &Positions, c: &Completion, i: usize, snippets: bool) -> lsp::CompletionItem {
    let (format, new_text) =
        if snippets { (lsp::InsertTextFormat::SNIPPET, snippet_escape(&c.insert)) } else { (lsp::InsertTextFormat::PLAIN_TEXT, c.insert.clone()) };
    lsp::CompletionItem {
        label: c.label.clone(),
        kind: Some(match c.kind {
            CompletionKind::Section => lsp::CompletionItemKind::MODULE,
            CompletionKind::Key => lsp::CompletionItemKind::PROPERTY,
            CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        }),
        detail: Some(c.detail.clone()),
        sort_text: Some(format!("{}{:04}", if c.missing { 0 } else { 1 }, i)),
        filter_text: Some(c.filter.clone()),
        insert_text_format: Some(format),
        text_edit: Some(lsp::CompletionTextEdit::Edit(TextEdit { range: pos.range(&c.range), new_text })),
        ..Default::default()
    }
}

/// `text` as a snippet that expands to exactly `text`.
pub fn snippet_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// The one diagnostic of a packet too large to analyse.
pub fn too_large(bytes: usize, max: usize) -> lsp::Diagnostic {
    plain_diagnostic(
        Range::default(),
        DiagnosticSeverity::WARNING,
        format!("packet-ls skipped this file: {bytes} bytes is over the maxFileBytes limit of {max} bytes"),
    )
}

/// A Markdown hover over `range`.
pub fn hover(pos: &Positions, range: &ByteRange<usize>, markdown: String) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: markdown }),
        range: Some(pos.range(range)),
    }
}

/// The readiness code lens on a packet's first heading: clicking it runs
/// `command` with the document's URI.
pub fn readiness_lens(pos: &Positions, line: &ByteRange<usize>, title: String, command: &str, uri: &Uri) -> lsp::CodeLens {
    lsp::CodeLens {
        range: pos.range(line),
        command: Some(lsp::Command {
            title,
            command: command.to_string(),
            arguments: Some(vec![serde_json::to_value(uri).unwrap_or(serde_json::Value::Null)]),
        }),
        data: None,
    }
}

/// A folded region of whole lines.
pub fn folding_range((start_line, end_line): (u32, u32)) -> lsp::FoldingRange {
    lsp::FoldingRange { start_line, end_line, kind: Some(lsp::FoldingRangeKind::Region), ..Default::default() }
}

/// A link from a letter entry to its file.
pub fn letter_link(pos: &Positions, range: &ByteRange<usize>, path: &std::path::Path) -> Option<lsp::DocumentLink> {
    Some(lsp::DocumentLink {
        range: pos.range(range),
        target: Some(Uri::from_file_path(path)?),
        tooltip: Some("Open the recommendation letter".into()),
        data: None,
    })
}

/// A code action that is not a diagnostic's fix (scaffold, fix all).
pub fn edit_action(title: &str, kind: CodeActionKind, preferred: Option<bool>, edit: WorkspaceEdit) -> CodeAction {
    CodeAction { title: title.to_string(), kind: Some(kind), is_preferred: preferred, edit: Some(edit), ..Default::default() }
}

/// One workspace edit that creates the file `file` (failing if it exists:
/// never overwrites), inserts `text` into it, and applies `packet_edits` to
/// the packet `packet` (skipped when there are none).
pub fn create_file_edit(file: &Uri, text: String, packet: &Uri, packet_version: Option<i32>, packet_edits: Vec<TextEdit>) -> WorkspaceEdit {
    let mut ops = vec![
        lsp::DocumentChangeOperation::Op(lsp::ResourceOp::Create(lsp::CreateFile {
            uri: file.clone(),
            options: Some(lsp::CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(false) }),
            annotation_id: None,
        })),
        lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri: file.clone(), version: None },
            edits: vec![lsp::OneOf::Left(TextEdit { range: Range::default(), new_text: text })],
        }),
    ];
    if !packet_edits.is_empty() {
        ops.push(lsp::DocumentChangeOperation::Edit(lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri: packet.clone(), version: packet_version },
            edits: packet_edits.into_iter().map(lsp::OneOf::Left).collect(),
        }));
    }
    WorkspaceEdit { document_changes: Some(lsp::DocumentChanges::Operations(ops)), ..Default::default() }
}

/// A command that makes the server show `message` (`window/showMessage`).
pub fn notice_command(command: &str, message: &str) -> lsp::Command {
    lsp::Command { title: message.to_string(), command: command.to_string(), arguments: Some(vec![serde_json::Value::String(message.to_string())]) }
}

#[cfg(test)]
mod completion_tests {
    use super::snippet_escape;

    #[test]
    fn snippet_escape_keeps_text_literal() {
        assert_eq!(snippet_escape("Cross-Functional Collaboration"), "Cross-Functional Collaboration");
        assert_eq!(snippet_escape("sponsor: { name: , role: director }"), "sponsor: { name: , role: director \\}");
        assert_eq!(snippet_escape("cost $5 \\ ${1}"), "cost \\$5 \\\\ \\${1\\}");
    }
}


#[cfg(test)]
mod publish_tests {
    use super::*;
    use crate::code::RuleCode;

    /// What is published is what `diagnostic` makes, field for field, for
    /// every rule and every severity, with related information and fixes,
    /// in UTF-16 past an emoji and a CRLF.
    #[test]
    fn a_published_diagnostic_is_the_lsp_one_as_json() {
        let text = "# 😀 Overview\r\nI led it.\r\n## Results\r\nNone.\r\n";
        let index = LineIndex::new(text);
        let pos = Positions { text, index: &index, enc: Encoding::Utf16 };
        let uri = Uri::from_str("file:///tmp/a%20b.packet.md").unwrap();
        let sevs = [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint];
        for (i, &code) in RuleCode::ALL.iter().enumerate() {
            let mut d = Diagnostic::new(code, 17..26, format!("\"{}\" says \"we\"\n— a tab\there", code.as_str()));
            d.severity = sevs[i % 4];
            if i % 2 == 0 {
                d = d.with_related(2..13, "the other one").with_fix(Fix {
                    title: "Insert".into(),
                    preferred: true,
                    edits: vec![Edit { range: 28..28, text: "### Overview\n".into() }],
                    insertions: Vec::new(),
                    conversions: Vec::new(),
                });
            }
            let lsp_json = serde_json::to_value(diagnostic(&pos, &uri, 7, &d)).unwrap();
            let wire_json = serde_json::to_value(wire(&pos, &uri, 7, &d)).unwrap();
            assert_eq!(wire_json, lsp_json, "{}", code.as_str());
            assert_eq!(lsp_json["data"]["fixes"], if i % 2 == 0 { 1 } else { 0 });
        }
        // The params as a whole: those of `lsp::PublishDiagnosticsParams`.
        let d = Diagnostic::new(RuleCode::Placeholder, 0..3, "x");
        let ours = PublishParams { uri: uri.clone(), diagnostics: vec![wire(&pos, &uri, 3, &d)], version: Some(3) };
        let theirs = lsp::PublishDiagnosticsParams::new(uri.clone(), vec![diagnostic(&pos, &uri, 3, &d)], Some(3));
        assert_eq!(serde_json::to_value(&ours).unwrap(), serde_json::to_value(&theirs).unwrap());
        let other = PublishParams { uri: uri.clone(), diagnostics: vec![Published::Other(theirs.diagnostics[0].clone())], version: None };
        let plain = lsp::PublishDiagnosticsParams::new(uri, theirs.diagnostics.clone(), None);
        assert_eq!(serde_json::to_value(&other).unwrap(), serde_json::to_value(&plain).unwrap());
    }
}
