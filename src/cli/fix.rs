//! The `--fix` driver: applies every fix the analysis offers to a packet's
//! text, re-analysing between the ones that depend on each other. The fixes
//! themselves are built by the rules (`packet_ls_core::fix` has the edit
//! builders); this is the command line's use of them.

use packet_ls_core::analysis::{analyze, Env};
use packet_ls_core::config::Settings;
use packet_ls_core::diagnostic::{apply_edits, Severity};
use packet_ls_core::fix::fix_all;

/// What [`fix_text`] made of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// The titles of the fixes applied.
    pub titles: Vec<String>,
    /// Errors of the text before that were fixed only by inserting skeletons
    /// still to be written (`check --fix` still exits 1 for them).
    pub skeleton_errors: usize,
}

/// What `check --fix` does to a packet's text: every insert-only fix merged
/// ([`fix_all`]), then the fixes that insert inside a line (a letter entry
/// in a flow list `letters: [...]`) one at a time, with an analysis in
/// between, since each changes what the next inserts (the separating comma).
/// Such a fix is kept only if its diagnostic goes away.
pub fn fix_text(text: &str, settings: &Settings, env: &Env) -> Fixed {
    let a = analyze(text, settings, env);
    // Errors whose fix inserts Markdown structure (a section or subsection
    // skeleton; not only labels turned into headings or front-matter lines).
    let skeleton_errors = a
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| d.fixes.first().is_some_and(|f| f.insertions.iter().any(|x| x.padded)))
        .count();
    let mut titles: Vec<String> = a
        .diagnostics
        .iter()
        .filter_map(|d| d.fixes.first().filter(|f| !f.insertions.is_empty() || !f.conversions.is_empty()))
        .map(|f| f.title.clone())
        .collect();
    let edits = fix_all(&a.doc, &a.diagnostics);
    let mut text = apply_edits(text, &edits);
    // Each round removes one diagnostic; the bound is a guard.
    for _ in 0..32 {
        let a = analyze(&text, settings, env);
        let inline = a.diagnostics.iter().find_map(|d| {
            let f = d.fixes.first().filter(|f| f.insertions.is_empty() && !f.edits.is_empty())?;
            f.edits.iter().all(|e| e.range.is_empty()).then_some((d, f))
        });
        let Some((d, f)) = inline else { break };
        let next = apply_edits(&text, &f.edits);
        let still = analyze(&next, settings, env).diagnostics.iter().any(|x| x.code == d.code && x.message == d.message);
        if still {
            break;
        }
        titles.push(f.title.clone());
        drop(a);
        text = next;
    }
    Fixed { text, titles, skeleton_errors }
}

