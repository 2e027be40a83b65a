//! Position conversions (`text::LineIndex`) against an independent oracle, in
//! UTF-8, UTF-16 and UTF-32, on generated text full of multi-byte characters,
//! CRLF and lone CR.

use crate::harness;

use proptest::prelude::*;

/// Text made of line breaks of every kind and characters of every width.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-z #>-]{1,6}",
        1 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\r".to_string()),
        1 => Just("\r\r\n\n".to_string()),
        1 => prop::sample::select(vec!["é", "ß", "中文", "😀", "👩‍💻", "\u{feff}", "\u{2028}", "\u{85}", "𝄞"])
            .prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(2000)))]

    #[test]
    fn line_index_matches_oracle(t in text()) {
        harness::check_positions(&t);
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn oracle_examples() {
    // Fixed cases that pin the oracle itself, so it cannot agree with a bug by accident.
    use packet_ls::text::{Encoding, LineCol};
    let t = "a\r\n😀\rb";
    let p = harness::positions(t, Encoding::Utf16);
    let lc = |line, col| LineCol { line, col };
    assert_eq!(p, vec![(0, lc(0, 0)), (1, lc(0, 1)), (3, lc(1, 0)), (7, lc(1, 2)), (8, lc(2, 0)), (9, lc(2, 1))]);
    assert_eq!(harness::lines(t), vec!["a", "😀", "b"]);
    harness::check_positions(t);
    harness::check_positions("");
    harness::check_positions("\r\r\n\n\r");
}
