//! Reading and writing rows: segments, their revisions.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use segments_engine::{Segment, parse_segment};
use serde_json::Value;

use super::records::{Revision, RevisionAction, StoredSegment};
use super::references::write_references;
use super::{LOCAL_AUTHOR, StoreError};
use crate::clock::now_rfc3339;

type Row = (String, String, String, String);

pub(super) fn stored_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

pub(super) fn decode(
    (key, document, created_at, updated_at): Row,
) -> Result<StoredSegment, StoreError> {
    let corrupt = |source| StoreError::Corrupt {
        key: key.clone(),
        source,
    };
    let value = segments_engine::parse_json_text(&document, usize::MAX, "stored segment")
        .map_err(corrupt)?;
    let segment = parse_segment(&value).map_err(corrupt)?;
    Ok(StoredSegment {
        segment,
        created_at,
        updated_at,
    })
}

pub(super) fn load(conn: &Connection, key: &str) -> Result<Option<StoredSegment>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT key, document, created_at, updated_at FROM segments WHERE key = ?1",
        )?
        .query_row([key], stored_row)
        .optional()?;
    row.map(decode).transpose()
}

pub(super) fn insert(tx: &Transaction<'_>, segment: &Segment) -> Result<StoredSegment, StoreError> {
    let now = now_rfc3339();
    tx.execute(
        "INSERT INTO segments (key, name, document, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![segment.key, segment.name, segment.to_json().to_string(), now],
    )?;
    write_references(tx, segment)?;
    Ok(StoredSegment {
        segment: segment.clone(),
        created_at: now.clone(),
        updated_at: now,
    })
}

pub(super) fn replace(
    tx: &Transaction<'_>,
    segment: &Segment,
    created_at: &str,
) -> Result<StoredSegment, StoreError> {
    let now = now_rfc3339();
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
        created_at: created_at.to_owned(),
        updated_at: now,
    })
}

/// Records a local change: its revision, and an outbox entry for every remote.
pub(super) fn record(
    tx: &Transaction<'_>,
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
pub(super) fn record_from(
    tx: &Transaction<'_>,
    remote: Option<&str>,
    key: &str,
    action: RevisionAction,
    previous: Option<&Segment>,
    current: Option<&Segment>,
) -> Result<i64, StoreError> {
    let document = |s: Option<&Segment>| s.map(|s| s.to_json().to_string());
    let author = remote.map_or_else(|| LOCAL_AUTHOR.to_owned(), |r| format!("remote:{r}"));
    let now = now_rfc3339();
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
    enqueue(tx, key, remote, &now)?;
    Ok(id)
}

/// Queues `key` for every remote but `except`. A segment already waiting keeps its place
/// (and forgets the last error: the new change may have fixed it).
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    key: &str,
    except: Option<&str>,
    now: &str,
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

pub(super) fn revision(conn: &Connection, key: &str, id: i64) -> Result<Revision, StoreError> {
    conn.query_row(
        "SELECT id, segment_key, action, author, created_at, previous, current
         FROM revisions WHERE segment_key = ?1 AND id = ?2",
        params![key, id],
        revision_row,
    )
    .optional()?
    .ok_or(StoreError::RevisionNotFound {
        key: key.to_owned(),
        id,
    })
}

pub(super) fn json_column(
    row: &rusqlite::Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<Value>> {
    let text: Option<String> = row.get(index)?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

pub(super) fn revision_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    let action: String = row.get(2)?;
    Ok(Revision {
        id: row.get(0)?,
        segment_key: row.get(1)?,
        action: RevisionAction::from_str(&action).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown revision action {action}").into(),
            )
        })?,
        author: row.get(3)?,
        created_at: row.get(4)?,
        previous: json_column(row, 5)?,
        current: json_column(row, 6)?,
    })
}
