//! A deterministic generator of realistic promotion packets of a given size,
//! shared by the benchmarks (`benches/analyze.rs`) and the packet generator
//! the latency and comparison scripts call (`examples/gen_packet.rs`).
//!
//! A packet follows the senior-em rubric: front matter, every required
//! section, and as many initiatives (with Overview, Roles and
//! Responsibilities, Results and Impact), components, mentoring examples and
//! product areas as it takes to reach the line count. Prose is hard-wrapped
//! at about 80 columns like text written in an editor, with lists, nested
//! lists, emphasis, links, code spans, a table now and then, HTML comments
//! and some non-ASCII text (accents, CJK, dashes, curly quotes, emoji).
//! The same `(lines, seed)` always gives the same text.

#![allow(dead_code)]

/// splitmix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Prose is wrapped at this column (packets written in editors run long).
const WRAP: usize = 100;

const WORDS: &[&str] = &[
    "the", "team", "service", "migration", "platform", "customers", "latency", "roadmap", "and", "with",
    "product", "billing", "checkout", "reliability", "on-call", "design", "review", "quarter", "launch",
    "engineers", "incident", "pipeline", "data", "model", "search", "ranking", "to", "of", "for", "in",
    "across", "every", "release", "owner", "plan", "risk", "finance", "support", "partner", "ledger",
    "queue", "cache", "schema", "rollout", "milestone", "budget", "hiring", "process", "a", "our",
    "café", "naïve", "Zürich", "São Paulo", "résumé", "coördination", "façade", "Malmö", "東京",
    "データ", "— a", "“north star”", "it’s", "🚀", "Ελλάδα", "Kraków",
];

const VERBS: &[&str] = &[
    "I led", "I proposed", "I negotiated", "I coached", "I reviewed", "I planned", "I hired", "I ran",
    "We shipped", "We migrated", "The team rebuilt", "I partnered with product to define",
];

const NAMES: &[&str] = &[
    "Alex", "Sam", "Jo", "Priya", "Chen", "Marco", "Aïsha", "Björn", "Zoë", "Renée", "Kenji", "李明",
    "Olúwádámilọ́lá", "Małgorzata", "Søren",
];

const TOPICS: &[&str] = &[
    "Billing platform rewrite", "Checkout reliability program", "Search relevance", "Ledger migration",
    "Payments gateway hardening", "Fraud detection pipeline", "Mobile release train", "Data retention",
    "Observability overhaul", "Internationalisation for the Zürich office", "Onboarding revamp",
    "Cost reduction in the data lake", "API versioning", "Incident response program",
];

const COMPETENCIES: &[&str] = &["Delivery", "People leadership", "Technical direction", "Strategy", "Communication"];

/// The text of a packet of about `lines` lines (never fewer than a complete
/// small packet), the same for the same `(lines, seed)`.
pub fn packet(lines: usize, seed: u64) -> String {
    let mut g = Gen { rng: Rng(seed), out: String::with_capacity(lines * 75), lines: 0 };
    g.write(lines);
    g.out
}

struct Gen {
    rng: Rng,
    out: String,
    lines: usize,
}

impl Gen {
    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
        self.lines += 1;
    }

    fn blank(&mut self) {
        self.line("");
    }

    fn heading(&mut self, level: usize, title: &str) {
        let s = format!("{} {}", "#".repeat(level), title);
        self.line(&s);
        self.blank();
    }

    /// A sentence of prose: a subject, words, sometimes emphasis, a code
    /// span, a link or a figure.
    fn sentence(&mut self, figures: bool) -> String {
        let mut s = String::from(self.rng.pick(VERBS));
        let n = 8 + self.rng.below(14);
        for i in 0..n {
            s.push(' ');
            let w = self.rng.pick(WORDS);
            match self.rng.below(40) {
                0 => s.push_str(&format!("**{w}**")),
                1 => s.push_str(&format!("*{w}*")),
                2 => s.push_str(&format!("`{}`", w.replace(' ', "_"))),
                3 if i > 2 => s.push_str(&format!("[{w}](https://wiki.example.com/{})", self.rng.below(1000))),
                _ => s.push_str(w),
            }
        }
        if figures && self.rng.chance(60) {
            let f = match self.rng.below(4) {
                0 => format!(", cutting p99 latency by {}%", 10 + self.rng.below(80)),
                1 => format!(", saving ${}k a year", 20 + self.rng.below(900)),
                2 => format!(" in {} weeks", 2 + self.rng.below(20)),
                _ => format!(", from {} pages a week to {}", 10 + self.rng.below(30), self.rng.below(9)),
            };
            s.push_str(&f);
        }
        s.push('.');
        s
    }

    /// A paragraph of a few sentences, wrapped at `WRAP` columns.
    fn paragraph(&mut self, sentences: usize, figures: bool) {
        let mut text = String::new();
        for i in 0..sentences {
            if i > 0 {
                text.push(' ');
            }
            let s = self.sentence(figures);
            text.push_str(&s);
        }
        self.wrapped("", "", &text);
        self.blank();
    }

    /// Writes `text` wrapped at `WRAP` columns, the first line after `first`,
    /// the others after `rest` (a list item's marker and its indent).
    fn wrapped(&mut self, first: &str, rest: &str, text: &str) {
        let mut line = String::from(first);
        let mut width = first.chars().count();
        let mut empty = true;
        for w in text.split(' ') {
            let wl = w.chars().count();
            if !empty && width + 1 + wl > WRAP {
                self.line(&line);
                line = String::from(rest);
                width = rest.chars().count();
                empty = true;
            }
            if !empty {
                line.push(' ');
                width += 1;
            }
            line.push_str(w);
            width += wl;
            empty = false;
        }
        if !empty {
            self.line(&line);
        }
    }

    fn list(&mut self, items: usize, figures: bool) {
        for _ in 0..items {
            let s = self.sentence(figures);
            self.wrapped("- ", "  ", &s);
            if self.rng.chance(20) {
                let s = self.sentence(figures);
                self.wrapped("  - ", "    ", &s);
            }
        }
        self.blank();
    }

    fn table(&mut self) {
        self.line("| Metric | Before | After |");
        self.line("|---|---:|---:|");
        for m in ["p99 latency (ms)", "Pages per week", "Cost (€k/month)"] {
            let (a, b) = (100 + self.rng.below(900), 10 + self.rng.below(90));
            self.line(&format!("| {m} | {a} | {b} |"));
        }
        self.blank();
    }

    fn initiative(&mut self, n: usize) {
        let topic = self.rng.pick(TOPICS);
        self.heading(2, &format!("{topic} ({n})"));
        self.heading(3, "Overview");
        let paras = 1 + self.rng.below(2);
        for _ in 0..paras {
            let k = 3 + self.rng.below(3);
            self.paragraph(k, false);
        }
        if self.rng.chance(15) {
            self.line("<!-- Context for reviewers: see the design doc linked above. -->");
            self.blank();
        }
        self.heading(3, "Roles and Responsibilities");
        let k = 2 + self.rng.below(3);
        self.paragraph(k, false);
        let k = 2 + self.rng.below(4);
        self.list(k, false);
        self.heading(3, "Results and Impact");
        let k = 2 + self.rng.below(4);
        self.list(k, true);
        if self.rng.chance(25) {
            self.table();
        }
        if self.rng.chance(10) {
            self.line("```text");
            self.line("error budget: 99.95% → 43m/month");
            self.line("```");
            self.blank();
        }
    }

    fn write(&mut self, target: usize) {
        // Fixed parts take about 90 lines; of the rest, initiatives take 80%,
        // components 10%, mentoring 7%, product areas 3%.
        let room = target.saturating_sub(90);
        let (init_lines, comp_lines, mentor_lines, area_lines) =
            (room * 80 / 100, room * 10 / 100, room * 7 / 100, room * 3 / 100);

        self.line("---");
        self.line("packet: senior-em");
        self.line("candidate: Dana Exämple");
        self.line("target: Senior Engineering Manager");
        self.line("sponsor: { name: Lee Example, relation: direct-manager, role: director }");
        self.line("---");
        self.blank();
        self.heading(1, "Overview");
        self.heading(2, "Background");
        self.paragraph(4, false);
        self.heading(2, "Statement of Intent");
        self.paragraph(3, false);
        self.line("My team and the organisation would benefit: I grow leaders who carry the product areas.");
        self.blank();

        self.heading(1, "Alignment with Engineering Competency Framework");
        for c in COMPETENCIES {
            let s = self.sentence(true);
            self.wrapped(&format!("- **{c}:** "), "  ", &s);
        }
        self.blank();

        self.heading(1, "Selected Projects and Initiatives");
        let start = self.lines;
        let mut n = 0;
        while n < 2 || self.lines - start < init_lines {
            n += 1;
            self.initiative(n);
        }

        self.heading(1, "Technical Leadership across Components");
        let start = self.lines;
        let mut n = 0;
        while n < 2 || self.lines - start < comp_lines {
            n += 1;
            let name = self.rng.pick(&["Payments gateway", "Ledger service", "Search indexer", "Mobile SDK"]);
            self.heading(2, &format!("{name} {n}"));
            let k = 2 + self.rng.below(3);
            self.paragraph(k, false);
        }

        self.heading(1, "Mentoring and Coaching");
        let start = self.lines;
        let mut n = 0;
        while n < 3 || self.lines - start < mentor_lines {
            let who = self.rng.pick(NAMES);
            let kind = match n % 3 {
                0 => "a new grad",
                1 => "a new hire",
                _ => "an intern",
            };
            n += 1;
            let s = self.sentence(false);
            self.wrapped(&format!("- Mentored {who}, {kind}: "), "  ", &s);
        }
        self.blank();

        self.heading(1, "Scope of Responsibilities");
        self.heading(2, "Product Areas");
        let start = self.lines;
        let mut n = 0;
        while n < 2 || self.lines - start < area_lines {
            n += 1;
            let area = self.rng.pick(&["Checkout", "Billing", "Search", "Payments", "Identity", "Growth"]);
            self.line(&format!("- {area} {n}"));
        }
        self.blank();
        self.heading(2, "Team Leadership");
        self.paragraph(3, false);

        self.heading(1, "Cross-Functional Collaboration");
        self.line("I plan each quarter with product and finance, and meet support every two weeks.");
        self.blank();
        self.paragraph(3, false);

        self.heading(1, "Alignment with Acme Values");
        self.heading(2, "Customers first");
        self.paragraph(3, false);

        self.heading(1, "Summary");
        self.paragraph(4, false);
    }
}
