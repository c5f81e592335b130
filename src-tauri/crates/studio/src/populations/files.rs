//! Counts over a file given by path (the CLI's `eval-bulk` and `impact`), and the set a
//! draft is compared in.

use std::path::Path;

use segments_engine::{CompiledSet, MatchType, Segment, SegmentId};
use segments_population::{self as population, Control, ReadOptions};
use segments_store::Store;
use serde::Serialize;
use serde_json::Value;

use super::{EXAMPLES, PairOverlap, PopulationsError};

/// The CLI's `eval-bulk` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkReport {
    /// Users read.
    pub rows: u64,
    /// Malformed rows skipped.
    pub invalid: u64,
    /// Per segment, in the order asked (or by key).
    pub segments: Vec<KeyCount>,
    /// With overlaps asked for: every pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overlaps: Option<Vec<PairOverlap>>,
}

/// Users in one segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyCount {
    /// The segment.
    pub key: String,
    /// Users in it.
    pub matched: u64,
}

/// The CLI's `impact` answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactReport {
    /// Users read.
    pub rows: u64,
    /// Users in the saved segment.
    pub before: u64,
    /// Users in the draft.
    pub after: u64,
    /// Users the draft adds.
    pub gained: u64,
    /// Users the draft drops.
    pub lost: u64,
    /// Up to [`EXAMPLES`] of each, whole rows in file order.
    pub examples: Examples,
}

/// Example users.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Examples {
    /// Users the draft adds.
    pub gained: Vec<Value>,
    /// Users the draft drops.
    pub lost: Vec<Value>,
}

/// Every stored segment compiled once, and the ids of `keys` (all, by key, when empty).
pub(crate) fn compiled(
    store: &Store,
    keys: &[String],
) -> Result<(CompiledSet, Vec<SegmentId>), PopulationsError> {
    let segments: Vec<Segment> = store
        .list_segments()?
        .into_iter()
        .map(|s| s.segment)
        .collect();
    let set = CompiledSet::compile(&segments)?;
    let ids = if keys.is_empty() {
        set.ids().collect()
    } else {
        keys.iter()
            .map(|k| {
                set.id(k)
                    .ok_or_else(|| PopulationsError::UnknownSegment(k.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    Ok((set, ids))
}

/// Counts the stored segments `keys` (all when empty) over the file at `path`.
pub fn bulk_count(
    store: &Store,
    path: &Path,
    keys: &[String],
    overlap: bool,
    options: &ReadOptions,
    control: &Control<'_>,
) -> Result<BulkReport, PopulationsError> {
    let (set, ids) = compiled(store, keys)?;
    let counts = population::count(path, &set, &ids, overlap, options, control)?;
    let key = |i: usize| set.key(ids[i]).to_owned();
    Ok(BulkReport {
        rows: counts.rows,
        invalid: counts.invalid,
        segments: counts
            .matched
            .iter()
            .enumerate()
            .map(|(i, &matched)| KeyCount {
                key: key(i),
                matched,
            })
            .collect(),
        overlaps: overlap.then(|| {
            counts
                .overlaps
                .iter()
                .map(|o| PairOverlap {
                    a: key(o.a),
                    b: key(o.b),
                    both: o.both,
                })
                .collect()
        }),
    })
}

/// The saved segment (with what it references) and the draft compiled together, the draft
/// under a key no segment can have. With no saved segment, "before" is a segment that
/// matches nobody, so every user of the draft is gained.
pub fn draft_set(
    store: &Store,
    saved_key: Option<&str>,
    draft: &Segment,
) -> Result<(CompiledSet, SegmentId, SegmentId), PopulationsError> {
    let before = match saved_key {
        Some(key) => store.get_segment(key)?.segment,
        None => Segment {
            key: draft.key.clone(),
            match_type: MatchType::Any,
            rules: Vec::new(),
            ..draft.clone()
        },
    };
    let mut segments = store.with_references(&before)?;
    if saved_key.is_none() {
        segments.retain(|s| s.key != before.key);
        segments.push(before.clone());
    }
    for referenced in store.with_references(draft)? {
        if referenced.key != draft.key && !segments.iter().any(|s| s.key == referenced.key) {
            segments.push(referenced);
        }
    }
    // Keys cannot hold spaces, so this one is nobody's.
    let draft_key = format!("{} (draft)", draft.key);
    segments.push(Segment {
        key: draft_key.clone(),
        ..draft.clone()
    });
    let set = CompiledSet::compile(&segments)?;
    let missing = || PopulationsError::UnknownSegment(before.key.clone());
    let before_id = set.id(&before.key).ok_or_else(missing)?;
    let after_id = set.id(&draft_key).ok_or_else(missing)?;
    Ok((set, before_id, after_id))
}

/// What replacing the stored segment `key` by `draft` changes over the file at `path`.
pub fn impact(
    store: &Store,
    path: &Path,
    key: &str,
    draft: &Segment,
    options: &ReadOptions,
    control: &Control<'_>,
) -> Result<ImpactReport, PopulationsError> {
    let (set, before, after) = draft_set(store, Some(key), draft)?;
    let impact = population::impact(path, &set, before, after, EXAMPLES, options, control)?;
    Ok(ImpactReport {
        rows: impact.rows,
        before: impact.before,
        after: impact.after,
        gained: impact.gained,
        lost: impact.lost,
        examples: Examples {
            gained: impact.gained_examples,
            lost: impact.lost_examples,
        },
    })
}
