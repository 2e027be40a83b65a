//! One document version analysed, owned: the text, the settings and letters
//! it was analysed with, and the analysis borrowing them, kept in the session
//! for every request on that version.

use self_cell::self_cell;
use tower_lsp_server::ls_types as lsp;

use crate::analysis::Analysis;
use crate::text::{Encoding, LineIndex};
use crate::workspace::load::Packet;
use crate::workspace::LoadedConfig;

use super::convert::{self, Positions};
use super::letters::Owners;
use super::session::{analyse_packet, Snapshot};

/// What an analysis borrows: the text and the packet's settings and letters.
pub struct Inputs {
    pub text: String,
    pub packet: Packet,
}

type Borrowed<'a> = Analysis<'a, 'a>;

self_cell!(
    /// An analysis together with the text and settings it borrows.
    pub struct OwnedAnalysis {
        owner: Inputs,
        #[covariant]
        dependent: Borrowed,
    }
);

impl OwnedAnalysis {
    pub fn analysis(&self) -> &Analysis<'_, '_> {
        self.borrow_dependent()
    }

    pub fn inputs(&self) -> &Inputs {
        self.borrow_owner()
    }
}

/// What a document's current version is, as far as the server is concerned.
pub enum Kind {
    /// Not a packet (a README, notes): nothing to say.
    NotPacket,
    /// A packet over `maxFileBytes`: not analysed.
    TooLarge { bytes: usize, max: usize },
    /// An open `packet.toml`, checked from the editor's text.
    Config(LoadedConfig),
    /// A letter file some packet names: its own diagnostics, converted.
    Letter(Vec<lsp::Diagnostic>),
    Packet(OwnedAnalysis),
}

/// One version of a document, analysed.
pub struct Computed {
    pub generation: u64,
    pub version: i32,
    pub enc: Encoding,
    /// The text is empty or only whitespace (scaffolding is offered).
    pub blank: bool,
    pub kind: Kind,
}

impl Computed {
    /// The packet's text, its analysis dropped (`None`: not a packet).
    pub fn into_text(self) -> Option<String> {
        match self.kind {
            Kind::Packet(a) => Some(a.into_owner().text),
            _ => None,
        }
    }

    pub fn packet(&self) -> Option<&OwnedAnalysis> {
        match &self.kind {
            Kind::Packet(a) => Some(a),
            _ => None,
        }
    }

    /// Runs `f` with the packet's analysis and a position converter.
    pub fn with_packet<R>(&self, f: impl FnOnce(&Analysis, &Inputs, &Positions) -> R) -> Option<R> {
        let a = self.packet()?;
        let an = a.analysis();
        let pos = Positions { text: an.doc.text, index: &an.doc.index, enc: self.enc };
        Some(f(an, a.inputs(), &pos))
    }

    /// The diagnostics to publish for this version.
    pub fn diagnostics(&self, uri: &lsp::Uri) -> Vec<lsp::Diagnostic> {
        match &self.kind {
            Kind::NotPacket => Vec::new(),
            Kind::TooLarge { bytes, max } => vec![convert::too_large(*bytes, *max)],
            Kind::Config(cfg) => config_diagnostics(cfg, uri, self.version, self.enc),
            Kind::Letter(d) => d.clone(),
            Kind::Packet(_) => self.rules_shown(|pos, d| convert::diagnostic(pos, uri, self.version, d)),
        }
    }
}

impl Computed {
    /// [`Computed::diagnostics`] as published (a rule's in the form that
    /// costs least to send, the same JSON).
    pub fn published(&self, uri: &lsp::Uri) -> Vec<convert::Published> {
        match &self.kind {
            Kind::Packet(_) => self.rules_shown(|pos, d| convert::wire(pos, uri, self.version, d)),
            _ => self.diagnostics(uri).into_iter().map(convert::Published::Other).collect(),
        }
    }

    /// The packet's rule diagnostics, converted by `f`: at most
    /// crate::cap::MAX_PER_RULE of a rule, then one "and M more".
    fn rules_shown<T>(&self, f: impl Fn(&Positions, &crate::diagnostic::Diagnostic) -> T) -> Vec<T> {
        self.with_packet(|a, _, pos| crate::cap::capped(&a.diagnostics).iter().map(|d| f(pos, d)).collect()).unwrap_or_default()
    }
}

/// The `config-invalid` diagnostics of a packet.toml's text.
pub fn config_diagnostics(cfg: &LoadedConfig, uri: &lsp::Uri, version: i32, enc: Encoding) -> Vec<lsp::Diagnostic> {
    let index = LineIndex::new(&cfg.text);
    let pos = Positions { text: &cfg.text, index: &index, enc };
    cfg.errors
        .iter()
        .map(|e| {
            let d = crate::diagnostic::Diagnostic::new(crate::code::RuleCode::ConfigInvalid, e.range.clone(), e.message.clone());
            convert::diagnostic(&pos, uri, version, &d)
        })
        .collect()
}

/// Analyses a snapshot.
pub fn compute(mut snap: Snapshot, owners: &Owners) -> Computed {
    let (generation, version, enc) = (snap.generation, snap.version, snap.enc);
    let blank = snap.text.trim().is_empty();
    let done = |kind| Computed { generation, version, enc, blank, kind };
    if snap.facts.is_config {
        let path = snap.facts.path.clone().unwrap_or_default();
        return done(Kind::Config(LoadedConfig::from_text(path, snap.text)));
    }
    if let (Some(letter), Some(path), Some(root)) = (&snap.letter, &snap.facts.path, &snap.facts.root) {
        let uri = snap.uri();
        let found = uri.and_then(|uri| {
            super::letters::letter_document(owners, path, root, &snap.text, &letter.open, &letter.settings, &uri, version, enc)
        });
        if let Some(diagnostics) = found {
            return done(Kind::Letter(diagnostics));
        }
    }
    let Some(settings) = snap.settings.clone() else { return done(Kind::NotPacket) };
    if snap.text.len() > snap.max_file_bytes {
        return done(Kind::TooLarge { bytes: snap.text.len(), max: snap.max_file_bytes });
    }
    let text = std::mem::take(&mut snap.text);
    done(Kind::Packet(analyse_packet(&snap, settings, text)))
}
