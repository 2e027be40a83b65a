//! `textDocument/completion`: section headings after `#`, front-matter keys
//! and values.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::with_packet;
use crate::server::convert;
use crate::server::Backend;

pub async fn completion(b: &Backend, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let p = params.text_document_position;
    let snippets = b.shared.lock().caps.snippets;
    let r = with_packet(b, &p.text_document.uri, move |a, inputs, pos| {
        let offset = pos.offset(p.position);
        crate::features::completions(a, &inputs.packet.settings.rubric, offset)
            .iter()
            .enumerate()
            .map(|(i, c)| convert::completion(pos, c, i, snippets))
            .collect::<Vec<_>>()
    })
    .await;
    Ok(r.filter(|v| !v.is_empty()).map(CompletionResponse::Array))
}
