//! Populations: files of real users (CSV, NDJSON, Parquet, gzip of the text formats) read
//! as a stream on every core, for exact audience sizes, overlaps between segments and the
//! users a draft gains or loses.
//!
//! Segments are compiled once and bound to the file's columns once; each row is a reused
//! array of slots the engine reads directly ([`segments_engine::Slots`]), so a row costs a
//! parse and no allocation, and the meaning of every operator is the engine's, whatever the
//! format. Reading a file touches nothing else: no store, no network.

mod error;
mod kind;
mod profile;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use segments_engine::{CompiledSet, SegmentId};
use serde::Serialize;
use serde_json::Value;

pub use error::PopulationError;
pub use kind::{FileKind, Format, Stamp};
pub use profile::{AttributeProfile, AttributeType, Profile, SAMPLE_ROWS, TopValue};

/// How a run reads the file.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Worker threads (at least 1); the machine's cores by default.
    pub threads: usize,
    /// Count malformed rows under `invalid` instead of stopping at the first.
    pub skip_invalid: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            threads: std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            skip_invalid: false,
        }
    }
}

/// How far a run has got, reported a few times a second.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReadProgress {
    /// Rows read so far.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    /// Bytes of the file read so far.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub bytes_read: u64,
    /// The file's size.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub total_bytes: u64,
    /// Rows per second since the start.
    pub rows_per_second: f64,
}

/// Cancellation and progress for one run.
pub struct Control<'a> {
    /// Set to stop the run; it then returns [`PopulationError::Cancelled`].
    pub cancel: &'a AtomicBool,
    /// Called with progress from the reading thread.
    pub progress: &'a (dyn Fn(ReadProgress) + Sync),
}

/// Exact counts of one pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkCounts {
    /// Rows read (valid ones).
    pub rows: u64,
    /// Malformed rows skipped.
    pub invalid: u64,
    /// Per requested segment, in the order asked: users in it.
    pub matched: Vec<u64>,
    /// With overlaps asked for: every pair `(a, b)` of requested indices, `a < b`.
    pub overlaps: Vec<Overlap>,
}

/// Users in both of two segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Overlap {
    /// Index into the requested segments.
    pub a: usize,
    /// Index into the requested segments, greater than `a`.
    pub b: usize,
    /// Users in both.
    pub both: u64,
}

/// What replacing a segment by a draft would change over a population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    /// Rows read.
    pub rows: u64,
    /// Malformed rows skipped.
    pub invalid: u64,
    /// Users in the saved segment.
    pub before: u64,
    /// Users in the draft.
    pub after: u64,
    /// Users the draft adds.
    pub gained: u64,
    /// Users the draft drops.
    pub lost: u64,
    /// Up to the asked number of gained users, whole rows as JSON contexts, in file order.
    pub gained_examples: Vec<Value>,
    /// Up to the asked number of lost users.
    pub lost_examples: Vec<Value>,
}

/// Reads the whole file once: rows, attributes and their types, missing shares, frequent
/// values, and a uniform sample of rows.
pub fn profile(
    path: &Path,
    options: &ReadOptions,
    control: &Control<'_>,
) -> Result<Profile, PopulationError> {
    let _ = (path, options, control);
    unimplemented!("being written")
}

/// Counts the users of each segment in `ids` (and, with `overlap`, of every pair).
pub fn count(
    path: &Path,
    set: &CompiledSet,
    ids: &[SegmentId],
    overlap: bool,
    options: &ReadOptions,
    control: &Control<'_>,
) -> Result<BulkCounts, PopulationError> {
    let _ = (path, set, ids, overlap, options, control);
    unimplemented!("being written")
}

/// Compares segment `before` (of set `before_set`) with `after` (of `after_set`) row by row.
#[allow(clippy::too_many_arguments)]
pub fn impact(
    path: &Path,
    before: (&CompiledSet, SegmentId),
    after: (&CompiledSet, SegmentId),
    examples: usize,
    options: &ReadOptions,
    control: &Control<'_>,
) -> Result<Impact, PopulationError> {
    let _ = (path, before, after, examples, options, control);
    unimplemented!("being written")
}
