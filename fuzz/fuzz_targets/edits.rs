//! Edit sequences decoded from bytes (harness::EditScript::decode), applied
//! as LSP ranges to the document store and to a String: the texts must agree
//! after every step, and the re-used parse (`Document::parse_reusing`) must
//! equal a full parse. The store is harness::RopeStore until the server's own
//! store implements harness::DocStore.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let script = harness::EditScript::decode(data);
    harness::run_edit_script::<harness::RopeStore>(&script);
});
