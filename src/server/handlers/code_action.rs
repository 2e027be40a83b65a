//! `textDocument/codeAction`: the quick fixes of the diagnostics the client
//! sent (selected by their `data`, the edits always the server's own),
//! "Insert all missing sections", and "Scaffold packet from template" on an
//! empty document.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{analysis, FIX_ALL_KIND, SCAFFOLD_KIND};
use crate::server::convert::{self, FixData};
use crate::server::letters;
use crate::server::Backend;

pub async fn code_action(b: &Backend, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri.clone();
    let Some(c) = analysis(b, &uri).await else { return Ok(None) };
    let caps = b.shared.lock().caps;
    let doc_changes = caps.document_changes;
    let edit_caps = letters::EditCaps { document_changes: caps.document_changes, create_files: caps.create_files };
    let range = params.range;
    let only = params.context.only.clone();
    let wants = |k: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| k.starts_with(x.as_str())));
    let version = c.version;
    let mut actions: Vec<CodeActionOrCommand> = Vec::new();
    let blank = c.blank;
    // On an empty document, as a source action and as the preferred quick
    // fix (Ctrl+. in VS Code lists quick fixes, not source actions).
    for (kind, preferred) in [(CodeActionKind::new(SCAFFOLD_KIND), None), (CodeActionKind::QUICKFIX, Some(true))] {
        if blank && wants(kind.as_str()) {
            let edit = TextEdit { range: Range::default(), new_text: crate::template::TEMPLATE.to_string() };
            let we = convert::workspace_edit(&uri, Some(version), vec![edit], doc_changes);
            actions.push(CodeActionOrCommand::CodeAction(convert::edit_action("Scaffold packet from template", kind, preferred, we)));
        }
    }
    let sent = params.context.diagnostics.clone();
    let wants_quickfix = wants(CodeActionKind::QUICKFIX.as_str());
    let uri_for_letters = uri.clone();
    let current = b
        .shared
        .worker
        .run(move || {
            c.with_packet(|a, inputs, pos| {
                let fixes: Vec<Vec<FixData>> = if wants_quickfix {
                    sent.iter().map(|d| convert::select_fixes(pos, version, &a.diagnostics, d)).collect()
                } else {
                    Vec::new()
                };
                let all = convert::edits(pos, &crate::fix::fix_all(&a.doc, &a.diagnostics));
                // "Create letter file" on a letter entry whose file is not there.
                // (Only for a packet with a file: its env has a path then.)
                let p = &inputs.packet;
                let letter_actions = if wants_quickfix && p.env.path.is_some() {
                    letters::create_letter_actions(&uri_for_letters, &p.path, &p.root, a.doc.text, version, range, pos.enc, edit_caps, &sent)
                } else {
                    Vec::new()
                };
                (fixes, all, letter_actions)
            })
        })
        .await
        .ok()
        .flatten();
    if let Some((fixes, all, letter_actions)) = current {
        for (d, f) in params.context.diagnostics.iter().zip(fixes) {
            actions.extend(convert::quick_fixes(&uri, d, version, f, doc_changes).into_iter().map(CodeActionOrCommand::CodeAction));
        }
        actions.extend(letter_actions.into_iter().map(CodeActionOrCommand::CodeAction));
        if !all.is_empty() && wants(FIX_ALL_KIND) {
            let we = convert::workspace_edit(&uri, Some(version), all, doc_changes);
            let action = convert::edit_action("Insert all missing sections", CodeActionKind::new(FIX_ALL_KIND), None, we);
            actions.push(CodeActionOrCommand::CodeAction(action));
        }
    }
    Ok(Some(actions))
}
