//! What a draft changes: users it gains and loses against the saved segment, with the
//! first examples of each in file order.

use segments_engine::{CompiledSet, Scratch, SegmentId, Slots};
use serde_json::Value;

use crate::scan::{Sink, Whole};

/// Impact counts per worker; examples keep their line so the merge can restore file order.
pub(crate) struct ImpactSink<'a> {
    set: &'a CompiledSet,
    ids: [SegmentId; 2],
    examples: usize,
    scratch: Scratch,
    out: Vec<bool>,
    pub(crate) before: u64,
    pub(crate) after: u64,
    pub(crate) gained: u64,
    pub(crate) lost: u64,
    pub(crate) gained_examples: Vec<(u64, Value)>,
    pub(crate) lost_examples: Vec<(u64, Value)>,
}

impl<'a> ImpactSink<'a> {
    pub(crate) fn new(
        set: &'a CompiledSet,
        before: SegmentId,
        after: SegmentId,
        examples: usize,
    ) -> Self {
        ImpactSink {
            set,
            ids: [before, after],
            examples,
            scratch: set.scratch(),
            out: Vec::with_capacity(2),
            before: 0,
            after: 0,
            gained: 0,
            lost: 0,
            gained_examples: Vec::new(),
            lost_examples: Vec::new(),
        }
    }
}

impl Sink for ImpactSink<'_> {
    fn row(&mut self, slots: &Slots, whole: &Whole<'_>, line: u64) {
        self.set
            .evaluate_many_slots(&self.ids, slots, &mut self.scratch, &mut self.out);
        let (before, after) = (self.out[0], self.out[1]);
        self.before += u64::from(before);
        self.after += u64::from(after);
        // A worker sees its chunks in file order, so its first examples are its earliest.
        if after && !before {
            self.gained += 1;
            if self.gained_examples.len() < self.examples {
                self.gained_examples.push((line, whole.to_value()));
            }
        } else if before && !after {
            self.lost += 1;
            if self.lost_examples.len() < self.examples {
                self.lost_examples.push((line, whole.to_value()));
            }
        }
    }
}

/// The first `n` examples over all workers, in file order.
pub(crate) fn earliest(mut all: Vec<(u64, Value)>, n: usize) -> Vec<Value> {
    all.sort_by_key(|(line, _)| *line);
    all.into_iter().take(n).map(|(_, v)| v).collect()
}
