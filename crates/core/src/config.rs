//! `packet.toml`: parsed from text (no I/O here) into a [`Config`], with every
//! problem reported as a [`ConfigError`] at its byte range, so the caller can
//! publish `config-invalid` on `packet.toml` itself. A config with errors falls
//! back to the defaults for the parts that are wrong.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::code::Level;
use crate::rubric::{Rubric, RubricOverrides, DEFAULT_RUBRIC};
use crate::code::RuleCode;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    rubric: RubricOverrides,
    #[serde(default)]
    rubrics: BTreeMap<Spanned<String>, RubricOverrides>,
}

/// The largest value accepted for each `min-*` count (`min-initiatives`,
/// `min-components`, `min-new-grad-mentees`, `min-interns`,
/// `min-product-areas`, `min-values`). Fixes insert one stub per missing item,
/// so an unbounded count would allocate (and write) in proportion to it.
pub const MAX_MIN_COUNT: u32 = 100;
/// The largest `min-words` value accepted, in `[rubric.min-words]` and in a
/// section's own `min-words`.
pub const MAX_MIN_WORDS: u32 = 10_000;
/// The longest chain of `base` rubrics (`[rubrics.NAME] base = …`).
pub const MAX_BASE_DEPTH: usize = 8;

/// The numbers of one `[rubric]` / `[rubrics.NAME]` table again, this time
/// with their positions, so that out-of-bound values can be reported where
/// they are. Read only after the real parse succeeded; other keys are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RubricNumbers {
    min_initiatives: Option<Spanned<u32>>,
    min_components: Option<Spanned<u32>>,
    min_new_grad_mentees: Option<Spanned<u32>>,
    min_interns: Option<Spanned<u32>>,
    min_product_areas: Option<Spanned<u32>>,
    min_values: Option<Spanned<u32>>,
    #[serde(default)]
    min_words: BTreeMap<String, Spanned<u32>>,
    sections: Option<Vec<SectionNumbers>>,
    initiative_subsections: Option<Vec<SectionNumbers>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct SectionNumbers {
    min_words: Option<Spanned<u32>>,
    #[serde(default)]
    children: Vec<SectionNumbers>,
}

#[derive(Debug, Default, Deserialize)]
struct NumbersFile {
    #[serde(default)]
    rubric: RubricNumbers,
    #[serde(default)]
    rubrics: BTreeMap<String, RubricNumbers>,
}

/// Reports every number of `nums` above its bound and clamps the matching
/// value of `over` to the bound, so nothing downstream sees it.
fn bound_numbers(nums: &RubricNumbers, over: &mut RubricOverrides, errors: &mut Vec<ConfigError>) {
    let mut check = |key: &str, n: &Option<Spanned<u32>>, max: u32, v: &mut Option<u32>| {
        if let Some(n) = n {
            if *n.get_ref() > max {
                errors.push(ConfigError {
                    range: n.span(),
                    message: format!("`{key}` is {}; at most {max} is allowed (using {max})", n.get_ref()),
                });
                *v = Some(max);
            }
        }
    };
    check("min-initiatives", &nums.min_initiatives, MAX_MIN_COUNT, &mut over.min_initiatives);
    check("min-components", &nums.min_components, MAX_MIN_COUNT, &mut over.min_components);
    check("min-new-grad-mentees", &nums.min_new_grad_mentees, MAX_MIN_COUNT, &mut over.min_new_grad_mentees);
    check("min-interns", &nums.min_interns, MAX_MIN_COUNT, &mut over.min_interns);
    check("min-product-areas", &nums.min_product_areas, MAX_MIN_COUNT, &mut over.min_product_areas);
    check("min-values", &nums.min_values, MAX_MIN_COUNT, &mut over.min_values);
    for (id, n) in &nums.min_words {
        if *n.get_ref() > MAX_MIN_WORDS {
            errors.push(ConfigError {
                range: n.span(),
                message: format!("`min-words` for \"{id}\" is {}; at most {MAX_MIN_WORDS} is allowed (using {MAX_MIN_WORDS})", n.get_ref()),
            });
        }
    }
    for v in over.min_words.values_mut() {
        *v = (*v).min(MAX_MIN_WORDS);
    }
    fn sections(nums: &[SectionNumbers], errors: &mut Vec<ConfigError>) {
        for n in nums {
            if let Some(w) = &n.min_words {
                if *w.get_ref() > MAX_MIN_WORDS {
                    errors.push(ConfigError {
                        range: w.span(),
                        message: format!("`min-words` is {}; at most {MAX_MIN_WORDS} is allowed (using {MAX_MIN_WORDS})", w.get_ref()),
                    });
                }
            }
            sections(&n.children, errors);
        }
    }
    fn clamp(specs: &mut [crate::rubric::SectionSpec]) {
        for s in specs {
            s.min_words = s.min_words.min(MAX_MIN_WORDS);
            clamp(&mut s.children);
        }
    }
    for n in [&nums.sections, &nums.initiative_subsections].into_iter().flatten() {
        sections(n, errors);
    }
    for s in [&mut over.sections, &mut over.initiative_subsections].into_iter().flatten() {
        clamp(s);
    }
}

/// A problem in `packet.toml`, at a byte range of that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub range: Range<usize>,
    pub message: String,
}

/// A validated `packet.toml`.
#[derive(Debug, Default, Clone)]
pub struct Config {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    pub rules: HashMap<RuleCode, Level>,
    pub rubric: RubricOverrides,
    pub rubrics: BTreeMap<String, RubricOverrides>,
}

/// Settings from the editor (`initializationOptions` / `didChangeConfiguration`),
/// which override `packet.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditorOverrides {
    pub rubric: Option<String>,
    pub rules: HashMap<RuleCode, Level>,
}

/// Everything the analysis needs to know about configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rubric: Rubric,
    pub levels: HashMap<RuleCode, Level>,
}

impl Default for Settings {
    fn default() -> Self {
        let mut rubric = Rubric::senior_em();
        rubric.materialize_values();
        Settings { rubric, levels: HashMap::new() }
    }
}

fn globset(patterns: &[Spanned<String>], errors: &mut Vec<ConfigError>) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        match Glob::new(p.get_ref()) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => errors.push(ConfigError { range: p.span(), message: format!("invalid glob: {e}") }),
        }
    }
    b.build().ok()
}

const LEVELS: &str = "\"off\", \"hint\", \"info\", \"warning\" or \"error\"";

/// Parses rule levels from `(code, level)` pairs; used for `packet.toml` and editor settings.
pub fn parse_rule_levels<'a>(
    pairs: impl Iterator<Item = (&'a str, Range<usize>, &'a str, Range<usize>)>,
    errors: &mut Vec<ConfigError>,
) -> HashMap<RuleCode, Level> {
    let mut out = HashMap::new();
    for (code, code_span, level, level_span) in pairs {
        let Some(rule) = RuleCode::parse(code) else {
            errors.push(ConfigError { range: code_span, message: format!("unknown rule \"{code}\"; see `packet-ls explain --all`") });
            continue;
        };
        match Level::parse(level) {
            Some(l) => {
                out.insert(rule, l);
            }
            None => errors.push(ConfigError {
                range: level_span,
                message: format!("unknown level \"{level}\" for rule \"{code}\"; use {LEVELS}"),
            }),
        }
    }
    out
}

impl Config {
    /// Parses and validates `packet.toml` text.
    pub fn parse(text: &str) -> (Config, Vec<ConfigError>) {
        let mut errors = Vec::new();
        let mut file: ConfigFile = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                let range = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                errors.push(ConfigError { range, message });
                return (Config::default(), errors);
            }
        };
        // The same text parsed once more, for the positions of its numbers.
        if let Ok(nums) = toml::from_str::<NumbersFile>(text) {
            bound_numbers(&nums.rubric, &mut file.rubric, &mut errors);
            for (name, over) in file.rubrics.iter_mut() {
                if let Some(n) = nums.rubrics.get(name.get_ref()) {
                    bound_numbers(n, over, &mut errors);
                }
            }
        }
        let include = globset(&file.include, &mut errors);
        let exclude = globset(&file.exclude, &mut errors);
        let rules = parse_rule_levels(
            file.rules.iter().map(|(k, v)| (k.get_ref().as_str(), k.span(), v.get_ref().as_str(), v.span())),
            &mut errors,
        );
        let rubrics: BTreeMap<String, RubricOverrides> =
            file.rubrics.into_iter().map(|(k, v)| (k.into_inner(), v)).collect();
        let config = Config { include, exclude, rules, rubric: file.rubric, rubrics };
        // Chains of `base` first: one error per cycle or too-deep chain, and
        // the rubrics on it are not resolved again (each would report it).
        let bad = config.base_chain_errors(&mut errors);
        // Resolve every rubric once so that unknown names and ids are reported now.
        let mut names: Vec<Option<String>> = Vec::new();
        if !config.rubric.name.as_ref().is_some_and(|n| bad.contains(n.get_ref().as_str())) {
            names.push(None);
        }
        names.extend(config.rubrics.keys().filter(|k| !bad.contains(k.as_str())).cloned().map(Some));
        for n in names {
            if let Err(e) = config.rubric_named(n.as_deref()) {
                errors.push(e);
            }
        }
        // Tables are read in key order, not file order: report top to bottom.
        // Rubrics sharing a bad base report the same error: keep it once.
        errors.sort_by(|a, b| (a.range.start, a.range.end, &a.message).cmp(&(b.range.start, b.range.end, &b.message)));
        errors.dedup();
        (config, errors)
    }

    /// Whether `relative` (a path relative to the folder of `packet.toml`,
    /// with `/` separators) is listed by `include` and not by `exclude`.
    pub fn includes(&self, relative: &str) -> bool {
        self.include.as_ref().is_some_and(|g| g.is_match(relative))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(relative))
    }

    pub fn has_include(&self) -> bool {
        self.include.is_some()
    }

    /// The rubric called `name` (`None`: the one `[rubric] name` selects, else
    /// `senior-em`), with `[rubric]` overrides applied.
    pub fn rubric_named(&self, name: Option<&str>) -> Result<Rubric, ConfigError> {
        let selected = self.rubric.name.as_ref();
        let name_span = selected.map(|s| s.span()).unwrap_or(0..0);
        let name = name.or(selected.map(|s| s.get_ref().as_str())).unwrap_or(DEFAULT_RUBRIC);
        let mut r = self.base_rubric(name, name_span, 0)?;
        if let Some((id, span)) = self.rubric.apply(&mut r).into_iter().next() {
            return Err(ConfigError { range: span, message: format!("rubric \"{}\" has no section with id \"{id}\"", r.name) });
        }
        r.materialize_values();
        Ok(r)
    }

    /// Follows every `[rubrics.NAME] base` chain once (memoised, so linear in
    /// the number of rubrics). Reports each cycle once, at the `base` that
    /// closes it, and each chain longer than [`MAX_BASE_DEPTH`] + 1 rubrics
    /// once, at the `base` of the rubric where it gets too long. Returns the
    /// rubrics that cannot be resolved because of these.
    fn base_chain_errors(&self, errors: &mut Vec<ConfigError>) -> std::collections::HashSet<&str> {
        // Some(n): n configured rubrics in the chain, this one included; None: bad.
        let mut memo: HashMap<&str, Option<usize>> = HashMap::new();
        let base_of = |name: &str| -> Option<(&str, Range<usize>)> {
            let def = self.rubrics.get(name)?;
            Some(match &def.base {
                Some(b) => (b.get_ref().as_str(), b.span()),
                None => (DEFAULT_RUBRIC, 0..0),
            })
        };
        for start in self.rubrics.keys() {
            let mut path: Vec<&str> = Vec::new();
            let mut on_path: HashMap<&str, usize> = HashMap::new();
            let mut cur: &str = start.as_str();
            let mut end: Option<usize> = loop {
                if let Some(d) = memo.get(cur) {
                    break *d;
                }
                if Rubric::is_builtin(cur) || !self.rubrics.contains_key(cur) {
                    break Some(0);
                }
                if let Some(&i) = on_path.get(cur) {
                    let mut names: Vec<&str> = path[i..].to_vec();
                    names.push(cur);
                    let last = path[path.len() - 1];
                    let span = base_of(last).map(|(_, s)| s).unwrap_or(0..0);
                    errors.push(ConfigError {
                        range: span,
                        message: format!("rubric \"{last}\" has a cycle of `base`: {}", names.join(" → ")),
                    });
                    break None;
                }
                on_path.insert(cur, path.len());
                path.push(cur);
                cur = base_of(cur).map(|(b, _)| b).unwrap_or(DEFAULT_RUBRIC);
            };
            for &p in path.iter().rev() {
                end = match end {
                    Some(d) if d + 1 > MAX_BASE_DEPTH + 1 => {
                        let span = base_of(p).map(|(_, s)| s).unwrap_or(0..0);
                        errors.push(ConfigError {
                            range: span,
                            message: format!(
                                "rubric \"{p}\" is based on a chain of `base` rubrics that is too deep (at most {} may follow one another)",
                                MAX_BASE_DEPTH + 1
                            ),
                        });
                        None
                    }
                    Some(d) => Some(d + 1),
                    None => None,
                };
                memo.insert(p, end);
            }
        }
        memo.into_iter().filter(|(_, d)| d.is_none()).map(|(n, _)| n).collect()
    }

    fn base_rubric(&self, name: &str, span: Range<usize>, depth: u8) -> Result<Rubric, ConfigError> {
        if let Some(r) = Rubric::builtin(name) {
            return Ok(r);
        }
        let Some(def) = self.rubrics.get(name) else {
            let known: Vec<&str> = std::iter::once(DEFAULT_RUBRIC).chain(self.rubrics.keys().map(|s| s.as_str())).collect();
            return Err(ConfigError { range: span, message: format!("unknown rubric \"{name}\"; known: {}", known.join(", ")) });
        };
        if depth as usize > MAX_BASE_DEPTH {
            return Err(ConfigError { range: span, message: format!("rubric \"{name}\": its chain of `base` is a cycle or too deep") });
        }
        let (base, base_span) = match &def.base {
            Some(b) => (b.get_ref().as_str(), b.span()),
            None => (DEFAULT_RUBRIC, span.clone()),
        };
        let mut r = self.base_rubric(base, base_span, depth + 1)?;
        r.name = name.to_string();
        if let Some((id, span)) = def.apply(&mut r).into_iter().next() {
            return Err(ConfigError { range: span, message: format!("rubric \"{name}\" has no section with id \"{id}\"") });
        }
        Ok(r)
    }

    /// The settings for one packet: its rubric (front matter `packet:` value,
    /// else the editor's, else `[rubric] name`, else `senior-em`) and the rule
    /// levels (editor settings over `packet.toml`). Unknown rubric names fall
    /// back to the default.
    pub fn settings(&self, front_matter_rubric: Option<&str>, editor: &EditorOverrides) -> Settings {
        let known = |n: &&str| Rubric::is_builtin(n) || self.rubrics.contains_key(*n);
        let name = front_matter_rubric.filter(known).or(editor.rubric.as_deref().filter(known));
        let rubric = self
            .rubric_named(name)
            .or_else(|_| self.rubric_named(Some(DEFAULT_RUBRIC)))
            .unwrap_or_else(|_| Settings::default().rubric);
        let mut levels = self.rules.clone();
        levels.extend(editor.rules.iter().map(|(k, v)| (*k, *v)));
        Settings { rubric, levels }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, r: &Range<usize>) -> (usize, usize) {
        let line = text[..r.start].matches('\n').count() + 1;
        let col = r.start - text[..r.start].rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, col)
    }

    #[test]
    fn valid_config_changes_rubric_and_levels() {
        let t = "include = [\"packets/*.md\"]\n[rules]\nsection-order = \"off\"\nplaceholder = \"error\"\n[rubric]\nmin-initiatives = 3\ncompany-values = [\"Ownership\", \"Customer First\"]\n[rubric.min-words]\nsummary = 10\n";
        let (c, errs) = Config::parse(t);
        assert_eq!(errs, vec![]);
        assert!(c.includes("packets/dana.md"));
        assert!(!c.includes("README.md"));
        let s = c.settings(None, &EditorOverrides::default());
        assert_eq!(s.rubric.min_initiatives, 3);
        assert_eq!(s.levels[&RuleCode::SectionOrder], Level::Off);
        let values = s.rubric.sections.iter().find(|x| x.id == "alignment-with-company-values").unwrap();
        assert_eq!(values.children.len(), 2);
        assert_eq!(s.rubric.sections.last().unwrap().min_words, 10);
    }

    #[test]
    fn errors_point_at_the_offending_place() {
        let t = "[rules]\nno-such-rule = \"off\"\nplaceholder = \"loud\"\n";
        let (_, errs) = Config::parse(t);
        assert_eq!(errs.len(), 2);
        assert_eq!(at(t, &errs[0].range), (2, 1));
        assert!(errs[0].message.contains("unknown rule \"no-such-rule\""));
        assert_eq!(at(t, &errs[1].range), (3, 15));

        let t = "include = [\"a\"]\nbogus = 1\n";
        let (_, errs) = Config::parse(t);
        assert_eq!(at(t, &errs[0].range), (2, 1));
        assert!(errs[0].message.contains("unknown field `bogus`"), "{}", errs[0].message);

        let t = "[rubric]\nmin-initiatives = \"two\"\n";
        let (_, errs) = Config::parse(t);
        assert_eq!(at(t, &errs[0].range).0, 2);

        let t = "include = [\n";
        let (_, errs) = Config::parse(t);
        assert_eq!(errs.len(), 1);

        let t = "[rubric]\nname = \"nope\"\n";
        let (_, errs) = Config::parse(t);
        assert_eq!(at(t, &errs[0].range), (2, 8));
    }

    #[test]
    fn custom_rubric_from_base() {
        let t = "[rubrics.acme]\nmin-components = 1\n[rubrics.acme.min-words]\nstatement-of-intent = 5\n";
        let (c, errs) = Config::parse(t);
        assert_eq!(errs, vec![]);
        let s = c.settings(Some("acme"), &EditorOverrides::default());
        assert_eq!(s.rubric.name, "acme");
        assert_eq!(s.rubric.min_components, 1);
    }

    #[test]
    fn absurd_numbers_are_reported_where_they_are_and_clamped() {
        let t = "[rubric]\nmin-initiatives = 4294967295\nmin-interns = 100\nmin-values = 101\n[rubric.min-words]\nsummary = 10001\n[rubrics.acme]\nmin-components = 4294967295\n[rubrics.acme.min-words]\nstatement-of-intent = 99999\n";
        let (c, errs) = Config::parse(t);
        let at_: Vec<_> = errs.iter().map(|e| at(t, &e.range)).collect();
        assert_eq!(at_, vec![(2, 19), (4, 14), (6, 11), (8, 18), (10, 23)], "{errs:#?}");
        assert!(errs[0].message.contains("`min-initiatives` is 4294967295; at most 100"), "{}", errs[0].message);
        let s = c.settings(None, &EditorOverrides::default());
        assert_eq!((s.rubric.min_initiatives, s.rubric.min_interns, s.rubric.min_values), (MAX_MIN_COUNT, 100, MAX_MIN_COUNT));
        assert_eq!(s.rubric.sections.last().unwrap().min_words, MAX_MIN_WORDS);
        let s = c.settings(Some("acme"), &EditorOverrides::default());
        assert_eq!(s.rubric.min_components, MAX_MIN_COUNT);
    }

    #[test]
    fn a_section_list_min_words_is_bounded_too() {
        let t = "[rubric]\nsections = [{ id = \"a\", title = \"A\", min-words = 20000, children = [{ id = \"b\", title = \"B\", min-words = 30000 }] }]\n";
        let (c, errs) = Config::parse(t);
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert_eq!(&t[errs[0].range.clone()], "20000");
        assert_eq!(&t[errs[1].range.clone()], "30000");
        let s = c.settings(None, &EditorOverrides::default());
        assert_eq!(s.rubric.sections[0].min_words, MAX_MIN_WORDS);
        assert_eq!(s.rubric.sections[0].children[0].min_words, MAX_MIN_WORDS);
    }

    #[test]
    fn a_long_base_chain_is_one_too_deep_error() {
        let mut t = String::new();
        for i in 0..2000 {
            t.push_str(&format!("[rubrics.r{i}]\nbase = \"r{}\"\n", i + 1));
        }
        t.push_str("[rubrics.r2000]\nmin-interns = 1\n");
        let (c, errs) = Config::parse(&t);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert!(errs[0].message.contains("too deep"), "{}", errs[0].message);
        // r1992 .. r2000 is the longest allowed chain (nine): r1991's `base` makes it too long.
        assert_eq!(&t[errs[0].range.clone()], "\"r1992\"");
        let s = c.settings(Some("r1992"), &EditorOverrides::default());
        assert_eq!((s.rubric.name.as_str(), s.rubric.min_interns), ("r1992", 1));
        let s = c.settings(Some("r0"), &EditorOverrides::default());
        assert_eq!(s.rubric.name, DEFAULT_RUBRIC);
    }

    #[test]
    fn a_cycle_is_reported_once() {
        let t = "[rubrics.a]\nbase = \"b\"\n[rubrics.b]\nbase = \"c\"\n[rubrics.c]\nbase = \"a\"\n[rubrics.d]\nbase = \"a\"\n[rubric]\nname = \"d\"\n";
        let (_, errs) = Config::parse(t);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert!(errs[0].message.contains("cycle of `base`: a → b → c → a"), "{}", errs[0].message);
        assert_eq!(at(t, &errs[0].range), (6, 8));
    }

    #[test]
    fn rubrics_sharing_an_unknown_base_report_it_once() {
        let t = "[rubrics.a]\nbase = \"b\"\n[rubrics.b]\nbase = \"nope\"\n";
        let (_, errs) = Config::parse(t);
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert_eq!(at(t, &errs[0].range), (4, 8));
    }
}
