//! Pull: read every page of the remote, map each segment to canonical, and bring local
//! segments up to date where only the remote changed. Both sides changed: merge per field,
//! or file a conflict. Nothing is deleted because a listing lacks it.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};

use segments_engine::{Segment, is_valid_key, key_from_name};

use crate::api::{Api, RemoteSegment};
use crate::dialect::Wire;
use crate::dialect::differing;
use crate::merge::{Merge, merge};
use crate::{KeyMessage, SyncError, SyncProgress, SyncReport};
use segments_store::{
    Binding, BindingChange, ConflictKind, ConflictRecord, RemoteChange, Store, StoreError,
};

/// Segments applied per transaction.
const APPLY_PAGE: usize = 100;

pub(crate) async fn pull(
    store: &Mutex<Store>,
    api: &Api,
    remote: &str,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    let listing = api.list().await?;
    let mut report = SyncReport {
        remote: remote.to_owned(),
        ..SyncReport::default()
    };
    let total = u32::try_from(listing.len()).unwrap_or(u32::MAX);
    let mut seen = HashSet::new();
    // A segment that references one later in the listing waits for it: retry the deferred
    // ones while each round makes progress.
    let mut waiting: Vec<&RemoteSegment> = listing.iter().collect();
    let mut done = 0u32;
    loop {
        let mut deferred = Vec::new();
        let mut last_error = Vec::new();
        // A page at a time, each one transaction (one fsync), with the store unlocked in
        // between so the app's other commands get their turn during a long pull.
        for page in waiting.chunks(APPLY_PAGE) {
            lock(store).batch(|store| -> Result<(), SyncError> {
                for item in page {
                    match pull_one(store, api, remote, item, &mut report, &mut seen) {
                        Ok(()) => {
                            done += 1;
                            progress(SyncProgress {
                                done,
                                total,
                                key: Some(item.name.clone()),
                                refused: count(&report.refused),
                                failed: count(&report.failed),
                                conflicts: count(&report.conflicts),
                            });
                        }
                        Err((key, StoreError::Invalid(e)))
                            if e.first_code()
                                == Some(segments_engine::IssueCode::UnknownSegment) =>
                        {
                            deferred.push(*item);
                            last_error.push(KeyMessage {
                                key,
                                message: e.to_string(),
                            });
                        }
                        // The database itself failed, or the run lost its lease: stop.
                        Err((
                            _,
                            e @ (StoreError::Busy
                            | StoreError::LeaseLost(_)
                            | StoreError::Sqlite(_)),
                        )) => {
                            return Err(e.into());
                        }
                        Err((key, e)) => {
                            done += 1;
                            report.failed.push(KeyMessage {
                                key,
                                message: e.to_string(),
                            });
                        }
                    }
                }
                Ok(())
            })?;
        }
        if deferred.is_empty() {
            break;
        }
        if deferred.len() == waiting.len() {
            report.failed.extend(last_error);
            break;
        }
        waiting = deferred;
    }
    let store = lock(store);
    for binding in store.bindings(remote)? {
        if !seen.contains(&binding.remote_id) {
            report.missing_on_remote.push(binding.segment_key);
        }
    }
    report.requests = api
        .http
        .counters
        .requests
        .load(std::sync::atomic::Ordering::Relaxed);
    report.retries = api
        .http
        .counters
        .retries
        .load(std::sync::atomic::Ordering::Relaxed);
    Ok(report)
}

/// Brings one remote segment in; an `Err` carries the key for the report.
fn pull_one(
    store: &mut Store,
    api: &Api,
    remote: &str,
    item: &RemoteSegment,
    report: &mut SyncReport,
    seen: &mut HashSet<String>,
) -> Result<(), (String, StoreError)> {
    seen.insert(item.id.clone());
    let dialect = api.dialect;
    let label = item.key.clone().unwrap_or_else(|| item.name.clone());
    let fail = |e: StoreError| (label.clone(), e);
    let mut binding = store.binding_by_remote_id(remote, &item.id).map_err(fail)?;
    if binding.is_none() {
        // A create of ours whose answer was never recorded (a crash): the same segment,
        // with what was sent as the base; not a new one under a derived key (Krafter), nor
        // a conflict with our own create.
        binding = sent_before(store, remote, item).map_err(fail)?;
    }
    let key = match (&binding, &item.key) {
        (Some(binding), _) => binding.segment_key.clone(),
        (None, Some(key)) if is_valid_key(key) => key.clone(),
        (None, Some(key)) => {
            report.refused.push(KeyMessage {
                key: key.clone(),
                message: format!(
                    "the remote's key \"{key}\" is not a valid local key (lowercase letters, digits, '.', '_', '-'); rename it on the remote to pull it"
                ),
            });
            return Ok(());
        }
        (None, None) => unique_key(store, remote, &item.name, dialect, item).map_err(fail)?,
    };
    let theirs = match dialect.decode(&item.object, &key) {
        Ok(theirs) => theirs,
        Err(message) => {
            report.refused.push(KeyMessage {
                key,
                message: format!("the remote's segment \"{label}\" cannot be read: {message}"),
            });
            return Ok(());
        }
    };
    let fail = |e: StoreError| (key.clone(), e);
    let mine = match store.get_segment(&key) {
        Ok(stored) => Some(stored.segment),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(fail(e)),
    };
    let bind = |base: &Segment| BindingChange::Set {
        remote_id: item.id.clone(),
        base: base.clone(),
        version: item.version.clone(),
    };
    let Some(binding) = binding else {
        match mine {
            None => {
                let change = RemoteChange {
                    expected: Some(None),
                    next: Some(&theirs),
                    binding: bind(&theirs),
                    still_pending: false,
                };
                if store.apply_remote(remote, &key, change).map_err(fail)? {
                    report.created.push(key);
                }
            }
            Some(mine) if differing(dialect, &mine, &theirs).is_empty() => {
                store.note_bound(remote, &key, bind(&mine)).map_err(fail)?;
                report.linked.push(key);
            }
            Some(mine) => {
                let kind = ConflictKind::Fields(differing(dialect, &mine, &theirs));
                let record =
                    conflict_record(Some(item), None, Some(&mine), Some(&theirs), &key, kind);
                store.record_conflict(remote, &record).map_err(fail)?;
                report.conflicts.push(key);
            }
        }
        return Ok(());
    };
    let base = &binding.base;
    let remote_changed = !differing(dialect, base, &theirs).is_empty();
    if !remote_changed {
        return Ok(());
    }
    let local_changed = mine
        .as_ref()
        .is_none_or(|mine| !differing(dialect, base, mine).is_empty());
    match mine {
        Some(mine) if !local_changed => {
            // Take the remote's changed fields only: the others keep their local spelling
            // (projects would turn `true` into "true", which other remotes would then get).
            let updated = match merge(dialect, base, &mine, &theirs) {
                Merge::Clean(updated) => updated,
                Merge::Conflict(_) => theirs.clone(),
            };
            let change = RemoteChange {
                expected: Some(Some(&mine)),
                next: Some(&updated),
                binding: bind(&theirs),
                still_pending: false,
            };
            if store.apply_remote(remote, &key, change).map_err(fail)? {
                report.updated.push(key);
            }
        }
        Some(mine) if differing(dialect, &mine, &theirs).is_empty() => {
            store.note_bound(remote, &key, bind(&mine)).map_err(fail)?;
            report.linked.push(key);
        }
        Some(mine) => match merge(dialect, base, &mine, &theirs) {
            Merge::Clean(merged) => {
                let change = RemoteChange {
                    expected: Some(Some(&mine)),
                    next: Some(&merged),
                    binding: bind(&theirs),
                    still_pending: !differing(dialect, &merged, &theirs).is_empty(),
                };
                if store.apply_remote(remote, &key, change).map_err(fail)? {
                    report.merged.push(key);
                }
            }
            Merge::Conflict(fields) => {
                let record = conflict_record(
                    Some(item),
                    Some(base),
                    Some(&mine),
                    Some(&theirs),
                    &key,
                    ConflictKind::Fields(fields),
                );
                store.record_conflict(remote, &record).map_err(fail)?;
                report.conflicts.push(key);
            }
        },
        None => {
            // Deleted here, changed there: the user decides.
            let kind = ConflictKind::DeletedHere;
            let record = conflict_record(Some(item), Some(base), None, Some(&theirs), &key, kind);
            store.record_conflict(remote, &record).map_err(fail)?;
            report.conflicts.push(key);
        }
    }
    Ok(())
}

/// The binding a create in flight to `remote` stands for, when `item` is the copy it made.
fn sent_before(
    store: &Store,
    remote: &str,
    item: &RemoteSegment,
) -> Result<Option<Binding>, StoreError> {
    let found = store
        .creates_in_flight(remote)?
        .into_iter()
        .find(|(key, sent)| crate::push::made_by(store, remote, item, key, sent));
    Ok(found.map(|(segment_key, base)| Binding {
        segment_key,
        remote_id: item.id.clone(),
        base,
        version: None,
    }))
}

pub(crate) fn conflict_record(
    item: Option<&RemoteSegment>,
    base: Option<&Segment>,
    mine: Option<&Segment>,
    theirs: Option<&Segment>,
    key: &str,
    kind: ConflictKind,
) -> ConflictRecord {
    ConflictRecord {
        segment_key: key.to_owned(),
        remote_id: item.map(|i| i.id.clone()),
        base: base.map(Segment::to_json),
        mine: mine.map(Segment::to_json),
        theirs: theirs.map(Segment::to_json),
        theirs_version: item.and_then(|i| i.version.clone()),
        kind,
    }
}

/// A local key for a Krafter segment (which has none): derived from the name, and unique
/// among local segments not already linked to this remote segment. An unlinked local
/// segment with that key and the same content is the same segment.
fn unique_key(
    store: &Store,
    remote: &str,
    name: &str,
    dialect: super::Dialect,
    item: &RemoteSegment,
) -> Result<String, StoreError> {
    let stem = key_from_name(name);
    for n in 1..10_000u32 {
        let candidate = numbered_key(&stem, n);
        // A key bound to another remote segment is taken, even when its local segment is
        // gone (a delete waiting to be pushed keeps the binding).
        if store.binding(remote, &candidate)?.is_some() {
            continue;
        }
        let local = match store.get_segment(&candidate) {
            Ok(stored) => Some(stored.segment),
            Err(StoreError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        let Some(local) = local else {
            return Ok(candidate);
        };
        let same = dialect
            .decode(&item.object, &candidate)
            .is_ok_and(|theirs| differing(dialect, &local, &theirs).is_empty());
        if same {
            return Ok(candidate);
        }
    }
    Ok(numbered_key(&stem, fastrand::u32(10_000..)))
}

/// The `n`th candidate key for a derived `stem` (itself a valid key): the stem, then
/// `stem-2`, `stem-3`… with the stem cut so the whole stays within the 128-byte key limit.
pub(crate) fn numbered_key(stem: &str, n: u32) -> String {
    if n <= 1 {
        return stem.to_owned();
    }
    let suffix = format!("-{n}");
    let cut = stem.len().min(128 - suffix.len());
    format!("{}{suffix}", stem[..cut].trim_end_matches('-'))
}

pub(crate) fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    // A panic while holding the lock cannot leave a half-written transaction behind
    // (SQLite rolls it back), so a poisoned lock is safe to keep using.
    store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A report list's length, for progress counts.
pub(crate) fn count<T>(items: &[T]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `key_derivation` fuzz target: the last-resort key after 10,000 taken
    /// candidates was `stem-<random u32>`, up to 139 bytes for a 128-byte stem.
    #[test]
    fn numbered_keys_stay_valid_for_the_longest_stem() {
        let stem = key_from_name(&"a".repeat(300));
        assert_eq!(stem.len(), 128);
        for n in [1, 2, 10, 9_999, 10_000, u32::MAX] {
            let key = numbered_key(&stem, n);
            assert!(is_valid_key(&key), "{key}");
        }
        assert_eq!(numbered_key("pro", 3), "pro-3");
    }
}
