//! The row codec: segments and revisions as SQLite rows and back. Writes that keep the
//! reference graph and the outbox in step live in `writer`.

use rusqlite::{Connection, OptionalExtension, params};
use segments_engine::{describe_changes, parse_segment};
use serde_json::Value;

use crate::StoreError;
use crate::clock::Timestamp;
use crate::records::{Revision, RevisionAction, StoredSegment};

type Row = (String, String, Timestamp, Timestamp);

pub(crate) fn stored_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

pub(crate) fn decode(
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

pub(crate) fn load(conn: &Connection, key: &str) -> Result<Option<StoredSegment>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT key, document, created_at, updated_at FROM segments WHERE key = ?1",
        )?
        .query_row([key], stored_row)
        .optional()?;
    row.map(decode).transpose()
}

pub(crate) fn revision(conn: &Connection, key: &str, id: i64) -> Result<Revision, StoreError> {
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

pub(crate) fn json_column(
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

pub(crate) fn revision_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
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
        changes: Vec::new(),
    })
    .map(|mut revision| {
        // The stored documents are canonical; one that no longer parses (written by a
        // newer version) just has no summary, and its JSON still shows.
        let read = |doc: &Option<Value>| doc.as_ref().and_then(|d| parse_segment(d).ok());
        revision.changes = describe_changes(
            read(&revision.previous).as_ref(),
            read(&revision.current).as_ref(),
        );
        revision
    })
}
