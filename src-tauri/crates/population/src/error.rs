//! Everything that can go wrong reading a population, each naming the file and, for a bad
//! row, its line (or row group) and what to fix.

use std::path::{Path, PathBuf};

/// A population could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PopulationError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The name says nothing we read.
    #[error(
        "{}: unknown file type; name it .csv, .ndjson (or .jsonl), .parquet, or .csv.gz / .ndjson.gz",
        path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The name promises a format the bytes are not.
    #[error("{}: this is not a {expected} file (its first bytes say otherwise)", path.display())]
    NotFormat {
        /// The file.
        path: PathBuf,
        /// What the name promised.
        expected: &'static str,
    },
    /// Nothing in the file.
    #[error("{}: the file is empty; a population needs at least one user", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A CSV with a header and no users.
    #[error("{}: the file has a header row but no users", path.display())]
    HeaderOnly {
        /// The file.
        path: PathBuf,
    },
    /// A CSV header that cannot name attributes.
    #[error("{}: line 1: {message}", path.display())]
    Header {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// One user could not be read.
    #[error("{}: line {line}: {message}", path.display())]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line number (the header is line 1 in a CSV).
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A Parquet file (or one of its row groups) could not be decoded.
    #[error("{}: {message}", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// Where and what.
        message: String,
    },
    /// The file was changed or replaced while it was being read: the counts would mix two
    /// versions of it.
    #[error("{}: the file changed while it was being read; run again", path.display())]
    Changed {
        /// The file.
        path: PathBuf,
    },
    /// Stopped on request.
    #[error("stopped before the end of the file")]
    Cancelled,
    /// A segment to count is not in the compiled set.
    #[error("{0}")]
    Invalid(String),
}

impl PopulationError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        PopulationError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A short code for the IPC edge and the CLI's exit status.
    pub fn code(&self) -> &'static str {
        match self {
            PopulationError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                "population_missing"
            }
            PopulationError::Io { .. } => "population_io",
            PopulationError::Cancelled => "cancelled",
            PopulationError::Changed { .. } => "population_changed",
            PopulationError::Invalid(_) => "invalid_argument",
            _ => "population_invalid",
        }
    }
}
