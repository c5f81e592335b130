//! What the crash loop reads from the database a killed `segments` process left behind,
//! always through a read-only connection, so a check can never repair what it inspects.

#![allow(dead_code)] // the crash loop and its checks' test each use part of it

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde_json::Value;

/// The local state the checks compare against what the operations promised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Key to canonical document, for the segments that exist.
    pub segments: BTreeMap<String, Value>,
    /// Persona name to context.
    pub personas: BTreeMap<String, Value>,
}

/// A read-only connection. The killed process may have left a WAL behind; reading it is
/// what the next real open would see.
pub fn open(db: &Path) -> Connection {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open the database read-only");
    // A busy database here means a killed process still holds it, which is itself a finding;
    // wait briefly rather than misreport it.
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .expect("set a busy timeout");
    conn
}

fn parse(text: &str, what: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not JSON: {e}: {text}"))
}

/// Whether the schema exists yet: a process killed during its first open may leave an
/// empty file, which is a valid (empty) database.
pub fn has_schema(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'outbox')",
        [],
        |r| r.get(0),
    )
    .expect("read sqlite_master")
}

/// `PRAGMA integrity_check` and foreign keys; an empty list when both are clean. A file
/// too damaged to be read at all is reported, not panicked on.
pub fn integrity(conn: &Connection) -> Vec<String> {
    let mut problems = Vec::new();
    let rows = |sql: &str| -> rusqlite::Result<Vec<String>> {
        let mut statement = conn.prepare(sql)?;
        let rows = statement.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    };
    match rows("PRAGMA integrity_check") {
        Ok(rows) => problems.extend(
            rows.into_iter()
                .filter(|row| row != "ok")
                .map(|row| format!("integrity_check: {row}")),
        ),
        Err(e) => problems.push(format!("integrity_check: cannot run: {e}")),
    }
    match rows("PRAGMA foreign_key_check") {
        Ok(tables) => problems.extend(
            tables
                .into_iter()
                .map(|table| format!("foreign_key_check: a row of {table} points nowhere")),
        ),
        Err(e) => problems.push(format!("foreign_key_check: cannot run: {e}")),
    }
    problems
}

pub fn snapshot(conn: &Connection) -> Snapshot {
    let mut snapshot = Snapshot::default();
    if !has_schema(conn) {
        return snapshot;
    }
    let mut statement = conn
        .prepare("SELECT key, document FROM segments")
        .expect("prepare segments");
    let rows = statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("read segments");
    for row in rows {
        let (key, document) = row.expect("a segments row");
        let value = parse(&document, "a segment document");
        snapshot.segments.insert(key, value);
    }
    let mut statement = conn
        .prepare("SELECT name, context FROM personas")
        .expect("prepare personas");
    let rows = statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .expect("read personas");
    for row in rows {
        let (name, context) = row.expect("a personas row");
        snapshot
            .personas
            .insert(name, parse(&context, "a persona context"));
    }
    snapshot
}

/// Every segment's newest revision leaves it as the segments row holds it, and a segment
/// with no row was last deleted. A row with no revision at all is a write without history.
pub fn revisions_match_rows(conn: &Connection) -> Vec<String> {
    let mut problems = Vec::new();
    if !has_schema(conn) {
        return problems;
    }
    let mut statement = conn
        .prepare(
            "SELECT r.segment_key, r.action, r.current, s.document
             FROM revisions r LEFT JOIN segments s ON s.key = r.segment_key
             WHERE r.id = (SELECT MAX(id) FROM revisions WHERE segment_key = r.segment_key)",
        )
        .expect("prepare newest revisions");
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .expect("read newest revisions");
    for row in rows {
        let (key, action, current, document) = row.expect("a revision row");
        match (current, document) {
            (Some(current), Some(document)) => {
                if parse(&current, "a revision") != parse(&document, "a segment document") {
                    problems.push(format!(
                        "revision: {key}'s newest revision ({action}) differs from its row"
                    ));
                }
            }
            (None, None) if action == "delete" => {}
            (None, None) => problems.push(format!(
                "revision: {key} has no row but its newest revision is a {action}"
            )),
            (Some(_), None) => problems.push(format!(
                "revision: {key} has no row but its newest revision ({action}) leaves it existing"
            )),
            (None, Some(_)) => problems.push(format!(
                "revision: {key} exists but its newest revision ({action}) deletes it"
            )),
        }
    }
    let mut statement = conn
        .prepare(
            "SELECT key FROM segments
             WHERE NOT EXISTS (SELECT 1 FROM revisions WHERE segment_key = segments.key)",
        )
        .expect("prepare rows without history");
    let rows = statement
        .query_map([], |r| r.get::<_, String>(0))
        .expect("read rows without history");
    for key in rows {
        problems.push(format!(
            "revision: {} has a row but no revision",
            key.expect("a key")
        ));
    }
    problems
}

/// For every remote, every segment that differs from what that remote last agreed on (its
/// binding's base; nothing when unbound) is queued for it, or waits as a conflict.
pub fn outbox_covers_changes(conn: &Connection, local: &Snapshot) -> Vec<String> {
    let mut problems = Vec::new();
    if !has_schema(conn) {
        return problems;
    }
    for remote in remotes(conn) {
        let bases: BTreeMap<String, Value> = strings2(
            conn,
            "SELECT segment_key, base FROM bindings WHERE remote = ?1",
            &remote,
        )
        .into_iter()
        .map(|(key, base)| {
            let base = parse(&base, "a binding base");
            (key, base)
        })
        .collect();
        let waiting: BTreeSet<String> = keys(
            conn,
            "SELECT segment_key FROM outbox WHERE remote = ?1 AND done_at IS NULL
             UNION SELECT segment_key FROM conflicts WHERE remote = ?1",
            &remote,
        );
        let touched: BTreeSet<&String> = local.segments.keys().chain(bases.keys()).collect();
        for key in touched {
            let (mine, base) = (local.segments.get(key), bases.get(key));
            if mine != base && !waiting.contains(key) {
                let what = match (mine, base) {
                    (Some(_), None) => "never synced",
                    (None, Some(_)) => "deleted here",
                    _ => "changed since its last sync",
                };
                problems.push(format!(
                    "outbox: {key} is {what} but not queued for {remote}"
                ));
            }
        }
    }
    problems
}

pub fn remotes(conn: &Connection) -> Vec<String> {
    if !has_schema(conn) {
        return Vec::new();
    }
    let mut statement = conn
        .prepare("SELECT name FROM remotes ORDER BY name")
        .expect("prepare remotes");
    statement
        .query_map([], |r| r.get(0))
        .expect("read remotes")
        .collect::<Result<_, _>>()
        .expect("a remote name")
}

/// Outbox entries still waiting, over every remote.
pub fn pending(conn: &Connection) -> usize {
    conn.query_row(
        "SELECT COUNT(*) FROM outbox WHERE done_at IS NULL",
        [],
        |r| r.get(0),
    )
    .expect("count the outbox")
}

/// Outbox entries still waiting for one remote.
pub fn pending_for(conn: &Connection, remote: &str) -> usize {
    conn.query_row(
        "SELECT COUNT(*) FROM outbox WHERE remote = ?1 AND done_at IS NULL",
        [remote],
        |r| r.get(0),
    )
    .expect("count the outbox")
}

/// Conflicts waiting for the user, as (remote, key).
pub fn conflicts(conn: &Connection) -> Vec<(String, String)> {
    let mut statement = conn
        .prepare("SELECT remote, segment_key FROM conflicts ORDER BY remote, segment_key")
        .expect("prepare conflicts");
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("read conflicts")
        .collect::<Result<_, _>>()
        .expect("a conflict")
}

/// A segment's revisions, oldest first, as (id, the document it leaves or restores).
pub fn revision_targets(conn: &Connection, key: &str) -> Vec<(i64, Value)> {
    let mut statement = conn
        .prepare(
            "SELECT id, COALESCE(current, previous) FROM revisions
             WHERE segment_key = ?1 ORDER BY id",
        )
        .expect("prepare history");
    statement
        .query_map([key], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .expect("read history")
        .map(|row| {
            let (id, document) = row.expect("a revision");
            (id, parse(&document, "a revision document"))
        })
        .collect()
}

/// Keys that have any history (candidates for a restore).
pub fn keys_with_history(conn: &Connection) -> Vec<String> {
    if !has_schema(conn) {
        return Vec::new();
    }
    let mut statement = conn
        .prepare("SELECT DISTINCT segment_key FROM revisions ORDER BY segment_key")
        .expect("prepare keys");
    statement
        .query_map([], |r| r.get(0))
        .expect("read keys")
        .collect::<Result<_, _>>()
        .expect("a key")
}

/// Whether a killed sync left its lease on `remote` (it would hold the remote for minutes).
pub fn lease_held(conn: &Connection, remote: &str) -> bool {
    conn.query_row(
        "SELECT sync_owner FROM remotes WHERE name = ?1",
        [remote],
        |r| r.get::<_, Option<String>>(0),
    )
    .optional()
    .expect("read the lease")
    .flatten()
    .is_some()
}

fn keys(conn: &Connection, sql: &str, remote: &str) -> BTreeSet<String> {
    let mut statement = conn.prepare(sql).expect("prepare keys");
    statement
        .query_map([remote], |r| r.get(0))
        .expect("read keys")
        .collect::<Result<_, _>>()
        .expect("a key")
}

fn strings2(conn: &Connection, sql: &str, remote: &str) -> Vec<(String, String)> {
    let mut statement = conn.prepare(sql).expect("prepare pairs");
    statement
        .query_map([remote], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("read pairs")
        .collect::<Result<_, _>>()
        .expect("a pair")
}
