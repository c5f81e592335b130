//! Populations: files of real users (CSV, NDJSON, Parquet, gzip of the text formats) read
//! as a stream on every core, for exact audience sizes, overlaps between segments and the
//! users a draft gains or loses.
//!
//! Segments are compiled once and bound to the file's columns once; each row is a reused
//! array of slots the engine reads directly ([`segments_engine::Slots`]), so a row costs a
//! parse and no allocation, and the meaning of every operator is the engine's, whatever the
//! format. Reading a file touches nothing else: no store, no network.

mod chunks;
mod count;
mod csv_rows;
mod error;
mod impact;
mod kind;
mod ndjson_rows;
mod parquet_rows;
mod profile;
mod profiling;
mod scan;
pub mod synthetic;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    let kind = FileKind::detect(path)?;
    let seeds = AtomicU64::new(1);
    let scan = scan(path, kind, &[], true, options, control, || {
        profiling::Profiler::new(SAMPLE_ROWS, seeds.fetch_add(1, Ordering::Relaxed))
    })?;
    let (attributes, sample) = profiling::merge(scan.sinks, scan.rows, SAMPLE_ROWS);
    Ok(Profile {
        kind,
        stamp: scan.stamp,
        rows: scan.rows,
        invalid: scan.invalid,
        attributes,
        sample,
    })
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
    let kind = FileKind::detect(path)?;
    let scan = scan(
        path,
        kind,
        set.attribute_names(),
        false,
        options,
        control,
        || count::Counter::new(set, ids, overlap),
    )?;
    let mut sinks = scan.sinks.into_iter();
    let mut total = sinks
        .next()
        .unwrap_or_else(|| count::Counter::new(set, ids, overlap));
    for sink in sinks {
        total.absorb(&sink);
    }
    let n = ids.len();
    let overlaps = if overlap {
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| Overlap {
                a,
                b,
                both: total.both[count::pair_index(n, a, b)],
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(BulkCounts {
        rows: scan.rows,
        invalid: scan.invalid,
        matched: total.matched,
        overlaps,
    })
}

/// Compares segment `before` with segment `after` of the same set, row by row, keeping up to
/// `examples` gained and lost users (whole rows, in file order).
pub fn impact(
    path: &Path,
    set: &CompiledSet,
    before: SegmentId,
    after: SegmentId,
    examples: usize,
    options: &ReadOptions,
    control: &Control<'_>,
) -> Result<Impact, PopulationError> {
    let kind = FileKind::detect(path)?;
    let scan = scan(
        path,
        kind,
        set.attribute_names(),
        examples > 0,
        options,
        control,
        || impact::ImpactSink::new(set, before, after, examples),
    )?;
    let mut result = Impact {
        rows: scan.rows,
        invalid: scan.invalid,
        before: 0,
        after: 0,
        gained: 0,
        lost: 0,
        gained_examples: Vec::new(),
        lost_examples: Vec::new(),
    };
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    for sink in scan.sinks {
        result.before += sink.before;
        result.after += sink.after;
        result.gained += sink.gained;
        result.lost += sink.lost;
        gained.extend(sink.gained_examples);
        lost.extend(sink.lost_examples);
    }
    result.gained_examples = impact::earliest(gained, examples);
    result.lost_examples = impact::earliest(lost, examples);
    Ok(result)
}

/// The header of a CSV file, or the top-level column names of a Parquet file, without
/// reading the rows; empty for NDJSON (its keys are only known by reading every line).
pub fn columns(path: &Path) -> Result<Vec<String>, PopulationError> {
    let kind = FileKind::detect(path)?;
    match kind.format {
        Format::Csv => scan::csv_header(path, kind),
        Format::Ndjson => Ok(Vec::new()),
        Format::Parquet => parquet_rows::columns(path),
    }
}

/// One pass with the reader the format needs. `whole` says the sinks want whole rows (a
/// Parquet reader then decodes every column, not only the bound ones).
fn scan<S: scan::Sink>(
    path: &Path,
    kind: FileKind,
    names: &[Box<str>],
    whole: bool,
    options: &ReadOptions,
    control: &Control<'_>,
    make: impl Fn() -> S + Sync,
) -> Result<scan::Scan<S>, PopulationError> {
    match kind.format {
        Format::Csv | Format::Ndjson => scan::scan_text(path, kind, names, options, control, make),
        Format::Parquet => parquet_rows::scan(path, names, whole, options, control, make),
    }
}
