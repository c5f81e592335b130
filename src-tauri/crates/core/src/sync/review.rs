//! What needs the user: the status of a remote, the dry-run preview of a push, and the
//! conflicts with their resolution. None of it talks to the network.

use std::collections::{BTreeMap, HashSet};

use segments_engine::{Segment, parse_segment};
use serde_json::Value;

use super::dialect::Dialect;
use super::{
    ChangeOp, ConflictSummary, ConflictView, PendingChange, SegmentBadge, SyncBadge, SyncError,
    SyncStatus, Take,
};
use crate::store::{Binding, Store, StoreError};

pub(super) fn dialect_of(store: &Store, remote: &str) -> Result<Dialect, SyncError> {
    let record = store.remote(remote)?;
    Dialect::from_name(&record.dialect).ok_or_else(|| SyncError::InvalidRemote {
        detail: format!(
            "the remote \"{remote}\" has an unknown dialect \"{}\"",
            record.dialect
        ),
    })
}

pub(super) fn local(store: &Store, key: &str) -> Result<Option<Segment>, StoreError> {
    match store.get_segment(key) {
        Ok(stored) => Ok(Some(stored.segment)),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What a push would do for one outbox entry, from local knowledge.
fn planned_op(
    dialect: Dialect,
    mine: Option<&Segment>,
    binding: Option<&Binding>,
) -> Option<ChangeOp> {
    match (mine, binding) {
        (Some(_), None) => Some(ChangeOp::Create),
        (Some(mine), Some(binding)) => (!super::merge::differing(dialect, mine, &binding.base)
            .is_empty())
        .then_some(ChangeOp::Update),
        (None, Some(_)) => Some(ChangeOp::Delete),
        (None, None) => None,
    }
}

/// The outbox, the conflicts and every segment's badge for `remote`.
pub fn status(store: &Store, remote: &str) -> Result<SyncStatus, SyncError> {
    let dialect = dialect_of(store, remote)?;
    let bindings: BTreeMap<String, Binding> = store
        .bindings(remote)?
        .into_iter()
        .map(|b| (b.segment_key.clone(), b))
        .collect();
    let mut pending = Vec::new();
    let mut waiting = HashSet::new();
    for entry in store.pending(remote)? {
        let mine = local(store, &entry.segment_key)?;
        let op = planned_op(dialect, mine.as_ref(), bindings.get(&entry.segment_key));
        if op.is_some() {
            waiting.insert(entry.segment_key.clone());
        }
        pending.push(PendingChange {
            key: entry.segment_key,
            op,
            attempts: entry.attempts,
            last_error: entry.last_error,
        });
    }
    let conflicts: Vec<ConflictSummary> = store
        .conflicts(remote)?
        .into_iter()
        .map(|c| ConflictSummary {
            key: c.segment_key,
            fields: c.fields,
        })
        .collect();
    let conflicted: HashSet<&str> = conflicts.iter().map(|c| c.key.as_str()).collect();
    let segments = store
        .list_segments()?
        .into_iter()
        .map(|s| {
            let key = s.segment.key;
            let state = if conflicted.contains(key.as_str()) {
                SyncBadge::Conflict
            } else if !bindings.contains_key(&key) {
                SyncBadge::NotOnRemote
            } else if waiting.contains(&key) {
                SyncBadge::LocalChanges
            } else {
                SyncBadge::InSync
            };
            SegmentBadge { key, state }
        })
        .collect();
    Ok(SyncStatus {
        remote: remote.to_owned(),
        pending,
        conflicts,
        segments,
    })
}

/// The three versions of a conflicted segment.
pub fn conflict(store: &Store, remote: &str, key: &str) -> Result<ConflictView, SyncError> {
    let record = store
        .conflict(remote, key)?
        .ok_or_else(|| SyncError::NoConflict {
            remote: remote.to_owned(),
            key: key.to_owned(),
        })?;
    Ok(ConflictView {
        remote: remote.to_owned(),
        key: key.to_owned(),
        fields: record.fields,
        base: record.base,
        mine: record.mine,
        theirs: record.theirs,
    })
}

/// Resolves a conflict: keep mine (sent over theirs by the next push), take theirs (applied
/// locally now), or, with `edited`, save that document locally first and keep it.
pub fn resolve(
    store: &mut Store,
    remote: &str,
    key: &str,
    take: Take,
    edited: Option<&Value>,
) -> Result<(), SyncError> {
    let record = store
        .conflict(remote, key)?
        .ok_or_else(|| SyncError::NoConflict {
            remote: remote.to_owned(),
            key: key.to_owned(),
        })?;
    let theirs = record
        .theirs
        .as_ref()
        .map(parse_segment)
        .transpose()
        .map_err(StoreError::from)?;
    let edited = edited
        .map(|draft| crate::studio::parse_draft_for(draft, key))
        .transpose()
        .map_err(StoreError::from)?;
    match (take, &edited) {
        (Take::Mine, _) | (_, Some(_)) => {
            store.keep_mine(remote, &record, theirs.as_ref(), edited.as_ref())?;
        }
        (Take::Theirs, None) => {
            let change = match (&theirs, &record.remote_id) {
                (Some(theirs), Some(id)) => crate::store::BindingChange::Set {
                    remote_id: id.clone(),
                    base: theirs.clone(),
                    version: record.theirs_version.clone(),
                },
                _ => crate::store::BindingChange::Remove,
            };
            let change = crate::store::RemoteChange {
                expected: None,
                next: theirs.as_ref(),
                binding: change,
                still_pending: false,
            };
            store.apply_remote(remote, key, change)?;
        }
    }
    Ok(())
}
