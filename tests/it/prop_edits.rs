//! Random incremental edits, sent as LSP ranges in each position encoding,
//! applied to a document store equal the same edits applied to a `String`.
//!
//! Two stores are checked: the server's own (`packet_ls::server::store`, as
//! `didChange` uses it) and `harness::RopeStore`, a minimal reference on ropey.

use crate::harness;

use crate::harness::{At, EditScript, EditStep, RopeStore, PIECES};
use packet_ls::text::Encoding;
use proptest::prelude::*;

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn pieces(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|v| v.concat())
}

fn step() -> impl Strategy<Value = EditStep> {
    let at = prop_oneof![
        3 => any::<u32>().prop_map(At::Any),
        2 => any::<u32>().prop_map(At::LineEnd),
        1 => any::<u32>().prop_map(At::LineStart),
        2 => Just(At::End),
    ];
    (at, prop_oneof![2 => Just(0u32), 3 => 0u32..12], pieces(6), prop::bool::weighted(0.02))
        .prop_map(|(at, len, text, full)| EditStep { at, len, text, full })
}

/// The server's document store, one open document, a new version per change.
struct ServerStore {
    store: packet_ls::server::store::Store,
    enc: Encoding,
    version: i32,
}

impl harness::DocStore for ServerStore {
    fn open(text: &str, enc: Encoding) -> Self {
        let mut store = packet_ls::server::store::Store::default();
        store.open("file:///p.packet.md", text, 0, "markdown");
        ServerStore { store, enc, version: 0 }
    }

    fn change(&mut self, c: &harness::Change) {
        self.version += 1;
        let change = packet_ls::server::store::Change { range: c.range, text: c.text.clone() };
        let (_, in_range) = self.store.change("file:///p.packet.md", self.version, &[change], self.enc).expect("accepted");
        assert!(in_range, "a valid position was reported out of range: {c:?}");
    }

    fn text(&self) -> String {
        self.store.get("file:///p.packet.md").expect("open").rope.to_string()
    }
}

fn script() -> impl Strategy<Value = EditScript> {
    (
        pieces(40),
        prop::sample::select(vec![Encoding::Utf8, Encoding::Utf16, Encoding::Utf32]),
        prop::collection::vec(step(), 1..60),
    )
        .prop_map(|(initial, enc, steps)| EditScript { initial, enc, steps })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1000)))]

    #[test]
    fn rope_store_matches_string(s in script()) {
        harness::run_edit_script::<RopeStore>(&s);
    }

    #[test]
    fn server_store_matches_string(s in script()) {
        harness::run_edit_script::<ServerStore>(&s);
    }
}

#[test]
fn crlf_split_and_joined_by_edits() {
    // Inserting `\n` after a lone `\r` joins them into one CRLF line break;
    // deleting the character between `\r` and `\n` does the same.
    let steps = vec![
        EditStep { at: At::LineStart(1), len: 0, text: "\n".into(), full: false },
        EditStep { at: At::LineEnd(0), len: 0, text: "x".into(), full: false },
        EditStep { at: At::End, len: 0, text: "😀\r".into(), full: false },
        EditStep { at: At::LineEnd(1), len: 1, text: "".into(), full: false },
    ];
    for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
        let s = EditScript { initial: "a\rb".into(), enc, steps: steps.clone() };
        harness::run_edit_script::<RopeStore>(&s);
        harness::run_edit_script::<ServerStore>(&s);
    }
}

#[test]
fn decoded_scripts_run() {
    // The byte decoder the fuzz target uses yields real steps.
    let s = EditScript::decode(&[1, 5, 9, 10, 11, 20, 4, 0, 0, 9, 2, 9, 9, 6, 1, 0, 3, 1, 17, 2]);
    assert_eq!(s.enc, Encoding::Utf16);
    assert!(!s.steps.is_empty());
    harness::run_edit_script::<RopeStore>(&s);
}
