//! Every fix the corpus offers, applied: the diagnostic it fixes is gone on
//! re-check (a count rule's stays, with nothing more to insert: inserted
//! stubs never satisfy a minimum), the document's own line ending is used, blank lines are added
//! only where needed, and no line of the original is deleted or moved (the
//! heading fixes rewrite only their heading line). Representative results are
//! pinned as exact text. `check --fix`'s merge (`fix_all`) reaches a fixed
//! point in one pass.

use crate::common;

use expect_test::{expect, Expect};
use packet_ls::diagnostic::{apply_edits, Diagnostic, Edit};
use packet_ls::fix::fix_all;
use packet_ls::RuleCode;

/// Rules whose fix rewrites the heading line instead of inserting.
fn rewrites_heading(code: RuleCode) -> bool {
    matches!(code, RuleCode::HeadingLevel | RuleCode::HeadingNearMiss)
}

fn lines(s: &str) -> Vec<&str> {
    s.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

/// Whether `small`'s lines appear in `big` in order (a subsequence).
fn lines_survive_in_order(small: &str, big: &str) -> bool {
    let mut it = lines(big).into_iter();
    lines(small).into_iter().all(|l| it.any(|b| b == l))
}

/// Longest run of consecutive blank lines.
fn max_blank_run(s: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for l in lines(s) {
        if l.trim().is_empty() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Rules that count written items: their stubs never satisfy them.
fn counts_written(code: RuleCode) -> bool {
    matches!(
        code,
        RuleCode::TooFewInitiatives | RuleCode::TooFewComponents | RuleCode::InsufficientMentoring | RuleCode::MissingValue
    )
}

fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.code == b.code && a.message == b.message
}

/// Checks one fix of one diagnostic of a loaded file.
fn check_fix(rel: &str, f: &common::Loaded, d: &Diagnostic, edits: &[Edit], conversions: &[Edit]) {
    let text = &f.text;
    let what = format!("{rel}: {} \"{}\"", d.code.as_str(), d.message);
    let fixed = apply_edits(text, edits);
    assert_ne!(&fixed, text, "{what}: the fix changes nothing");

    // The diagnostic is gone on re-check; a count rule's stays (stubs do not
    // count) but has nothing more to insert.
    let after = f.with_text(fixed.clone());
    let a = after.analyze();
    let before_n = f.analyze().diagnostics.iter().filter(|x| x.code == d.code).count();
    let after_n = a.diagnostics.iter().filter(|x| x.code == d.code).count();
    if counts_written(d.code) && after_n == before_n {
        assert!(a.diagnostics.iter().filter(|x| x.code == d.code).all(|x| x.fixes.is_empty()), "{what}: its fix is offered again after it was applied:\n{fixed}");
    } else {
        assert!(!a.diagnostics.iter().any(|x| same(x, d)), "{what}: still reported after its fix:\n{fixed}");
        assert!(after_n < before_n, "{what}: {before_n} -> {after_n} diagnostics of that rule");
    }

    let crlf = text.contains("\r\n");
    for e in edits {
        // The document's line ending, nothing else.
        let bare_lf = e.text.match_indices('\n').any(|(i, _)| i == 0 || e.text.as_bytes()[i - 1] != b'\r');
        if crlf {
            assert!(!bare_lf, "{what}: LF inserted into a CRLF document: {:?}", e.text);
        } else {
            assert!(!e.text.contains('\r'), "{what}: CR inserted into an LF document: {:?}", e.text);
        }
    }

    if rewrites_heading(d.code) {
        // Only the heading's own line changes.
        let (old, new) = (lines(text), lines(&fixed));
        assert_eq!(old.len(), new.len(), "{what}");
        let changed: Vec<usize> = (0..old.len()).filter(|&i| old[i] != new[i]).collect();
        let heading_line = text[..d.range.start].matches('\n').count();
        assert_eq!(changed, vec![heading_line], "{what}");
        assert!(new[heading_line].starts_with('#'), "{what}");
    } else {
        // Insert-only (but for bold labels turned into headings): nothing
        // deleted or moved, every original line in order.
        assert!(
            edits.iter().all(|e| e.range.is_empty() || conversions.iter().any(|c| c.range == e.range && e.text.ends_with(&c.text))),
            "{what}: not insert-only"
        );
        for c in conversions {
            let label = &text[c.range.clone()];
            assert!(label.starts_with("**") && c.text.starts_with('#'), "{what}: converts {label:?} into {:?}", c.text);
        }
        let converted = apply_edits(text, conversions);
        assert!(lines_survive_in_order(&converted, &fixed), "{what}: an original line was lost or moved");
        // Blank lines only where needed: never a new run of two blank lines.
        assert!(
            max_blank_run(&fixed) <= max_blank_run(text).max(1),
            "{what}: the fix leaves two blank lines in a row:\n{fixed}"
        );
        // Every inserted heading is separated from its neighbours by a blank line.
        let new = lines(&fixed);
        for (i, l) in new.iter().enumerate() {
            if l.starts_with('#') && !lines(text).contains(l) {
                assert!(i == 0 || new[i - 1].trim().is_empty() || new[i - 1] == "---", "{what}: no blank line before {l:?}");
                assert!(i + 1 >= new.len() || new[i + 1].trim().is_empty(), "{what}: no blank line after {l:?}");
            }
        }
    }
}

#[test]
fn every_fix_in_the_corpus_fixes_its_diagnostic_and_keeps_user_text() {
    let mut fixes = 0;
    let mut rules_with_fixes = std::collections::BTreeSet::new();
    for rel in common::corpus_files() {
        let f = common::load(&rel);
        if !f.is_packet {
            continue;
        }
        let a = f.analyze();
        for d in &a.diagnostics {
            // A count rule whose stubs are all there already has nothing to insert.
            let fixless = d.fixes.is_empty() && counts_written(d.code);
            assert_eq!(packet_ls::rules::info(d.code).has_fix, !d.fixes.is_empty() || fixless, "{rel}: {}: has_fix disagrees", d.code.as_str());
            for fix in &d.fixes {
                check_fix(&rel, &f, d, &fix.edits, &fix.conversions);
                fixes += 1;
                rules_with_fixes.insert(d.code.as_str());
            }
        }
    }
    // Every document rule with a quick fix is exercised by the corpus.
    let expected: Vec<&str> = RuleCode::ALL
        .iter()
        .filter(|c| packet_ls::rules::info(**c).has_fix)
        .map(|c| c.as_str())
        .collect();
    let mut got: Vec<&str> = rules_with_fixes.into_iter().collect();
    got.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(got, expected);
    assert!(fixes >= 15, "only {fixes} fixes exercised");
}

/// `check --fix`: all insert-only fixes merged, applied once, leave nothing
/// more to insert, and keep every line of the original in order.
#[test]
fn fix_all_reaches_a_fixed_point_in_one_pass() {
    for rel in common::corpus_files() {
        let f = common::load(&rel);
        if !f.is_packet {
            continue;
        }
        let a = f.analyze();
        let edits = fix_all(&a.doc, &a.diagnostics);
        let fixed = apply_edits(&f.text, &edits);
        let conversions: Vec<Edit> = edits.iter().filter(|e| !e.range.is_empty()).cloned().collect();
        assert!(lines_survive_in_order(&apply_edits(&f.text, &conversions), &fixed), "{rel}");
        assert!(max_blank_run(&fixed) <= max_blank_run(&f.text).max(1), "{rel}: two blank lines in a row:\n{fixed}");
        let again = f.with_text(fixed.clone());
        let a2 = again.analyze();
        let more = fix_all(&a2.doc, &a2.diagnostics);
        assert!(more.is_empty(), "{rel}: a second --fix would insert {more:?}\nafter the first:\n{fixed}");
        for d in &a2.diagnostics {
            assert!(
                !matches!(
                    d.code,
                    RuleCode::MissingSection
                        | RuleCode::MissingSubsection
                        | RuleCode::InitiativeMissingSubsection
                        | RuleCode::MissingCompetency
                ),
                "{rel}: still {} after --fix: {}",
                d.code.as_str(),
                d.message
            );
        }
    }
}

/// A packet that is nothing but front matter: fixing it writes the whole
/// skeleton, in canonical order, in one pass.
#[test]
fn fix_all_on_an_empty_packet_writes_every_section_once() {
    for nl in ["\n", "\r\n"] {
        let text = format!("---{nl}packet: senior-em{nl}---{nl}");
        let f = common::load("complete.packet.md").with_text(text.clone());
        let a = f.analyze();
        let fixed = apply_edits(&text, &fix_all(&a.doc, &a.diagnostics));
        let g = f.with_text(fixed.clone());
        let a2 = g.analyze();
        assert!(fix_all(&a2.doc, &a2.diagnostics).is_empty(), "not a fixed point:\n{fixed}");
        assert_eq!(a2.readiness.sections_present, a2.readiness.sections_required, "{fixed}");
        let h1: Vec<&str> = lines(&fixed).into_iter().filter(|l| l.starts_with("# ")).collect();
        assert_eq!(h1.len(), 9, "{fixed}");
        if nl == "\r\n" {
            assert!(!fixed.replace("\r\n", "").contains('\n'), "bare LF in a CRLF packet");
        }
    }
}

/// The fixed text around each edit: 2 lines of context, inserted or
/// rewritten lines marked `+`, `␍` for a carriage return.
fn window(text: &str, edits: &[Edit]) -> String {
    let fixed = apply_edits(text, edits);
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| e.range.start);
    let mut inserted = Vec::new(); // byte ranges of new text in `fixed`
    let mut shift: isize = 0;
    for e in sorted {
        let s = (e.range.start as isize + shift) as usize;
        inserted.push(s..s + e.text.len());
        shift += e.text.len() as isize - e.range.len() as isize;
    }
    let mut starts = vec![0];
    starts.extend(fixed.match_indices('\n').map(|(i, _)| i + 1));
    let n = starts.len();
    let line_of = |off: usize| starts.partition_point(|&s| s <= off) - 1;
    let mut marked = vec![false; n];
    for r in &inserted {
        if r.is_empty() {
            continue;
        }
        // Lines that start inside the inserted text.
        for (l, &st) in starts.iter().enumerate() {
            if r.start <= st && st < r.end {
                marked[l] = true;
            }
        }
        // A replacement inside a line marks that line.
        if !fixed[r.clone()].contains('\n') {
            marked[line_of(r.start)] = true;
        }
    }
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for l in 0..n {
        let near = (l.saturating_sub(2)..=(l + 2).min(n - 1)).any(|k| marked[k]);
        if !near {
            continue;
        }
        if last_shown.is_some_and(|p| p + 1 != l) {
            out.push_str("...\n");
        }
        let end = if l + 1 < n { starts[l + 1] } else { fixed.len() };
        let line = fixed[starts[l]..end].trim_end_matches('\n').replace('\r', "␍");
        out.push_str(&format!("{:03} {} {}\n", l + 1, if marked[l] { "+" } else { " " }, line));
        last_shown = Some(l);
    }
    out
}

fn check_first_fix(rel: &str, code: RuleCode, expect: Expect) {
    let f = common::load(rel);
    let a = f.analyze();
    let d = a.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{rel}: no {}", code.as_str()));
    expect.assert_eq(&window(&f.text, &d.fixes[0].edits));
}

#[test]
fn missing_section_goes_to_its_canonical_place() {
    check_first_fix(
        "missing-section.packet.md",
        RuleCode::MissingSection,
        expect![[r#"
            083   I manage two teams of fourteen engineers through two tech leads and run a monthly leadership circle for them.
            084   
            085 + # Cross-Functional Collaboration
            086 + 
            087 + <!-- Examples of working with partners outside engineering: product, program management, design, QA, support, solutions, sales. -->
            088 + 
            089   # Alignment with Acme Values
            090   
        "#]],
    );
}

#[test]
fn missing_section_at_the_end_of_a_crlf_document_keeps_crlf() {
    check_first_fix(
        "crlf.packet.md",
        RuleCode::MissingSection,
        expect![[r#"
            088   ␍
            089   When a ranking bug hid new listings for some sellers, I paused the release train and led the fix and the seller outreach within a day.␍
            090 + ␍
            091 + # Summary␍
            092 + ␍
            093 + <!-- A closing summary of why you are already working at the level of the role. -->␍
            094   
        "#]],
    );
}

#[test]
fn initiative_subsections_are_inserted_in_place() {
    check_first_fix(
        "initiative-missing-subsection.packet.md",
        RuleCode::InitiativeMissingSubsection,
        expect![[r#"
            030   ## Ranking platform migration
            031   
            032 + ### Overview
            033 + 
            034 + <!-- What the project or initiative was, its goal and why it mattered. -->
            035 + 
            036   ### Roles and Responsibilities
            037   
        "#]],
    );
    check_first_fix("crlf.packet.md", RuleCode::InitiativeMissingSubsection, expect![[r#"
        052   I proposed the program, secured two extra engineers for it, and coached the tech lead who ran the technical work. I chaired the incident reviews and made sure every follow-up had an owner.␍
        053   ␍
        054 + ### Results and Impact␍
        055 + ␍
        056 + <!-- The outcome, measured: numbers, percentages, money or time saved. -->␍
        057 + ␍
        058   # Technical Leadership across Components␍
        059   ␍
    "#]]);
}

#[test]
fn missing_subsection_goes_before_its_later_sibling() {
    check_first_fix("missing-subsection.packet.md", RuleCode::MissingSubsection, expect![[r#"
        016   I joined the company seven years ago as a backend engineer on the search team. After three years I moved into engineering management, first for the indexing team and then for the whole discovery group. Today I manage two teams, Search Infrastructure and Recommendations, fourteen engineers in all, through two tech leads.
        017   
        018 + ## Statement of Intent
        019 + 
        020 + <!-- Why you are applying for the role and why you believe you are ready for it, in terms of the team and the organisation, backed by the concrete examples that follow. -->
        021 + 
        022   # Alignment with Engineering Competency Framework
        023   
    "#]]);
}

#[test]
fn mentoring_stubs_follow_the_examples() {
    check_first_fix("insufficient-mentoring.packet.md", RuleCode::InsufficientMentoring, expect![[r#"
        071   - Mentored Sam, a new hire who joined from a bootcamp, until they shipped the synonym editor in their first quarter.
        072   
        073 + - <Intern mentee>: <the project you guided them through, and the outcome>
        074 + 
        075   # Scope of Responsibilities
        076   
    "#]]);
}

#[test]
fn value_goes_between_its_configured_neighbours() {
    check_first_fix("configured/missing-value.packet.md", RuleCode::MissingValue, expect![[r#"
        093   When a ranking bug hid new listings for some sellers, I paused the release train and led the fix and the seller outreach within a day.
        094   
        095 + ## Bias for Action
        096 + 
        097 + <!-- An example of living this company value. -->
        098 + 
        099   ## Ownership
        100   
    "#]]);
}

#[test]
fn heading_fixes_rewrite_only_the_heading() {
    check_first_fix("heading-level.packet.md", RuleCode::HeadingLevel, expect![[r#"
        052   I proposed the program, secured two extra engineers for it, and coached the tech lead who ran the technical work. I chaired the incident reviews and made sure every follow-up had an owner.
        053   
        054 + ### Results and Impact
        055   
        056   Median time to index fell from 3 hours to 90 seconds, and overnight pages dropped from 20 a month to 2.
    "#]]);
    check_first_fix("heading-near-miss.packet.md", RuleCode::HeadingNearMiss, expect![[r#"
        016   I joined the company seven years ago as a backend engineer on the search team. After three years I moved into engineering management, first for the indexing team and then for the whole discovery group. Today I manage two teams, Search Infrastructure and Recommendations, fourteen engineers in all, through two tech leads.
        017   
        018 + ## Statement of Intent
        019   
        020   I am applying for the Senior Engineering Manager role because I already lead across two product areas and want to keep building the teams and the leaders who carry them. Over the last eighteen months I have run Search Infrastructure and Recommendations as one organisation, grown two engineers into tech leads, and set the technical direction for the ranking platform with our staff engineers. The examples below show that I work at this level today and that the organisation would benefit from formalising that scope for the team.
    "#]]);
}

/// An insertion at the very end of a file without a final line break starts a new line.
#[test]
fn insertion_at_eof_without_final_newline() {
    let f = common::load("complete.packet.md");
    let text = f.text.split("# Summary").next().unwrap().trim_end().to_string();
    let g = f.with_text(text.clone());
    let a = g.analyze();
    let d = a.diagnostics.iter().find(|d| d.code == RuleCode::MissingSection).unwrap();
    expect![[r#"
        092   
        093   When a ranking bug hid new listings for some sellers, I paused the release train and led the fix and the seller outreach within a day.
        094 + 
        095 + # Summary
        096 + 
        097 + <!-- A closing summary of why you are already working at the level of the role. -->
        098   
    "#]].assert_eq(&window(&text, &d.fixes[0].edits));
}
