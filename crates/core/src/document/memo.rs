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
use std::sync::{Arc, Mutex, MutexGuard};

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
}

type Key = (Fact, usize, usize, u64);

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
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
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
#[derive(Default)]
pub struct Memo {
    map: Mutex<HashMap<Key, u64, BuildHasherDefault<QuickHasher>>>,
    /// Ranges found in a range (offsets from its start): the placeholders of a section.
    lists: Mutex<HashMap<(usize, usize), Arc<[Range<usize>]>, BuildHasherDefault<QuickHasher>>>,
    /// Normalised heading titles by the title's range (`matching::normalize`).
    norms: Mutex<HashMap<(usize, usize), Arc<str>, BuildHasherDefault<QuickHasher>>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    /// The fact `kind` of `r` (and `extra`), computed by `f` on first use.
    pub fn get(&self, kind: Fact, r: &Range<usize>, extra: u64, f: impl FnOnce() -> u64) -> u64 {
        let key = (kind, r.start, r.end, extra);
        if let Some(&v) = self.map.lock_().get(&key) {
            return v;
        }
        // Not borrowed while computing: `f` may ask for other facts.
        let v = f();
        self.map.lock_().insert(key, v);
        v
    }

    /// [`Memo::get`] of a yes/no fact.
    pub fn flag(&self, kind: Fact, r: &Range<usize>, f: impl FnOnce() -> bool) -> bool {
        self.get(kind, r, 0, || u64::from(f())) != 0
    }

    /// The normalised title whose text is `r`, made by `f` on first use.
    pub fn norm(&self, r: &Range<usize>, f: impl FnOnce() -> String) -> String {
        if let Some(n) = self.norms.lock_().get(&(r.start, r.end)) {
            return n.to_string();
        }
        let n = f();
        self.norms.lock_().insert((r.start, r.end), Arc::from(n.as_str()));
        n
    }

    /// The ranges found in `r` (relative to `r.start`), found by `f` on first use.
    pub fn list(&self, r: &Range<usize>, f: impl FnOnce() -> Vec<Range<usize>>) -> Arc<[Range<usize>]> {
        if let Some(l) = self.lists.lock_().get(&(r.start, r.end)) {
            return l.clone();
        }
        let l: Arc<[Range<usize>]> = f().into();
        self.lists.lock_().insert((r.start, r.end), l.clone());
        l
    }

    /// Number of facts held.
    pub fn len(&self) -> usize {
        self.map.lock_().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The facts still true after a re-parse that kept `..keep_before`
    /// as it was and moved `moved_from..` (old offsets) by `delta`.
    pub fn carried(&self, keep_before: usize, moved_from: Option<usize>, delta: isize) -> Memo {
        let old = self.map.lock_();
        let mut map = HashMap::with_capacity_and_hasher(old.len(), Default::default());
        for (&(kind, s, e, extra), &v) in old.iter() {
            if e <= keep_before {
                map.insert((kind, s, e, extra), v);
            } else if moved_from.is_some_and(|m| s >= m) {
                map.insert((kind, s.wrapping_add_signed(delta), e.wrapping_add_signed(delta), extra), v);
            }
        }
        let old = self.norms.lock_();
        let mut norms = HashMap::with_capacity_and_hasher(old.len(), Default::default());
        for (&(s, e), n) in old.iter() {
            if e <= keep_before {
                norms.insert((s, e), n.clone());
            } else if moved_from.is_some_and(|m| s >= m) {
                norms.insert((s.wrapping_add_signed(delta), e.wrapping_add_signed(delta)), n.clone());
            }
        }
        Memo { map: Mutex::new(map), lists: Mutex::new(carry(&self.lists.lock_(), keep_before, moved_from, delta)), norms: Mutex::new(norms) }
    }
}

fn carry<V: Clone>(
    old: &HashMap<(usize, usize), V, BuildHasherDefault<QuickHasher>>,
    keep_before: usize,
    moved_from: Option<usize>,
    delta: isize,
) -> HashMap<(usize, usize), V, BuildHasherDefault<QuickHasher>> {
    let mut out = HashMap::with_capacity_and_hasher(old.len(), Default::default());
    for (&(s, e), v) in old.iter() {
        if e <= keep_before {
            out.insert((s, e), v.clone());
        } else if moved_from.is_some_and(|m| s >= m) {
            out.insert((s.wrapping_add_signed(delta), e.wrapping_add_signed(delta)), v.clone());
        }
    }
    out
}
