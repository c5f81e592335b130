//! Exact audience sizes and pairwise overlaps in one pass.

use segments_engine::{CompiledSet, Scratch, SegmentId, Slots};

use crate::scan::{Sink, Whole};

/// Counts per worker.
pub(crate) struct Counter<'a> {
    set: &'a CompiledSet,
    ids: &'a [SegmentId],
    overlap: bool,
    scratch: Scratch,
    out: Vec<bool>,
    hits: Vec<usize>,
    pub(crate) matched: Vec<u64>,
    /// Upper triangle, row-major: pair (a, b) with a < b.
    pub(crate) both: Vec<u64>,
}

impl<'a> Counter<'a> {
    pub(crate) fn new(set: &'a CompiledSet, ids: &'a [SegmentId], overlap: bool) -> Self {
        let n = ids.len();
        Counter {
            set,
            ids,
            overlap,
            scratch: set.scratch(),
            out: Vec::with_capacity(n),
            hits: Vec::with_capacity(n),
            matched: vec![0; n],
            both: vec![
                0;
                if overlap {
                    n * n.saturating_sub(1) / 2
                } else {
                    0
                }
            ],
        }
    }

    /// Adds another worker's counts.
    pub(crate) fn absorb(&mut self, other: &Counter<'_>) {
        for (a, b) in self.matched.iter_mut().zip(&other.matched) {
            *a += b;
        }
        for (a, b) in self.both.iter_mut().zip(&other.both) {
            *a += b;
        }
    }
}

/// The position of pair `(a, b)`, `a < b`, among `n` segments' pairs.
pub(crate) fn pair_index(n: usize, a: usize, b: usize) -> usize {
    a * (2 * n - a - 1) / 2 + (b - a - 1)
}

impl Sink for Counter<'_> {
    fn row(&mut self, slots: &Slots, _whole: &Whole<'_>, _line: u64) {
        self.set
            .evaluate_many_slots(self.ids, slots, &mut self.scratch, &mut self.out);
        if !self.overlap {
            for (count, &hit) in self.matched.iter_mut().zip(&self.out) {
                *count += u64::from(hit);
            }
            return;
        }
        self.hits.clear();
        for (i, &hit) in self.out.iter().enumerate() {
            if hit {
                self.matched[i] += 1;
                self.hits.push(i);
            }
        }
        let n = self.ids.len();
        for (k, &a) in self.hits.iter().enumerate() {
            for &b in &self.hits[k + 1..] {
                self.both[pair_index(n, a, b)] += 1;
            }
        }
    }
}
