//! A cap on how many diagnostics one rule reports in one file. A packet of
//! 40,000 `TODO`s would otherwise give 40,000 placeholder diagnostics (and,
//! in human output, as many copies of the line): past [`MAX_PER_RULE`] of a
//! rule, the next one becomes a single note saying how many more there are,
//! and the rest are dropped.

use crate::diagnostic::Diagnostic;
use crate::code::RuleCode;

/// The most diagnostics of one rule reported for one file.
pub const MAX_PER_RULE: usize = 200;

/// Keeps the first [`MAX_PER_RULE`] diagnostics of each rule (in the order
/// given, which is by position), turns the next one into "… and M more"
/// (same rule, severity and position; no fixes) and drops the rest. Other
/// rules' diagnostics and the order are untouched. Applying it twice changes
/// nothing the second time.
pub fn cap_per_rule(diags: &mut Vec<Diagnostic>) {
    let Some(count) = over_cap(diags) else { return };
    let mut seen = vec![0usize; RuleCode::ALL.len()];
    diags.retain_mut(|d| {
        let i = index(d.code);
        seen[i] += 1;
        if count[i] <= MAX_PER_RULE + 1 || seen[i] <= MAX_PER_RULE {
            return true;
        }
        if seen[i] == MAX_PER_RULE + 1 {
            let more = count[i] - MAX_PER_RULE;
            d.message = format!(
                "… and {more} more `{}` diagnostics in this file (only the first {MAX_PER_RULE} of a rule are reported)",
                d.code.as_str()
            );
            d.fixes.clear();
            d.related.clear();
            return true;
        }
        false
    });
}

/// The diagnostics [`cap_per_rule`] keeps, copied only when it drops some
/// (the server converts them for every publish).
pub fn capped(diags: &[Diagnostic]) -> std::borrow::Cow<'_, [Diagnostic]> {
    if over_cap(diags).is_none() {
        return std::borrow::Cow::Borrowed(diags);
    }
    let mut v = diags.to_vec();
    cap_per_rule(&mut v);
    std::borrow::Cow::Owned(v)
}

/// A rule's place in [`RuleCode::ALL`].
fn index(c: RuleCode) -> usize {
    RuleCode::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// Each rule's count (by its place in [`RuleCode::ALL`]) when one is over
/// the cap; `None` when nothing is to drop (a file capped before has
/// exactly MAX + 1).
fn over_cap(diags: &[Diagnostic]) -> Option<Vec<usize>> {
    let mut count = vec![0usize; RuleCode::ALL.len()];
    for d in diags {
        count[index(d.code)] += 1;
    }
    count.iter().any(|&c| c > MAX_PER_RULE + 1).then_some(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags(code: RuleCode, n: usize) -> Vec<Diagnostic> {
        (0..n).map(|i| Diagnostic::new(code, i * 5..i * 5 + 4, format!("d{i}"))).collect()
    }

    #[test]
    fn the_rest_of_a_rule_becomes_one_note() {
        let mut d = diags(RuleCode::Placeholder, 1000);
        d.insert(300, Diagnostic::new(RuleCode::SectionOrder, 1500..1501, "other"));
        cap_per_rule(&mut d);
        assert_eq!(d.len(), MAX_PER_RULE + 2);
        assert_eq!(d[MAX_PER_RULE - 1].message, format!("d{}", MAX_PER_RULE - 1));
        let note = d.iter().find(|x| x.message.starts_with('…')).unwrap();
        assert_eq!(note.range, MAX_PER_RULE * 5..MAX_PER_RULE * 5 + 4);
        assert!(note.message.contains("and 800 more `placeholder` diagnostics"), "{}", note.message);
        // The other rule's diagnostic is kept, in place (after the note: it comes later).
        assert_eq!(d.last().unwrap().message, "other");
        let before = d.clone();
        cap_per_rule(&mut d);
        assert_eq!(d.iter().map(|x| &x.message).collect::<Vec<_>>(), before.iter().map(|x| &x.message).collect::<Vec<_>>());
    }

    #[test]
    fn at_the_cap_nothing_changes() {
        for n in [MAX_PER_RULE, MAX_PER_RULE + 1] {
            let mut d = diags(RuleCode::Placeholder, n);
            cap_per_rule(&mut d);
            assert_eq!(d.len(), n);
            assert!(!d.iter().any(|x| x.message.starts_with('…')));
        }
        let mut d = diags(RuleCode::Placeholder, MAX_PER_RULE + 2);
        cap_per_rule(&mut d);
        assert_eq!(d.len(), MAX_PER_RULE + 1);
        assert!(d[MAX_PER_RULE].message.contains("and 2 more"));
    }

    /// `capped` keeps what `cap_per_rule` keeps, and copies nothing when that is all.
    #[test]
    fn capped_is_the_cap_without_a_copy_under_it() {
        let under = diags(RuleCode::Placeholder, MAX_PER_RULE + 1);
        assert!(matches!(capped(&under), std::borrow::Cow::Borrowed(_)));
        let over = diags(RuleCode::Placeholder, MAX_PER_RULE + 5);
        let mut want = over.clone();
        cap_per_rule(&mut want);
        let got = capped(&over);
        assert!(matches!(got, std::borrow::Cow::Owned(_)));
        assert_eq!(got.iter().map(|x| &x.message).collect::<Vec<_>>(), want.iter().map(|x| &x.message).collect::<Vec<_>>());
    }
}
