//! Push: send the outbox in order. Before writing, the remote's current copy is compared
//! with the base, so a remote edit is merged or becomes a conflict instead of being
//! overwritten; EdgeFlags also guards the write with `If-Match`. A create whose answer was
//! lost is looked up before it is tried again, so no duplicate is made.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use segments_engine::Segment;

use super::api::{Api, RemoteSegment};
use super::dialect::Dialect;
use super::merge::{Merge, differing, merge};
use super::pull::{conflict_record, lock};
use super::{KeyMessage, SyncError, SyncProgress, SyncReport};
use crate::store::{Binding, BindingChange, RemoteChange, Store, StoreError};

/// Times a create is tried again after its answer was lost and a lookup found nothing.
const CREATE_ROUNDS: u32 = 6;
/// How old Krafter's listing may be when it stands for the remote's current copies.
const LISTING_MAX_AGE: Duration = Duration::from_secs(10);
/// Times an update is tried again when the remote changes under it (EdgeFlags 412).
const UPDATE_ROUNDS: u32 = 3;

pub(crate) async fn push(
    store: &Mutex<Store>,
    api: &Api,
    remote: &str,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    let entries = lock(store).pending(remote)?;
    let mut report = SyncReport {
        remote: remote.to_owned(),
        ..SyncReport::default()
    };
    if !entries.is_empty() {
        let mut run = Run {
            store,
            api,
            remote,
            // One listing gives the remote's current copies, to compare with the bases.
            snapshot: api
                .list()
                .await?
                .into_iter()
                .map(|s| (s.id.clone(), s))
                .collect(),
            listed_at: Instant::now(),
            report: &mut report,
        };
        let total = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        for (done, entry) in (1..).zip(&entries) {
            let key = &entry.segment_key;
            if lock(store).conflict(remote, key)?.is_some() {
                run.report.conflicts.push(key.clone());
            } else if let Err(e) = run.one(key).await {
                if e.is_remote_wide() {
                    return Err(e);
                }
                let message = e.to_string();
                lock(store).note_push_failure(entry.id, &message)?;
                run.report.failed.push(KeyMessage {
                    key: key.clone(),
                    message,
                });
            } else if let Some(refusal) = run.report.refused.last().filter(|r| r.key == *key) {
                lock(store).note_push_failure(entry.id, &refusal.message.clone())?;
            }
            progress(SyncProgress {
                done,
                total,
                key: Some(key.clone()),
            });
        }
    }
    report.requests = api.http.counters.requests.load(Ordering::Relaxed);
    report.retries = api.http.counters.retries.load(Ordering::Relaxed);
    Ok(report)
}

struct Run<'a> {
    store: &'a Mutex<Store>,
    api: &'a Api,
    remote: &'a str,
    snapshot: HashMap<String, RemoteSegment>,
    /// When `snapshot` was listed.
    listed_at: Instant,
    report: &'a mut SyncReport,
}

impl Run<'_> {
    fn dialect(&self) -> Dialect {
        self.api.dialect
    }

    async fn one(&mut self, key: &str) -> Result<(), SyncError> {
        let (mine, binding) = {
            let store = lock(self.store);
            let mine = match store.get_segment(key) {
                Ok(stored) => Some(stored.segment),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            };
            (mine, store.binding(self.remote, key)?)
        };
        match (mine, binding) {
            // Created and deleted before any push: nothing to send.
            (None, None) => {
                Ok(lock(self.store).note_pushed(self.remote, key, None, BindingChange::Remove)?)
            }
            (Some(mine), None) => self.create(key, &mine).await,
            (Some(mine), Some(binding)) => self.update(key, &mine, &binding).await,
            (None, Some(binding)) => self.delete(key, &binding).await,
        }
    }

    /// Encodes for the remote, or files the refusal naming the constructs.
    fn encode(
        &mut self,
        key: &str,
        encoded: Result<serde_json::Value, Vec<String>>,
    ) -> Option<serde_json::Value> {
        match encoded {
            Ok(body) => Some(body),
            Err(problems) => {
                self.report.refused.push(KeyMessage {
                    key: key.to_owned(),
                    message: format!(
                        "segment \"{key}\" cannot be pushed to \"{}\" ({}): {}; change it, or keep it local",
                        self.remote,
                        self.dialect().as_str(),
                        problems.join("; ")
                    ),
                });
                None
            }
        }
    }

    async fn create(&mut self, key: &str, mine: &Segment) -> Result<(), SyncError> {
        let encoded = self.dialect().encode(mine, self.api.project_id(), false);
        let Some(body) = self.encode(key, encoded) else {
            return Ok(());
        };
        if let Some(existing) = self.existing(mine) {
            return self.adopt(key, mine, &existing, false);
        }
        let mut round = 1;
        loop {
            match self.api.create(&body).await {
                Ok(created) => {
                    self.bound(key, mine, &created)?;
                    self.report.created.push(key.to_owned());
                    self.snapshot.insert(created.id.clone(), created);
                    return Ok(());
                }
                Err(f) if f.maybe_applied || f.status == Some(StatusCode::CONFLICT) => {
                    // The answer was lost (or the key is taken): look before trying again.
                    if let Some(existing) = self.lookup(mine).await? {
                        return self.adopt(key, mine, &existing, f.maybe_applied);
                    }
                    if f.status == Some(StatusCode::CONFLICT) || round >= CREATE_ROUNDS {
                        return Err(self.api.explain(f, true, Some(key)));
                    }
                    // A successful write with no body to read: the lookup found nothing yet.
                    self.api.http.pause(round).await;
                    round += 1;
                }
                // No collection to create in: the URL or project is wrong for every segment.
                Err(f) if f.status == Some(StatusCode::NOT_FOUND) => {
                    return Err(self.api.explain(f, true, None));
                }
                Err(f) => return Err(self.api.explain(f, true, Some(key))),
            }
        }
    }

    /// A remote copy of a segment that has no binding yet: the same key, or on Krafter an
    /// unlinked segment with the same name.
    fn existing(&self, mine: &Segment) -> Option<RemoteSegment> {
        let store = lock(self.store);
        self.snapshot
            .values()
            .find(|s| self.same_identity(&store, s, mine))
            .cloned()
    }

    async fn lookup(&mut self, mine: &Segment) -> Result<Option<RemoteSegment>, SyncError> {
        if self.dialect().has_server_ids() {
            self.relist().await?;
            Ok(self.existing(mine))
        } else {
            self.api.get(&mine.key).await
        }
    }

    fn same_identity(&self, store: &Store, remote: &RemoteSegment, mine: &Segment) -> bool {
        match &remote.key {
            Some(key) => *key == mine.key,
            None => {
                remote.name == mine.name
                    && store
                        .binding_by_remote_id(self.remote, &remote.id)
                        .is_ok_and(|b| b.is_none())
            }
        }
    }

    /// Links a remote copy found where a create was about to go: equal content means the
    /// same segment (perhaps our own create whose answer was lost); different content is a
    /// conflict, never overwritten.
    fn adopt(
        &mut self,
        key: &str,
        mine: &Segment,
        existing: &RemoteSegment,
        ours: bool,
    ) -> Result<(), SyncError> {
        let theirs = self.decode(key, existing)?;
        let fields = differing(self.dialect(), mine, &theirs);
        if fields.is_empty() {
            self.bound(key, mine, existing)?;
            if ours {
                self.report.created.push(key.to_owned());
            } else {
                self.report.linked.push(key.to_owned());
            }
        } else {
            let record = conflict_record(existing, None, Some(mine), Some(&theirs), key, fields);
            lock(self.store).record_conflict(self.remote, &record)?;
            self.report.conflicts.push(key.to_owned());
        }
        Ok(())
    }

    async fn update(
        &mut self,
        key: &str,
        mine: &Segment,
        binding: &Binding,
    ) -> Result<(), SyncError> {
        let base = &binding.base;
        if differing(self.dialect(), mine, base).is_empty() {
            // Nothing the remote would see changed (a local-only spelling, or an undo).
            let agreed = BindingChange::Set {
                remote_id: binding.remote_id.clone(),
                base: mine.clone(),
                version: binding.version.clone(),
            };
            lock(self.store).note_pushed(self.remote, key, Some(mine), agreed)?;
            return Ok(());
        }
        let encoded = self.dialect().encode(mine, None, true);
        if self.encode(key, encoded).is_none() {
            return Ok(());
        }
        let mut wrote = false;
        for round in 0..UPDATE_ROUNDS {
            let current = self.current(&binding.remote_id, round > 0).await?;
            let Some(current) = current else {
                let record = conflict_record_deleted(binding, Some(mine), key);
                lock(self.store).record_conflict(self.remote, &record)?;
                self.report.conflicts.push(key.to_owned());
                return Ok(());
            };
            let theirs = self.decode(key, &current)?;
            let mut sending = mine.clone();
            if !differing(self.dialect(), &theirs, base).is_empty() {
                if differing(self.dialect(), &theirs, mine).is_empty() {
                    self.bound(key, mine, &current)?;
                    let list = if wrote {
                        &mut self.report.updated
                    } else {
                        &mut self.report.linked
                    };
                    list.push(key.to_owned());
                    return Ok(());
                }
                match merge(self.dialect(), base, mine, &theirs) {
                    Merge::Clean(merged) => {
                        let change = RemoteChange {
                            expected: Some(Some(mine)),
                            next: Some(&merged),
                            binding: BindingChange::Set {
                                remote_id: current.id.clone(),
                                base: theirs.clone(),
                                version: current.version.clone(),
                            },
                            still_pending: true,
                        };
                        if !lock(self.store).apply_remote(self.remote, key, change)? {
                            // Edited here while we asked the remote: that edit stays
                            // queued, and the next push merges it afresh.
                            return Ok(());
                        }
                        self.report.merged.push(key.to_owned());
                        sending = merged;
                    }
                    Merge::Conflict(fields) => {
                        let record = conflict_record(
                            &current,
                            Some(base),
                            Some(mine),
                            Some(&theirs),
                            key,
                            fields,
                        );
                        lock(self.store).record_conflict(self.remote, &record)?;
                        self.report.conflicts.push(key.to_owned());
                        return Ok(());
                    }
                }
            }
            let encoded = self.dialect().encode_update(&sending, &theirs);
            let Some(body) = self.encode(key, encoded) else {
                return Ok(());
            };
            let if_match = match self.dialect() {
                Dialect::Edgeflags => current.etag.as_deref(),
                _ => None,
            };
            wrote = true;
            match self.api.update(&current.id, &body, if_match).await {
                Ok(updated) => {
                    self.bound(key, &sending, &updated)?;
                    self.report.updated.push(key.to_owned());
                    self.snapshot.insert(updated.id.clone(), updated);
                    return Ok(());
                }
                // Changed under us, our own earlier attempt landed, or a success with no
                // body to read: look again.
                Err(f) if f.status == Some(StatusCode::PRECONDITION_FAILED) => {}
                Err(f) if f.status == Some(StatusCode::NOT_FOUND) => {}
                Err(f) if f.status.is_some_and(|s| s.is_success()) => {}
                Err(f) => return Err(self.api.explain(f, true, Some(key))),
            }
        }
        Err(SyncError::Rejected {
            remote: self.remote.to_owned(),
            key: key.to_owned(),
            status: 412,
            detail: "the segment kept changing on the remote while pushing; pull and push again"
                .into(),
        })
    }

    async fn delete(&mut self, key: &str, binding: &Binding) -> Result<(), SyncError> {
        let current = self.current(&binding.remote_id, false).await?;
        if let Some(current) = &current {
            let theirs = self.decode(key, current)?;
            if !differing(self.dialect(), &theirs, &binding.base).is_empty() {
                // Deleted here, changed there: the user decides.
                let mut record = conflict_record(
                    current,
                    Some(&binding.base),
                    None,
                    Some(&theirs),
                    key,
                    vec![],
                );
                record.fields = vec!["deleted".to_owned()];
                lock(self.store).record_conflict(self.remote, &record)?;
                self.report.conflicts.push(key.to_owned());
                return Ok(());
            }
            self.api
                .delete(&current.id)
                .await
                .map_err(|f| self.api.explain(f, true, Some(key)))?;
            self.snapshot.remove(&current.id);
        }
        lock(self.store).note_pushed(self.remote, key, None, BindingChange::Remove)?;
        self.report.deleted.push(key.to_owned());
        Ok(())
    }

    async fn relist(&mut self) -> Result<(), SyncError> {
        let listing = self.api.list().await?;
        self.snapshot = listing.into_iter().map(|s| (s.id.clone(), s)).collect();
        self.listed_at = Instant::now();
        Ok(())
    }

    /// The remote's current copy, fetched right before writing where the API has a way
    /// (projects; EdgeFlags, whose `If-Match` also needs the ETag only a fetch returns).
    /// Krafter has no endpoint for one segment: its copy comes from a listing no older than
    /// [`LISTING_MAX_AGE`] (a new one when `fresh`), which narrows the window in which a
    /// remote edit could go unseen to seconds, on a segment we only partially update.
    async fn current(&mut self, id: &str, fresh: bool) -> Result<Option<RemoteSegment>, SyncError> {
        if self.dialect() == Dialect::Krafter {
            if fresh || self.listed_at.elapsed() > LISTING_MAX_AGE {
                self.relist().await?;
            }
            return Ok(self.snapshot.get(id).cloned());
        }
        let current = self.api.get(id).await?;
        match &current {
            Some(c) => {
                self.snapshot.insert(c.id.clone(), c.clone());
            }
            None => {
                self.snapshot.remove(id);
            }
        }
        Ok(current)
    }

    fn decode(&self, key: &str, remote: &RemoteSegment) -> Result<Segment, SyncError> {
        self.dialect()
            .decode(&remote.object, key)
            .map_err(|message| SyncError::Malformed {
                detail: format!("the remote's copy of \"{key}\" cannot be read: {message}"),
            })
    }

    fn bound(&self, key: &str, sent: &Segment, remote: &RemoteSegment) -> Result<(), SyncError> {
        let agreed = BindingChange::Set {
            remote_id: remote.id.clone(),
            base: sent.clone(),
            version: remote.version.clone(),
        };
        lock(self.store).note_pushed(self.remote, key, Some(sent), agreed)?;
        Ok(())
    }
}

fn conflict_record_deleted(
    binding: &Binding,
    mine: Option<&Segment>,
    key: &str,
) -> crate::store::ConflictRecord {
    crate::store::ConflictRecord {
        segment_key: key.to_owned(),
        remote_id: None,
        base: Some(binding.base.to_json()),
        mine: mine.map(Segment::to_json),
        theirs: None,
        theirs_version: None,
        fields: vec!["deleted".to_owned()],
    }
}
