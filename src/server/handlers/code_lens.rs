//! `textDocument/codeLens`: the readiness line above the first heading.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use super::{with_packet, SHOW_READINESS};
use crate::server::convert;
use crate::server::Backend;

pub async fn code_lens(b: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let u = uri.clone();
    let r = with_packet(b, &uri, move |a, _, pos| {
        let first = a.doc.headings.first()?;
        Some(vec![convert::readiness_lens(pos, &first.line, a.readiness.to_string(), SHOW_READINESS, &u)])
    })
    .await;
    Ok(r.flatten())
}
