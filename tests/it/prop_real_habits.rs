//! Packets as people write them, generated: every section of the rubric
//! present or left out at random, each title (or an alias) decorated the way
//! people decorate them — numbering, emoji, bold, a trailing colon or
//! punctuation, a qualifier, other case, `&` or `/` for "and" — with CRLF
//! or LF. A present section is never reported missing, misnamed, misplaced
//! or duplicated; exactly the absent ones are missing; and `check --fix`
//! (`cli::fix::fix_text`) inserts only what is absent (no section twice), keeps
//! every original line in order, and changes nothing on a second run.

use packet_ls::analysis::{analyze, Env};
use packet_ls::config::Settings;
use packet_ls::cli::fix::fix_text;
use packet_ls::rubric::SectionSpec;
use packet_ls::RuleCode;
use proptest::prelude::*;

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// How a title is dressed: (prefix, suffix, case, markup, "and" written as).
#[derive(Debug, Clone)]
struct Dress {
    prefix: &'static str,
    suffix: &'static str,
    case: u8,
    bold: bool,
    and: &'static str,
}

fn dress() -> impl Strategy<Value = Dress> {
    let prefix = prop::sample::select(vec![
        "", "", "", "1. ", "2) ", "3.1 ", "IV. ", "vii) ", "B. ", "Part 2 – ", "Section 3: ", "🧭 ", "✅ ", "💜 ", "1. 🚀 ",
        "(2) ",
    ]);
    let suffix = prop::sample::select(vec![
        "", "", "", ":", " 🚀", " ✨✨", ".", "!", " (draft)", " (with Product & Ops)", " - notes", " — for review",
        ": the details", " and next steps",
    ]);
    let and = prop::sample::select(vec!["and", "&", "/", "+", "AND"]);
    (prefix, suffix, 0u8..4, prop::bool::weighted(0.2), and).prop_map(|(prefix, suffix, case, bold, and)| Dress {
        prefix,
        suffix,
        case,
        bold,
        and,
    })
}

/// A title or alias of `spec` (placeholder parts filled in), dressed.
fn dressed(spec: &SectionSpec, pick: usize, d: &Dress) -> String {
    let names: Vec<&String> = std::iter::once(&spec.title).chain(spec.aliases.iter()).collect();
    let name = names[pick % names.len()].replace("<Company>", "Brightcart");
    let name = name.replace(" and ", &format!(" {} ", d.and));
    let name = match d.case {
        1 => name.to_uppercase(),
        2 => name.to_lowercase(),
        _ => name,
    };
    let name = if d.bold { format!("**{name}**") } else { name };
    format!("{}{}{}", d.prefix, name, d.suffix)
}

/// A generated packet: its text and which top-level sections it has.
#[derive(Debug, Clone)]
struct Packet {
    text: String,
    present: Vec<bool>,
}

const PROSE: &str = "I led the work with product and design partners and my team; it cut the error rate by 40% in 3 months.";

fn packet() -> impl Strategy<Value = Packet> {
    let r = Settings::default().rubric;
    let n = r.sections.len();
    (
        prop::collection::vec(prop::bool::weighted(0.8), n),
        prop::collection::vec(dress(), 40),
        prop::collection::vec(0usize..8, 40),
        prop::bool::ANY,
    )
        .prop_map(move |(present, dresses, picks, crlf)| {
            let mut k = 0;
            let mut next = |spec: &SectionSpec, level: usize| {
                k += 1;
                format!("{} {}", "#".repeat(level), dressed(spec, picks[k % picks.len()], &dresses[k % dresses.len()]))
            };
            let mut out = vec![
                "---".to_string(),
                "packet: senior-em".into(),
                "sponsor: { name: Lee, relation: direct-manager, role: director }".into(),
                "letters:".into(),
                "  - { name: A, role: staff-engineer, relation: same-team }".into(),
                "  - { name: B, role: product-manager }".into(),
                "  - { name: C, role: engineer, relation: other-team }".into(),
                "---".into(),
                String::new(),
            ];
            let block = |lines: &mut Vec<String>, heading: String, body: &[&str]| {
                lines.push(heading);
                lines.push(String::new());
                for b in body {
                    lines.push(b.to_string());
                    lines.push(String::new());
                }
            };
            for (i, spec) in r.sections.iter().enumerate() {
                if !present[i] {
                    continue;
                }
                let h = next(spec, 1);
                use packet_ls::rubric::SectionKind::*;
                match spec.kind {
                    Some(Initiatives) => {
                        block(&mut out, h, &[]);
                        for name in ["Ledger migration", "Checkout latency"] {
                            block(&mut out, format!("## {name}"), &[]);
                            for sub in &r.initiative_subsections {
                                let sh = next(sub, 3);
                                block(&mut out, sh, &[PROSE]);
                            }
                        }
                    }
                    Some(Components) => {
                        block(&mut out, h, &[]);
                        block(&mut out, "## Payments API".into(), &[PROSE]);
                        block(&mut out, "## Ledger service".into(), &[PROSE]);
                    }
                    Some(Mentoring) => block(
                        &mut out,
                        h,
                        &["- Alex, a new college grad, shipped the refund service.\n- Sam (NCG) took over payouts.\n- Jo, our summer co-op student, built a dashboard."],
                    ),
                    Some(Values) => {
                        block(&mut out, h, &[]);
                        block(&mut out, "## Customers first".into(), &[PROSE]);
                    }
                    _ if !spec.children.is_empty() => {
                        block(&mut out, h, &[]);
                        for c in &spec.children {
                            let ch = next(c, 2);
                            let body: &[&str] = match c.kind {
                                Some(ProductAreas) => &["- Payments\n- Ledger"],
                                _ => &[PROSE],
                            };
                            block(&mut out, ch, body);
                        }
                    }
                    _ => block(&mut out, h, &[PROSE]),
                }
            }
            let nl = if crlf { "\r\n" } else { "\n" };
            Packet { text: out.join("\n").replace('\n', nl), present }
        })
}

fn lines(s: &str) -> Vec<&str> {
    s.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

fn lines_kept_in_order(small: &str, big: &str) -> bool {
    let mut it = lines(big).into_iter();
    lines(small).into_iter().all(|l| it.any(|b| b == l))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn decorated_sections_are_found_and_never_inserted_twice(p in packet()) {
        let settings = Settings::default();
        let env = Env::default();
        let a = analyze(&p.text, &settings, &env);
        for d in &a.diagnostics {
            prop_assert!(
                !matches!(d.code, RuleCode::HeadingNearMiss | RuleCode::HeadingLevel | RuleCode::DuplicateSection
                    | RuleCode::MissingSubsection | RuleCode::InitiativeMissingSubsection | RuleCode::InsufficientMentoring
                    | RuleCode::TooFewInitiatives | RuleCode::TooFewComponents | RuleCode::TooFewProductAreas
                    | RuleCode::MissingValue),
                "{} {}\n{}", d.code.as_str(), d.message, p.text
            );
        }
        let missing: Vec<&str> = a.diagnostics.iter().filter(|d| d.code == RuleCode::MissingSection).map(|d| d.message.as_str()).collect();
        let absent: Vec<&String> = settings.rubric.sections.iter().zip(&p.present).filter(|(_, &p)| !p).map(|(s, _)| &s.title).collect();
        prop_assert_eq!(missing.len(), absent.len(), "{:#?}\n{}", missing, p.text);
        for t in &absent {
            let quoted = format!("\"{t}\"");
            prop_assert!(missing.iter().any(|m| m.contains(&quoted)), "{} not reported missing: {:#?}", t, missing);
        }

        let fixed = fix_text(&p.text, &settings, &env).text;
        prop_assert!(lines_kept_in_order(&p.text, &fixed), "a line was lost:\n{}", fixed);
        let packet_ls::cli::fix::Fixed { text: again, titles: more, .. } = fix_text(&fixed, &settings, &env);
        prop_assert_eq!(&again, &fixed, "a second --fix applies {:?}", more);
        let b = analyze(&fixed, &settings, &env);
        for d in &b.diagnostics {
            prop_assert!(
                !matches!(d.code, RuleCode::MissingSection | RuleCode::DuplicateSection | RuleCode::MissingSubsection),
                "after --fix: {} {}\n{}", d.code.as_str(), d.message, fixed
            );
        }
        // Each top-level section is one heading: the inserted ones are new, the present ones not repeated.
        prop_assert_eq!(b.outline.slots.iter().filter(|s| s.found.is_some()).count(), settings.rubric.sections.len());
        let present_before: usize = p.present.iter().filter(|&&x| x).count();
        let h1_before = a.doc.headings.iter().filter(|h| h.level == 1).count();
        let h1_after = b.doc.headings.iter().filter(|h| h.level == 1).count();
        prop_assert_eq!(h1_after - h1_before, settings.rubric.sections.len() - present_before, "{}", fixed);
    }
}
