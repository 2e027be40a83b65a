//! `textDocument/documentSymbol` and `textDocument/foldingRange`: the
//! packet's headings as a tree and as folds.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::with_packet;
use crate::server::convert;
use crate::server::Backend;

pub async fn document_symbol(b: &Backend, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
    let r = with_packet(b, &params.text_document.uri, |a, _, pos| {
        crate::features::symbols(&a.doc).iter().map(|s| convert::symbol(pos, s)).collect::<Vec<_>>()
    })
    .await;
    Ok(r.map(DocumentSymbolResponse::Nested))
}

pub async fn folding_range(b: &Backend, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
    Ok(with_packet(b, &params.text_document.uri, |a, _, _| {
        crate::features::folds(&a.doc).into_iter().map(convert::folding_range).collect()
    })
    .await)
}
