//! Parquet rows: only the columns the segments read are decoded (or every column when whole
//! rows are wanted), row groups are shared among the workers, and each cell lands in its
//! slot as the JSON value it stands for: strings, numbers and booleans as themselves, dates
//! and timestamps as ISO 8601 text, structs as objects and lists as arrays. A null cell is a
//! missing attribute, as an empty CSV cell is.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use segments_engine::Slots;
use serde_json::{Map, Number, Value};

use crate::error::PopulationError;
use crate::kind::{FileKind, Format, Stamp};
use crate::scan::{Pass, Scan, Sink, Whole};
use crate::{Control, ReadOptions};

const BATCH_ROWS: usize = 8192;

fn damaged(path: &Path, what: &str, e: impl std::fmt::Display) -> PopulationError {
    PopulationError::Parquet {
        path: path.to_path_buf(),
        message: format!("{what}: {e}"),
    }
}

fn open(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>, PopulationError> {
    let file = File::open(path).map_err(|e| PopulationError::io(path, e))?;
    let length = file
        .metadata()
        .map_err(|e| PopulationError::io(path, e))?
        .len();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| {
        damaged(
            path,
            "not a readable Parquet file (is the footer damaged, or the copy incomplete?)",
            e,
        )
    })?;
    check_chunks(path, builder.metadata(), length)?;
    Ok(builder)
}

/// Refuses a footer whose column chunks lie outside the file. The parquet crate asserts
/// (panics) on a negative offset or size when it reads such a chunk, and a damaged or
/// hostile file must get an error instead (found by the population_count fuzz target).
fn check_chunks(
    path: &Path,
    metadata: &parquet::file::metadata::ParquetMetaData,
    length: u64,
) -> Result<(), PopulationError> {
    for (g, group) in metadata.row_groups().iter().enumerate() {
        for (c, chunk) in group.columns().iter().enumerate() {
            let start = chunk
                .dictionary_page_offset()
                .unwrap_or_else(|| chunk.data_page_offset());
            let size = chunk.compressed_size();
            let inside = u64::try_from(start)
                .ok()
                .zip(u64::try_from(size).ok())
                .and_then(|(start, size)| start.checked_add(size))
                .is_some_and(|end| end <= length);
            if !inside {
                return Err(damaged(
                    path,
                    "not a readable Parquet file (is the footer damaged, or the copy incomplete?)",
                    format!(
                        "row group {} column {} says it spans {size} bytes from byte {start}, outside the file's {length} bytes",
                        g + 1,
                        c + 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The top-level column names.
pub(crate) fn columns(path: &Path) -> Result<Vec<String>, PopulationError> {
    let builder = open(path)?;
    Ok(builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect())
}

/// Reads the file's row groups on every worker.
pub(crate) fn scan<S: Sink>(
    path: &Path,
    names: &[Box<str>],
    whole: bool,
    options: &ReadOptions,
    control: &Control<'_>,
    make: impl Fn() -> S + Sync,
) -> Result<Scan<S>, PopulationError> {
    let stamp = Stamp::of(path)?;
    let builder = open(path)?;
    let metadata = builder.metadata().clone();
    let fields: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let roots: Vec<usize> = (0..fields.len())
        .filter(|&i| whole || names.iter().any(|n| **n == *fields[i]))
        .collect();
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots.iter().copied());
    let groups = metadata.num_row_groups();
    // Row numbers continue across row groups, so an error names the row in the file.
    let mut first_rows = Vec::with_capacity(groups);
    let mut next = 1u64;
    for g in 0..groups {
        first_rows.push(next);
        next += u64::try_from(metadata.row_group(g).num_rows()).unwrap_or(0);
    }
    let sizes: Vec<u64> = (0..groups)
        .map(|g| u64::try_from(metadata.row_group(g).compressed_size()).unwrap_or(0))
        .collect();
    let pass = Pass::new(path, options, control);
    let next_group = AtomicUsize::new(0);
    let done_bytes = std::sync::atomic::AtomicU64::new(0);
    let threads = options.threads.max(1).min(groups.max(1));
    let sinks = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut sink = make();
                    let mut slots = Slots::new(names.len());
                    loop {
                        let g = next_group.fetch_add(1, Ordering::Relaxed);
                        if g >= groups || !pass.wanted(g as u64) {
                            break;
                        }
                        let read = read_group(
                            path,
                            g,
                            &mask,
                            names,
                            whole,
                            first_rows[g],
                            &pass,
                            &mut slots,
                            &mut sink,
                        );
                        if let Err(error) = read {
                            pass.fail(g as u64, first_rows[g], error);
                            break;
                        }
                        done_bytes.fetch_add(sizes[g], Ordering::Relaxed);
                        pass.report(done_bytes.load(Ordering::Relaxed), stamp.size, false);
                    }
                    sink
                })
            })
            .collect();
        workers
            .into_iter()
            .filter_map(|w| w.join().ok())
            .collect::<Vec<S>>()
    });
    pass.report(done_bytes.load(Ordering::Relaxed), stamp.size, true);
    if sinks.len() != threads {
        return Err(PopulationError::Invalid(
            "a worker stopped unexpectedly; see the log".into(),
        ));
    }
    let kind = FileKind {
        format: Format::Parquet,
        gzip: false,
    };
    pass.finish(sinks, stamp, kind)
}

#[allow(clippy::too_many_arguments)]
fn read_group<S: Sink>(
    path: &Path,
    group: usize,
    mask: &ProjectionMask,
    names: &[Box<str>],
    whole: bool,
    first_row: u64,
    pass: &Pass<'_>,
    slots: &mut Slots,
    sink: &mut S,
) -> Result<(), PopulationError> {
    let at = |e: &dyn std::fmt::Display| damaged(path, &format!("row group {}", group + 1), e);
    let reader = open(path)?
        .with_row_groups(vec![group])
        .with_projection(mask.clone())
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| at(&e))?;
    let mut row_number = first_row;
    for batch in reader {
        if pass.cancelled() {
            return Ok(());
        }
        let batch = batch.map_err(|e| at(&e))?;
        let columns = bind(&batch, names);
        for row in 0..batch.num_rows() {
            slots.clear();
            for column in &columns {
                if let Some(slot) = column.slot {
                    column.fill(slots, slot, row);
                }
            }
            if whole {
                let object = Value::Object(
                    columns
                        .iter()
                        .filter_map(|c| match c.cell(row) {
                            Value::Null => None,
                            value => Some((c.name.clone(), value)),
                        })
                        .collect(),
                );
                sink.row(slots, &Whole::Value(&object), row_number);
            } else {
                sink.row(slots, &Whole::Value(&Value::Null), row_number);
            }
            row_number += 1;
        }
        pass.rows
            .fetch_add(batch.num_rows() as u64, Ordering::Relaxed);
    }
    Ok(())
}

/// A decoded column, the slot it fills, and (for a dictionary-encoded column) each row's
/// index into the dictionary, resolved once per batch.
struct Column {
    name: String,
    array: arrow_array::ArrayRef,
    slot: Option<usize>,
    keys: Option<Vec<usize>>,
}

impl Column {
    /// The array and row that hold this row's value.
    fn at(&self, row: usize) -> Option<(&dyn Array, usize)> {
        match &self.keys {
            None => Some((self.array.as_ref(), row)),
            Some(keys) => {
                let dictionary = self.array.as_any_dictionary_opt()?;
                if self.array.is_null(row) {
                    return None;
                }
                Some((dictionary.values().as_ref(), *keys.get(row)?))
            }
        }
    }

    fn fill(&self, slots: &mut Slots, slot: usize, row: usize) {
        let Some((array, row)) = self.at(row) else {
            return;
        };
        if array.is_null(row) {
            return;
        }
        match array.data_type() {
            DataType::Utf8 => slots.set_str(slot, array.as_string::<i32>().value(row)),
            DataType::LargeUtf8 => slots.set_str(slot, array.as_string::<i64>().value(row)),
            DataType::Utf8View => slots.set_str(slot, array.as_string_view().value(row)),
            _ => match cell(array, row) {
                Value::Null => {}
                value => slots.set(slot, value),
            },
        }
    }

    fn cell(&self, row: usize) -> Value {
        self.at(row)
            .map_or(Value::Null, |(array, row)| cell(array, row))
    }
}

fn bind(batch: &RecordBatch, names: &[Box<str>]) -> Vec<Column> {
    batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, array)| Column {
            name: f.name().clone(),
            slot: names.iter().position(|n| **n == **f.name()),
            keys: array.as_any_dictionary_opt().map(|d| d.normalized_keys()),
            array: array.clone(),
        })
        .collect()
}

fn number(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// One cell as JSON; a type with no JSON meaning (binary, intervals) reads as null.
fn cell(column: &dyn Array, row: usize) -> Value {
    if column.is_null(row) {
        return Value::Null;
    }
    match column.data_type() {
        DataType::Utf8 => Value::from(column.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Value::from(column.as_string::<i64>().value(row)),
        DataType::Utf8View => Value::from(column.as_string_view().value(row)),
        DataType::Boolean => Value::Bool(column.as_boolean().value(row)),
        DataType::Int8 => Value::from(column.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => Value::from(column.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => Value::from(column.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => Value::from(column.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => Value::from(column.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => Value::from(column.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => Value::from(column.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => Value::from(column.as_primitive::<UInt64Type>().value(row)),
        DataType::Float32 => number(f64::from(column.as_primitive::<Float32Type>().value(row))),
        DataType::Float64 => number(column.as_primitive::<Float64Type>().value(row)),
        DataType::Decimal128(_, _) => {
            let text = column
                .as_primitive::<arrow_array::types::Decimal128Type>()
                .value_as_string(row);
            text.parse::<f64>().map_or(Value::String(text), number)
        }
        DataType::Date32 => {
            let days = column.as_primitive::<Date32Type>().value(row);
            date(i64::from(days) * 86_400_000_000_000, false)
        }
        DataType::Date64 => {
            let ms = column.as_primitive::<Date64Type>().value(row);
            date(
                i128::from(ms)
                    .saturating_mul(1_000_000)
                    .try_into()
                    .unwrap_or(i64::MAX),
                false,
            )
        }
        DataType::Timestamp(unit, _) => {
            let (value, scale) = match unit {
                TimeUnit::Second => (
                    column.as_primitive::<TimestampSecondType>().value(row),
                    1_000_000_000,
                ),
                TimeUnit::Millisecond => (
                    column.as_primitive::<TimestampMillisecondType>().value(row),
                    1_000_000,
                ),
                TimeUnit::Microsecond => (
                    column.as_primitive::<TimestampMicrosecondType>().value(row),
                    1_000,
                ),
                TimeUnit::Nanosecond => (
                    column.as_primitive::<TimestampNanosecondType>().value(row),
                    1,
                ),
            };
            date(value.saturating_mul(scale), true)
        }
        DataType::List(_) => list(column.as_list::<i32>().value(row).as_ref()),
        DataType::LargeList(_) => list(column.as_list::<i64>().value(row).as_ref()),
        DataType::Struct(fields) => {
            let s = column.as_struct();
            let object = fields
                .iter()
                .zip(s.columns())
                .filter(|(_, c)| c.is_valid(row))
                .map(|(f, c)| (f.name().clone(), cell(c.as_ref(), row)))
                .collect::<Map<_, _>>();
            Value::Object(object)
        }
        // Nested dictionaries are rare; a top-level one is resolved per batch (`Column`).
        DataType::Dictionary(_, _) => match column.as_any_dictionary_opt() {
            Some(dictionary) => dictionary
                .normalized_keys()
                .get(row)
                .map_or(Value::Null, |&k| cell(dictionary.values().as_ref(), k)),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

fn list(items: &dyn Array) -> Value {
    Value::Array((0..items.len()).map(|i| cell(items, i)).collect())
}

/// A date (`2026-03-04`) or an instant in UTC (`2026-03-04T09:00:00Z`, with a fraction
/// when there is one), from nanoseconds since the epoch.
fn date(nanos: i64, instant: bool) -> Value {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos)) else {
        return Value::Null;
    };
    if !instant {
        return Value::String(at.date().to_string());
    }
    let format = if at.nanosecond() == 0 {
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z")
    } else {
        time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]Z"
        )
    };
    at.format(&format).map_or(Value::Null, Value::String)
}
