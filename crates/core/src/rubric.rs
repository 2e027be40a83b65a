//! The rubric: which sections a packet needs, their children, the counts and
//! minimums. It is data (serde), with the built-in `senior-em` rubric taken
//! from the framework's template; `packet.toml` can change any of it.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::matching::SpecNames;

/// What a section is checked for beyond being present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Each child heading is an initiative with the initiative subsections.
    Initiatives,
    /// Each child heading is a component.
    Components,
    /// Examples of mentoring new grads / new hires and interns.
    Mentoring,
    /// Product areas named as list items or child headings.
    ProductAreas,
    /// Names a partner function outside engineering.
    CrossFunctional,
    /// One child heading per company value.
    Values,
    /// Addresses every configured competency.
    Competencies,
    /// The statement of intent (checked for self-focus).
    Intent,
    /// An initiative's roles and responsibilities (checked for first person).
    Roles,
    /// An initiative's results and impact (checked for figures).
    Results,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SectionSpec {
    /// A stable id (used by `min-words` and `aliases` in `packet.toml`).
    pub id: String,
    /// The canonical title. A `<Word>` part matches any text (`Alignment with <Company> Values`).
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub kind: Option<SectionKind>,
    /// Minimum words of prose (0: no minimum).
    #[serde(default)]
    pub min_words: u32,
    /// What the framework expects here (hover text and the inserted prompt).
    #[serde(default)]
    pub expect: String,
    #[serde(default)]
    pub children: Vec<SectionSpec>,
    /// The title and aliases normalised, made on first use (the outline
    /// compares them with every candidate heading of every analysis).
    #[serde(skip)]
    names: NamesMemo,
}

/// [`SectionSpec::names`], kept with the spec. A clone starts empty (the clone
/// may be edited, by `packet.toml` overrides), comparisons ignore it.
#[derive(Default)]
struct NamesMemo(OnceLock<SpecNames>);

impl Clone for NamesMemo {
    fn clone(&self) -> Self {
        NamesMemo::default()
    }
}

impl PartialEq for NamesMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for NamesMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NamesMemo")
    }
}

impl SectionSpec {
    fn new(id: &str, title: &str, expect: &str) -> Self {
        SectionSpec {
            id: id.into(),
            title: title.into(),
            aliases: Vec::new(),
            kind: None,
            min_words: 0,
            expect: expect.into(),
            children: Vec::new(),
            names: NamesMemo::default(),
        }
    }

    /// The title and aliases, normalised (made once per spec).
    pub fn names(&self) -> &SpecNames {
        self.names.0.get_or_init(|| SpecNames::new(std::iter::once(self.title.as_str()).chain(self.aliases.iter().map(String::as_str))))
    }
    fn kind(mut self, k: SectionKind) -> Self {
        self.kind = Some(k);
        self
    }
    fn aliases(mut self, a: &[&str]) -> Self {
        self.aliases = a.iter().map(|s| s.to_string()).collect();
        self
    }
    fn words(mut self, n: u32) -> Self {
        self.min_words = n;
        self
    }
    fn children(mut self, c: Vec<SectionSpec>) -> Self {
        self.children = c;
        self
    }

    /// Depth-first search by id, through children.
    pub fn find_mut(&mut self, id: &str) -> Option<&mut SectionSpec> {
        if self.id == id {
            // The caller may change the title or aliases.
            self.names = NamesMemo::default();
            return Some(self);
        }
        self.children.iter_mut().find_map(|c| c.find_mut(id))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Rubric {
    pub name: String,
    /// The top-level sections, in canonical order.
    pub sections: Vec<SectionSpec>,
    /// Subsections every initiative needs.
    pub initiative_subsections: Vec<SectionSpec>,
    pub min_initiatives: u32,
    pub min_components: u32,
    pub min_new_grad_mentees: u32,
    pub min_interns: u32,
    pub min_product_areas: u32,
    /// Minimum value subsections when no company values are configured.
    pub min_values: u32,
    pub company_values: Vec<String>,
    pub competencies: Vec<String>,
    /// Words naming a partner function outside engineering.
    pub partner_functions: Vec<String>,
    /// Phrases that make a statement of intent read as self-focused.
    pub self_focus_phrases: Vec<String>,
    /// Words that show a statement of intent speaks of others.
    pub others_words: Vec<String>,
    /// Words and phrases that make a mentoring example one of a new grad or
    /// new hire (whole words, case-insensitive, `-` read as a space).
    pub new_grad_words: Vec<String>,
    /// Words and phrases that make a mentoring example one of an intern.
    pub intern_words: Vec<String>,
}

/// `[rubric.mentoring]`: words that extend the mentee vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MentoringWords {
    #[serde(default)]
    pub new_grad: Vec<String>,
    #[serde(default)]
    pub intern: Vec<String>,
}

/// The default mentee vocabulary (spec §3.1): new grad / new hire.
pub const NEW_GRAD_WORDS: &[&str] = &[
    "new grad", "new grads", "newgrad", "newgrads", "new graduate", "new graduates", "recent graduate",
    "recent graduates", "recent grad", "recent grads", "new college grad", "new college grads", "new college graduate",
    "new college graduates", "ncg", "ncgs", "university hire", "university hires", "university grad",
    "university grads", "graduate hire", "graduate hires", "campus hire", "campus hires", "early-career", "new hire",
    "new hires", "newhire", "newhires",
];

/// The default mentee vocabulary (spec §3.1): intern.
pub const INTERN_WORDS: &[&str] = &[
    "intern", "interns", "interned", "internship", "internships", "summer intern", "summer interns", "co-op",
    "co-ops", "co-op student", "co-op students", "coop student", "summer student", "summer students", "apprentice",
    "apprentices", "apprenticeship", "apprenticeships",
];

pub const DEFAULT_RUBRIC: &str = "senior-em";

impl Rubric {
    /// The built-in rubric `senior-em`, from the framework's template.
    pub fn senior_em() -> Rubric {
        use SectionKind::*;
        let s = SectionSpec::new;
        Rubric {
            name: DEFAULT_RUBRIC.into(),
            sections: vec![
                s("overview", "Overview", "Your introduction: technical background and career path so far at the company, then why you want the role and why you are ready for it.")
                    .aliases(&["Introduction"])
                    .children(vec![
                        s("background", "Background", "A brief breakdown of your technical background and your career path so far at the company.")
                            .aliases(&["Technical Background", "Introduction and Technical Background"]),
                        s("statement-of-intent", "Statement of Intent", "Why you are applying for the role and why you believe you are ready for it, in terms of the team and the organisation, backed by the concrete examples that follow.")
                            .kind(Intent)
                            .words(60)
                            .aliases(&["Intent", "Statement of Purpose"]),
                    ]),
                s("alignment-with-engineering-competency-framework", "Alignment with Engineering Competency Framework", "A detailed breakdown of how you meet the engineering competency matrix for the role, with a specific supporting example for each competency.")
                    .kind(Competencies)
                    .aliases(&["Alignment with Engineering Competency Matrix", "Engineering Competency Framework", "Competency Framework Alignment"]),
                s("selected-projects-and-initiatives", "Selected Projects and Initiatives", "At least two projects or initiatives that show end-to-end ownership, comfort with ambiguity, consistent delivery and enabling others; each broken into Overview, Roles and Responsibilities, and Results and Impact.")
                    .kind(Initiatives)
                    .aliases(&["Selected Projects", "Projects and Initiatives", "Selected Initiatives"]),
                s("technical-leadership-across-components", "Technical Leadership across Components", "Technical leadership across several components, showing breadth and depth of understanding of the codebase and the technology stack.")
                    .kind(Components)
                    .aliases(&["Technical Leadership", "Technical Leadership across Multiple Components"]),
                s("mentoring-and-coaching", "Mentoring and Coaching", "Examples of formally mentoring new-grad or new-hire engineers and interns, and guiding them to complete their assigned work.")
                    .kind(Mentoring)
                    .aliases(&["Mentorship and Coaching", "Coaching and Mentoring", "Mentoring", "Mentorship"]),
                s("scope-of-responsibilities", "Scope of Responsibilities", "The scope you already hold: the product areas you cover and the teams you lead.")
                    .aliases(&["Scope"])
                    .children(vec![
                        s("product-areas", "Product Areas", "The product areas you are responsible for, each with the components in it.")
                            .kind(ProductAreas),
                        s("team-leadership", "Team Leadership", "The teams and people you lead, and how you identify and grow leaders among them.")
                            .aliases(&["Teams", "Team Management"]),
                    ]),
                s("cross-functional-collaboration", "Cross-Functional Collaboration", "Examples of working with partners outside engineering: product, program management, design, QA, support, solutions, sales.")
                    .kind(CrossFunctional)
                    .aliases(&["Collaboration"]),
                s("alignment-with-company-values", "Alignment with <Company> Values", "One subsection per company value, each with an example of living it.")
                    .kind(Values)
                    .aliases(&["Company Values", "Alignment with Values"]),
                s("summary", "Summary", "A closing summary of why you are already working at the level of the role.")
                    .words(40)
                    .aliases(&["Conclusion"]),
            ],
            initiative_subsections: vec![
                s("initiative-overview", "Overview", "What the project or initiative was, its goal and why it mattered.").words(40),
                s("roles-and-responsibilities", "Roles and Responsibilities", "Your specific role and contribution, especially where several people worked on it: say what *you* did.")
                    .kind(Roles)
                    .aliases(&["Roles", "My Role", "My Roles and Responsibilities"]),
                s("results-and-impact", "Results and Impact", "The outcome, measured: numbers, percentages, money or time saved.")
                    .kind(Results)
                    .aliases(&["Results", "Impact", "Outcome", "Outcomes and Impact"]),
            ],
            min_initiatives: 2,
            min_components: 2,
            min_new_grad_mentees: 2,
            min_interns: 1,
            min_product_areas: 2,
            min_values: 1,
            company_values: Vec::new(),
            competencies: Vec::new(),
            partner_functions: [
                "product", "program", "design", "designer", "designers", "ux", "qa", "quality assurance",
                "support", "solutions", "sales", "marketing", "customer success", "operations", "legal",
                "finance", "security", "data science", "research", "documentation", "technical writing",
                "hr", "recruiting", "partnerships", "pm", "pms", "tpm", "tpms",
            ]
            .map(String::from)
            .to_vec(),
            self_focus_phrases: [
                "move up", "moving up", "deserve", "more money", "higher salary", "pay raise",
                "next level for me", "my career", "my title", "better title", "bigger title", "prestige",
                "i want to be promoted", "my turn",
            ]
            .map(String::from)
            .to_vec(),
            others_words: [
                "team", "teams", "others", "other", "organization", "organisation", "org", "company",
                "engineers", "people", "we", "our", "us", "colleagues", "customers", "reports",
                "department", "group", "business",
            ]
            .map(String::from)
            .to_vec(),
            new_grad_words: NEW_GRAD_WORDS.iter().map(|w| w.to_string()).collect(),
            intern_words: INTERN_WORDS.iter().map(|w| w.to_string()).collect(),
        }
    }

    /// A built-in rubric by name.
    pub fn builtin(name: &str) -> Option<Rubric> {
        Rubric::is_builtin(name).then(Rubric::senior_em)
    }

    /// Whether [`Rubric::builtin`] knows `name` (without building it).
    pub fn is_builtin(name: &str) -> bool {
        name == DEFAULT_RUBRIC
    }

    pub fn section_by_kind(&self, kind: SectionKind) -> Option<&SectionSpec> {
        fn walk(s: &SectionSpec, k: SectionKind) -> Option<&SectionSpec> {
            if s.kind == Some(k) {
                return Some(s);
            }
            s.children.iter().find_map(|c| walk(c, k))
        }
        self.sections.iter().find_map(|s| walk(s, kind))
    }

    /// Finds a section spec anywhere (sections, children, initiative subsections) by id.
    pub fn find_mut(&mut self, id: &str) -> Option<&mut SectionSpec> {
        self.sections
            .iter_mut()
            .chain(self.initiative_subsections.iter_mut())
            .find_map(|s| s.find_mut(id))
    }
}

/// Changes `packet.toml` makes to a rubric: `[rubric]` for the rubric in use,
/// `[rubrics.NAME]` to define another one (from `base`, default `senior-em`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RubricOverrides {
    /// In `[rubric]`: which rubric, a built-in name or one of `[rubrics.NAME]`.
    pub name: Option<toml::Spanned<String>>,
    /// In `[rubrics.NAME]`: the rubric it starts from.
    pub base: Option<toml::Spanned<String>>,
    /// Replaces the top-level sections.
    pub sections: Option<Vec<SectionSpec>>,
    pub initiative_subsections: Option<Vec<SectionSpec>>,
    pub min_initiatives: Option<u32>,
    pub min_components: Option<u32>,
    pub min_new_grad_mentees: Option<u32>,
    pub min_interns: Option<u32>,
    pub min_product_areas: Option<u32>,
    pub min_values: Option<u32>,
    pub company_values: Option<Vec<String>>,
    pub competencies: Option<Vec<String>>,
    pub partner_functions: Option<Vec<String>>,
    pub self_focus_phrases: Option<Vec<String>>,
    pub others_words: Option<Vec<String>>,
    /// Minimum words by section id (`statement-of-intent`, `initiative-overview`, `summary`, …).
    #[serde(default)]
    pub min_words: BTreeMap<toml::Spanned<String>, u32>,
    /// Extra aliases by section id.
    #[serde(default)]
    pub aliases: BTreeMap<toml::Spanned<String>, Vec<String>>,
    /// Extra mentee words (`new-grad = [...]`, `intern = [...]`).
    pub mentoring: Option<MentoringWords>,
}

impl RubricOverrides {
    /// Applies the overrides. Returns the section ids named in `min-words` or
    /// `aliases` that the rubric does not have, with their spans.
    pub fn apply(&self, r: &mut Rubric) -> Vec<(String, std::ops::Range<usize>)> {
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = &self.$f { r.$f = v.clone(); } )* };
        }
        set!(sections, initiative_subsections);
        set!(min_initiatives, min_components, min_new_grad_mentees, min_interns, min_product_areas, min_values);
        set!(company_values, competencies, partner_functions, self_focus_phrases, others_words);
        if let Some(m) = &self.mentoring {
            r.new_grad_words.extend(m.new_grad.iter().cloned());
            r.intern_words.extend(m.intern.iter().cloned());
        }
        let mut unknown = Vec::new();
        for (id, n) in &self.min_words {
            match r.find_mut(id.get_ref()) {
                Some(s) => s.min_words = *n,
                None => unknown.push((id.get_ref().clone(), id.span())),
            }
        }
        for (id, a) in &self.aliases {
            match r.find_mut(id.get_ref()) {
                Some(s) => s.aliases.extend(a.iter().cloned()),
                None => unknown.push((id.get_ref().clone(), id.span())),
            }
        }
        unknown
    }
}

impl Rubric {
    /// Turns configured company values into required children of the values
    /// section, so each is matched like any other subsection.
    pub fn materialize_values(&mut self) {
        let values = self.company_values.clone();
        if values.is_empty() {
            return;
        }
        for s in self.sections.iter_mut() {
            if s.kind == Some(SectionKind::Values) {
                s.children = values
                    .iter()
                    .map(|v| {
                        SectionSpec::new(
                            &format!("value-{}", v.to_lowercase().replace(' ', "-")),
                            v,
                            "An example of living this company value.",
                        )
                    })
                    .collect();
            }
        }
    }
}
