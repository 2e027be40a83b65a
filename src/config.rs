//! `packet.toml`: parsed from text (no I/O here) into a [`Config`], with every
//! problem reported as a [`ConfigError`] at its byte range, so the caller can
//! publish `config-invalid` on `packet.toml` itself. A config with errors falls
//! back to the defaults for the parts that are wrong.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Level;
use crate::rubric::{Rubric, RubricOverrides, DEFAULT_RUBRIC};
use crate::rules::RuleCode;

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
        let file: ConfigFile = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                let range = e.span().unwrap_or(0..0);
                let message = e.message().trim().to_string();
                errors.push(ConfigError { range, message });
                return (Config::default(), errors);
            }
        };
        let include = globset(&file.include, &mut errors);
        let exclude = globset(&file.exclude, &mut errors);
        let rules = parse_rule_levels(
            file.rules.iter().map(|(k, v)| (k.get_ref().as_str(), k.span(), v.get_ref().as_str(), v.span())),
            &mut errors,
        );
        let rubrics: BTreeMap<String, RubricOverrides> =
            file.rubrics.into_iter().map(|(k, v)| (k.into_inner(), v)).collect();
        let config = Config { include, exclude, rules, rubric: file.rubric, rubrics };
        // Resolve every rubric once so that unknown names and ids are reported now.
        let mut names: Vec<Option<String>> = vec![None];
        names.extend(config.rubrics.keys().cloned().map(Some));
        for n in names {
            if let Err(e) = config.rubric_named(n.as_deref()) {
                errors.push(e);
            }
        }
        // Tables are read in key order, not file order: report top to bottom.
        errors.sort_by_key(|e| (e.range.start, e.range.end));
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

    fn base_rubric(&self, name: &str, span: Range<usize>, depth: u8) -> Result<Rubric, ConfigError> {
        if let Some(r) = Rubric::builtin(name) {
            return Ok(r);
        }
        let Some(def) = self.rubrics.get(name) else {
            let known: Vec<&str> = std::iter::once(DEFAULT_RUBRIC).chain(self.rubrics.keys().map(|s| s.as_str())).collect();
            return Err(ConfigError { range: span, message: format!("unknown rubric \"{name}\"; known: {}", known.join(", ")) });
        };
        if depth > 8 {
            return Err(ConfigError { range: span, message: format!("rubric \"{name}\" has a cycle of `base`") });
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
}
