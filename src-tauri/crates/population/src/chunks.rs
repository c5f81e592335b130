//! Cutting a text file (CSV or NDJSON, maybe gzipped) into chunks of whole records, on one
//! thread, so the workers can parse chunks in parallel. A chunk knows its first line number,
//! so every error still names the line it is on.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::PopulationError;
use crate::kind::FileKind;

/// About how much text one chunk carries: big enough that handing it to a worker costs
/// nothing next to parsing it, small enough that 2 chunks a worker keep memory low.
const CHUNK_BYTES: usize = 1 << 20;

/// The longest record accepted: the engine's limit on one context.
pub(crate) const MAX_RECORD_BYTES: usize = segments_engine::limits::MAX_CONTEXT_BYTES;

/// Whole records, in file order.
pub(crate) struct Chunk {
    /// Position among the chunks, from 0.
    pub(crate) index: u64,
    /// 1-based line number of the chunk's first line.
    pub(crate) first_line: u64,
    pub(crate) text: Vec<u8>,
}

/// What a chunker can meet besides chunks.
pub(crate) enum Piece {
    Chunk(Chunk),
    /// A record longer than [`MAX_RECORD_BYTES`] starting at this line, skipped whole.
    TooLong {
        line: u64,
    },
}

/// Reads a text file and yields chunks of whole records.
pub(crate) struct Chunker {
    reader: Box<dyn Read + Send>,
    path: std::path::PathBuf,
    /// Quoted fields may hold newlines (CSV); a newline inside quotes ends no record.
    quotes: bool,
    pending: Vec<u8>,
    next_line: u64,
    next_index: u64,
    eof: bool,
    /// Bytes of the file read (compressed bytes for gzip), for progress.
    bytes_read: Arc<AtomicU64>,
}

impl Chunker {
    /// Opens `path`; with `quotes`, a newline inside double quotes ends no record (CSV).
    pub(crate) fn open(
        path: &Path,
        kind: FileKind,
        quotes: bool,
    ) -> Result<Chunker, PopulationError> {
        let file = std::fs::File::open(path).map_err(|e| PopulationError::io(path, e))?;
        let bytes_read = Arc::new(AtomicU64::new(0));
        let counting = CountingRead {
            inner: file,
            count: Arc::clone(&bytes_read),
        };
        let reader: Box<dyn Read + Send> = if kind.gzip {
            Box::new(flate2::read::MultiGzDecoder::new(counting))
        } else {
            Box::new(counting)
        };
        Ok(Chunker {
            reader,
            path: path.to_path_buf(),
            quotes,
            pending: Vec::with_capacity(CHUNK_BYTES * 2),
            next_line: 1,
            next_index: 0,
            eof: false,
            bytes_read,
        })
    }

    /// Bytes of the underlying file read so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// The index the next chunk will have.
    pub(crate) fn next_index(&self) -> u64 {
        self.next_index
    }

    fn fill(&mut self) -> Result<usize, PopulationError> {
        let start = self.pending.len();
        self.pending.resize(start + CHUNK_BYTES, 0);
        let read = loop {
            match self.reader.read(&mut self.pending[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.pending.truncate(start);
                    return Err(self.read_error(e));
                }
            }
        };
        self.pending.truncate(start + read);
        if read == 0 {
            self.eof = true;
        }
        Ok(read)
    }

    fn read_error(&self, e: std::io::Error) -> PopulationError {
        let message = match e.kind() {
            std::io::ErrorKind::UnexpectedEof => {
                "the gzip stream ends early: the file is truncated; copy it again".to_owned()
            }
            std::io::ErrorKind::InvalidInput | std::io::ErrorKind::InvalidData => {
                format!("the gzip stream is damaged ({e}); copy the file again")
            }
            _ => return PopulationError::io(&self.path, e),
        };
        PopulationError::Row {
            path: self.path.clone(),
            line: self.next_line,
            message,
        }
    }

    /// Consumes and returns the first record (a CSV header) as text, or `None` for an empty
    /// file.
    pub(crate) fn take_first_record(&mut self) -> Result<Option<Vec<u8>>, PopulationError> {
        loop {
            if let Some(end) = self.first_boundary() {
                let record: Vec<u8> = self.pending.drain(..end).collect();
                self.next_line += count_newlines(&record);
                return Ok(Some(record));
            }
            if self.pending.len() > MAX_RECORD_BYTES {
                return Err(PopulationError::Header {
                    path: self.path.clone(),
                    message: "the header is longer than 1 MiB; is this a CSV file?".into(),
                });
            }
            if self.eof {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                let record = std::mem::take(&mut self.pending);
                self.next_line += count_newlines(&record);
                return Ok(Some(record));
            }
            self.fill()?;
        }
    }

    /// The next chunk, a skipped over-long record, or `None` at the end.
    pub(crate) fn next_piece(&mut self) -> Result<Option<Piece>, PopulationError> {
        loop {
            if !self.eof && self.pending.len() < CHUNK_BYTES {
                self.fill()?;
                continue;
            }
            let cut = if self.eof && !self.pending.is_empty() {
                Some(self.pending.len())
            } else {
                self.last_boundary()
            };
            match cut {
                Some(end) => {
                    let rest = self.pending.split_off(end);
                    let text = std::mem::replace(&mut self.pending, rest);
                    let chunk = Chunk {
                        index: self.next_index,
                        first_line: self.next_line,
                        text,
                    };
                    self.next_index += 1;
                    self.next_line += count_newlines(&chunk.text);
                    return Ok(Some(Piece::Chunk(chunk)));
                }
                None if self.eof => return Ok(None),
                None if self.pending.len() > MAX_RECORD_BYTES => {
                    let line = self.next_line;
                    self.skip_record()?;
                    return Ok(Some(Piece::TooLong { line }));
                }
                None => {
                    self.fill()?;
                }
            }
        }
    }

    /// Drops the record at the start of `pending`, however long, reading on to its end.
    fn skip_record(&mut self) -> Result<(), PopulationError> {
        loop {
            if let Some(end) = memchr::memchr(b'\n', &self.pending).map(|i| i + 1) {
                let dropped: Vec<u8> = self.pending.drain(..end).collect();
                self.next_line += count_newlines(&dropped);
                return Ok(());
            }
            self.next_line += count_newlines(&self.pending);
            self.pending.clear();
            if self.eof {
                return Ok(());
            }
            self.fill()?;
        }
    }

    /// The end (just past its newline) of the first record in `pending`.
    fn first_boundary(&self) -> Option<usize> {
        if !self.quotes {
            return memchr::memchr(b'\n', &self.pending).map(|i| i + 1);
        }
        let mut in_quotes = false;
        for i in memchr::memchr2_iter(b'"', b'\n', &self.pending) {
            match self.pending[i] {
                b'"' => in_quotes = !in_quotes,
                _ if !in_quotes => return Some(i + 1),
                _ => {}
            }
        }
        None
    }

    /// The end of the last whole record in `pending`.
    fn last_boundary(&self) -> Option<usize> {
        if !self.quotes {
            return memchr::memrchr(b'\n', &self.pending).map(|i| i + 1);
        }
        // `pending` starts at a record boundary, outside quotes; parity is only known
        // scanning forward from there. A CSV escapes a quote as `""`, so parity holds.
        let mut in_quotes = false;
        let mut last = None;
        for i in memchr::memchr2_iter(b'"', b'\n', &self.pending) {
            match self.pending[i] {
                b'"' => in_quotes = !in_quotes,
                _ if !in_quotes => last = Some(i + 1),
                _ => {}
            }
        }
        last
    }
}

fn count_newlines(text: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', text).count() as u64
}

/// A file reader that tallies the bytes it reads (compressed bytes for gzip, so progress
/// compares with the file's size).
struct CountingRead<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
