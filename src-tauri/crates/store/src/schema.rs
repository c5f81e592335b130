//! The database schema, as embedded append-only migrations: a released migration never
//! changes; a new schema is a new entry at the end.

use rusqlite_migration::{M, Migrations};

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
];

/// The schema version the last migration brings a database to.
pub const LATEST_VERSION: usize = MIGRATIONS.len();

/// The migrations, oldest first.
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
}
