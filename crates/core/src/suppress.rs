//! Inline suppression comments, in the markdownlint style:
//! `<!-- packet-ls-disable RULE... -->` … `<!-- packet-ls-enable RULE... -->`,
//! `<!-- packet-ls-disable-next-line RULE... -->`,
//! `<!-- packet-ls-disable-file RULE... -->`. Without rules: all rules.
//! Rules are separated by spaces or commas.

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::code::RuleCode;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Rules {
    All,
    Some(Vec<RuleCode>),
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
    let index = Index::new(doc, &directives);
    diags.retain(|d| !index.suppressed(doc, d));
}

fn rule_index(c: RuleCode) -> usize {
    RuleCode::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// The directives arranged for lookup, so that checking every diagnostic is
/// linear in the diagnostics plus the directives (it was their product:
/// 40,000 `disable-next-line` comments took 28 s).
struct Index {
    /// Per rule: silenced in the whole file.
    file: Vec<bool>,
    /// The line after each `disable-next-line`, with its rules.
    next_line: std::collections::HashMap<usize, Vec<usize>>,
    /// Per rule: the `disable` / `enable` directives that name it, as (start
    /// offset, disabled after it), in document order.
    toggles: Vec<Vec<(usize, bool)>>,
}

impl Index {
    fn new(doc: &Document, directives: &[(usize, usize, Directive)]) -> Index {
        let n = RuleCode::ALL.len();
        let mut ix = Index { file: vec![false; n], next_line: Default::default(), toggles: vec![Vec::new(); n] };
        for (start, end, dir) in directives {
            let (rules, what) = match dir {
                Directive::File(r) => (r, 0),
                Directive::NextLine(r) => (r, 1),
                Directive::Disable(r) => (r, 2),
                Directive::Enable(r) => (r, 3),
            };
            let codes: Vec<usize> = match rules {
                Rules::All => (0..n).collect(),
                Rules::Some(v) => v.iter().map(|c| rule_index(*c)).collect(),
            };
            match what {
                0 => codes.iter().for_each(|&c| ix.file[c] = true),
                1 => ix.next_line.entry(doc.index.line_of(*end) + 1).or_default().extend(codes),
                _ => codes.iter().for_each(|&c| ix.toggles[c].push((*start, what == 2))),
            }
        }
        // Comments come in document order; sort anyway, the lookup needs it.
        for t in &mut ix.toggles {
            t.sort_by_key(|(s, _)| *s);
        }
        ix
    }

    fn suppressed(&self, doc: &Document, d: &Diagnostic) -> bool {
        let c = rule_index(d.code);
        if self.file[c] {
            return true;
        }
        let line = doc.index.line_of(d.range.start);
        if self.next_line.get(&line).is_some_and(|v| v.contains(&c)) {
            return true;
        }
        // The last toggle for this rule that starts at or before the diagnostic.
        let t = &self.toggles[c];
        let k = t.partition_point(|(s, _)| *s <= d.range.start);
        k > 0 && t[k - 1].1
    }
}
