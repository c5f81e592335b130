//! The database schema, as embedded append-only migrations: a released migration never
//! changes; a new schema is a new entry at the end.

use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[M::up(
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
)];

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
