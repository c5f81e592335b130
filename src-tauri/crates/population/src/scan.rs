//! One pass over a population on every core: a reading thread cuts the text into chunks of
//! whole records, workers parse them into slots and hand each row to their own sink, and the
//! sinks are merged at the end. A malformed row stops the pass at the earliest bad line
//! (workers finish the chunks before it, so the line reported is the first in the file),
//! or is counted and skipped.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use segments_engine::Slots;

use crate::chunks::{Chunker, MAX_RECORD_BYTES, Piece};
use crate::csv_rows::CsvLayout;
pub(crate) use crate::csv_rows::Whole;
use crate::error::PopulationError;
use crate::kind::{FileKind, Format, Stamp};
use crate::ndjson_rows::{JsonLayout, content};
use crate::{Control, ReadOptions, ReadProgress};

/// What a pass does with each row; one per worker, merged afterwards.
pub(crate) trait Sink: Send {
    /// One readable row: its slots, the whole row on demand, and its line (or, for
    /// Parquet, its 1-based row number).
    fn row(&mut self, slots: &Slots, whole: &Whole<'_>, line: u64);
}

/// The result of a pass.
pub(crate) struct Scan<S> {
    pub(crate) sinks: Vec<S>,
    pub(crate) rows: u64,
    pub(crate) invalid: u64,
    pub(crate) stamp: Stamp,
}

/// Shared by the workers of one pass.
pub(crate) struct Pass<'a> {
    pub(crate) path: &'a Path,
    pub(crate) options: &'a ReadOptions,
    pub(crate) control: &'a Control<'a>,
    pub(crate) rows: AtomicU64,
    pub(crate) invalid: AtomicU64,
    /// Chunks (or row groups) after this index are not read: an earlier one failed.
    pub(crate) stop_after: AtomicU64,
    pub(crate) failure: Mutex<Option<(u64, PopulationError)>>,
    started: Instant,
    last_report: Mutex<Instant>,
}

impl<'a> Pass<'a> {
    pub(crate) fn new(path: &'a Path, options: &'a ReadOptions, control: &'a Control<'a>) -> Self {
        let now = Instant::now();
        Pass {
            path,
            options,
            control,
            rows: AtomicU64::new(0),
            invalid: AtomicU64::new(0),
            stop_after: AtomicU64::new(u64::MAX),
            failure: Mutex::new(None),
            started: now,
            last_report: Mutex::new(now.checked_sub(Duration::from_secs(1)).unwrap_or(now)),
        }
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.control.cancel.load(Ordering::Relaxed)
    }

    /// Whether chunk `index` is still worth reading.
    pub(crate) fn wanted(&self, index: u64) -> bool {
        !self.cancelled() && index <= self.stop_after.load(Ordering::Relaxed)
    }

    /// A bad row at `line` of chunk `index`: counted when skipping, else the pass stops
    /// after this chunk and the earliest failure wins.
    pub(crate) fn bad(
        &self,
        index: u64,
        error: PopulationError,
        line: u64,
    ) -> Result<(), PopulationError> {
        if self.options.skip_invalid {
            self.invalid.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        self.fail(index, line, error);
        Err(PopulationError::Cancelled)
    }

    pub(crate) fn fail(&self, index: u64, line: u64, error: PopulationError) {
        self.stop_after.fetch_min(index, Ordering::Relaxed);
        let mut failure = self.failure.lock().unwrap_or_else(PoisonError::into_inner);
        if failure.as_ref().is_none_or(|(at, _)| line < *at) {
            *failure = Some((line, error));
        }
    }

    /// Reports progress at most ten times a second (and always when `last`).
    pub(crate) fn report(&self, bytes_read: u64, total_bytes: u64, last: bool) {
        let now = Instant::now();
        {
            let mut at = self
                .last_report
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if !last && now.duration_since(*at) < Duration::from_millis(100) {
                return;
            }
            *at = now;
        }
        let rows = self.rows.load(Ordering::Relaxed);
        let seconds = now.duration_since(self.started).as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let rows_per_second = if seconds > 0.0 {
            rows as f64 / seconds
        } else {
            0.0
        };
        (self.control.progress)(ReadProgress {
            rows,
            bytes_read,
            total_bytes,
            rows_per_second,
        });
    }

    /// The pass's outcome once every worker is done.
    pub(crate) fn finish<S>(
        self,
        sinks: Vec<S>,
        stamp: Stamp,
        kind: FileKind,
    ) -> Result<Scan<S>, PopulationError> {
        if let Some((_, error)) = self
            .failure
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            return Err(error);
        }
        if self.control.cancel.load(Ordering::Relaxed) {
            return Err(PopulationError::Cancelled);
        }
        // A file rewritten during the pass would give counts of neither version.
        match Stamp::of(self.path) {
            Ok(now) if now == stamp => {}
            _ => {
                return Err(PopulationError::Changed {
                    path: self.path.to_path_buf(),
                });
            }
        }
        let rows = self.rows.into_inner();
        let invalid = self.invalid.into_inner();
        if rows == 0 && invalid == 0 {
            let path = self.path.to_path_buf();
            return Err(if kind.format == Format::Csv {
                PopulationError::HeaderOnly { path }
            } else {
                PopulationError::Empty { path }
            });
        }
        Ok(Scan {
            sinks,
            rows,
            invalid,
            stamp,
        })
    }
}

/// The header of a CSV file (without reading the rest), for binding and profiles.
pub(crate) fn csv_header(path: &Path, kind: FileKind) -> Result<Vec<String>, PopulationError> {
    let mut chunker = Chunker::open(path, kind, true)?;
    let header = chunker
        .take_first_record()?
        .ok_or_else(|| PopulationError::Empty {
            path: path.to_path_buf(),
        })?;
    Ok(CsvLayout::from_header(path, &header, &[])?.columns)
}

/// Reads a CSV or NDJSON file, binding `names` to slots, with one sink per worker.
pub(crate) fn scan_text<S: Sink>(
    path: &Path,
    kind: FileKind,
    names: &[Box<str>],
    options: &ReadOptions,
    control: &Control<'_>,
    make: impl Fn() -> S + Sync,
) -> Result<Scan<S>, PopulationError> {
    let stamp = Stamp::of(path)?;
    let csv = kind.format == Format::Csv;
    let mut chunker = Chunker::open(path, kind, csv)?;
    let layout = if csv {
        let header = chunker
            .take_first_record()?
            .ok_or_else(|| PopulationError::Empty {
                path: path.to_path_buf(),
            })?;
        Layout::Csv(CsvLayout::from_header(path, &header, names)?)
    } else {
        Layout::Json(JsonLayout::new(names))
    };
    let pass = Pass::new(path, options, control);
    let threads = options.threads.max(1);
    let (sender, receiver) = sync_channel::<crate::chunks::Chunk>(threads * 2);
    let receiver = Mutex::new(receiver);
    let sinks = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut sink = make();
                    let mut slots = Slots::new(names.len());
                    loop {
                        let next = receiver
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .recv();
                        let Ok(chunk) = next else { break };
                        if pass.wanted(chunk.index) {
                            layout.read(&pass, &chunk, &mut slots, &mut sink);
                        }
                    }
                    sink
                })
            })
            .collect();
        loop {
            if pass.cancelled() || pass.stop_after.load(Ordering::Relaxed) != u64::MAX {
                break;
            }
            match chunker.next_piece() {
                Ok(Some(Piece::Chunk(chunk))) => {
                    if sender.send(chunk).is_err() {
                        break;
                    }
                }
                Ok(Some(Piece::TooLong { line })) => {
                    let error = PopulationError::Row {
                        path: path.to_path_buf(),
                        line,
                        message: format!(
                            "this line is longer than {} KiB; a user's attributes must fit in that",
                            MAX_RECORD_BYTES / 1024
                        ),
                    };
                    let index = chunker.next_index();
                    if pass.bad(index, error, line).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    pass.fail(chunker.next_index(), u64::MAX, error);
                    break;
                }
            }
            pass.report(chunker.bytes_read(), stamp.size, false);
        }
        drop(sender);
        let sinks: Vec<S> = workers.into_iter().filter_map(|w| w.join().ok()).collect();
        pass.report(chunker.bytes_read(), stamp.size, true);
        sinks
    });
    if sinks.len() != threads {
        return Err(PopulationError::Invalid(
            "a worker stopped unexpectedly; see the log".into(),
        ));
    }
    pass.finish(sinks, stamp, kind)
}

enum Layout {
    Csv(CsvLayout),
    Json(JsonLayout),
}

impl Layout {
    fn read<S: Sink>(
        &self,
        pass: &Pass<'_>,
        chunk: &crate::chunks::Chunk,
        slots: &mut Slots,
        sink: &mut S,
    ) {
        let mut rows = 0u64;
        let path = pass.path;
        let mut bad = |line: u64, message: String| {
            pass.bad(
                chunk.index,
                PopulationError::Row {
                    path: path.to_path_buf(),
                    line,
                    message,
                },
                line,
            )
        };
        let mut row = |slots: &Slots, whole: &Whole<'_>, line: u64| {
            rows += 1;
            sink.row(slots, whole, line);
        };
        match self {
            Layout::Csv(csv) => {
                // A stop was recorded in `pass`; nothing more to do with this chunk.
                let _stopped =
                    csv.read_chunk(&chunk.text, chunk.first_line, slots, &mut row, &mut bad);
            }
            Layout::Json(json) => {
                let all = &chunk.text[..];
                let ends = memchr::memchr_iter(b'\n', all).chain(std::iter::once(all.len()));
                let lines = ends.scan(0, |start, end| {
                    let line = &all[*start..end];
                    *start = end + 1;
                    Some(line)
                });
                for (at, text) in (chunk.first_line..).zip(lines) {
                    let Some(text) = content(text) else { continue };
                    match json.read_line(text, slots) {
                        Ok(()) => row(slots, &Whole::Json(text), at),
                        Err(message) => {
                            if bad(at, message).is_err() {
                                break;
                            }
                        }
                    }
                }
            }
        }
        pass.rows.fetch_add(rows, Ordering::Relaxed);
    }
}
