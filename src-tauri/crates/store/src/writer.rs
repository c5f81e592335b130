//! The one writer of segment rows: the row, its reference edges, its revision and its
//! outbox entries change together, inside the caller's transaction.

use rusqlite::{Connection, params};
use segments_engine::Segment;

use crate::StoreError;
use crate::clock::Timestamp;
use crate::records::{Author, RevisionAction, StoredSegment};
use crate::references::write_references;

pub(crate) fn insert(tx: &Connection, segment: &Segment) -> Result<StoredSegment, StoreError> {
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO segments (key, name, document, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![segment.key, segment.name, segment.to_json().to_string(), now],
    )?;
    write_references(tx, segment)?;
    Ok(StoredSegment {
        segment: segment.clone(),
        created_at: now,
        updated_at: now,
    })
}

pub(crate) fn replace(
    tx: &Connection,
    segment: &Segment,
    created_at: Timestamp,
) -> Result<StoredSegment, StoreError> {
    let now = Timestamp::now();
    tx.execute(
        "UPDATE segments SET name = ?2, document = ?3, updated_at = ?4 WHERE key = ?1",
        params![
            segment.key,
            segment.name,
            segment.to_json().to_string(),
            now
        ],
    )?;
    write_references(tx, segment)?;
    Ok(StoredSegment {
        segment: segment.clone(),
        created_at,
        updated_at: now,
    })
}

/// Records a local change: its revision, and an outbox entry for every remote.
pub(crate) fn record(
    tx: &Connection,
    key: &str,
    action: RevisionAction,
    previous: Option<&Segment>,
    current: Option<&Segment>,
) -> Result<i64, StoreError> {
    record_from(tx, None, key, action, previous, current)
}

/// Records a change made by `remote` (a pull), or a local one when `remote` is `None`. The
/// change is queued for every other remote in the same transaction, so an edit can never
/// land without its outbox entry.
pub(crate) fn record_from(
    tx: &Connection,
    remote: Option<&str>,
    key: &str,
    action: RevisionAction,
    previous: Option<&Segment>,
    current: Option<&Segment>,
) -> Result<i64, StoreError> {
    let document = |s: Option<&Segment>| s.map(|s| s.to_json().to_string());
    let author = remote.map_or(Author::Local, |r| Author::Remote(r.to_owned()));
    let now = Timestamp::now();
    tx.execute(
        "INSERT INTO revisions (segment_key, action, author, created_at, previous, current)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            key,
            action.as_str(),
            author,
            now,
            document(previous),
            document(current)
        ],
    )?;
    let id = tx.last_insert_rowid();
    tracing::info!(key, action = action.as_str(), %author, revision = id, "revision written");
    enqueue(tx, key, remote, now)?;
    Ok(id)
}

/// Queues `key` for every remote but `except`. A segment already waiting keeps its place
/// (and forgets the last error: the new change may have fixed it).
pub(crate) fn enqueue(
    tx: &Connection,
    key: &str,
    except: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO outbox (remote, segment_key, created_at)
         SELECT name, ?1, ?2 FROM remotes WHERE name IS NOT ?3
         ON CONFLICT (remote, segment_key) WHERE done_at IS NULL
         DO UPDATE SET last_error = NULL, attempts = 0",
        params![key, now, except],
    )?;
    Ok(())
}
