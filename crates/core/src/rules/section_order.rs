use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;

pub const INFO: RuleInfo = RuleInfo {
    summary: "Top-level sections are out of the canonical order.",
    doc: "Reviewers compare packets side by side in the template's order: Overview, Alignment with Engineering Competency Framework, Selected Projects and Initiatives, Technical Leadership across Components, Mentoring and Coaching, Scope of Responsibilities, Cross-Functional Collaboration, Alignment with <Company> Values, Summary. Only the sections that are out of place are reported (the fewest that, moved, would restore the order), each saying which section the framework puts it after or before, so one moved section gives one diagnostic.",
    has_fix: false,
};

/// Indices (into `ranks`) of a longest strictly increasing subsequence,
/// preferring the one that keeps earlier elements.
fn longest_in_order(ranks: &[usize]) -> Vec<bool> {
    let n = ranks.len();
    // best[i]: length of the longest increasing run starting at i; next[i]: its next element.
    let mut best = vec![1usize; n];
    let mut next = vec![usize::MAX; n];
    for i in (0..n).rev() {
        for j in i + 1..n {
            if ranks[j] > ranks[i] && best[j] + 1 > best[i] {
                best[i] = best[j] + 1;
                next[i] = j;
            }
        }
    }
    let mut keep = vec![false; n];
    let Some(mut i) = (0..n).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) else { return keep };
    loop {
        keep[i] = true;
        if next[i] == usize::MAX {
            break;
        }
        i = next[i];
    }
    keep
}

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    // (heading, canonical index) in document order.
    let mut found: Vec<(usize, usize)> = cx
        .outline
        .slots
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.heading().map(|h| (h, i)))
        .collect();
    found.sort();
    let ranks: Vec<usize> = found.iter().map(|&(_, i)| i).collect();
    let keep = longest_in_order(&ranks);
    let kept: Vec<(usize, usize)> = (0..found.len()).filter(|&k| keep[k]).map(|k| found[k]).collect();
    for (k, &(h, i)) in found.iter().enumerate() {
        if keep[k] {
            continue;
        }
        // The in-order section the framework puts just before it: if this one
        // comes earlier in the document, it is too early.
        let prev = kept.iter().rev().find(|&&(_, j)| j < i).copied();
        let next = kept.iter().find(|&&(_, j)| j > i).copied();
        let (anchor, word) = match (prev, next) {
            (Some((p, _)), _) if h < p => (p, "after"),
            (_, Some((n, _))) => (n, "before"),
            (Some((p, _)), None) => (p, "after"),
            (None, None) => continue,
        };
        out.push(
            Diagnostic::new(
                RuleCode::SectionOrder,
                cx.line(h),
                format!("\"{}\" is out of order: the framework puts it {} \"{}\"", cx.title(h), word, cx.title(anchor)),
            )
            .with_related(cx.line(anchor), format!("the section it belongs {word}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::longest_in_order;

    #[test]
    fn keeps_the_longest_increasing_run() {
        assert_eq!(longest_in_order(&[0, 1, 4, 2, 3, 5]), vec![true, true, false, true, true, true]);
        assert_eq!(longest_in_order(&[0, 2, 1]), vec![true, true, false]);
        assert_eq!(longest_in_order(&[3, 0, 1, 2]), vec![false, true, true, true]);
        assert_eq!(longest_in_order(&[]), Vec::<bool>::new());
    }
}
