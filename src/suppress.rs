//! Inline suppression comments, in the markdownlint style:
//! `<!-- packet-ls-disable RULE... -->` … `<!-- packet-ls-enable RULE... -->`,
//! `<!-- packet-ls-disable-next-line RULE... -->`,
//! `<!-- packet-ls-disable-file RULE... -->`. Without rules: all rules.
//! Rules are separated by spaces or commas.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::rules::RuleCode;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rules {
    All,
    Some(Vec<RuleCode>),
}

impl Rules {
    fn has(&self, c: RuleCode) -> bool {
        match self {
            Rules::All => true,
            Rules::Some(v) => v.contains(&c),
        }
    }
}

#[derive(Debug)]
enum Directive {
    Disable(Rules),
    Enable(Rules),
    NextLine(Rules),
    File(Rules),
}

fn parse(comment: &str) -> Option<Directive> {
    let inner = comment.strip_prefix("<!--")?.trim_end_matches("-->").trim();
    let rest = inner.strip_prefix("packet-ls-")?;
    let (word, args) = rest.split_once(|c: char| c.is_whitespace()).unwrap_or((rest, ""));
    let names: Vec<&str> = args.split([' ', ',', '\t', '\n', '\r']).filter(|s| !s.is_empty()).collect();
    let rules = if names.is_empty() {
        Rules::All
    } else {
        Rules::Some(names.iter().filter_map(|n| RuleCode::parse(n)).collect())
    };
    Some(match word {
        "disable" => Directive::Disable(rules),
        "enable" => Directive::Enable(rules),
        "disable-next-line" => Directive::NextLine(rules),
        "disable-file" => Directive::File(rules),
        _ => return None,
    })
}

/// Removes the diagnostics that suppression comments silence.
pub fn apply(doc: &Document, diags: &mut Vec<Diagnostic>) {
    let directives: Vec<(usize, usize, Directive)> = doc
        .comments
        .iter()
        .filter_map(|r| parse(&doc.text[r.clone()]).map(|d| (r.start, r.end, d)))
        .collect();
    if directives.is_empty() {
        return;
    }
    diags.retain(|d| !suppressed(doc, &directives, d));
}

fn suppressed(doc: &Document, directives: &[(usize, usize, Directive)], d: &Diagnostic) -> bool {
    let line = doc.index.line_of(d.range.start);
    let mut disabled = false;
    for (start, end, dir) in directives {
        match dir {
            Directive::File(r) if r.has(d.code) => return true,
            Directive::NextLine(r) if r.has(d.code) && doc.index.line_of(*end) + 1 == line => return true,
            Directive::Disable(r) if *start <= d.range.start && r.has(d.code) => disabled = true,
            Directive::Enable(r) if *start <= d.range.start && r.has(d.code) => disabled = false,
            _ => {}
        }
    }
    disabled
}
