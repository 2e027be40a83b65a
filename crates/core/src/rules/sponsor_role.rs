use super::{Cx, RuleCode, RuleInfo};
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{anchor, Relation, Role};

pub const INFO: RuleInfo = RuleInfo {
    summary: "The sponsor is neither the direct manager (senior EM or director) nor a skip-level manager with an `exception:` reason.",
    doc: "The sponsor is normally the direct manager, a senior engineering manager or director (`relation: direct-manager`, `role: senior-engineering-manager` or `director`); a skip-level manager (director, senior director or VP) only by exception, with a non-empty `exception:` in the sponsor entry. A front matter without a `sponsor:` is reported at its first line; a packet with no front matter at all gets one `missing-recommender` diagnostic for sponsor and letters together. Unknown `role`/`relation` values are reported by `front-matter-invalid` instead.",
    has_fix: false,
};

pub fn check(cx: &Cx, out: &mut Vec<Diagnostic>) {
    let fm = cx.front;
    // With no front matter at all, `missing-recommender` says once that
    // sponsor and letters are not named.
    if !fm.parsed() || !fm.present {
        return;
    }
    let mut report = |range: std::ops::Range<usize>, message: String| {
        out.push(Diagnostic::new(RuleCode::SponsorRole, range, message));
    };
    let Some(sponsor) = &fm.sponsor else {
        if fm.sponsor_key.is_none() {
            report(
                anchor(cx.doc, fm),
                "No sponsor in front matter: add `sponsor:` with your direct manager (senior-engineering-manager or director), or a skip-level manager with an `exception:` reason".into(),
            );
        } else if let (Some(k), false) = (&fm.sponsor_key, fm.sponsor_invalid) {
            report(
                k.clone(),
                "The sponsor entry is empty: name your direct manager with `relation: direct-manager` and `role: senior-engineering-manager` or `director`".into(),
            );
        }
        return;
    };
    let key = fm.sponsor_key.clone().unwrap_or(sponsor.range.clone());
    // Unknown values are front-matter-invalid's to report.
    if sponsor.role.is_some() && sponsor.role().is_none() || sponsor.relation.is_some() && sponsor.relation().is_none() {
        return;
    }
    let Some(relation) = sponsor.relation() else {
        report(key, "The sponsor has no `relation:`: use `direct-manager` (or `skip-level` with an `exception:` reason)".into());
        return;
    };
    let role_range = sponsor.role.as_ref().map(|f| f.value.range.clone());
    let relation_range = sponsor.relation.as_ref().map(|f| f.value.range.clone()).unwrap_or(key.clone());
    match relation {
        Relation::DirectManager => match sponsor.role() {
            Some(Role::SeniorEngineeringManager | Role::Director) => {}
            Some(r) => report(
                role_range.unwrap_or(key),
                format!("A direct-manager sponsor must be a senior-engineering-manager or director, not {}", r.as_str()),
            ),
            None => report(key, "The sponsor has no `role:`: a direct-manager sponsor must be a senior-engineering-manager or director".into()),
        },
        Relation::SkipLevel => {
            match sponsor.role() {
                Some(Role::Director | Role::SeniorDirector | Role::Vp) => {}
                Some(r) => {
                    report(
                        role_range.unwrap_or(key),
                        format!("A skip-level sponsor must be a director, senior-director or vp, not {}", r.as_str()),
                    );
                    return;
                }
                None => {
                    report(key, "The sponsor has no `role:`: a skip-level sponsor must be a director, senior-director or vp".into());
                    return;
                }
            }
            if sponsor.exception.as_ref().is_none_or(|e| e.text().trim().is_empty()) {
                report(
                    relation_range,
                    "A skip-level sponsor is accepted only by exception: add `exception:` to the sponsor entry saying why the direct manager cannot sponsor".into(),
                );
            }
        }
        other => report(
            relation_range,
            format!(
                "The sponsor must be your direct manager (or, by exception, a skip-level manager), not a {} relation",
                other.as_str()
            ),
        ),
    }
}
