//! The local SQLite store: segments (latest state), their append-only revision history,
//! the reference graph between segments, saved test contexts (personas), sync state, and
//! populations (files of users) with their cached counts.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction that validates, writes the segment and
//! records its revision together, so a refused or failed write leaves no trace.

mod bindings;
pub mod clock;
mod conflicts;
mod creates;
pub mod dialect;
mod error;
mod fields;
pub mod paths;
mod personas;
mod population_counts;
mod populations;
mod records;
mod references;
mod remotes;
mod rows;
mod schema;
mod warehouses;
mod writer;

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use segments_engine::{Segment, SegmentPatch, parse_segment};

pub use bindings::{Binding, BindingChange, OutboxEntry, RemoteChange};
pub use clock::Timestamp;
pub use conflicts::ConflictRecord;
pub use dialect::Dialect;
pub use error::StoreError;
pub use fields::{ConflictKind, Field, Side};
pub use populations::StoredPopulation;
pub use records::{Author, ImportReport, Persona, Revision, RevisionAction, StoredSegment};
use references::{check_references, reference_closure, referrers};
pub use remotes::RemoteRecord;
use rows::{decode, load, revision, revision_row, stored_row};
pub use warehouses::WarehouseRecord;
use writer::{insert, record, replace};

/// A write in progress: its own `BEGIN IMMEDIATE` transaction, or a savepoint inside a
/// [`Store::batch`]. Dropped without `commit`, it is undone.
pub(crate) enum Write<'a> {
    Own(Transaction<'a>),
    InBatch(rusqlite::Savepoint<'a>),
}

impl Write<'_> {
    pub(crate) fn commit(self) -> Result<(), rusqlite::Error> {
        match self {
            Write::Own(tx) => tx.commit(),
            Write::InBatch(savepoint) => savepoint.commit(),
        }
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        match self {
            Write::Own(tx) => tx,
            Write::InBatch(savepoint) => savepoint,
        }
    }
}

/// The store: one connection, used for reads and writes.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    /// The sync leases this connection holds, owner by remote. The writes that record a
    /// sync's outcome check, inside their own transaction, that the lease is still that
    /// owner's: a run whose lease another process took must not record over its work.
    leases: std::collections::HashMap<String, String>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |reason: String| StoreError::Open {
            path: path.display().to_string(),
            reason,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| open_error(format!("cannot create its folder: {e}")))?;
        }
        // Two processes opening a new file at once race to switch it to WAL, and SQLite
        // answers the loser BUSY at once, without waiting (its busy handler does not cover
        // that lock). The race is over within milliseconds: open again for a while.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
            match Self::prepare(conn) {
                Err(StoreError::Busy) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(15));
                }
                Err(StoreError::Sqlite(e)) => return Err(open_error(describe_open_failure(&e))),
                outcome => return outcome,
            }
        }
    }

    /// An in-memory store, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Refuse a database from a newer version before anything (even the journal mode)
        // changes the file.
        let version: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > schema::LATEST_VERSION {
            return Err(StoreError::Open {
                path: conn.path().unwrap_or("memory").to_owned(),
                reason: format!(
                    "its schema version is {version}, newer than this Segment Studio knows ({}); was it written by a newer Segment Studio?",
                    schema::LATEST_VERSION
                ),
            });
        }
        // WAL lets the app read while the CLI writes; the busy timeout waits out the other
        // writer instead of failing at once. FULL syncs the WAL at every commit: with NORMAL
        // a power cut (not a killed process) can roll back a save the user saw confirmed.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // On macOS a plain fsync leaves the data in the drive's cache; F_FULLFSYNC does not.
        #[cfg(target_os = "macos")]
        {
            conn.pragma_update(None, "fullfsync", "ON")?;
            conn.pragma_update(None, "checkpoint_fullfsync", "ON")?;
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn,
            leases: std::collections::HashMap::new(),
        })
    }

    /// How this connection writes: its journal mode and its `synchronous` level (0 off,
    /// 1 normal, 2 full, 3 extra), as SQLite reports them; shown by diagnostics and pinned
    /// by a test, since a weaker level silently loses confirmed saves on a power cut.
    pub fn durability(&self) -> Result<(String, i64), StoreError> {
        let journal: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let synchronous: i64 = self
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        Ok((journal, synchronous))
    }

    fn write(&mut self) -> Result<Write<'_>, StoreError> {
        if !self.conn.is_autocommit() {
            // Inside a batch: a savepoint, so a refused write undoes only itself.
            return Ok(Write::InBatch(self.conn.savepoint()?));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Check references at commit, not per row: an import may write a segment before the
        // one it references. SQLite resets this at the end of the transaction.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        Ok(Write::Own(tx))
    }

    /// Runs `work` as one transaction: every write in it commits (and is synced to disk)
    /// together at the end, each still undone alone when it fails. A pull applies a page
    /// of segments this way, one fsync per page instead of one per segment. When `work`
    /// fails, nothing of it is kept.
    pub fn batch<T, E: From<StoreError>>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON;")
            .map_err(StoreError::from)?;
        // A panic in `work` must not leave the transaction open: every later write would
        // then be a savepoint inside it, acknowledged and never committed.
        let outcome = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(self))) {
            Ok(outcome) => outcome,
            Err(panic) => {
                if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                    tracing::warn!(error = %e, "a batch that panicked could not be rolled back");
                }
                std::panic::resume_unwind(panic)
            }
        };
        let end = if outcome.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        if let Err(e) = self.conn.execute_batch(end) {
            if let Err(rollback) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %rollback, "a failed batch could not be rolled back");
            }
            return Err(StoreError::from(e).into());
        }
        outcome
    }

    /// Creates a segment; refuses a key that exists.
    #[tracing::instrument(level = "debug", skip_all, fields(key = %segment.key), err(Display))]
    pub fn create_segment(&mut self, segment: &Segment) -> Result<StoredSegment, StoreError> {
        let tx = self.write()?;
        if load(&tx, &segment.key)?.is_some() {
            return Err(StoreError::Duplicate(segment.key.clone()));
        }
        check_references(&tx, std::slice::from_ref(segment))?;
        let stored = insert(&tx, segment)?;
        record(
            &tx,
            &segment.key,
            RevisionAction::Create,
            None,
            Some(segment),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Applies a partial update. An update that changes nothing records no revision.
    #[tracing::instrument(level = "debug", skip(self, patch), err(Display))]
    pub fn update_segment(
        &mut self,
        key: &str,
        patch: &SegmentPatch,
    ) -> Result<StoredSegment, StoreError> {
        let tx = self.write()?;
        let current = load(&tx, key)?.ok_or_else(|| StoreError::NotFound(key.to_owned()))?;
        let next = patch.apply(&current.segment);
        if next == current.segment {
            return Ok(current);
        }
        // Re-validate the whole result: a patch of only `match_type` is checked with the rules.
        let next = parse_segment(&next.to_json())?;
        check_references(&tx, std::slice::from_ref(&next))?;
        let stored = replace(&tx, &next, current.created_at)?;
        record(
            &tx,
            key,
            RevisionAction::Update,
            Some(&current.segment),
            Some(&next),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Deletes a segment; refuses while other segments reference it.
    #[tracing::instrument(level = "debug", skip(self), err(Display))]
    pub fn delete_segment(&mut self, key: &str) -> Result<Revision, StoreError> {
        let tx = self.write()?;
        let current = load(&tx, key)?.ok_or_else(|| StoreError::NotFound(key.to_owned()))?;
        let referrers = referrers(&tx, key)?;
        if !referrers.is_empty() {
            return Err(StoreError::Referenced {
                key: key.to_owned(),
                referrers,
            });
        }
        tx.execute("DELETE FROM segments WHERE key = ?1", [key])?;
        let id = record(
            &tx,
            key,
            RevisionAction::Delete,
            Some(&current.segment),
            None,
        )?;
        let revision = revision(&tx, key, id)?;
        tx.commit()?;
        Ok(revision)
    }

    /// Brings a segment back to the state a revision left it in (for a delete revision: the
    /// state before it), whether the segment exists now or was deleted.
    #[tracing::instrument(level = "debug", skip(self), err(Display))]
    pub fn restore_revision(&mut self, key: &str, id: i64) -> Result<StoredSegment, StoreError> {
        let tx = self.write()?;
        let chosen = revision(&tx, key, id)?;
        let document = chosen
            .current
            .or(chosen.previous)
            .ok_or(StoreError::RevisionNotFound {
                key: key.to_owned(),
                id,
            })?;
        let target = parse_segment(&document).map_err(|source| StoreError::Corrupt {
            key: key.to_owned(),
            source,
        })?;
        check_references(&tx, std::slice::from_ref(&target))?;
        // A damaged current document must not block the repair, so read it leniently.
        let created_at: Option<Timestamp> = tx
            .query_row(
                "SELECT created_at FROM segments WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        let current = load(&tx, key).ok().flatten();
        if let Some(unchanged) = current.as_ref().filter(|c| c.segment == target) {
            // Already in that state: nothing to write or record.
            return Ok(unchanged.clone());
        }
        let stored = match &created_at {
            Some(created_at) => replace(&tx, &target, *created_at)?,
            None => insert(&tx, &target)?,
        };
        record(
            &tx,
            key,
            RevisionAction::Restore,
            current.as_ref().map(|c| &c.segment),
            Some(&target),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Creates or updates every segment in one transaction: all of them land, or none.
    #[tracing::instrument(level = "debug", skip_all, fields(count = segments.len()), err(Display))]
    pub fn import_segments(&mut self, segments: &[Segment]) -> Result<ImportReport, StoreError> {
        check_unique_keys(segments)?;
        let tx = self.write()?;
        check_references(&tx, segments)?;
        let mut report = ImportReport::default();
        for segment in segments {
            match load(&tx, &segment.key)? {
                Some(existing) if existing.segment == *segment => {
                    report.unchanged.push(segment.key.clone());
                }
                Some(existing) => {
                    replace(&tx, segment, existing.created_at)?;
                    record(
                        &tx,
                        &segment.key,
                        RevisionAction::Import,
                        Some(&existing.segment),
                        Some(segment),
                    )?;
                    report.updated.push(segment.key.clone());
                }
                None => {
                    insert(&tx, segment)?;
                    record(
                        &tx,
                        &segment.key,
                        RevisionAction::Import,
                        None,
                        Some(segment),
                    )?;
                    report.created.push(segment.key.clone());
                }
            }
        }
        tx.commit()?;
        Ok(report)
    }

    /// What [`Store::import_segments`] would create, update and leave unchanged, refusing
    /// what it would refuse, without writing anything (the import dialog's preview).
    pub fn preview_import(&self, segments: &[Segment]) -> Result<ImportReport, StoreError> {
        check_unique_keys(segments)?;
        check_references(&self.conn, segments)?;
        let mut report = ImportReport::default();
        for segment in segments {
            let list = match load(&self.conn, &segment.key)? {
                Some(existing) if existing.segment == *segment => &mut report.unchanged,
                Some(_) => &mut report.updated,
                None => &mut report.created,
            };
            list.push(segment.key.clone());
        }
        Ok(report)
    }

    /// Checks, without writing, that `segment` could be saved as far as references go:
    /// everything it references exists and no cycle forms.
    pub fn check_references(&self, segment: &Segment) -> Result<(), StoreError> {
        check_references(&self.conn, std::slice::from_ref(segment))
    }

    /// `segment` with every stored segment it reaches through references, ready to compile
    /// together (what-if evaluation of an unsaved draft).
    pub fn with_references(&self, segment: &Segment) -> Result<Vec<Segment>, StoreError> {
        reference_closure(&self.conn, std::slice::from_ref(segment))
    }

    /// One segment.
    pub fn get_segment(&self, key: &str) -> Result<StoredSegment, StoreError> {
        load(&self.conn, key)?.ok_or_else(|| StoreError::NotFound(key.to_owned()))
    }

    /// Every segment, by key.
    pub fn list_segments(&self) -> Result<Vec<StoredSegment>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT key, document, created_at, updated_at FROM segments ORDER BY key",
        )?;
        let rows = statement.query_map([], stored_row)?;
        rows.map(|row| row.map_err(StoreError::from).and_then(decode))
            .collect()
    }

    /// A segment's revisions, newest first. History outlives a delete.
    pub fn history(&self, key: &str) -> Result<Vec<Revision>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, segment_key, action, author, created_at, previous, current
             FROM revisions WHERE segment_key = ?1 ORDER BY id DESC",
        )?;
        let revisions = statement
            .query_map([key], revision_row)?
            .collect::<Result<Vec<_>, _>>()?;
        if revisions.is_empty() {
            return Err(StoreError::NotFound(key.to_owned()));
        }
        Ok(revisions)
    }

    /// The segments that use `key` through `in_segment` / `not_in_segment`, sorted: what a
    /// delete of it would break, and so refuses.
    pub fn referrers(&self, key: &str) -> Result<Vec<String>, StoreError> {
        references::referrers(&self.conn, key)
    }

    /// Deleted segments, newest delete first: each one's delete revision, whose `previous`
    /// is what restoring it brings back. A key in use again is not listed.
    pub fn deleted_segments(&self) -> Result<Vec<Revision>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, segment_key, action, author, created_at, previous, current
             FROM revisions r
             WHERE action = 'delete'
               AND id = (SELECT MAX(id) FROM revisions WHERE segment_key = r.segment_key)
             ORDER BY id DESC",
        )?;
        let revisions = statement
            .query_map([], revision_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(revisions)
    }

    /// The id of a segment's newest revision (for a deleted segment, its delete).
    pub fn latest_revision_id(&self, key: &str) -> Result<i64, StoreError> {
        let id: Option<i64> = self.conn.query_row(
            "SELECT MAX(id) FROM revisions WHERE segment_key = ?1",
            [key],
            |r| r.get(0),
        )?;
        id.ok_or_else(|| StoreError::NotFound(key.to_owned()))
    }
}

/// Refuses the write when this connection holds `remote`'s sync lease as `owner` but the
/// database says someone else holds it now. Without a lease held (an edit, a resolve) there
/// is nothing to check.
/// An import names each key once: with two versions of one segment, which one lands would
/// depend on the file's order.
fn check_unique_keys(segments: &[Segment]) -> Result<(), StoreError> {
    let mut seen = BTreeMap::new();
    for segment in segments {
        if seen.insert(segment.key.as_str(), ()).is_some() {
            return Err(StoreError::Duplicate(segment.key.clone()));
        }
    }
    Ok(())
}

fn check_lease(conn: &Connection, remote: &str, owner: Option<&str>) -> Result<(), StoreError> {
    let Some(owner) = owner else {
        return Ok(());
    };
    let holder: Option<String> = conn
        .query_row(
            "SELECT sync_owner FROM remotes WHERE name = ?1",
            [remote],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if holder.as_deref() == Some(owner) {
        Ok(())
    } else {
        Err(StoreError::LeaseLost(remote.to_owned()))
    }
}

fn describe_open_failure(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "the file is not a SQLite database; point --db (or SEGMENTS_DB) at a Segment Studio database or a new file".into()
        }
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
            format!("{e}; check that the file and its folder are writable")
        }
        _ => e.to_string(),
    }
}
