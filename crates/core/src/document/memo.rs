//! Facts about ranges of a document's text (is it written, how many words,
//! which mentee kinds it names…), computed when a rule first asks and kept
//! across re-parses for the ranges the re-parse took over unchanged.
//!
//! A keystroke re-parses only the sections it touched ([`super::reuse`]);
//! everything before the re-parsed part is the old parse as it was, and
//! everything after it the old parse moved by the change in length. A fact
//! that reads only the text, runs, items and skipped ranges that start inside
//! its range is then the same for a range lying wholly in either part (moved
//! with it), so the rules re-compute facts only for the sections whose text
//! changed. Keys are byte ranges, never heading indices (those shift).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::reuse::Splice;

/// What a memo entry holds; each kind is one function of its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Fact {
    /// `substance::has_written_text`.
    Written,
    /// `substance::has_unfilled`.
    Unfilled,
    /// `Document::words_of_runs`.
    Words,
    /// The mentee kinds a mentoring example names (with a hash of its title as `extra`).
    MenteeKinds,
    /// `results-without-metrics`: the section states a figure.
    Figure,
    /// `roles-without-first-person`: which pronouns the section uses.
    Person,
    /// The placeholders of a stretch of text ([`Memo::list`]).
    Placeholders,
    /// A heading's normalised title, by the title's range ([`Memo::norm`]).
    Norm,
    /// An initiative's subsections as the outline matched them ([`Memo::value`]).
    InitiativeParts,
    /// A run of consecutive initiatives' entries of `InitiativeParts`.
    InitiativeRun,
    /// A mentoring section's examples by kind ([`Memo::value`]).
    MentoringCount,
    /// The product areas a section names ([`Memo::value`]).
    ProductAreas,
    /// An item's section is written, and it has every subsection written (`substance::item_state`).
    ItemState,
    /// How many of a run of a container's items are written and complete (`substance::item_counts`).
    ItemCounts,
}

type Key = (Fact, usize, usize, u64);

type Table = HashMap<Key, Value, BuildHasherDefault<QuickHasher>>;

#[derive(Clone)]
enum Value {
    Num(u64),
    List(Arc<[Range<usize>]>),
    Norm(Arc<str>),
    Any(Arc<dyn Any + Send + Sync>),
}

/// FxHash's mixing step: keys are a few integers, hashed on every lookup.
#[derive(Default, Clone, Copy)]
pub struct QuickHasher(u64);

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        // The added constant makes every write count, zeros too (without it a
        // run of zeros hashed like nothing at all: an item without
        // subsections and one whose three subsections are all missing had
        // one memo key).
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_add(0x9e37_79b9_7f4a_7c15).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }

    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits, which a product
        // mixes least: fold the high half in (else offsets collide).
        let h = self.0 ^ (self.0 >> 32);
        h.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

/// A few numeric facts about one section, kept inside a memoised value that
/// covers the section (an initiative's matched subsections carry those of the
/// initiative and of each subsection): a rule reads them off the outline
/// instead of looking each one up in the table, which at hundreds of
/// initiatives was most of a keystroke's lookups (one cache miss each). They
/// are as true as the value that holds them, whose range covers theirs.
pub struct Facts {
    cells: [AtomicU64; 4],
}

/// The facts of one section in a block of several sections' (an initiative's
/// and its subsections'): one allocation and one reference count for them all,
/// touched once per initiative per keystroke instead of once per section.
#[derive(Clone)]
pub struct FactsRef {
    block: Arc<[Facts]>,
    at: usize,
}

impl FactsRef {
    /// A block of facts for `n` sections.
    pub fn block(n: usize) -> Arc<[Facts]> {
        (0..n).map(|_| Facts::default()).collect()
    }

    /// The facts of section `at` of `block`.
    pub fn new(block: &Arc<[Facts]>, at: usize) -> FactsRef {
        assert!(at < block.len(), "a section outside its block of facts");
        FactsRef { block: block.clone(), at }
    }
}

impl std::ops::Deref for FactsRef {
    type Target = Facts;
    fn deref(&self) -> &Facts {
        &self.block[self.at]
    }
}

impl std::fmt::Debug for FactsRef {
    /// Like [`Memo`]'s: what has been computed is not part of the parse.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Facts")
    }
}

/// How many consecutive items (initiatives, components, values) share one
/// memo entry where their results are kept together (the outline's matches,
/// the item counts): a keystroke changes one run. Four in the crate's own
/// tests, whose generated packets have a handful of initiatives, so that the
/// incremental-equals-full property tests go through memoised runs.
pub const RUN: usize = if cfg!(test) { 4 } else { 32 };

/// A cell not computed yet (no fact is this large).
const UNKNOWN: u64 = u64::MAX;

impl Default for Facts {
    fn default() -> Facts {
        Facts { cells: std::array::from_fn(|_| AtomicU64::new(UNKNOWN)) }
    }
}

impl Facts {
    /// The cell of a kind a section's facts hold, if they hold it.
    fn cell(kind: Fact) -> Option<usize> {
        match kind {
            Fact::Words => Some(0),
            Fact::Figure => Some(1),
            Fact::Person => Some(2),
            Fact::ItemState => Some(3),
            _ => None,
        }
    }
}

/// A hash of a string, for [`Fact`]s that depend on more than their range.
pub fn hash_str(s: &str) -> u64 {
    let mut h = QuickHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// A memo table's lock. The tables are behind mutexes (not `RefCell`s) so that an
/// analysed document can be shared across threads (the server keeps each
/// version's analysis for every request); a poisoned table is still a cache.
trait Lock<T> {
    fn lock_(&self) -> MutexGuard<'_, T>;
}

impl<T> Lock<T> for Mutex<T> {
    fn lock_(&self) -> MutexGuard<'_, T> {
        self.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The memo of one parse. Not part of the parse's identity: `Debug` shows
/// only its size, so a re-parse still prints like a full parse.
///
/// The facts of earlier parses are a shared `base` table, keyed by offsets in
/// the text it was made for, and `since` says where this text differs from
/// that one: a fact of a range wholly before or wholly after that part is
/// looked up in the base at its offsets there. Facts found since go to the
/// small `fresh` table. So a re-parse carries the memo over by composing two
/// splices and moving the few fresh facts, without visiting the base; when
/// the fresh facts grow many, they are merged into a new base (rarely).
pub struct Memo {
    base: Arc<Table>,
    since: Splice,
    fresh: Mutex<Table>,
    /// Length of the parsed text.
    len: usize,
}

impl Default for Memo {
    fn default() -> Memo {
        Memo::new(0)
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// Fresh facts beyond this many are merged into a new base at the next re-parse.
const MAX_FRESH: usize = 256;

/// Where a range of the text before `s` lies in the text after it, if `s` left it whole.
fn across(s: &Splice, start: usize, end: usize) -> Option<(usize, usize)> {
    if end <= s.start {
        Some((start, end))
    } else if start >= s.old_end {
        Some((start - s.old_end + s.new_end, end - s.old_end + s.new_end))
    } else {
        None
    }
}

impl Memo {
    /// An empty memo for a text of `len` bytes.
    pub fn new(len: usize) -> Memo {
        Memo { base: Arc::default(), since: Splice::none(len), fresh: Mutex::default(), len }
    }

    fn lookup(&self, kind: Fact, r: &Range<usize>, extra: u64) -> Option<Value> {
        // The base first: most facts are found there, without the lock. (A
        // fact is in the fresh table only if it was missing from the base.)
        if !self.base.is_empty() {
            // The range in the base's text: `since` read backwards.
            let back = Splice { start: self.since.start, old_end: self.since.new_end, new_end: self.since.old_end };
            if let Some(v) = across(&back, r.start, r.end).and_then(|(s, e)| self.base.get(&(kind, s, e, extra))) {
                return Some(v.clone());
            }
        }
        self.fresh.lock_().get(&(kind, r.start, r.end, extra)).cloned()
    }

    fn store(&self, kind: Fact, r: &Range<usize>, extra: u64, v: Value) {
        self.fresh.lock_().insert((kind, r.start, r.end, extra), v);
    }

    /// The fact `kind` of `r` (and `extra`), computed by `f` on first use.
    pub fn get(&self, kind: Fact, r: &Range<usize>, extra: u64, f: impl FnOnce() -> u64) -> u64 {
        if let Some(Value::Num(v)) = self.lookup(kind, r, extra) {
            return v;
        }
        // Not borrowed while computing: `f` may ask for other facts.
        let v = f();
        self.store(kind, r, extra, Value::Num(v));
        v
    }

    /// [`Memo::get`], read from and kept in `facts` (those of the section
    /// `r` and `extra` are about) when given and it holds `kind`. Two threads
    /// may both compute a missing fact; they find the same.
    pub fn get_in(&self, facts: Option<&Facts>, kind: Fact, r: &Range<usize>, extra: u64, f: impl FnOnce() -> u64) -> u64 {
        let Some(cell) = facts.and_then(|fs| Facts::cell(kind).map(|i| &fs.cells[i])) else {
            return self.get(kind, r, extra, f);
        };
        match cell.load(Ordering::Relaxed) {
            UNKNOWN => {
                let v = f();
                debug_assert_ne!(v, UNKNOWN);
                cell.store(v, Ordering::Relaxed);
                v
            }
            v => v,
        }
    }

    /// [`Memo::get`] of a yes/no fact.
    pub fn flag(&self, kind: Fact, r: &Range<usize>, f: impl FnOnce() -> bool) -> bool {
        self.get(kind, r, 0, || u64::from(f())) != 0
    }

    /// The normalised title whose text is `r`, made by `f` on first use.
    pub fn norm(&self, r: &Range<usize>, f: impl FnOnce() -> String) -> Arc<str> {
        if let Some(Value::Norm(n)) = self.lookup(Fact::Norm, r, 0) {
            return n;
        }
        let n: Arc<str> = f().into();
        self.store(Fact::Norm, r, 0, Value::Norm(n.clone()));
        n
    }

    /// The ranges found in `r` (relative to `r.start`), found by `f` on first use.
    pub fn list(&self, r: &Range<usize>, f: impl FnOnce() -> Vec<Range<usize>>) -> Arc<[Range<usize>]> {
        if let Some(Value::List(l)) = self.lookup(Fact::Placeholders, r, 0) {
            return l;
        }
        let l: Arc<[Range<usize>]> = f().into();
        self.store(Fact::Placeholders, r, 0, Value::List(l.clone()));
        l
    }

    /// A value of type `T` about `r` (and `extra`), made by `f` on first use.
    /// What `f` makes must depend only on what starts inside `r` (and on `extra`).
    pub fn value<T: Send + Sync + 'static>(&self, kind: Fact, r: &Range<usize>, extra: u64, f: impl FnOnce() -> T) -> Arc<T> {
        if let Some(Value::Any(v)) = self.lookup(kind, r, extra) {
            if let Ok(v) = v.downcast::<T>() {
                return v;
            }
        }
        let v = Arc::new(f());
        self.store(kind, r, extra, Value::Any(v.clone()));
        v
    }

    /// Number of facts held (those of the base that this text left whole
    /// counted too, as long as they are in the base).
    pub fn len(&self) -> usize {
        self.base.len() + self.fresh.lock_().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The facts still true after a re-parse whose text differs from this
    /// one only in `step` (all else kept or moved as it was). The base is
    /// shared, not copied.
    pub fn carried(&self, step: Splice) -> Memo {
        let new_len = self.len + step.new_end - step.old_end;
        let since = self.since.then(step);
        let fresh: Table = self
            .fresh
            .lock_()
            .iter()
            .filter_map(|(&(kind, s, e, extra), v)| across(&step, s, e).map(|(s, e)| ((kind, s, e, extra), v.clone())))
            .collect();
        if fresh.len() <= MAX_FRESH {
            return Memo { base: self.base.clone(), since, fresh: Mutex::new(fresh), len: new_len };
        }
        // Merged: the base's facts this text left whole, and the fresh ones.
        let mut base: Table = self
            .base
            .iter()
            .filter_map(|(&(kind, s, e, extra), v)| across(&since, s, e).map(|(s, e)| ((kind, s, e, extra), v.clone())))
            .collect();
        base.extend(fresh);
        Memo { base: Arc::new(base), since: Splice::none(new_len), fresh: Mutex::default(), len: new_len }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Facts before and after a change are found at their new offsets, those
    /// overlapping it are not, across several re-parses and a merge.
    #[test]
    fn facts_follow_the_text_across_reparses() {
        let mut m = Memo::new(100);
        m.get(Fact::Words, &(0..10), 0, || 1);
        m.get(Fact::Words, &(40..60), 0, || 2);
        m.get(Fact::Words, &(70..90), 0, || 3);
        // 5 bytes inserted at 50: 40..60 is gone, 70..90 is now 75..95.
        m = m.carried(Splice { start: 50, old_end: 50, new_end: 55 });
        let miss = || 99;
        assert_eq!(m.get(Fact::Words, &(0..10), 0, miss), 1);
        assert_eq!(m.get(Fact::Words, &(75..95), 0, miss), 3);
        assert_eq!(m.get(Fact::Words, &(70..90), 0, || 4), 4, "an old offset is not a key");
        assert_eq!(m.get(Fact::Words, &(40..60), 0, || 5), 5);
        // 10 bytes deleted at 20..30: 75..95 (from the base, through two splices) is 65..85.
        m = m.carried(Splice { start: 20, old_end: 30, new_end: 20 });
        assert_eq!(m.get(Fact::Words, &(65..85), 0, miss), 3);
        assert_eq!(m.get(Fact::Words, &(0..10), 0, miss), 1);
        // 70..90 was a fresh fact at 70..90, now 60..80.
        assert_eq!(m.get(Fact::Words, &(60..80), 0, miss), 4);
        // Many fresh facts are merged into a new base; all still found.
        for i in 0..MAX_FRESH + 10 {
            m.get(Fact::Figure, &(i..i + 1), 0, || i as u64);
        }
        m = m.carried(Splice::none(95));
        assert!(m.fresh.lock_().is_empty() && m.since.is_none());
        assert_eq!(m.get(Fact::Words, &(65..85), 0, miss), 3);
        assert_eq!(m.get(Fact::Figure, &(7..8), 0, miss), 7);
        // A change at the end leaves everything before it.
        m = m.carried(Splice { start: 95, old_end: 95, new_end: 96 });
        assert_eq!(m.get(Fact::Words, &(0..10), 0, miss), 1);
    }
}
