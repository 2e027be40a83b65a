//! `textDocument/hover`: what the framework expects of a section and its
//! status (not its diagnostics again), the sponsor's and letters' entries.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::with_packet;
use crate::server::convert;
use crate::server::Backend;

pub async fn hover(b: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let p = params.text_document_position_params;
    let r = with_packet(b, &p.text_document.uri, move |a, inputs, pos| {
        let offset = pos.offset(p.position);
        crate::features::hover(a, &inputs.packet.settings.rubric, offset).map(|(range, text)| convert::hover(pos, &range, text))
    })
    .await;
    Ok(r.flatten())
}
