//! What a population file is: its format, whether it is gzipped, and its stamp (size and
//! modification time), which says whether it changed since it was read.

use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::error::PopulationError;

/// The layout of the rows in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "PopulationFormat")
)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A header row of attribute names, then one user per line; every cell is a string, an
    /// empty cell is a missing attribute.
    Csv,
    /// One JSON object per line, with typed values, nested objects and arrays.
    Ndjson,
    /// Typed columns; structs and lists read as objects and arrays.
    Parquet,
}

impl Format {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::Parquet => "parquet",
        }
    }

    /// Reads a stored name back.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "csv" => Some(Format::Csv),
            "ndjson" => Some(Format::Ndjson),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }
}

/// A file's format and compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "PopulationKind")
)]
pub struct FileKind {
    /// How rows are laid out.
    pub format: Format,
    /// Whether the text is gzip-compressed (CSV and NDJSON only).
    pub gzip: bool,
}

impl FileKind {
    /// Tells the kind from the file name (`.csv`, `.ndjson`/`.jsonl`/`.json`, `.parquet`, each
    /// text format optionally `.gz`), checking the leading bytes so a misnamed file is refused
    /// rather than misread.
    pub fn detect(path: &Path) -> Result<FileKind, PopulationError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let (stem, gzip) = match name.strip_suffix(".gz") {
            Some(stem) => (stem.to_owned(), true),
            None => (name.clone(), false),
        };
        let format = if stem.ends_with(".csv") {
            Format::Csv
        } else if stem.ends_with(".ndjson") || stem.ends_with(".jsonl") || stem.ends_with(".json") {
            Format::Ndjson
        } else if stem.ends_with(".parquet") || stem.ends_with(".pq") {
            Format::Parquet
        } else {
            return Err(PopulationError::UnknownFormat {
                path: path.to_path_buf(),
            });
        };
        if gzip && format == Format::Parquet {
            return Err(PopulationError::UnknownFormat {
                path: path.to_path_buf(),
            });
        }
        let kind = FileKind { format, gzip };
        kind.check_magic(path)?;
        Ok(kind)
    }

    fn check_magic(self, path: &Path) -> Result<(), PopulationError> {
        use std::io::Read;
        let mut head = [0u8; 4];
        let mut file = std::fs::File::open(path).map_err(|e| PopulationError::io(path, e))?;
        let read = file
            .read(&mut head)
            .map_err(|e| PopulationError::io(path, e))?;
        let head = &head[..read];
        if read == 0 {
            return Err(PopulationError::Empty {
                path: path.to_path_buf(),
            });
        }
        let expected = if self.gzip {
            Some((&b"\x1f\x8b"[..], "gzip"))
        } else if self.format == Format::Parquet {
            Some((&b"PAR1"[..], "Parquet"))
        } else {
            None
        };
        match expected {
            Some((magic, what)) if !head.starts_with(magic) => Err(PopulationError::NotFormat {
                path: path.to_path_buf(),
                expected: what,
            }),
            _ => Ok(()),
        }
    }
}

/// A file's size and modification time: when either differs from what was stored, the file
/// changed and its stored profile no longer describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "FileStamp"))]
pub struct Stamp {
    /// Bytes.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub size: u64,
    /// Modification time, milliseconds since the Unix epoch.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub modified_ms: i64,
}

impl Stamp {
    /// The file's stamp now.
    pub fn of(path: &Path) -> Result<Stamp, PopulationError> {
        let meta = std::fs::metadata(path).map_err(|e| PopulationError::io(path, e))?;
        let modified_ms = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Ok(Stamp {
            size: meta.len(),
            modified_ms,
        })
    }
}
