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
    /// The placeholders of a stretch of text ([`Memo::list`]).
    Placeholders,
    /// A heading's normalised title, by the title's range ([`Memo::norm`]).
    Norm,
    /// An initiative's subsections as the outline matched them ([`Memo::value`]).
    InitiativeParts,
    /// A mentoring section's examples by kind ([`Memo::value`]).
    MentoringCount,
    /// The product areas a section names ([`Memo::value`]).
    ProductAreas,
}

/// A key is anchored at the start of the text (offsets from it) or at its end
/// (offsets back from it). A re-parse keeps the keys of facts before the
/// change and of facts after it as they are, converting only those that lie
/// on the other side of it than their anchor: typing in one place converts
/// nothing after the first keystroke, so carrying the memo costs one pass
/// over the table and no re-hashing.
type Key = (Fact, bool, usize, usize, u64);

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
    map: Mutex<HashMap<Key, Value, BuildHasherDefault<QuickHasher>>>,
    /// Length of the parsed text: where the end-anchored keys count from.
    len: usize,
    /// Where the end of the last re-parsed part lies: facts of ranges from
    /// here on are end-anchored (the first lookup tries that key).
    pivot: usize,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

impl Memo {
    /// An empty memo for a text of `len` bytes.
    pub fn new(len: usize) -> Memo {
        Memo { map: Mutex::default(), len, pivot: usize::MAX }
    }

    fn lookup(&self, kind: Fact, r: &Range<usize>, extra: u64) -> Option<Value> {
        let map = self.map.lock_();
        let from_start = (kind, false, r.start, r.end, extra);
        let (Some(s), Some(e)) = (self.len.checked_sub(r.start), self.len.checked_sub(r.end)) else {
            return map.get(&from_start).cloned();
        };
        let from_end = (kind, true, s, e, extra);
        let (first, second) = if r.start >= self.pivot { (from_end, from_start) } else { (from_start, from_end) };
        map.get(&first).or_else(|| map.get(&second)).cloned()
    }

    fn store(&self, kind: Fact, r: &Range<usize>, extra: u64, v: Value) {
        self.map.lock_().insert((kind, false, r.start, r.end, extra), v);
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

    /// Number of facts held.
    pub fn len(&self) -> usize {
        self.map.lock_().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The facts still true after a re-parse that kept `..keep_before`
    /// as it was and moved `moved_from..` (old offsets) by `delta`, for the
    /// new text of `new_len` bytes. The facts are taken out of `self` (the
    /// previous parse's memo is left empty: it is a cache, and the previous
    /// parse is about to be dropped), so nothing is copied or re-hashed but
    /// the few facts whose anchor changes side.
    pub fn carried(&self, keep_before: usize, moved_from: Option<usize>, new_len: usize) -> Memo {
        let pivot = moved_from.map_or(usize::MAX, |m| (m + new_len).saturating_sub(self.len));
        let mut map = std::mem::take(&mut *self.map.lock_());
        let old_len = self.len;
        let after = |s: usize| moved_from.is_some_and(|m| s >= m);
        let mut turned = Vec::new();
        map.retain(|&(kind, from_end, a, b, extra), v| {
            let (s, e) = if from_end { (old_len - a, old_len - b) } else { (a, b) };
            match (from_end, e <= keep_before, after(s)) {
                (false, true, _) | (true, _, true) => true,
                (false, false, true) => {
                    turned.push(((kind, true, old_len - a, old_len - b, extra), v.clone()));
                    false
                }
                (true, true, false) => {
                    turned.push(((kind, false, s, e, extra), v.clone()));
                    false
                }
                _ => false,
            }
        });
        map.extend(turned);
        Memo { map: Mutex::new(map), len: new_len, pivot }
    }
}
