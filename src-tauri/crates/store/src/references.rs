//! The reference graph between segments (`in_segment`): kept in its own table so deletes
//! and cycle checks need no scan of every document.

use std::collections::{BTreeMap, VecDeque};

use rusqlite::Connection;
use segments_engine::{CompiledSet, Segment};

use crate::StoreError;
use crate::rows::load;

pub(crate) fn write_references(tx: &Connection, segment: &Segment) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM segment_references WHERE from_key = ?1",
        [&segment.key],
    )?;
    let mut statement =
        tx.prepare_cached("INSERT INTO segment_references (from_key, to_key) VALUES (?1, ?2)")?;
    for target in segment.referenced_keys() {
        statement.execute([segment.key.as_str(), target])?;
    }
    Ok(())
}

pub(crate) fn referrers(conn: &Connection, key: &str) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT from_key FROM segment_references WHERE to_key = ?1 AND from_key <> ?1 ORDER BY from_key",
    )?;
    let keys = statement
        .query_map([key], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(keys)
}

/// Checks that `changed` (about to be written) compile, reference only segments that exist
/// and form no cycle, by compiling them with everything they reach.
pub(crate) fn check_references(conn: &Connection, changed: &[Segment]) -> Result<(), StoreError> {
    // Compiled even without references: values that pass one by one can still fail
    // together (a condition's combined regex), and nothing that cannot compile is stored.
    CompiledSet::compile(&reference_closure(conn, changed)?)?;
    Ok(())
}

/// `changed` plus every stored segment they reach through references (a changed segment
/// stands in for its stored version). Any cycle through a changed segment is reachable from
/// it, so this forward closure is enough to find it.
pub(crate) fn reference_closure(
    conn: &Connection,
    changed: &[Segment],
) -> Result<Vec<Segment>, StoreError> {
    let mut closure: BTreeMap<String, Segment> =
        changed.iter().map(|s| (s.key.clone(), s.clone())).collect();
    let mut queue: VecDeque<String> = changed
        .iter()
        .flat_map(|s| s.referenced_keys().into_iter().map(str::to_owned))
        .collect();
    while let Some(key) = queue.pop_front() {
        if closure.contains_key(&key) {
            continue;
        }
        if let Some(stored) = load(conn, &key)? {
            queue.extend(
                stored
                    .segment
                    .referenced_keys()
                    .into_iter()
                    .map(str::to_owned),
            );
            closure.insert(key, stored.segment);
        }
    }
    Ok(closure.into_values().collect())
}
