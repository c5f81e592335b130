//! Push: send the outbox in order, one planned step per entry ([`plan`]). Before writing,
//! the remote's current copy is read and planned against, so a remote edit is merged or
//! becomes a conflict instead of being overwritten; EdgeFlags also guards the write with
//! `If-Match`. A create whose answer was lost is looked up before it is tried again, so no
//! duplicate is made.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use segments_engine::Segment;
use segments_store::{BindingChange, RemoteChange, Store, StoreError};

use crate::api::{Api, RemoteSegment};
use crate::dialect::{Dialect, Wire};
use crate::plan::{Remote, Step, plan};
use crate::pull::{conflict_record, count, lock};
use crate::readiness::{Checker, summary};
use crate::{KeyMessage, SyncError, SyncProgress, SyncReport};

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
            let outcome = if lock(store).conflict(remote, key)?.is_some() {
                Ok(Outcome::Waiting)
            } else {
                run.one(key).await
            };
            match outcome {
                Ok(Outcome::Done) => {}
                Ok(Outcome::Waiting) => run.report.conflicts.push(key.clone()),
                // Not a failure: no retry can help; it waits for an edit, and the status
                // works the reason out again from the segment itself.
                Ok(Outcome::Refused(refusal)) => run.report.refused.push(refusal),
                Err(e) if e.is_remote_wide() => return Err(e),
                Err(e) => {
                    let message = e.to_string();
                    lock(store).note_push_failure(entry.id, &message)?;
                    run.report.failed.push(KeyMessage {
                        key: key.clone(),
                        message,
                    });
                }
            }
            progress(SyncProgress {
                done,
                total,
                key: Some(key.clone()),
                refused: count(&run.report.refused),
                failed: count(&run.report.failed),
                conflicts: count(&run.report.conflicts),
            });
        }
    }
    report.requests = api.http.counters.requests.load(Ordering::Relaxed);
    report.retries = api.http.counters.retries.load(Ordering::Relaxed);
    Ok(report)
}

/// How one outbox entry ended, when not in an error.
enum Outcome {
    /// Sent, linked, settled, or left queued for a local edit made meanwhile.
    Done,
    /// Waiting for the user: a conflict.
    Waiting,
    /// The dialect cannot express it; the entry stays with this message.
    Refused(KeyMessage),
}

/// The write a step has already sent for the entry, which decides how a later "the remote
/// holds it" reads in the report.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sent {
    Nothing,
    Create,
    Update,
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

    /// Plans the entry and carries the step out, planning again whenever the remote's copy
    /// was read or changed under a write.
    async fn one(&mut self, key: &str) -> Result<Outcome, SyncError> {
        let (mut mine, binding) = {
            let store = lock(self.store);
            let mine = match store.get_segment(key) {
                Ok(stored) => Some(stored.segment),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            };
            (mine, store.binding(self.remote, key)?)
        };
        // Refused before anything is read or sent: what the dialect cannot say, or a
        // reference to a segment that cannot go there (it would dangle on the remote).
        if let Some(mine) = &mine {
            let problems = Checker::new(&lock(self.store), self.dialect()).problems(mine)?;
            if !problems.is_empty() {
                return Ok(Outcome::Refused(self.refusal(key, &problems)));
            }
        }
        // A create sent before a crash, whose answer was never recorded: its copy is found
        // (by key, or on Krafter by the name sent: the segment may have been renamed since)
        // and planned against with what was sent as the base, so it is updated or deleted,
        // never created a second time or left behind.
        let recovered = match &binding {
            None => self.sent_before(key)?,
            Some(_) => None,
        };
        let mut base = match (&binding, &recovered) {
            (Some(b), _) => Some(b.base.clone()),
            (None, Some((sent, _))) => Some(sent.clone()),
            (None, None) => None,
        };
        // The remote's identity for it, once known: a fetch reads that one.
        let known_id = match (&binding, &recovered) {
            (Some(b), _) => Some(b.remote_id.clone()),
            (None, Some((_, found))) => Some(found.id.clone()),
            (None, None) => None,
        };
        // What the remote holds: unknown until read. An unbound segment is looked for in the
        // listing (the same key, or on Krafter an unlinked segment with the same name).
        let mut copy: Option<Option<RemoteSegment>> = match (&binding, recovered) {
            (Some(_), _) => None,
            (None, Some((_, found))) => Some(Some(found)),
            (None, None) => Some(mine.as_ref().and_then(|m| self.existing(m))),
        };
        let (mut sent, mut creates, mut updates) = (Sent::Nothing, 0, 0);
        loop {
            let theirs = match &copy {
                Some(Some(c)) => Some(self.decode(key, c)?),
                _ => None,
            };
            let remote = match (&copy, &theirs) {
                (None, _) => Remote::Unknown,
                (Some(_), Some(theirs)) => Remote::Copy(theirs),
                (Some(_), None) => Remote::Absent,
            };
            let project = self.api.project_id();
            match plan(
                self.dialect(),
                project,
                mine.as_ref(),
                base.as_ref(),
                remote,
            ) {
                Step::Fetch => {
                    copy = Some(match &known_id {
                        Some(id) => self.current(id, updates > 0).await?,
                        None => self.lookup(mine.as_ref()).await?,
                    });
                }
                Step::Settle => {
                    let change = match (&mine, &known_id) {
                        (Some(mine), Some(id)) => BindingChange::Set {
                            remote_id: id.clone(),
                            base: mine.clone(),
                            version: binding.as_ref().and_then(|b| b.version.clone()),
                        },
                        _ => BindingChange::Remove,
                    };
                    lock(self.store).note_pushed(self.remote, key, mine.as_ref(), change)?;
                    return Ok(Outcome::Done);
                }
                Step::Refuse(problems) => {
                    return Ok(Outcome::Refused(self.refusal(key, &problems)));
                }
                Step::Conflict(kind) => {
                    let record = conflict_record(
                        copy.flatten().as_ref(),
                        base.as_ref(),
                        mine.as_ref(),
                        theirs.as_ref(),
                        key,
                        kind,
                    );
                    lock(self.store).record_conflict(self.remote, &record)?;
                    return Ok(Outcome::Waiting);
                }
                Step::Link => {
                    let (Some(mine), Some(Some(current))) = (&mine, &copy) else {
                        return Err(self.unplanned(key));
                    };
                    self.bound(key, mine, current)?;
                    let list = match sent {
                        Sent::Nothing => &mut self.report.linked,
                        Sent::Create => &mut self.report.created,
                        Sent::Update => &mut self.report.updated,
                    };
                    list.push(key.to_owned());
                    return Ok(Outcome::Done);
                }
                Step::Create { body } => {
                    let Some(mine) = &mine else {
                        return Err(self.unplanned(key));
                    };
                    creates += 1;
                    // Before the POST: a crash after it must find this copy again.
                    lock(self.store).note_create_sent(self.remote, key, mine)?;
                    match self.api.create(&body).await {
                        Ok(created) => {
                            self.bound(key, mine, &created)?;
                            self.report.created.push(key.to_owned());
                            self.snapshot.insert(created.id.clone(), created);
                            return Ok(Outcome::Done);
                        }
                        Err(f) if f.maybe_applied || f.status == Some(StatusCode::CONFLICT) => {
                            // The answer was lost (or the key is taken): look before trying
                            // again; a copy found is planned against like any other.
                            let found = self.lookup(Some(mine)).await?;
                            if found.is_none()
                                && (f.status == Some(StatusCode::CONFLICT)
                                    || creates >= CREATE_ROUNDS)
                            {
                                return Err(self.api.explain(f, true, Some(key)));
                            }
                            if found.is_none() {
                                // A successful write with no body to read: not listed yet.
                                self.api.http.pause(creates).await;
                            }
                            if f.maybe_applied {
                                sent = Sent::Create;
                            }
                            copy = Some(found);
                        }
                        // No collection to create in: the URL or project is wrong for every
                        // segment.
                        Err(f) if f.status == Some(StatusCode::NOT_FOUND) => {
                            return Err(self.api.explain(f, true, None));
                        }
                        Err(f) => return Err(self.api.explain(f, true, Some(key))),
                    }
                }
                Step::Update { send, body, merged } => {
                    let (Some(Some(current)), Some(theirs)) = (&copy, &theirs) else {
                        return Err(self.unplanned(key));
                    };
                    let current = current.clone();
                    if merged {
                        let change = RemoteChange {
                            expected: Some(mine.as_ref()),
                            next: Some(&send),
                            binding: BindingChange::Set {
                                remote_id: current.id.clone(),
                                base: theirs.clone(),
                                version: current.version.clone(),
                            },
                            still_pending: true,
                        };
                        if !lock(self.store).apply_remote(self.remote, key, change)? {
                            // Edited here while we asked the remote: that edit stays queued,
                            // and the next push merges it afresh.
                            return Ok(Outcome::Done);
                        }
                        self.report.merged.push(key.to_owned());
                        // The merge is now what this database holds, over the remote's copy.
                        (mine, base) = (Some(send.clone()), Some(theirs.clone()));
                    }
                    let if_match = match self.dialect() {
                        Dialect::Edgeflags => current.etag.as_deref(),
                        _ => None,
                    };
                    sent = Sent::Update;
                    updates += 1;
                    match self.api.update(&current.id, &body, if_match).await {
                        Ok(updated) => {
                            self.bound(key, &send, &updated)?;
                            self.report.updated.push(key.to_owned());
                            self.snapshot.insert(updated.id.clone(), updated);
                            return Ok(Outcome::Done);
                        }
                        // Changed under us, our own earlier attempt landed, or a success
                        // with no body to read: read it again and plan again.
                        Err(f)
                            if f.status == Some(StatusCode::PRECONDITION_FAILED)
                                || f.status == Some(StatusCode::NOT_FOUND)
                                || f.status.is_some_and(|s| s.is_success()) =>
                        {
                            if updates >= UPDATE_ROUNDS {
                                return Err(SyncError::KeptChanging {
                                    remote: self.remote.to_owned(),
                                    key: key.to_owned(),
                                });
                            }
                            copy = None;
                        }
                        Err(f) => return Err(self.api.explain(f, true, Some(key))),
                    }
                }
                Step::Delete => {
                    let Some(Some(current)) = &copy else {
                        return Err(self.unplanned(key));
                    };
                    let id = current.id.clone();
                    self.api
                        .delete(&id)
                        .await
                        .map_err(|f| self.api.explain(f, true, Some(key)))?;
                    self.snapshot.remove(&id);
                    return self.forget(key);
                }
                Step::Forget => return self.forget(key),
            }
        }
    }

    fn forget(&mut self, key: &str) -> Result<Outcome, SyncError> {
        lock(self.store).note_pushed(self.remote, key, None, BindingChange::Remove)?;
        self.report.deleted.push(key.to_owned());
        Ok(Outcome::Done)
    }

    fn refusal(&self, key: &str, problems: &[String]) -> KeyMessage {
        KeyMessage {
            key: key.to_owned(),
            message: format!(
                "{}; change it, or keep it local",
                summary(self.remote, self.dialect(), problems)
            ),
        }
    }

    /// A step whose inputs the planner guarantees; reaching this is a bug, reported as a
    /// failure of this one segment instead of a panic.
    fn unplanned(&self, key: &str) -> SyncError {
        SyncError::Malformed {
            detail: format!(
                "push planned a step for \"{key}\" without the copy it needs; this is a bug"
            ),
        }
    }

    /// A remote copy of a segment that has no binding yet: the same key, or on Krafter an
    /// unlinked segment with the same name.
    fn existing(&self, mine: &Segment) -> Option<RemoteSegment> {
        let store = lock(self.store);
        self.snapshot
            .values()
            .find(|s| same_identity(&store, self.remote, s, mine))
            .cloned()
    }

    /// The create of `key` sent in an earlier run whose answer was never recorded, with
    /// the remote copy it made: the same key, or on Krafter an unlinked copy bearing the
    /// name it was sent with.
    fn sent_before(&self, key: &str) -> Result<Option<(Segment, RemoteSegment)>, SyncError> {
        let store = lock(self.store);
        let Some(sent) = store.create_in_flight(self.remote, key)? else {
            return Ok(None);
        };
        let found = self
            .snapshot
            .values()
            .find(|s| made_by(&store, self.remote, s, key, &sent))
            .cloned();
        Ok(found.map(|found| (sent, found)))
    }

    async fn lookup(&mut self, mine: Option<&Segment>) -> Result<Option<RemoteSegment>, SyncError> {
        let Some(mine) = mine else {
            return Ok(None);
        };
        if self.dialect().has_server_ids() {
            self.relist().await?;
            Ok(self.existing(mine))
        } else {
            self.api.get(&mine.key).await
        }
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

/// Whether `remote` is the copy a create of `key` with the document `sent` made: the same
/// key, or (Krafter) the name sent on a remote segment not bound to another.
pub(crate) fn made_by(
    store: &Store,
    remote_name: &str,
    remote: &RemoteSegment,
    key: &str,
    sent: &Segment,
) -> bool {
    match &remote.key {
        Some(remote_key) => remote_key == key,
        None => {
            remote.name == sent.name
                && store
                    .binding_by_remote_id(remote_name, &remote.id)
                    .is_ok_and(|b| b.is_none())
        }
    }
}

/// Whether `remote` is the remote's copy of the unbound `mine`: the same key, or (Krafter,
/// which has no keys) the same name on a remote segment not bound to another.
pub(crate) fn same_identity(
    store: &Store,
    remote_name: &str,
    remote: &RemoteSegment,
    mine: &Segment,
) -> bool {
    match &remote.key {
        Some(key) => *key == mine.key,
        None => {
            remote.name == mine.name
                && store
                    .binding_by_remote_id(remote_name, &remote.id)
                    .is_ok_and(|b| b.is_none())
        }
    }
}
