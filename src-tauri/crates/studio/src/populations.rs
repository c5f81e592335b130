//! Audiences over files of real users: exact counts per segment and per pair, what a draft
//! gains and loses, and the stored populations those are counted over. Files are read
//! without the store's lock; the lock is taken only to read segments and to record results.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use segments_engine::{CompiledSet, MatchType, Scratch, Segment, SegmentId, ValidationError};
use segments_population::{self as population, Control, PopulationError, ReadOptions, Stamp};
use segments_store::{Store, StoreError, StoredPopulation};
use serde::Serialize;
use serde_json::Value;

/// How many gained and lost users an impact keeps as examples.
pub const EXAMPLES: usize = 20;

/// Why an audience could not be counted.
#[derive(Debug, thiserror::Error)]
pub enum PopulationsError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The file could not be read.
    #[error(transparent)]
    Population(#[from] PopulationError),
    /// A draft was refused.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A segment to count does not exist.
    #[error("there is no segment \"{0}\"; check the key (the segment list shows every key)")]
    UnknownSegment(String),
}

impl PopulationsError {
    /// The code of a file problem or a missing segment; `None` for store and validation
    /// errors, which have codes of their own at the IPC edge.
    pub fn population_code(&self) -> Option<&'static str> {
        match self {
            PopulationsError::Population(e) => Some(e.code()),
            PopulationsError::UnknownSegment(_) => Some("not_found"),
            _ => None,
        }
    }
}

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

/// Users in both of two segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PairOverlap {
    /// One segment's key.
    pub a: String,
    /// The other's.
    pub b: String,
    /// Users in both.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub both: u64,
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

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Every stored segment compiled once, and the ids of `keys` (all, by key, when empty).
fn compiled(
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

/// Reads a file and stores it as a population (named after the file unless `name`).
pub fn add(
    store: &Mutex<Store>,
    path: &Path,
    name: Option<&str>,
    control: &Control<'_>,
) -> Result<StoredPopulation, PopulationsError> {
    let path = std::path::absolute(path).map_err(|e| PopulationError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let profile = population::profile(&path, &ReadOptions::default(), control)?;
    let name = match name.map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => path.file_name().map_or_else(
            || "population".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        ),
    };
    Ok(lock(store).add_population(&name, &path, &profile)?)
}

/// Every stored population.
pub fn list(store: &Mutex<Store>) -> Result<Vec<StoredPopulation>, PopulationsError> {
    Ok(lock(store).list_populations()?)
}

/// Forgets a population (the file is left alone).
pub fn remove(store: &Mutex<Store>, id: &str) -> Result<StoredPopulation, PopulationsError> {
    Ok(lock(store).remove_population(id)?)
}

/// The population `id`, re-read first if its file changed since it was read: a stored
/// profile never describes a different file.
pub fn fresh(
    store: &Mutex<Store>,
    id: &str,
    control: &Control<'_>,
) -> Result<StoredPopulation, PopulationsError> {
    let stored = lock(store).get_population(id)?;
    if Stamp::of(&stored.path)? == stored.stamp {
        return Ok(stored);
    }
    tracing::info!(population = %stored.id, path = %stored.path.display(), "the file changed; reading it again");
    let profile = population::profile(&stored.path, &ReadOptions::default(), control)?;
    Ok(lock(store).refresh_population(id, &profile)?)
}

/// Users in one segment of a population.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SegmentAudience {
    /// The segment.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Users in it.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub matched: u64,
    /// `matched` over the population's rows, 0 to 1.
    pub share: f64,
}

/// Audience sizes (and overlaps) over a population.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Audience {
    /// The population, as read.
    pub population: StoredPopulation,
    /// Users read.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    /// Per segment.
    pub segments: Vec<SegmentAudience>,
    /// Every pair, when asked.
    pub overlaps: Vec<PairOverlap>,
}

#[allow(clippy::cast_precision_loss)]
fn share(n: u64, of: u64) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

/// Audience sizes of the segments `keys` (all when empty) over population `id`. Counts
/// are kept per population and segment revision, so a segment is counted once until it (or
/// a segment it references) changes; overlaps are always counted.
pub fn audience(
    store: &Mutex<Store>,
    id: &str,
    keys: &[String],
    overlap: bool,
    control: &Control<'_>,
) -> Result<Audience, PopulationsError> {
    let population = fresh(store, id, control)?;
    let (set, ids, revisions, mut known) = {
        let store = lock(store);
        let (set, ids) = compiled(&store, keys)?;
        let mut revisions = Vec::with_capacity(ids.len());
        let mut known = Vec::with_capacity(ids.len());
        for &sid in &ids {
            let revision = store.segment_count_revision(set.key(sid))?;
            known.push(if overlap {
                None
            } else {
                store.cached_count(id, set.key(sid), revision)?
            });
            revisions.push(revision);
        }
        (set, ids, revisions, known)
    };
    let todo: Vec<usize> = (0..ids.len()).filter(|&i| known[i].is_none()).collect();
    let mut overlaps = Vec::new();
    if !todo.is_empty() {
        let wanted: Vec<SegmentId> = todo.iter().map(|&i| ids[i]).collect();
        let counts = population::count(
            &population.path,
            &set,
            &wanted,
            overlap,
            &ReadOptions::default(),
            control,
        )?;
        let mut store = lock(store);
        for (k, &i) in todo.iter().enumerate() {
            let matched = counts.matched[k];
            store.save_count(id, set.key(ids[i]), revisions[i], matched, counts.rows)?;
            known[i] = Some((matched, counts.rows));
        }
        overlaps = counts
            .overlaps
            .iter()
            .map(|o| PairOverlap {
                a: set.key(wanted[o.a]).to_owned(),
                b: set.key(wanted[o.b]).to_owned(),
                both: o.both,
            })
            .collect();
    }
    let rows = population.rows;
    let segments = ids
        .iter()
        .zip(&known)
        .map(|(&sid, count)| {
            let matched = count.map_or(0, |(m, _)| m);
            SegmentAudience {
                key: set.key(sid).to_owned(),
                name: set.segment(sid).name.clone(),
                matched,
                share: share(matched, rows),
            }
        })
        .collect();
    Ok(Audience {
        population,
        rows,
        segments,
        overlaps,
    })
}

/// What a draft would change over a population: an estimate from the stored sample
/// (instant), or the exact count over the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DraftImpact {
    /// Users in the population.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    /// Users in the saved segment (0 for a new one).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub before: u64,
    /// Users in the draft.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub after: u64,
    /// Users the draft adds.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub gained: u64,
    /// Users the draft drops.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub lost: u64,
    /// Whether the numbers are scaled up from a sample.
    pub estimate: bool,
    /// For an estimate, the 95% margin on `after` (±users); 0 when exact.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub margin: u64,
    /// Rows the numbers come from.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub sample_rows: u64,
    /// Up to [`EXAMPLES`] users the draft adds, as contexts.
    pub gained_examples: Vec<Value>,
    /// Up to [`EXAMPLES`] users the draft drops.
    pub lost_examples: Vec<Value>,
}

/// What `draft` changes against the saved segment `saved_key` (none for a new segment)
/// over population `id`.
pub fn draft_impact(
    store: &Mutex<Store>,
    id: &str,
    saved_key: Option<&str>,
    draft: &Segment,
    exact: bool,
    control: &Control<'_>,
) -> Result<DraftImpact, PopulationsError> {
    let population = fresh(store, id, control)?;
    let (set, before, after, sample) = {
        let store = lock(store);
        let (set, before, after) = draft_set(&store, saved_key, draft)?;
        let sample = if exact {
            Vec::new()
        } else {
            store.population_sample(id)?
        };
        (set, before, after, sample)
    };
    if exact {
        let i = population::impact(
            &population.path,
            &set,
            before,
            after,
            EXAMPLES,
            &ReadOptions::default(),
            control,
        )?;
        return Ok(DraftImpact {
            rows: i.rows,
            before: i.before,
            after: i.after,
            gained: i.gained,
            lost: i.lost,
            estimate: false,
            margin: 0,
            sample_rows: i.rows,
            gained_examples: i.gained_examples,
            lost_examples: i.lost_examples,
        });
    }
    Ok(estimate(&set, before, after, &sample, population.rows))
}

/// Scales the sample's counts to the population, with a 95% margin (normal approximation;
/// the rule of three when the sample saw none or all).
fn estimate(
    set: &CompiledSet,
    before: SegmentId,
    after: SegmentId,
    sample: &[Value],
    rows: u64,
) -> DraftImpact {
    let mut scratch: Scratch = set.scratch();
    let mut out = Vec::with_capacity(2);
    let (mut b, mut a, mut g, mut l) = (0u64, 0u64, 0u64, 0u64);
    let (mut gained_examples, mut lost_examples) = (Vec::new(), Vec::new());
    for row in sample {
        set.evaluate_many(&[before, after], row, &mut scratch, &mut out);
        b += u64::from(out[0]);
        a += u64::from(out[1]);
        if out[1] && !out[0] {
            g += 1;
            if gained_examples.len() < EXAMPLES {
                gained_examples.push(row.clone());
            }
        } else if out[0] && !out[1] {
            l += 1;
            if lost_examples.len() < EXAMPLES {
                lost_examples.push(row.clone());
            }
        }
    }
    let n = sample.len() as u64;
    let exact = n >= rows;
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let scale = |k: u64| -> u64 {
        if n == 0 || exact {
            k
        } else {
            (k as f64 * rows as f64 / n as f64).round() as u64
        }
    };
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let margin = if n == 0 || exact {
        0
    } else {
        let p = a as f64 / n as f64;
        let sd = if a == 0 || a == n {
            3.0 / n as f64
        } else {
            1.96 * (p * (1.0 - p) / n as f64).sqrt()
        };
        (sd * rows as f64).round() as u64
    };
    DraftImpact {
        rows,
        before: scale(b),
        after: scale(a),
        gained: scale(g),
        lost: scale(l),
        estimate: !exact,
        margin,
        sample_rows: n,
        gained_examples,
        lost_examples,
    }
}
