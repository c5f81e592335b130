//! What needs the user: the status of a remote, the dry-run preview of a push, and the
//! conflicts with their resolution. None of it talks to the network.

use std::collections::{BTreeMap, HashSet};

use segments_engine::{IssueCode, Segment, ValidationError, parse_segment};
use serde_json::Value;

use crate::dialect::Dialect;
use crate::readiness::{Checker, summary};
use serde::Serialize;

use crate::{ChangeOp, SyncError};
use segments_store::{Binding, ConflictRecord, Field, Side, Store, StoreError};

fn dialect_of(store: &Store, remote: &str) -> Result<Dialect, SyncError> {
    Ok(store.remote(remote)?.dialect)
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
        (Some(mine), Some(binding)) => (!crate::dialect::differing(dialect, mine, &binding.base)
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
    let mut refused = HashSet::new();
    let mut checker = Checker::new(store, dialect);
    for entry in store.pending(remote)? {
        let mine = local(store, &entry.segment_key)?;
        let op = planned_op(dialect, mine.as_ref(), bindings.get(&entry.segment_key));
        if op.is_some() {
            waiting.insert(entry.segment_key.clone());
        }
        let problems = match (&mine, op) {
            (Some(mine), Some(_)) => checker.problems(mine)?,
            _ => Vec::new(),
        };
        if !problems.is_empty() {
            refused.insert(entry.segment_key.clone());
        }
        pending.push(PendingChange {
            key: entry.segment_key,
            op,
            attempts: entry.attempts,
            last_error: entry.last_error,
            refused: (!problems.is_empty()).then(|| summary(remote, dialect, &problems)),
        });
    }
    let conflicts: Vec<ConflictSummary> = store
        .conflicts(remote)?
        .into_iter()
        .map(|c| ConflictSummary {
            key: c.segment_key,
            fields: c.kind.fields().to_vec(),
            deleted: c.kind.deleted(),
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
            } else if refused.contains(&key) {
                SyncBadge::CantPush
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
        fields: record.kind.fields().to_vec(),
        deleted: record.kind.deleted(),
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
    edited: Option<&Segment>,
) -> Result<(), SyncError> {
    if let Some(edited) = edited.filter(|e| e.key != key) {
        return Err(StoreError::Invalid(ValidationError::single(
            "key",
            IssueCode::KeyChanged,
            format!(
                "a resolution of \"{key}\" cannot change its key to \"{}\"; keep the key, or duplicate the segment afterwards",
                edited.key
            ),
        ))
        .into());
    }
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
    match (take, &edited) {
        (Take::Mine, _) | (_, Some(_)) => {
            store.keep_mine(remote, &record, theirs.as_ref(), edited)?;
        }
        (Take::Theirs, None) => {
            // What this database held when the conflict was shown: a local edit made since
            // must not be overwritten by a choice made without seeing it.
            let shown_mine = record
                .mine
                .as_ref()
                .map(parse_segment)
                .transpose()
                .map_err(StoreError::from)?;
            let change = match (&theirs, &record.remote_id) {
                (Some(theirs), Some(id)) => segments_store::BindingChange::Set {
                    remote_id: id.clone(),
                    base: theirs.clone(),
                    version: record.theirs_version.clone(),
                },
                _ => segments_store::BindingChange::Remove,
            };
            let change = segments_store::RemoteChange {
                expected: Some(shown_mine.as_ref()),
                next: theirs.as_ref(),
                binding: change,
                still_pending: false,
            };
            if !store.apply_remote(remote, key, change)? {
                // Show the conflict again with the newer local version.
                let current = match store.get_segment(key) {
                    Ok(stored) => Some(stored.segment.to_json()),
                    Err(StoreError::NotFound(_)) => None,
                    Err(e) => return Err(e.into()),
                };
                store.record_conflict(
                    remote,
                    &ConflictRecord {
                        mine: current,
                        ..record
                    },
                )?;
                return Err(SyncError::ChangedSinceShown {
                    remote: remote.to_owned(),
                    key: key.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// The documents of a segment's three versions, for the conflict view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ConflictView {
    /// The remote.
    pub remote: String,
    /// The segment.
    pub key: String,
    /// The fields both sides changed differently (none when one side deleted it).
    pub fields: Vec<Field>,
    /// The side that deleted the segment while the other changed it.
    pub deleted: Option<Side>,
    /// The last agreed version (none when both sides created it independently).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub base: Option<Value>,
    /// This database's version (none when deleted here).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub mine: Option<Value>,
    /// The remote's version (none when deleted there).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub theirs: Option<Value>,
}

/// How to resolve a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Take {
    /// Keep the local version; the next push sends it over the remote's.
    Mine,
    /// Take the remote's version locally.
    Theirs,
}

/// A segment's state against one remote, as its badge shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncBadge {
    /// Both sides hold the same segment.
    InSync,
    /// Local changes wait for a push.
    LocalChanges,
    /// Changed on both sides; waits for the user.
    Conflict,
    /// The remote does not have it yet.
    NotOnRemote,
    /// Waiting to go, but the remote cannot hold it as it is (see the editor for why).
    CantPush,
}

/// One segment's badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SegmentBadge {
    /// The segment.
    pub key: String,
    /// Its state.
    pub state: SyncBadge,
}

/// A change waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PendingChange {
    /// The segment.
    pub key: String,
    /// What a push would do (none: nothing left to send, the entry is dropped).
    pub op: Option<ChangeOp>,
    /// Failed attempts since the last change.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Why no push can send it as it is: it waits for an edit, not for a retry.
    #[cfg_attr(feature = "typescript", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// A conflict, briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ConflictSummary {
    /// The segment.
    pub key: String,
    /// The fields both sides changed (none when one side deleted it).
    pub fields: Vec<Field>,
    /// The side that deleted the segment while the other changed it.
    pub deleted: Option<Side>,
}

/// Where a remote stands (`segments sync status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SyncStatus {
    /// The remote.
    pub remote: String,
    /// Local changes not yet pushed, in outbox order.
    pub pending: Vec<PendingChange>,
    /// Conflicts by key.
    pub conflicts: Vec<ConflictSummary>,
    /// Every local segment's badge.
    pub segments: Vec<SegmentBadge>,
}
