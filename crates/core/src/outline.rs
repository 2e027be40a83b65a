//! The outline: the document's headings matched against the rubric. Every
//! structural rule reads this instead of matching headings itself, so a
//! section found at the wrong level or as a near miss is known once and its
//! children are checked as if it were the section.

use std::cell::OnceCell;
use std::sync::Arc;

use crate::document::memo::RUN;
use crate::document::{Document, Fact, Facts, FactsRef};

use crate::matching::{is_exact, is_match, match_names, normalize, TitleMatch};
use crate::rubric::{Rubric, SectionKind, SectionSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Exact,
    /// The right title at the wrong heading level.
    WrongLevel,
    /// A near miss of the title at the right level.
    NearMiss,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub heading: usize,
    pub how: How,
    /// The level the rubric expects here.
    pub level: u8,
}

/// One section the rubric asks for, and what the document has for it.
#[derive(Debug, Clone)]
pub struct Slot<'r> {
    pub spec: &'r SectionSpec,
    pub found: Option<Found>,
    /// Further headings with exactly this title at the same level.
    pub duplicates: Vec<usize>,
    /// The spec's fixed children.
    pub children: Vec<Slot<'r>>,
    /// The headings a container section holds (initiatives, components, values).
    pub items: Vec<Item<'r>>,
    /// Facts about the section kept with the memoised match it comes from
    /// (an initiative's subsections), for rules to read without a lookup.
    pub facts: Option<FactsRef>,
}

/// An initiative, a component or a value: a child heading of a container.
#[derive(Debug, Clone)]
pub struct Item<'r> {
    pub heading: usize,
    /// For initiatives: the initiative subsections.
    pub children: Vec<Slot<'r>>,
    /// Facts about the item's section, kept with its memoised match (initiatives).
    pub facts: Option<FactsRef>,
}

#[derive(Debug)]
pub struct Outline<'r> {
    pub slots: Vec<Slot<'r>>,
}

impl<'r> Slot<'r> {
    fn new(spec: &'r SectionSpec) -> Self {
        Slot { spec, found: None, duplicates: Vec::new(), children: Vec::new(), items: Vec::new(), facts: None }
    }

    pub fn heading(&self) -> Option<usize> {
        self.found.map(|f| f.heading)
    }
}

struct Builder<'d, 'r> {
    doc: &'d Document<'d>,
    rubric: &'r Rubric,
    /// Normalised title of each heading, made when first compared (the
    /// headings of an initiative whose match is memoised are never looked at).
    norms: Vec<OnceCell<Arc<str>>>,
    used: Vec<bool>,
    /// A hash of the rubric's initiative subsections: the memo key of an
    /// initiative's matched parts (the parse outlives a change of rubric).
    parts_key: u64,
}

/// A [`Slot`] without its spec, headings counted from a base heading: what the
/// memo keeps of an initiative's match (heading indices shift, offsets within
/// the section do not).
struct RelSlot {
    found: Option<(usize, How, u8)>,
    duplicates: Vec<usize>,
    children: Vec<RelSlot>,
    items: Vec<(usize, Vec<RelSlot>)>,
    /// Where the section's facts are in the initiative's block of facts.
    at: usize,
}

/// What the memo keeps of an initiative: its subsections as matched, and
/// the facts about its own section (first) and theirs, kept as long as the
/// match is.
struct Parts {
    slots: Vec<RelSlot>,
    facts: Arc<[Facts]>,
}

impl RelSlot {
    /// `next`: the next free place in the block of facts.
    fn of(s: &Slot, base: usize, next: &mut usize) -> RelSlot {
        let at = *next;
        *next += 1;
        RelSlot {
            found: s.found.map(|f| (f.heading - base, f.how, f.level)),
            duplicates: s.duplicates.iter().map(|h| h - base).collect(),
            children: s.children.iter().map(|c| RelSlot::of(c, base, next)).collect(),
            items: s
                .items
                .iter()
                .map(|i| (i.heading - base, i.children.iter().map(|c| RelSlot::of(c, base, next)).collect()))
                .collect(),
            at,
        }
    }

    /// The slot of `spec` at `base`, marking the headings it takes as used.
    fn slot<'r>(&self, spec: &'r SectionSpec, rubric: &'r Rubric, base: usize, used: &mut [bool], facts: &Arc<[Facts]>) -> Slot<'r> {
        fn take(used: &mut [bool], h: usize) -> usize {
            used[h] = true;
            h
        }
        let found = self.found.map(|(h, how, level)| Found { heading: take(used, base + h), how, level });
        if self.duplicates.is_empty() && self.children.is_empty() && self.items.is_empty() {
            // A subsection as most are: nothing below it (hundreds per keystroke).
            return Slot { spec, found, duplicates: Vec::new(), children: Vec::new(), items: Vec::new(), facts: Some(FactsRef::new(facts, self.at)) };
        }
        let duplicates = self.duplicates.iter().map(|&h| take(used, base + h)).collect();
        let item_specs: &'r [SectionSpec] =
            if spec.kind == Some(SectionKind::Initiatives) { &rubric.initiative_subsections } else { &[] };
        let items = self
            .items
            .iter()
            .map(|(h, children)| Item {
                heading: take(used, base + h),
                children: children.iter().zip(item_specs).map(|(c, s)| c.slot(s, rubric, base, used, facts)).collect(),
                facts: None,
            })
            .collect();
        let children = self.children.iter().zip(&spec.children).map(|(c, s)| c.slot(s, rubric, base, used, facts)).collect();
        Slot { spec, found, duplicates, children, items, facts: Some(FactsRef::new(facts, self.at)) }
    }
}

/// A hash of specs' ids, titles, aliases and children.
fn specs_hash(specs: &[SectionSpec]) -> u64 {
    fn add(specs: &[SectionSpec], out: &mut String) {
        for s in specs {
            out.push_str(&s.id);
            out.push('\u{1}');
            out.push_str(&s.title);
            for a in &s.aliases {
                out.push('\u{2}');
                out.push_str(a);
            }
            out.push('\u{3}');
            out.push_str(&format!("{:?}", s.kind));
            out.push('(');
            add(&s.children, out);
            out.push(')');
        }
    }
    let mut out = String::new();
    add(specs, &mut out);
    crate::document::memo::hash_str(&out)
}

impl<'r> Outline<'r> {
    pub fn build(doc: &Document, rubric: &'r Rubric) -> Outline<'r> {
        let norms = (0..doc.headings.len()).map(|_| OnceCell::new()).collect();
        let used = vec![false; doc.headings.len()];
        let parts_key = specs_hash(&rubric.initiative_subsections);
        let mut b = Builder { doc, rubric, norms, used, parts_key };
        let mut slots: Vec<Slot> = rubric.sections.iter().map(Slot::new).collect();
        let h1: Vec<usize> = (0..doc.headings.len()).filter(|&h| doc.headings[h].level == 1).collect();

        // 1. Titles (exact or qualified) at level 1, each heading to the section it matches best.
        b.take_best(&mut slots, &h1, 1);
        // 2. Exact titles of still-missing sections at another level, unless the
        //    heading is a known child title of the section it sits in.
        for i in 0..slots.len() {
            if slots[i].found.is_some() {
                continue;
            }
            let cand = (0..doc.headings.len()).find(|&h| {
                !b.used[h]
                    && doc.headings[h].level != 1
                    && is_exact(b.norm(h), slots[i].spec.names())
                    && !b.is_child_title_of_enclosing(h, &slots)
                    && !b.is_initiative_part(h)
            });
            if let Some(h) = cand {
                b.used[h] = true;
                slots[i].found = Some(Found { heading: h, how: How::WrongLevel, level: 1 });
            }
        }
        // 3. Near misses at level 1.
        for slot in slots.iter_mut() {
            b.take_near(slot, &h1, 1);
        }
        // 4. Children, with the found heading standing for the section.
        for slot in slots.iter_mut() {
            if let Some(f) = slot.found {
                b.fill(slot, f.heading);
            }
        }
        Outline { slots }
    }

    /// Every slot, depth first (fixed children and items' children included).
    pub fn walk(&self) -> Vec<&Slot<'r>> {
        fn go<'a, 'r>(s: &'a Slot<'r>, out: &mut Vec<&'a Slot<'r>>) {
            out.push(s);
            for c in &s.children {
                go(c, out);
            }
            for i in &s.items {
                for c in &i.children {
                    go(c, out);
                }
            }
        }
        let mut out = Vec::new();
        for s in &self.slots {
            go(s, &mut out);
        }
        out
    }

    /// The top-level section of a kind and its heading, if the rubric has one and it was found.
    pub fn top(&self, kind: SectionKind) -> Option<(&Slot<'r>, usize)> {
        let slot = self.slots.iter().find(|s| s.spec.kind == Some(kind))?;
        Some((slot, slot.heading()?))
    }
}

impl<'d, 'r> Builder<'d, 'r> {
    /// Gives each candidate heading at `level` to the slot whose title or
    /// alias it matches best (exact before qualified, then the longest name),
    /// so one heading never stands for two sections. The first heading a slot
    /// gets is the section, further ones are duplicates.
    fn take_best(&mut self, slots: &mut [Slot<'r>], cands: &[usize], level: u8) {
        for &h in cands {
            if self.used[h] || self.doc.headings[h].level != level {
                continue;
            }
            let norm = self.norm(h);
            let best = slots
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.spec.names().strength(norm).map(|st| (st, std::cmp::Reverse(i))))
                .max();
            let Some((_, std::cmp::Reverse(i))) = best else { continue };
            self.used[h] = true;
            let slot = &mut slots[i];
            match slot.found {
                None => slot.found = Some(Found { heading: h, how: How::Exact, level }),
                Some(_) => slot.duplicates.push(h),
            }
        }
    }

    fn take_wrong_level(&mut self, slot: &mut Slot<'r>, cands: &[usize], level: u8) {
        if slot.found.is_some() {
            return;
        }
        let names = slot.spec.names();
        let hit = cands.iter().copied().find(|&h| {
            !self.used[h] && self.doc.headings[h].level != level && is_exact(self.norm(h), names)
        });
        if let Some(h) = hit {
            self.used[h] = true;
            slot.found = Some(Found { heading: h, how: How::WrongLevel, level });
        }
    }

    fn take_near(&mut self, slot: &mut Slot<'r>, cands: &[usize], level: u8) {
        if slot.found.is_some() {
            return;
        }
        let names = slot.spec.names();
        let hit = cands.iter().copied().find(|&h| {
            !self.used[h]
                && self.doc.headings[h].level == level
                && match_names(self.norm(h), names) == TitleMatch::NearMiss
        });
        if let Some(h) = hit {
            self.used[h] = true;
            slot.found = Some(Found { heading: h, how: How::NearMiss, level });
        }
    }

    /// Matches specs against the headings under `parent`: exact titles among
    /// its children first, then right titles at the wrong level anywhere in
    /// its section (an `#### Results and Impact` that ended up under
    /// `### Roles and Responsibilities` is that subsection, one level too
    /// deep, not a missing one), then near misses among its children.
    fn match_specs(&mut self, specs: &'r [SectionSpec], parent: usize) -> Vec<Slot<'r>> {
        if specs.is_empty() {
            // Nothing to match (the initiatives container has no fixed parts;
            // its hundreds of children are matched as items).
            return Vec::new();
        }
        let level = self.doc.headings[parent].level + 1;
        let doc = self.doc;
        let cands = doc.children(parent);
        let inside: Vec<usize> = self.doc.descendants(parent).collect();
        let mut slots: Vec<Slot> = specs.iter().map(Slot::new).collect();
        self.take_best(&mut slots, cands, level);
        for s in slots.iter_mut() {
            self.take_wrong_level(s, &inside, level);
        }
        for s in slots.iter_mut() {
            self.take_near(s, cands, level);
        }
        for s in slots.iter_mut() {
            if let Some(f) = s.found {
                self.fill(s, f.heading);
            }
        }
        slots
    }

    fn fill(&mut self, slot: &mut Slot<'r>, h: usize) {
        let doc = self.doc;
        let cands = doc.children(h);
        slot.children = self.match_specs(&slot.spec.children, h);
        if slot.spec.kind == Some(SectionKind::Initiatives) {
            slot.items.reserve(cands.len());
            for run in cands.chunks(RUN) {
                let parts = self.run_parts(run);
                for (k, &c) in run.iter().enumerate() {
                    if self.used[c] {
                        continue;
                    }
                    self.used[c] = true;
                    let (children, facts) = match &parts {
                        Some(p) => self.parts_slots(c, &p[k]),
                        None => self.initiative_parts(c),
                    };
                    slot.items.push(Item { heading: c, children, facts });
                }
            }
        } else if matches!(slot.spec.kind, Some(SectionKind::Components | SectionKind::Values)) {
            slot.items.reserve(cands.len());
            for &c in cands {
                if !self.used[c] {
                    self.used[c] = true;
                    slot.items.push(Item { heading: c, children: Vec::new(), facts: None });
                }
            }
        }
    }

    /// The memoised matches of a run of consecutive initiatives `run`, kept
    /// together across keystrokes (one lookup for the run, not one per
    /// initiative: a keystroke changes one run); `None` when a heading of the
    /// run is already taken (each initiative is then matched on its own). A
    /// run's entry holds its initiatives' own entries (and their facts), so
    /// the run a keystroke changes re-uses those of the initiatives it left.
    fn run_parts(&mut self, run: &[usize]) -> Option<Arc<Vec<Arc<Parts>>>> {
        use std::hash::Hasher;
        let doc = self.doc;
        let hs = &doc.headings;
        let (first, last) = (run[0], run[run.len() - 1]);
        let end = hs[last].end;
        let after = last + 1 + doc.descendants(last).count();
        if run.len() < RUN || self.used[first..after].iter().any(|&u| u) {
            return None;
        }
        let mut key = crate::document::memo::QuickHasher::default();
        key.write_u64(self.parts_key);
        for &c in run {
            key.write_usize(c - first);
        }
        Some(doc.memo.value(Fact::InitiativeRun, &(hs[first].line.start..end), key.finish(), || {
            run.iter().map(|&c| self.parts_of(c)).collect()
        }))
    }

    /// The memoised match of initiative `c`, none of whose headings is taken.
    fn parts_of(&mut self, c: usize) -> Arc<Parts> {
        let specs = &self.rubric.initiative_subsections;
        let section = self.doc.headings[c].line.start..self.doc.headings[c].end;
        self.doc.memo.value(Fact::InitiativeParts, &section, self.parts_key, || {
            let slots = self.match_specs(specs, c);
            // Place 0 of the block is the initiative's own.
            let mut next = 1;
            let slots = slots.iter().map(|s| RelSlot::of(s, c, &mut next)).collect();
            Parts { slots, facts: FactsRef::block(next) }
        })
    }

    /// The subsections and facts of initiative `c` from its memoised match,
    /// its headings marked as taken.
    fn parts_slots(&mut self, c: usize, parts: &Arc<Parts>) -> (Vec<Slot<'r>>, Option<FactsRef>) {
        let specs = &self.rubric.initiative_subsections;
        let slots =
            parts.slots.iter().zip(specs).map(|(r, spec)| r.slot(spec, self.rubric, c, &mut self.used, &parts.facts)).collect();
        (slots, Some(FactsRef::new(&parts.facts, 0)))
    }

    /// The normalised title of heading `h` (kept across keystrokes: it
    /// depends on the title's text alone).
    fn norm(&self, h: usize) -> &str {
        self.norms[h].get_or_init(|| self.doc.memo.norm(&self.doc.headings[h].title, || normalize(self.doc.title(h))))
    }

    /// The subsections of initiative `c`, matched once per text of its
    /// section and kept in the memo across keystrokes (a long packet holds
    /// hundreds of initiatives, a keystroke changes one). What the match
    /// finds depends only on the headings of the section, unless one of them
    /// was already taken for another section: then it is matched afresh.
    /// The facts come with them when they come from the memo.
    fn initiative_parts(&mut self, c: usize) -> (Vec<Slot<'r>>, Option<FactsRef>) {
        let specs = &self.rubric.initiative_subsections;
        let hs = &self.doc.headings;
        let section = hs[c].line.start..hs[c].end;
        let last = c + hs[c + 1..].iter().take_while(|h| h.line.start < section.end).count();
        if self.used[c + 1..=last].iter().any(|&u| u) {
            return (self.match_specs(specs, c), None);
        }
        let parts = self.parts_of(c);
        self.parts_slots(c, &parts)
    }

    /// Whether heading `h` carries the title of a child the rubric expects in
    /// the top-level section that encloses it (`### Overview` in an initiative).
    fn is_child_title_of_enclosing(&self, h: usize, slots: &[Slot<'r>]) -> bool {
        let mut top = h;
        while let Some(p) = self.doc.headings[top].parent {
            top = p;
        }
        let Some(slot) = slots.iter().find(|s| s.heading() == Some(top)) else {
            return false;
        };
        let norm = self.norm(h);
        self.any_title(&slot.spec.children, norm)
            || (slot.spec.kind == Some(SectionKind::Initiatives) && self.any_title(&self.rubric.initiative_subsections, norm))
    }

    /// Whether `norm` is the title (maybe qualified) of one of `specs` or of their children.
    fn any_title(&self, specs: &[SectionSpec], norm: &str) -> bool {
        specs.iter().any(|s| is_match(norm, s.names()) || self.any_title(&s.children, norm))
    }

    /// Whether `h` reads as an initiative's subsection: its title is one
    /// ("Overview") and a sibling heading has another one ("Results and
    /// Impact"). Such a heading is not a top-level section at the wrong level,
    /// even when the initiatives container is itself misplaced.
    fn is_initiative_part(&self, h: usize) -> bool {
        let subs = &self.rubric.initiative_subsections;
        let is_sub = |k: usize| subs.iter().any(|s| is_match(self.norm(k), s.names()));
        if !is_sub(h) {
            return false;
        }
        let siblings = match self.doc.headings[h].parent {
            Some(p) => self.doc.children(p),
            None => &self.doc.roots,
        };
        siblings.iter().any(|&k| k != h && self.norm(k) != self.norm(h) && is_sub(k))
    }
}

/// Where a missing sibling `i` goes: before the earliest (in the document)
/// found sibling that the rubric puts after it; else at `end`.
pub fn insert_point(doc: &Document, siblings: &[Slot], i: usize, end: usize) -> usize {
    siblings[i + 1..]
        .iter()
        .filter_map(|s| s.heading())
        .map(|h| doc.headings[h].line.start)
        .min()
        .unwrap_or(end)
}

/// The title of a found slot's heading, else the spec's canonical title.
pub fn display_title<'a>(doc: &'a Document, slot: &'a Slot) -> &'a str {
    match slot.heading() {
        Some(h) => doc.title(h),
        None => &slot.spec.title,
    }
}
