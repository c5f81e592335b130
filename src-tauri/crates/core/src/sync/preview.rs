//! The dry run of a push: the exact requests, bodies and per-field diffs it would send,
//! worked out the way the push works them out, and sending nothing.

use std::collections::HashMap;
use std::sync::Mutex;

use segments_engine::Segment;
use serde_json::Value;

use super::api::RemoteSegment;
use super::dialect::Dialect;
use super::merge::{FIELDS, Merge, differing, field, merge};
use super::pull::lock;
use super::review::{dialect_of, local};
use super::{ChangeOp, FieldDiff, KeyMessage, PlannedChange, PushPreview, SyncError, SyncOptions};
use crate::credentials::Credentials;
use crate::store::Store;

/// The preview from local knowledge alone: diffs against the last synced versions. No
/// network, no token needed.
pub fn preview(store: &Store, remote: &str) -> Result<PushPreview, SyncError> {
    plan(store, remote, None)
}

/// The preview against the remote as it is now: one listing is read (nothing is written),
/// so creates the remote already holds, remote edits to merge and conflicts show up before
/// anything is sent.
pub async fn preview_remote(
    store: &Mutex<Store>,
    credentials: &Credentials,
    remote: &str,
    options: &SyncOptions,
) -> Result<PushPreview, SyncError> {
    let api = super::remotes::connect(store, credentials, remote, options)?;
    let listing: HashMap<String, RemoteSegment> = api
        .list()
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    plan(&lock(store), remote, Some(&listing))
}

/// What the remote holds for one segment, as far as the plan knows.
enum Theirs {
    /// Nothing (or, offline, nothing bound).
    Absent,
    /// This document (`None` when it cannot be read).
    Copy(Option<Segment>),
}

fn plan(
    store: &Store,
    remote: &str,
    listing: Option<&HashMap<String, RemoteSegment>>,
) -> Result<PushPreview, SyncError> {
    let record = store.remote(remote)?;
    let project = record.project_id.as_deref();
    let dialect = dialect_of(store, remote)?;
    let mut preview = PushPreview {
        remote: remote.to_owned(),
        checked_remote: listing.is_some(),
        linked: Vec::new(),
        changes: Vec::new(),
        refused: Vec::new(),
        conflicts: Vec::new(),
    };
    for entry in store.pending(remote)? {
        let key = entry.segment_key;
        if store.conflict(remote, &key)?.is_some() {
            preview.conflicts.push(key);
            continue;
        }
        let mine = local(store, &key)?;
        let binding = store.binding(remote, &key)?;
        let theirs = match (listing, &binding) {
            (None, Some(binding)) => Theirs::Copy(Some(binding.base.clone())),
            (None, None) => Theirs::Absent,
            (Some(listing), Some(binding)) => copy(dialect, listing.get(&binding.remote_id), &key),
            (Some(listing), None) => {
                let found = mine.as_ref().and_then(|mine| {
                    listing.values().find(|s| match &s.key {
                        Some(k) => *k == key,
                        None => {
                            s.name == mine.name
                                && store
                                    .binding_by_remote_id(remote, &s.id)
                                    .is_ok_and(|b| b.is_none())
                        }
                    })
                });
                match found {
                    Some(found) => copy(dialect, Some(found), &key),
                    None => Theirs::Absent,
                }
            }
        };
        let base = binding.as_ref().map(|b| &b.base);
        let id = binding
            .as_ref()
            .map_or(key.as_str(), |b| b.remote_id.as_str());
        let step = match (&mine, theirs) {
            (None, Theirs::Absent) => continue,
            (Some(mine), Theirs::Absent) if binding.is_none() => {
                Step::Send(ChangeOp::Create, mine.clone(), None, false)
            }
            // Bound, but gone from the remote: deleted there.
            (Some(_), Theirs::Absent) => Step::Conflict,
            (_, Theirs::Copy(None)) => Step::Conflict,
            (Some(mine), Theirs::Copy(Some(theirs))) => match base {
                None if differing(dialect, mine, &theirs).is_empty() => Step::Link,
                None => Step::Conflict,
                Some(base) if differing(dialect, &theirs, base).is_empty() => {
                    if differing(dialect, mine, base).is_empty() {
                        continue;
                    }
                    Step::Send(ChangeOp::Update, mine.clone(), Some(theirs), false)
                }
                Some(_) if differing(dialect, mine, &theirs).is_empty() => Step::Link,
                Some(base) => match merge(dialect, base, mine, &theirs) {
                    Merge::Clean(merged) => {
                        Step::Send(ChangeOp::Update, merged, Some(theirs), true)
                    }
                    Merge::Conflict(_) => Step::Conflict,
                },
            },
            (None, Theirs::Copy(Some(theirs))) => match base {
                Some(base) if differing(dialect, &theirs, base).is_empty() => {
                    Step::Send(ChangeOp::Delete, theirs.clone(), Some(theirs), false)
                }
                _ => Step::Conflict,
            },
        };
        match step {
            Step::Link => preview.linked.push(key),
            Step::Conflict => preview.conflicts.push(key),
            Step::Send(op, sending, theirs, merged) => {
                let encoded = match (op, &theirs) {
                    (ChangeOp::Delete, _) => Ok(Value::Null),
                    (ChangeOp::Update, Some(theirs)) => dialect.encode_update(&sending, theirs),
                    _ => dialect.encode(&sending, project, false),
                };
                let body = match encoded {
                    Ok(Value::Null) => None,
                    Ok(body) => Some(body),
                    Err(problems) => {
                        preview.refused.push(KeyMessage {
                            message: format!(
                                "segment \"{key}\" cannot be pushed to \"{remote}\" ({}): {}",
                                dialect.as_str(),
                                problems.join("; ")
                            ),
                            key,
                        });
                        continue;
                    }
                };
                let after = (op != ChangeOp::Delete).then_some(&sending);
                preview.changes.push(PlannedChange {
                    request: request_line(dialect, op, id, project),
                    diffs: diffs(dialect, theirs.as_ref(), after),
                    key,
                    op,
                    body,
                    merged,
                });
            }
        }
    }
    Ok(preview)
}

/// What one outbox entry comes to.
#[allow(clippy::large_enum_variant)] // one at a time, never stored
enum Step {
    /// Send this (the segment to send, what the remote holds, whether it is a merge).
    Send(ChangeOp, Segment, Option<Segment>, bool),
    /// The remote holds it exactly: link only.
    Link,
    /// Changed on both sides: held back for the user.
    Conflict,
}

fn copy(dialect: Dialect, remote: Option<&RemoteSegment>, key: &str) -> Theirs {
    match remote {
        Some(remote) => Theirs::Copy(dialect.decode(&remote.object, key).ok()),
        None => Theirs::Absent,
    }
}

/// The fields that change, from what the remote holds (`before`) to what is sent.
fn diffs(dialect: Dialect, before: Option<&Segment>, after: Option<&Segment>) -> Vec<FieldDiff> {
    let before = before.map(|b| dialect.normalize(b));
    let after = after.map(|a| dialect.normalize(a));
    FIELDS
        .into_iter()
        .filter_map(|name| {
            let before = before.as_ref().map_or(Value::Null, |b| field(b, name));
            let after = after.as_ref().map_or(Value::Null, |a| field(a, name));
            (before != after).then(|| FieldDiff {
                field: name.to_owned(),
                before,
                after,
            })
        })
        .collect()
}

fn request_line(dialect: Dialect, op: ChangeOp, id: &str, project: Option<&str>) -> String {
    let collection = match dialect {
        Dialect::Projects => format!("/v1/projects/{}/segments", project.unwrap_or("")),
        Dialect::Krafter => "/flags/segments".to_owned(),
        Dialect::Edgeflags => "/api/v1/segments".to_owned(),
    };
    match (op, dialect) {
        (ChangeOp::Create, _) => format!("POST {collection}"),
        (ChangeOp::Update, Dialect::Krafter) => format!("PATCH {collection}/{id}"),
        (ChangeOp::Update, _) => format!("PUT {collection}/{id}"),
        (ChangeOp::Delete, _) => format!("DELETE {collection}/{id}"),
    }
}
