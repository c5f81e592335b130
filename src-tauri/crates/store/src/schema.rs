//! The database schema, as embedded append-only migrations: a released migration never
//! changes; a new schema is a new entry at the end.

use rusqlite::{Connection, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

use crate::StoreError;

const MIGRATIONS: &[M<'static>] = &[
    M::up(
    "CREATE TABLE segments (
        key        TEXT PRIMARY KEY NOT NULL,
        name       TEXT NOT NULL,
        document   TEXT NOT NULL,   -- canonical JSON, the source of truth
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;

    -- Which segments reference which (in_segment), so deletes and cycle checks need no
    -- scan of every document. A referenced segment cannot be deleted (foreign key).
    CREATE TABLE segment_references (
        from_key TEXT NOT NULL REFERENCES segments (key) ON DELETE CASCADE,
        to_key   TEXT NOT NULL REFERENCES segments (key),
        PRIMARY KEY (from_key, to_key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX segment_references_by_target ON segment_references (to_key);

    -- Append-only history; no foreign key, because history outlives a delete.
    CREATE TABLE revisions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        segment_key TEXT NOT NULL,
        action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore', 'import')),
        author      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        previous    TEXT,
        current     TEXT,
        CHECK (previous IS NOT NULL OR current IS NOT NULL)
    ) STRICT;
    CREATE INDEX revisions_by_segment ON revisions (segment_key, id);

    CREATE TABLE personas (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        context    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;",
    ),
    M::up(
        "-- Hosted segments APIs this database syncs with. The credential is never here: it is
    -- in the OS keyring or a user-only file, under `credential_id`.
    CREATE TABLE remotes (
        name          TEXT PRIMARY KEY NOT NULL,
        dialect       TEXT NOT NULL CHECK (dialect IN ('projects', 'krafter', 'edgeflags')),
        base_url      TEXT NOT NULL,
        project_id    TEXT,
        credential_id TEXT NOT NULL UNIQUE,
        created_at    TEXT NOT NULL,
        -- Who runs a sync with this remote, until when: one run at a time, whichever
        -- process (the app, the CLI) starts it. A crashed run's lease just expires.
        sync_owner    TEXT,
        sync_until    TEXT
    ) STRICT;

    -- Per remote and segment: the remote's id, the document both sides last agreed on (the
    -- merge base) and the remote's version marker (ETag or updated_at). No foreign key to
    -- segments: a local delete keeps the binding until the delete reaches the remote.
    CREATE TABLE bindings (
        remote      TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
        segment_key TEXT NOT NULL,
        remote_id   TEXT NOT NULL,
        base        TEXT NOT NULL,
        version     TEXT,
        synced_at   TEXT NOT NULL,
        PRIMARY KEY (remote, segment_key)
    ) STRICT, WITHOUT ROWID;
    CREATE UNIQUE INDEX bindings_by_remote_id ON bindings (remote, remote_id);

    -- Local changes waiting to reach each remote, written in the edit's own transaction. One
    -- pending entry per remote and segment keeps the position of the first change, so
    -- segments go out in the order they were first changed (a referenced one first).
    CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        remote      TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
        segment_key TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        done_at     TEXT
    ) STRICT;
    CREATE UNIQUE INDEX outbox_pending ON outbox (remote, segment_key) WHERE done_at IS NULL;

    -- Segments changed on both sides since the base, waiting for the user.
    CREATE TABLE conflicts (
        remote        TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
        segment_key   TEXT NOT NULL,
        remote_id     TEXT,
        base          TEXT,
        mine          TEXT,
        theirs        TEXT,
        theirs_version TEXT,
        fields        TEXT NOT NULL,
        detected_at   TEXT NOT NULL,
        PRIMARY KEY (remote, segment_key)
    ) STRICT, WITHOUT ROWID;",
    ),
    M::up(
        "-- Files of users the app keeps a reference to (never a copy): the file's stamp when
    -- it was read, what it held and a uniform sample of its rows for instant estimates.
    -- One entry per file, so its counts live in one place.
    CREATE TABLE populations (
        id          TEXT PRIMARY KEY NOT NULL,  -- UUID v4
        name        TEXT NOT NULL,
        path        TEXT NOT NULL UNIQUE,       -- absolute
        format      TEXT NOT NULL CHECK (format IN ('csv', 'ndjson', 'parquet')),
        gzip        INTEGER NOT NULL CHECK (gzip IN (0, 1)),
        size        INTEGER NOT NULL CHECK (size >= 0),
        modified_ms INTEGER NOT NULL,
        rows        INTEGER NOT NULL CHECK (rows >= 0),
        invalid     INTEGER NOT NULL CHECK (invalid >= 0),
        attributes  TEXT NOT NULL,              -- JSON array of attribute profiles
        sample      TEXT NOT NULL,              -- JSON array of rows
        added_at    TEXT NOT NULL,
        read_at     TEXT NOT NULL
    ) STRICT;

    -- Exact counts, per population and segment revision so nothing is counted twice.
    -- `revision` is the highest revision id over the segment and every segment it
    -- references: any change to what the segment means makes a new, higher one. No foreign
    -- key to segments: an entry for a deleted segment is just never asked for again.
    CREATE TABLE population_counts (
        population_id TEXT NOT NULL REFERENCES populations (id) ON DELETE CASCADE,
        segment_key   TEXT NOT NULL,
        revision      INTEGER NOT NULL,
        matched       INTEGER NOT NULL CHECK (matched >= 0),
        rows          INTEGER NOT NULL CHECK (rows >= 0),
        PRIMARY KEY (population_id, segment_key, revision)
    ) STRICT, WITHOUT ROWID;",
    ),
    M::up(
        "-- A create sent to a remote whose answer is not recorded yet, with the document sent.
    -- Krafter has no unique key: after a crash between its POST and recording the answer,
    -- the copy it made is found again by the name sent, even if the segment was renamed
    -- here since, instead of being created a second time. Cleared when a binding is set.
    CREATE TABLE creates_in_flight (
        remote      TEXT NOT NULL REFERENCES remotes (name) ON DELETE CASCADE,
        segment_key TEXT NOT NULL,
        name        TEXT NOT NULL,
        document    TEXT NOT NULL,
        sent_at     TEXT NOT NULL,
        PRIMARY KEY (remote, segment_key)
    ) STRICT, WITHOUT ROWID;",
    ),
    M::up(
        "-- Warehouses (PostgreSQL) the counts run on, by canonical URL, which never holds a
    -- password: that is in the OS keyring or a user-only file, under `credential_id` (NULL
    -- when the server needs none). `table_name` is the users table the app counts in (NULL
    -- when the CLI only stored a password: it names its table on each run).
    CREATE TABLE warehouses (
        url           TEXT PRIMARY KEY NOT NULL,
        table_name    TEXT,
        credential_id TEXT UNIQUE,
        saved_at      TEXT NOT NULL
    ) STRICT;",
    ),
];

/// The schema version the last migration brings a database to.
pub const LATEST_VERSION: usize = MIGRATIONS.len();

/// The migrations, oldest first.
/// Brings the schema up to date.
///
/// The app and the CLI may open a new database at the same moment. rusqlite_migration reads
/// the version before its transaction, so each migration runs under `BEGIN IMMEDIATE` (one
/// process waits for the other's), and a run that finds the version moved on under it (the
/// other process migrated first, so its statements fail on tables that exist) reads the
/// version again instead of reporting a damaged database.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    let outcome = migrate_under_write_lock(conn);
    conn.set_transaction_behavior(TransactionBehavior::Deferred);
    outcome
}

fn migrate_under_write_lock(conn: &mut Connection) -> Result<(), StoreError> {
    let mut attempts = 0;
    loop {
        let before = version(conn)?;
        let failure = match migrations().to_latest(conn) {
            Ok(()) => return Ok(()),
            Err(failure) => failure,
        };
        attempts += 1;
        if version(conn)? != before && attempts < 4 {
            continue;
        }
        return Err(match failure {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from(err),
            other => StoreError::Open {
                path: conn.path().unwrap_or("memory").to_owned(),
                reason: format!("{other} (was it written by a newer Segment Studio?)"),
            },
        });
    }
}

/// The schema version the database is at.
pub fn version(conn: &Connection) -> Result<usize, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    /// Every earlier schema, made by its own migrations, opens and upgrades.
    #[test]
    fn every_earlier_schema_upgrades() -> Result<(), Box<dyn std::error::Error>> {
        for version in 0..LATEST_VERSION {
            let dir = tempfile::tempdir()?;
            let path = dir.path().join("db.sqlite3");
            let mut conn = rusqlite::Connection::open(&path)?;
            migrations().to_version(&mut conn, version)?;
            drop(conn);
            drop(crate::Store::open(&path)?);
            let conn = rusqlite::Connection::open(&path)?;
            let now: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            assert_eq!(now, LATEST_VERSION);
        }
        Ok(())
    }
}
