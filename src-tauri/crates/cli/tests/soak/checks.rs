//! After the storm: faults off, sync until quiet, then what must hold. Each check returns
//! violations as sentences instead of panicking, so one run reports all of them and the
//! figures are written before the test fails.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use fake_remotes::ProxyFaults;
use segments_sync::{self as sync, Wire};
use serde_json::Value;

use crate::world::{Edit, Field, REMOTE, World, contains, lock};
use crate::writers::{app_options, kind};

/// Syncs both ways from both writers until a round changes nothing; returns the rounds.
pub async fn settle(world: &World, violations: &mut Vec<String>) -> u32 {
    world.proxy.set_faults(ProxyFaults::none());
    world.fake.set_faults(fake_remotes::Faults::none());
    let options = app_options();
    for round in 1..=12 {
        let push = sync::push(&world.store, &world.credentials, REMOTE, &options, &|_| {}).await;
        let pull = sync::pull(&world.store, &world.credentials, REMOTE, &options, &|_| {}).await;
        let cli_push = world.cli(&["sync", "push", REMOTE], "", None);
        let cli_pull = world.cli(&["sync", "pull", REMOTE], "", None);
        let quiet = match (&push, &pull) {
            (Ok(push), Ok(pull)) => {
                push.created.is_empty()
                    && push.updated.is_empty()
                    && push.failed.is_empty()
                    && pull.created.is_empty()
                    && pull.updated.is_empty()
                    && pull.merged.is_empty()
                    && pull.failed.is_empty()
                    && pull.refused.is_empty()
            }
            _ => false,
        };
        if quiet && cli_push.is_some() && cli_pull.is_some() {
            return round;
        }
        if round == 12 {
            let describe = |r: &Result<sync::SyncReport, sync::SyncError>| match r {
                Ok(report) => format!("{report:?}"),
                Err(e) => format!("{} {e}", kind(e)),
            };
            violations.push(format!(
                "no quiet round after 12 without faults: push {}, pull {}",
                describe(&push),
                describe(&pull)
            ));
        }
    }
    12
}

/// Local keys and the remote identities they are bound to.
fn bindings(world: &World) -> BTreeMap<String, String> {
    let store = lock(&world.store);
    let mut bound = BTreeMap::new();
    for segment in store.list_segments().unwrap() {
        let key = segment.segment.key;
        if let Some(binding) = store.binding(REMOTE, &key).unwrap() {
            bound.insert(key, binding.remote_id);
        }
    }
    bound
}

fn conflicted(world: &World) -> BTreeSet<String> {
    let store = lock(&world.store);
    store
        .conflicts(REMOTE)
        .unwrap()
        .into_iter()
        .map(|c| c.segment_key)
        .collect()
}

/// Remote identities named by conflicts: a conflict of an unbound segment (both sides
/// "created" it) leaves the remote copy unbound until it is resolved.
fn conflicted_remote_ids(world: &World) -> BTreeSet<String> {
    let store = lock(&world.store);
    let records = store.conflicts(REMOTE).unwrap();
    let keyed = world.dialect != sync::Dialect::Krafter;
    records
        .into_iter()
        .flat_map(|c| {
            let key = keyed.then(|| c.segment_key.clone());
            c.remote_id.into_iter().chain(key)
        })
        .collect()
}

/// The database equals the remote apart from listed conflicts, and no segment is twice on
/// the remote (by key, or by name for Krafter, whose ids are the server's).
pub fn database_equals_remote(world: &World, violations: &mut Vec<String>) -> usize {
    let conflicts = conflicted(world);
    let bound = bindings(world);
    let local: Vec<segments_engine::Segment> = lock(&world.store)
        .list_segments()
        .unwrap()
        .into_iter()
        .map(|s| s.segment)
        .collect();
    for segment in &local {
        if conflicts.contains(&segment.key) {
            continue;
        }
        let Some(id) = bound.get(&segment.key) else {
            violations.push(format!("{} is local only after settling", segment.key));
            continue;
        };
        let Some(object) = world.fake.segment(id) else {
            violations.push(format!(
                "{} is bound to {id}, which the remote lacks",
                segment.key
            ));
            continue;
        };
        match world.dialect.decode(&object, &segment.key) {
            Ok(remote) if remote == world.dialect.normalize(segment) => {}
            Ok(remote) => violations.push(format!(
                "{} differs: local {:?}, remote {:?}",
                segment.key,
                world.dialect.normalize(segment),
                remote
            )),
            Err(e) => violations.push(format!(
                "{}: the remote copy does not decode: {e}",
                segment.key
            )),
        }
    }
    let ids: BTreeSet<&String> = bound.values().collect();
    let excused = conflicted_remote_ids(world);
    let identity = if world.dialect == sync::Dialect::Krafter {
        "id"
    } else {
        "key"
    };
    let mut names: HashMap<String, u32> = HashMap::new();
    for object in world.fake.segments() {
        let id = object[identity].as_str().unwrap_or_default().to_owned();
        if !ids.contains(&id) && !excused.contains(&id) {
            violations.push(format!("remote {id} is in no local binding"));
        }
        let by = if world.dialect == sync::Dialect::Krafter {
            "name"
        } else {
            identity
        };
        *names
            .entry(object[by].as_str().unwrap_or_default().to_owned())
            .or_default() += 1;
    }
    let duplicates: usize = names.values().map(|n| (n - 1) as usize).sum();
    if duplicates > 0 {
        let twice: Vec<&String> = names
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(k, _)| k)
            .collect();
        violations.push(format!("{duplicates} duplicates on the remote: {twice:?}"));
    }
    duplicates
}

/// A listed conflict must be true: nobody deletes anything in the soak (and nobody ever
/// edits here what the remote deleted), so "deleted on the remote" for a segment the remote
/// still has, or any "deleted here", is a false conflict that hides an edit behind it.
pub fn conflicts_are_real(world: &World, violations: &mut Vec<String>) {
    let records = lock(&world.store).conflicts(REMOTE).unwrap();
    for record in records {
        match record.kind {
            segments_store::ConflictKind::DeletedThere => {
                // The record may carry no id: the binding, or the key itself, names it.
                let bound = bindings(world).get(&record.segment_key).cloned();
                let present = [
                    record.remote_id.clone(),
                    bound,
                    Some(record.segment_key.clone()),
                ]
                .into_iter()
                .flatten()
                .any(|id| world.fake.segment(&id).is_some());
                if present {
                    violations.push(format!(
                        "{}: a conflict says the remote deleted it, but the remote has it",
                        record.segment_key
                    ));
                }
            }
            segments_store::ConflictKind::DeletedHere => violations.push(format!(
                "{}: a conflict says it was deleted here; nothing was",
                record.segment_key
            )),
            segments_store::ConflictKind::Fields(_) => {}
        }
    }
}

/// The value of `field` in a canonical segment.
fn field_of(segment: &segments_engine::Segment, field: Field) -> Option<String> {
    let value = serde_json::to_value(segment).ok()?;
    let text = |v: &Value| v.as_str().map(str::to_owned);
    match field {
        Field::Rules => text(value.pointer("/rules/0/values/0")?),
        Field::Description => text(&value["description"]),
        Field::Name => text(&value["name"]),
        Field::Created => Some(segment.key.clone()),
    }
}

/// Every acknowledged edit is in the final state: for each field (one writer each) the
/// final value is its last acknowledged edit, or an unacknowledged attempt after it (a
/// killed CLI may have written); a conflicted segment is excused. Returns (checked, excused).
pub fn acknowledged_edits_kept(world: &World, violations: &mut Vec<String>) -> (usize, usize) {
    let conflicts = conflicted(world);
    let bound = bindings(world);
    let by_remote: HashMap<&String, &String> = bound.iter().map(|(k, id)| (id, k)).collect();
    let excused_ids = conflicted_remote_ids(world);
    let ledger = lock(&world.ledger).clone();
    let mut groups: BTreeMap<(String, Field), Vec<&Edit>> = BTreeMap::new();
    for edit in &ledger {
        let key = if edit.on_server {
            match by_remote.get(&edit.key) {
                Some(key) => (*key).clone(),
                None if excused_ids.contains(&edit.key) => continue,
                None => {
                    violations.push(format!(
                        "the server's {:?} on {} reached no local segment",
                        edit.field, edit.key
                    ));
                    continue;
                }
            }
        } else {
            edit.key.clone()
        };
        groups.entry((key, edit.field)).or_default().push(edit);
    }
    let (mut checked, mut excused) = (0, 0);
    for ((key, field), edits) in groups {
        let Some(last) = edits.iter().rposition(|e| e.acknowledged) else {
            continue;
        };
        checked += 1;
        if conflicts.contains(&key) {
            excused += 1;
            continue;
        }
        let allowed: Vec<&str> = edits[last..]
            .iter()
            .enumerate()
            .filter(|(i, e)| *i == 0 || !e.acknowledged)
            .map(|(_, e)| e.marker.as_str())
            .collect();
        let segment = lock(&world.store).get_segment(&key).map(|s| s.segment);
        let value = match &segment {
            Ok(segment) => field_of(segment, field),
            Err(_) => None,
        };
        let in_state = match field {
            Field::Created => segment.is_ok() && bound.contains_key(&key),
            _ => value.as_deref().is_some_and(|v| allowed.contains(&v)),
        };
        if !in_state {
            violations.push(format!(
                "acknowledged {field:?} {:?} of {key} lost: final {value:?}",
                edits[last].marker
            ));
        }
    }
    (checked, excused)
}

/// The token's bytes are in no file of the database (nor its WAL), no log line and no CLI
/// output.
pub fn token_nowhere(world: &World, violations: &mut Vec<String>) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = format!("{}{suffix}", world.db.display());
        if let Ok(bytes) = std::fs::read(&path)
            && contains(&bytes, world.token.as_bytes())
        {
            violations.push(format!("the token is in {path}"));
        }
    }
    for place in lock(&world.leaks).iter() {
        violations.push(format!("the token is in the {place}"));
    }
}
