//! `textDocument/documentLink`: each letter entry's `file:` links to the file.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::with_packet;
use crate::server::convert;
use crate::server::Backend;

pub async fn document_link(b: &Backend, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
    Ok(with_packet(b, &params.text_document.uri, |a, inputs, pos| {
        crate::features::letter_links(a, &inputs.packet.env.letters)
            .into_iter()
            .filter_map(|(range, path)| convert::letter_link(pos, &range, &path))
            .collect::<Vec<_>>()
    })
    .await)
}
