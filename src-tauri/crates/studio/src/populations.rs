//! Audiences over files of real users: exact counts per segment and per pair, what a draft
//! gains and loses, and the stored populations those are counted over. Files are read
//! without the store's lock; the lock is taken only to read segments and to record results.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use segments_engine::{SegmentId, ValidationError};
use segments_population::{self as population, Control, PopulationError, ReadOptions, Stamp};
use segments_store::{Store, StoreError, StoredPopulation};
use serde::Serialize;

mod drafts;
mod files;

pub use drafts::{DraftImpact, draft_impact};
use files::compiled;
pub use files::{BulkReport, Examples, ImpactReport, KeyCount, bulk_count, draft_set, impact};

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

pub(crate) fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
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
