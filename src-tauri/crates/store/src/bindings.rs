//! The store's side of a sync exchange: bindings (the merge base per remote and segment),
//! the outbox of local changes and the conflicts waiting for the user.
//!
//! Every write here is one transaction with the segment change it belongs to, so a crash
//! between "the remote accepted it" and "we noted it" can only make sync repeat itself,
//! never forget a change.

use rusqlite::{Connection, OptionalExtension, params};
use segments_engine::{Segment, parse_segment};

use crate::clock::Timestamp;
use crate::records::{RevisionAction, StoredSegment};
use crate::references::{check_references, referrers};
use crate::rows::load;
use crate::writer::{insert, record_from, replace};
use crate::{Store, StoreError, check_lease};

/// What a segment and its copy on one remote last agreed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The local key.
    pub segment_key: String,
    /// The remote's identity for it (key, or Krafter's id).
    pub remote_id: String,
    /// The document both sides last agreed on: the three-way merge base.
    pub base: Segment,
    /// The remote's version marker (ETag or `updated_at`) when last seen.
    pub version: Option<String>,
}

/// A local change waiting to reach a remote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Position in the outbox.
    pub id: i64,
    /// The segment changed.
    pub segment_key: String,
    /// Failed attempts since the last change.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// A remote's version of a segment to apply locally (see [`Store::apply_remote`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteChange<'a> {
    /// The local segment the change was worked out from (`Some(None)`: it did not exist);
    /// `None` applies whatever the local segment is now.
    pub expected: Option<Option<&'a Segment>>,
    /// The segment to keep locally (`None` deletes it here).
    pub next: Option<&'a Segment>,
    /// What to note about the remote's copy.
    pub binding: BindingChange,
    /// Keep (or add) an outbox entry for this remote, for a merge that also kept local
    /// changes; otherwise this remote's entry is done.
    pub still_pending: bool,
}

/// What to note about a segment's copy on a remote after a successful exchange.
#[derive(Debug, Clone, PartialEq)]
pub enum BindingChange {
    /// Both sides now hold `base`.
    Set {
        /// The remote's identity.
        remote_id: String,
        /// The agreed document.
        base: Segment,
        /// The remote's version marker.
        version: Option<String>,
    },
    /// The segment no longer exists on the remote.
    Remove,
}

impl Store {
    /// The binding of `key` on `remote`.
    pub fn binding(&self, remote: &str, key: &str) -> Result<Option<Binding>, StoreError> {
        binding_where(&self.conn, "remote = ?1 AND segment_key = ?2", remote, key)
    }

    /// The binding of the remote's segment `remote_id`.
    pub fn binding_by_remote_id(
        &self,
        remote: &str,
        remote_id: &str,
    ) -> Result<Option<Binding>, StoreError> {
        binding_where(
            &self.conn,
            "remote = ?1 AND remote_id = ?2",
            remote,
            remote_id,
        )
    }

    /// Every binding on `remote`, by key.
    pub fn bindings(&self, remote: &str) -> Result<Vec<Binding>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT segment_key, remote_id, base, version FROM bindings
             WHERE remote = ?1 ORDER BY segment_key",
        )?;
        let rows = statement.query_map([remote], binding_row)?;
        rows.map(|r| r.map_err(StoreError::from).and_then(decode_binding))
            .collect()
    }

    /// Changes waiting for `remote`, oldest first.
    pub fn pending(&self, remote: &str) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, segment_key, attempts, last_error FROM outbox
             WHERE remote = ?1 AND done_at IS NULL ORDER BY id",
        )?;
        let rows = statement.query_map([remote], |r| {
            Ok(OutboxEntry {
                id: r.get(0)?,
                segment_key: r.get(1)?,
                attempts: r.get(2)?,
                last_error: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Notes that an outbox entry could not be sent (it stays queued).
    pub fn note_push_failure(&mut self, id: i64, error: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
            params![id, error],
        )?;
        Ok(())
    }

    /// Notes that the remote now holds `sent` for `key` (or no longer holds it): the binding
    /// changes and the outbox entry is done, in one transaction. When the local segment
    /// changed again meanwhile, the entry stays queued so that change goes out too.
    #[tracing::instrument(level = "debug", skip(self, sent, change), err(Display))]
    pub fn note_pushed(
        &mut self,
        remote: &str,
        key: &str,
        sent: Option<&Segment>,
        change: BindingChange,
    ) -> Result<(), StoreError> {
        let owner = self.leases.get(remote).cloned();
        let tx = self.write()?;
        check_lease(&tx, remote, owner.as_deref())?;
        set_binding(&tx, remote, key, &change)?;
        let current = load(&tx, key)?.map(|s| s.segment);
        if current.as_ref() == sent {
            finish_outbox(&tx, remote, key)?;
        }
        clear_conflict(&tx, remote, key)?;
        tx.commit()?;
        Ok(())
    }

    /// Notes only a binding (both sides found equal), leaving the outbox as it is unless the
    /// local segment is what the binding says.
    pub fn note_bound(
        &mut self,
        remote: &str,
        key: &str,
        change: BindingChange,
    ) -> Result<(), StoreError> {
        let sent = load(&self.conn, key)?.map(|s| s.segment);
        let agreed = match &change {
            BindingChange::Set { base, .. } => Some(base),
            BindingChange::Remove => None,
        };
        if sent.as_ref() == agreed {
            self.note_pushed(remote, key, sent.as_ref(), change)
        } else {
            let owner = self.leases.get(remote).cloned();
            let tx = self.write()?;
            check_lease(&tx, remote, owner.as_deref())?;
            set_binding(&tx, remote, key, &change)?;
            tx.commit()?;
            Ok(())
        }
    }

    /// Applies a remote's version of a segment locally (`next: None` deletes it here): the
    /// segment, its revision (author `remote:NAME`), the binding and the outbox, in one
    /// transaction. Returns `false`, writing nothing, when the local segment is no longer
    /// `change.expected`: it was edited while the remote was asked, and that edit must not
    /// be overwritten (it stays queued for the next push).
    #[tracing::instrument(level = "debug", skip(self, change), err(Display))]
    pub fn apply_remote(
        &mut self,
        remote: &str,
        key: &str,
        change: RemoteChange<'_>,
    ) -> Result<bool, StoreError> {
        let RemoteChange {
            expected,
            next: theirs,
            binding: change,
            still_pending,
        } = change;
        let owner = self.leases.get(remote).cloned();
        let tx = self.write()?;
        check_lease(&tx, remote, owner.as_deref())?;
        let current = load(&tx, key)?;
        if let Some(expected) = expected
            && current.as_ref().map(|c| &c.segment) != expected
        {
            return Ok(false);
        }
        write_segment(&tx, Some(remote), key, current.as_ref(), theirs)?;
        set_binding(&tx, remote, key, &change)?;
        if still_pending {
            tx.execute(
                "INSERT INTO outbox (remote, segment_key, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (remote, segment_key) WHERE done_at IS NULL DO NOTHING",
                params![remote, key, Timestamp::now()],
            )?;
        } else {
            finish_outbox(&tx, remote, key)?;
        }
        clear_conflict(&tx, remote, key)?;
        tx.commit()?;
        Ok(true)
    }
}

/// Writes `next` over `current` (creating, replacing or deleting the segment) with its
/// revision, made by `remote` or locally; the outbox entries follow from the revision.
pub(crate) fn write_segment(
    tx: &Connection,
    remote: Option<&str>,
    key: &str,
    current: Option<&StoredSegment>,
    next: Option<&Segment>,
) -> Result<(), StoreError> {
    let (action, previous) = match (next, current) {
        (Some(next), Some(current)) if *next == current.segment => return Ok(()),
        (None, None) => return Ok(()),
        (Some(next), Some(current)) => {
            check_references(tx, std::slice::from_ref(next))?;
            replace(tx, next, current.created_at)?;
            (RevisionAction::Update, Some(&current.segment))
        }
        (Some(next), None) => {
            check_references(tx, std::slice::from_ref(next))?;
            insert(tx, next)?;
            (RevisionAction::Create, None)
        }
        (None, Some(current)) => {
            let referrers = referrers(tx, key)?;
            if !referrers.is_empty() {
                return Err(StoreError::Referenced {
                    key: key.to_owned(),
                    referrers,
                });
            }
            tx.execute("DELETE FROM segments WHERE key = ?1", [key])?;
            (RevisionAction::Delete, Some(&current.segment))
        }
    };
    record_from(tx, remote, key, action, previous, next)?;
    Ok(())
}

/// Marks the pending outbox entry of `key` for `remote` as sent.
fn finish_outbox(tx: &Connection, remote: &str, key: &str) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE outbox SET done_at = ?3
         WHERE remote = ?1 AND segment_key = ?2 AND done_at IS NULL",
        params![remote, key, Timestamp::now()],
    )?;
    Ok(())
}

pub(crate) fn clear_conflict(tx: &Connection, remote: &str, key: &str) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM conflicts WHERE remote = ?1 AND segment_key = ?2",
        params![remote, key],
    )?;
    Ok(())
}

pub(crate) fn set_binding(
    tx: &Connection,
    remote: &str,
    key: &str,
    change: &BindingChange,
) -> Result<(), StoreError> {
    match change {
        BindingChange::Set {
            remote_id,
            base,
            version,
        } => {
            // Another key bound to this remote id (a Krafter rename) gives way.
            tx.execute(
                "DELETE FROM bindings WHERE remote = ?1 AND remote_id = ?2 AND segment_key <> ?3",
                params![remote, remote_id, key],
            )?;
            // The create in flight, if any, has its answer now.
            tx.execute(
                "DELETE FROM creates_in_flight WHERE remote = ?1 AND segment_key = ?2",
                params![remote, key],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO bindings (remote, segment_key, remote_id, base, version, synced_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    remote,
                    key,
                    remote_id,
                    base.to_json().to_string(),
                    version,
                    Timestamp::now()
                ],
            )?;
        }
        BindingChange::Remove => {
            tx.execute(
                "DELETE FROM bindings WHERE remote = ?1 AND segment_key = ?2",
                params![remote, key],
            )?;
            tx.execute(
                "DELETE FROM creates_in_flight WHERE remote = ?1 AND segment_key = ?2",
                params![remote, key],
            )?;
        }
    }
    Ok(())
}

type BindingRow = (String, String, String, Option<String>);

fn binding_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BindingRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn decode_binding((key, remote_id, base, version): BindingRow) -> Result<Binding, StoreError> {
    let corrupt = |source| StoreError::Corrupt {
        key: key.clone(),
        source,
    };
    let value =
        segments_engine::parse_json_text(&base, usize::MAX, "sync base").map_err(corrupt)?;
    let base = parse_segment(&value).map_err(corrupt)?;
    Ok(Binding {
        segment_key: key,
        remote_id,
        base,
        version,
    })
}

fn binding_where(
    conn: &Connection,
    condition: &str,
    remote: &str,
    value: &str,
) -> Result<Option<Binding>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT segment_key, remote_id, base, version FROM bindings WHERE {condition}"
    ))?
    .query_row([remote, value], binding_row)
    .optional()?
    .map(decode_binding)
    .transpose()
}
