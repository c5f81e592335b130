//! Why a store operation was refused or failed, in words that say what to do next.

use segments_engine::ValidationError;

/// Why a store operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The document is not a valid segment (or breaks references); nothing was written.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// No segment with this key.
    #[error("no segment \"{0}\" exists; `segments segment list` shows the keys there are")]
    NotFound(String),
    /// A segment with this key exists already.
    #[error("a segment \"{0}\" already exists; choose another key or update that segment")]
    Duplicate(String),
    /// Other segments reference this one, so deleting it would break them.
    #[error("segment \"{key}\" is referenced by {}; remove those in_segment references first", .referrers.join(", "))]
    Referenced {
        /// The segment that was to be deleted.
        key: String,
        /// The segments that reference it.
        referrers: Vec<String>,
    },
    /// No such revision for this segment.
    #[error("segment \"{key}\" has no revision {id}; `segments segment history {key}` lists them")]
    RevisionNotFound {
        /// The segment.
        key: String,
        /// The revision id asked for.
        id: i64,
    },
    /// No remote with this name.
    #[error("no remote \"{0}\" exists; `segments remote list` shows the remotes there are")]
    RemoteNotFound(String),
    /// A remote with this name exists already.
    #[error("a remote \"{0}\" already exists; choose another name or remove that remote first")]
    RemoteExists(String),
    /// No persona with this id.
    #[error("no persona with id {0}")]
    PersonaNotFound(i64),
    /// A persona name that is empty or too long, or a context that is not an object.
    #[error("{0}")]
    InvalidPersona(String),
    /// No population with this id.
    #[error(
        "no population with id {0}; it may have been removed, list the populations to see the ids there are"
    )]
    PopulationNotFound(String),
    /// The file is a population already (one entry per file keeps its counts in one place).
    #[error("this file is already a population: {0}")]
    PopulationExists(String),
    /// A population name that is empty or too long, or a path that is not absolute UTF-8.
    #[error("{0}")]
    InvalidPopulation(String),
    /// A stored population row no longer decodes (edited outside the app).
    #[error(
        "the stored population {id} is damaged ({reason}); read its file again to repair it, or remove it"
    )]
    PopulationDamaged {
        /// The population's id.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A stored document no longer parses (edited outside the app).
    #[error("the stored segment \"{key}\" is damaged ({source}); restore it from its history")]
    Corrupt {
        /// The segment.
        key: String,
        /// What is wrong with it.
        source: ValidationError,
    },
    /// The file is not a database this version can use.
    #[error("cannot use the database {path}: {reason}")]
    Open {
        /// The database file.
        path: String,
        /// What went wrong, in words.
        reason: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}: {source}; check that the folder exists and is writable")]
    File {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A sync run's lease on the remote was taken over (it lapsed, and another run started):
    /// the run's write was refused so the two never record over each other.
    #[error(
        "the sync with \"{0}\" lost its lease to another run (in another window or a `segments` command); nothing more was recorded, run it again once that one has finished"
    )]
    LeaseLost(String),
    /// Another process (the app or the CLI) held the database for longer than the busy
    /// timeout. Nothing is damaged: the same operation can simply be tried again.
    #[error(
        "the database is busy: another Segment Studio window or `segments` command has been writing to it for more than 5 seconds; nothing was changed, try again in a moment"
    )]
    Busy,
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}
