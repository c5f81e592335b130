//! The dry run of a push: the exact requests, bodies and per-field diffs it would send,
//! worked out the way the push works them out, and sending nothing.

use std::collections::HashMap;
use std::sync::Mutex;

use segments_engine::{Segment, describe_changes};
use serde_json::Value;

use segments_store::Field;

use crate::api::RemoteSegment;
use crate::dialect::{Dialect, Wire};
use crate::plan::{Remote, Step, plan};
use crate::pull::lock;
use crate::push::same_identity;
use crate::readiness::{Checker, summary};
use crate::review::local;
use serde::Serialize;

use crate::credentials::Credentials;
use crate::{ChangeOp, KeyMessage, SyncError, SyncOptions};
use segments_store::Store;

/// The preview from local knowledge alone: diffs against the last synced versions. No
/// network, no token needed.
pub fn preview(store: &Store, remote: &str) -> Result<PushPreview, SyncError> {
    plan_all(store, remote, None)
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
    let api = crate::remotes::connect(store, credentials, remote, options)?;
    let listing: HashMap<String, RemoteSegment> = api
        .list()
        .await?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    plan_all(&lock(store), remote, Some(&listing))
}

fn plan_all(
    store: &Store,
    remote: &str,
    listing: Option<&HashMap<String, RemoteSegment>>,
) -> Result<PushPreview, SyncError> {
    let record = store.remote(remote)?;
    let project = record.project_id.as_deref();
    let dialect = record.dialect;
    let mut preview = PushPreview {
        remote: remote.to_owned(),
        checked_remote: listing.is_some(),
        linked: Vec::new(),
        changes: Vec::new(),
        refused: Vec::new(),
        conflicts: Vec::new(),
    };
    let mut checker = Checker::new(store, dialect);
    for entry in store.pending(remote)? {
        let key = entry.segment_key;
        if store.conflict(remote, &key)?.is_some() {
            preview.conflicts.push(key);
            continue;
        }
        let mine = local(store, &key)?;
        if let Some(mine) = &mine {
            let problems = checker.problems(mine)?;
            if !problems.is_empty() {
                preview.refused.push(KeyMessage {
                    message: summary(remote, dialect, &problems),
                    key,
                });
                continue;
            }
        }
        let binding = store.binding(remote, &key)?;
        let base = binding.as_ref().map(|b| &b.base);
        // What the remote holds: offline, the last agreed version stands in for it; online,
        // the listing's copy (for an unbound segment: one with the same identity).
        let found = match (listing, &binding) {
            (None, _) => None,
            (Some(listing), Some(binding)) => listing.get(&binding.remote_id),
            (Some(listing), None) => mine.as_ref().and_then(|mine| {
                listing
                    .values()
                    .find(|s| same_identity(store, remote, s, mine))
            }),
        };
        let theirs = match (listing, found) {
            (None, _) => base.cloned(),
            (Some(_), None) => None,
            (Some(_), Some(found)) => match dialect.decode(&found.object, &key) {
                Ok(theirs) => Some(theirs),
                Err(message) => {
                    preview.refused.push(KeyMessage {
                        message: format!(
                            "the remote's copy of \"{key}\" cannot be read ({message}); a push would fail for it"
                        ),
                        key,
                    });
                    continue;
                }
            },
        };
        let copy = theirs.as_ref().map_or(Remote::Absent, Remote::Copy);
        let id = binding
            .as_ref()
            .map_or(key.as_str(), |b| b.remote_id.as_str());
        let (op, after, body, merged) = match plan(dialect, project, mine.as_ref(), base, copy) {
            // Every input is known here, so the planner never asks for more.
            Step::Fetch | Step::Settle | Step::Forget => continue,
            Step::Link => {
                preview.linked.push(key);
                continue;
            }
            Step::Conflict(_) => {
                preview.conflicts.push(key);
                continue;
            }
            Step::Refuse(problems) => {
                preview.refused.push(KeyMessage {
                    message: summary(remote, dialect, &problems),
                    key,
                });
                continue;
            }
            Step::Create { body } => (ChangeOp::Create, mine.clone(), Some(body), false),
            Step::Update { send, body, merged } => {
                (ChangeOp::Update, Some(send), Some(body), merged)
            }
            Step::Delete => (ChangeOp::Delete, None, None, false),
        };
        preview.changes.push(PlannedChange {
            request: request_line(remote, dialect, op, id, project)?,
            diffs: diffs(dialect, theirs.as_ref(), after.as_ref()),
            // In the dialect's normal form, as the diffs are: a spelling is not a change.
            summary: describe_changes(
                theirs.as_ref().map(|t| dialect.normalize(t)).as_ref(),
                after.as_ref().map(|a| dialect.normalize(a)).as_ref(),
            ),
            key,
            op,
            body,
            merged,
        });
    }
    Ok(preview)
}

/// The fields that change, from what the remote holds (`before`) to what is sent.
fn diffs(dialect: Dialect, before: Option<&Segment>, after: Option<&Segment>) -> Vec<FieldDiff> {
    let before = before.map(|b| dialect.normalize(b).to_json());
    let after = after.map(|a| dialect.normalize(a).to_json());
    Field::ALL
        .into_iter()
        .filter_map(|field| {
            let before = before
                .as_ref()
                .map_or(Value::Null, |b| field.value(b).clone());
            let after = after
                .as_ref()
                .map_or(Value::Null, |a| field.value(a).clone());
            (before != after).then_some(FieldDiff {
                field,
                before,
                after,
            })
        })
        .collect()
}

fn request_line(
    remote: &str,
    dialect: Dialect,
    op: ChangeOp,
    id: &str,
    project: Option<&str>,
) -> Result<String, SyncError> {
    let collection = crate::api::collection(dialect, project)
        .ok_or_else(|| crate::api::missing_project(remote, dialect))?;
    let collection = format!("/{}", collection.join("/"));
    Ok(match (op, dialect) {
        (ChangeOp::Create, _) => format!("POST {collection}"),
        (ChangeOp::Update, Dialect::Krafter) => format!("PATCH {collection}/{id}"),
        (ChangeOp::Update, _) => format!("PUT {collection}/{id}"),
        (ChangeOp::Delete, _) => format!("DELETE {collection}/{id}"),
    })
}

/// One field that a change sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FieldDiff {
    /// Which field.
    pub field: Field,
    /// The remote's value as last synced (null for a create).
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub before: Value,
    /// The value to send (null for a delete).
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub after: Value,
}

/// A change a push would send.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PlannedChange {
    /// The segment.
    pub key: String,
    /// Create, update or delete.
    pub op: ChangeOp,
    /// The fields that change.
    pub diffs: Vec<FieldDiff>,
    /// The same change in the rule builder's words, one phrase each ("removed FR from
    /// country"); empty for a create or a delete.
    pub summary: Vec<String>,
    /// The request: method and path.
    pub request: String,
    /// The exact body sent (none for a delete).
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub body: Option<Value>,
    /// The remote changed other fields since the last sync: the body is the merge of both
    /// sides, which is also saved locally.
    pub merged: bool,
}

/// What a push would do (`push --dry-run`), worked out from the outbox and, when
/// `checked_remote`, the remote's current listing; nothing is written anywhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PushPreview {
    /// The remote.
    pub remote: String,
    /// Whether the remote's current copies were read (else the diffs are against the last
    /// synced versions, and remote edits since then show up only when the push runs).
    pub checked_remote: bool,
    /// Segments the remote already holds exactly: the push only links them.
    pub linked: Vec<String>,
    /// The changes, in the order they would be sent.
    pub changes: Vec<PlannedChange>,
    /// Segments the remote's dialect cannot express, with the construct named.
    pub refused: Vec<KeyMessage>,
    /// Segments held back by a conflict.
    pub conflicts: Vec<String>,
}
