//! The document's text runs, in text order, kept in pieces that a re-parse
//! shares with the parse before it.
//!
//! A long packet has a text run every 30-40 bytes (50,000 at 30,000 lines),
//! and a keystroke re-parses one section. Copying every run into the new
//! parse, and moving those after the change by its length, was most of what a
//! re-parse cost. Instead the runs before the change stay in the pieces they
//! were in, those after it stay there too with the piece's offsets moved, and
//! only the re-parsed section's runs are new. A piece is an immutable slice
//! shared by every parse that holds it; its runs are read through its shifts.
//! When pieces multiply (edits in many places), they are joined into one.

use std::ops::Range;
use std::sync::Arc;

use super::TextRun;

/// More pieces than this are joined into one at the next re-parse.
const MAX_PIECES: usize = 12;

/// Runs `data[lo..hi]`, read with their offsets moved by `shift`, their
/// heading index by `heading_shift` and their block counter by `block_shift`.
#[derive(Clone)]
struct Piece {
    data: Arc<[TextRun]>,
    lo: usize,
    hi: usize,
    shift: isize,
    heading_shift: isize,
    block_shift: i64,
}

impl Piece {
    fn read(&self, t: &TextRun) -> TextRun {
        TextRun {
            range: t.range.start.wrapping_add_signed(self.shift)..t.range.end.wrapping_add_signed(self.shift),
            heading: t.heading.map(|h| h.wrapping_add_signed(self.heading_shift)),
            in_heading: t.in_heading,
            block: (i64::from(t.block) + self.block_shift) as u32,
        }
    }

    /// Index in `data` of the first run starting at or after `at`.
    fn first_from(&self, at: usize) -> usize {
        let shift = self.shift;
        self.lo + self.data[self.lo..self.hi].partition_point(|t| t.range.start.wrapping_add_signed(shift) < at)
    }

    fn start(&self) -> usize {
        self.data[self.lo].range.start.wrapping_add_signed(self.shift)
    }

    /// Where its last run starts.
    fn last_start(&self) -> usize {
        self.data[self.hi - 1].range.start.wrapping_add_signed(self.shift)
    }
}

/// The runs, in text order: shared pieces, then the runs being scanned.
#[derive(Clone, Default)]
pub struct Runs {
    pieces: Vec<Piece>,
    /// Runs pushed by the scan, after every piece.
    tail: Vec<TextRun>,
}

impl std::fmt::Debug for Runs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As a list of runs, whatever its pieces: a re-parse prints like a full parse.
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Runs {
    pub fn len(&self) -> usize {
        self.pieces.iter().map(|p| p.hi - p.lo).sum::<usize>() + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(super) fn push(&mut self, t: TextRun) {
        self.tail.push(t);
    }

    pub(super) fn reserve(&mut self, n: usize) {
        self.tail.reserve(n);
    }

    /// Every run, in text order.
    pub fn iter(&self) -> impl Iterator<Item = TextRun> + '_ {
        self.pieces
            .iter()
            .flat_map(|p| p.data[p.lo..p.hi].iter().map(move |t| p.read(t)))
            .chain(self.tail.iter().cloned())
    }

    /// The runs that start inside `r`, in text order.
    pub fn starting_in(&self, r: Range<usize>) -> impl Iterator<Item = TextRun> + '_ {
        // Pieces whose runs may start inside `r`: skip those ending before it.
        let first = self.pieces.partition_point(|p| p.last_start() < r.start);
        let (from, to) = (r.start, r.end);
        self.pieces[first..]
            .iter()
            .take_while(move |p| p.start() < to)
            .flat_map(move |p| p.data[p.first_from(from)..p.hi].iter().map(move |t| p.read(t)))
            .chain(self.tail[self.tail.partition_point(|t| t.range.start < from)..].iter().cloned())
            .take_while(move |t| t.range.start < to)
    }

    /// Makes the scanned runs a piece of their own.
    pub(super) fn seal(&mut self) {
        if !self.tail.is_empty() {
            let data: Arc<[TextRun]> = std::mem::take(&mut self.tail).into();
            let hi = data.len();
            self.pieces.push(Piece { data, lo: 0, hi, shift: 0, heading_shift: 0, block_shift: 0 });
        }
    }

    /// The runs starting before `at`, sharing their pieces (of a parse's
    /// runs, which are sealed: nothing is left in the tail).
    pub(super) fn before(&self, at: usize) -> Runs {
        debug_assert!(self.tail.is_empty(), "the runs of a finished parse are sealed");
        let mut out = Runs::default();
        for p in &self.pieces {
            if p.start() >= at {
                break;
            }
            let hi = p.first_from(at);
            out.pieces.push(Piece { hi, ..p.clone() });
        }
        out
    }

    /// Drops the scanned runs starting at or after `at`.
    pub(super) fn truncate_tail(&mut self, at: usize) {
        self.tail.truncate(self.tail.partition_point(|t| t.range.start < at));
    }

    /// Appends the runs of `old` starting at or after `at` (old offsets),
    /// moved by `shift`, their headings by `heading_shift` and blocks by
    /// `block_shift` (`old` is a parse's runs, sealed). The scanned runs are
    /// sealed first.
    pub(super) fn append_moved(&mut self, old: &Runs, at: usize, shift: isize, heading_shift: isize, block_shift: i64) {
        debug_assert!(old.tail.is_empty(), "the runs of a finished parse are sealed");
        self.seal();
        for p in old.pieces.iter().filter(|p| p.last_start() >= at) {
            self.pieces.push(Piece {
                lo: p.first_from(at),
                shift: p.shift + shift,
                heading_shift: p.heading_shift + heading_shift,
                block_shift: p.block_shift + block_shift,
                ..p.clone()
            });
        }
        self.compact();
    }

    /// Joins the pieces into one when they have multiplied.
    pub(super) fn compact(&mut self) {
        self.seal();
        if self.pieces.len() > MAX_PIECES {
            let all: Vec<TextRun> = self.iter().collect();
            self.pieces.clear();
            self.tail = all;
            self.seal();
        }
    }
}
