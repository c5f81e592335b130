//! Conflicts: segments changed on both sides in ways a merge cannot reconcile, kept with
//! all three versions until the user chooses.

use rusqlite::{OptionalExtension, params};
use segments_engine::Segment;
use serde_json::Value;

use crate::bindings::{BindingChange, clear_conflict, set_binding, write_segment};
use crate::clock::Timestamp;
use crate::fields::{ConflictKind, Field};
use crate::rows::load;
use crate::{Store, StoreError, check_lease};

/// A segment changed on both sides since the base, in fields a merge cannot reconcile.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRecord {
    /// The segment.
    pub segment_key: String,
    /// The remote's identity for it, when it exists there.
    pub remote_id: Option<String>,
    /// The last agreed document (none when both sides created it independently).
    pub base: Option<Value>,
    /// The local document (none when deleted here).
    pub mine: Option<Value>,
    /// The remote's document (none when deleted there).
    pub theirs: Option<Value>,
    /// The remote's version marker of `theirs`.
    pub theirs_version: Option<String>,
    /// What the two sides disagree on.
    pub kind: ConflictKind,
}

impl Store {
    /// Conflicts waiting on `remote`, by key.
    pub fn conflicts(&self, remote: &str) -> Result<Vec<ConflictRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT segment_key, remote_id, base, mine, theirs, theirs_version, fields
             FROM conflicts WHERE remote = ?1 ORDER BY segment_key",
        )?;
        let rows = statement.query_map([remote], conflict_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The conflict on `key`, if any.
    pub fn conflict(&self, remote: &str, key: &str) -> Result<Option<ConflictRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT segment_key, remote_id, base, mine, theirs, theirs_version, fields
                 FROM conflicts WHERE remote = ?1 AND segment_key = ?2",
                [remote, key],
                conflict_row,
            )
            .optional()?)
    }

    /// Files a conflict for the user (replacing an older one on the same segment).
    #[tracing::instrument(level = "debug", skip(self, conflict), fields(key = %conflict.segment_key), err(Display))]
    pub fn record_conflict(
        &mut self,
        remote: &str,
        conflict: &ConflictRecord,
    ) -> Result<(), StoreError> {
        let text = |v: &Option<Value>| v.as_ref().map(Value::to_string);
        let owner = self.leases.get(remote).cloned();
        let tx = self.write()?;
        check_lease(&tx, remote, owner.as_deref())?;
        tx.execute(
            "INSERT OR REPLACE INTO conflicts
             (remote, segment_key, remote_id, base, mine, theirs, theirs_version, fields, detected_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                remote,
                conflict.segment_key,
                conflict.remote_id,
                text(&conflict.base),
                text(&conflict.mine),
                text(&conflict.theirs),
                conflict.theirs_version,
                conflict_fields(&conflict.kind),
                Timestamp::now()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Resolves a conflict by keeping the local side (first replaced by `edited`, when the
    /// user edited a resolution): the remote's version becomes the base and the segment is
    /// queued, so the next push sends it over theirs knowingly. One transaction.
    #[tracing::instrument(level = "debug", skip_all, fields(remote = %remote, key = %conflict.segment_key), err(Display))]
    pub fn keep_mine(
        &mut self,
        remote: &str,
        conflict: &ConflictRecord,
        theirs: Option<&Segment>,
        edited: Option<&Segment>,
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        let key = conflict.segment_key.as_str();
        if let Some(next) = edited {
            let current = load(&tx, key)?;
            write_segment(&tx, None, key, current.as_ref(), Some(next))?;
        }
        let change = match (theirs, &conflict.remote_id) {
            (Some(theirs), Some(remote_id)) => BindingChange::Set {
                remote_id: remote_id.clone(),
                base: theirs.clone(),
                version: conflict.theirs_version.clone(),
            },
            _ => BindingChange::Remove,
        };
        set_binding(&tx, remote, key, &change)?;
        tx.execute(
            "INSERT INTO outbox (remote, segment_key, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (remote, segment_key) WHERE done_at IS NULL
             DO UPDATE SET last_error = NULL, attempts = 0",
            params![remote, key, Timestamp::now()],
        )?;
        clear_conflict(&tx, remote, key)?;
        tx.commit()?;
        Ok(())
    }
}

/// The `fields` column: the disagreeing fields as a JSON array, or `["deleted"]` for a
/// delete against an edit (the side that deleted is the one whose document is missing).
/// The sentinel lives only here, at the row boundary, so databases written before the
/// kinds were typed read the same.
const DELETED: &str = "deleted";

fn conflict_fields(kind: &ConflictKind) -> String {
    let names: Vec<&str> = match kind {
        ConflictKind::Fields(fields) => fields.iter().map(|f| f.as_str()).collect(),
        ConflictKind::DeletedHere | ConflictKind::DeletedThere => vec![DELETED],
    };
    Value::from(names).to_string()
}

fn conflict_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConflictRecord> {
    let json = |i: usize| crate::rows::json_column(r, i);
    let text: String = r.get(6)?;
    let names: Vec<String> = serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, e.into())
    })?;
    let mine = json(3)?;
    let kind = if names.iter().any(|n| n == DELETED) {
        if mine.is_none() {
            ConflictKind::DeletedHere
        } else {
            ConflictKind::DeletedThere
        }
    } else {
        let fields = names
            .iter()
            .map(|n| serde_json::from_value(Value::from(n.as_str())))
            .collect::<Result<Vec<Field>, _>>()
            .map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, e.into())
            })?;
        ConflictKind::Fields(fields)
    };
    Ok(ConflictRecord {
        segment_key: r.get(0)?,
        remote_id: r.get(1)?,
        base: json(2)?,
        mine,
        theirs: json(4)?,
        theirs_version: r.get(5)?,
        kind,
    })
}
