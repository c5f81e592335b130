//! What keeps an acknowledged save: a full fsync at every commit, migrations that two
//! processes can run at once, and a busy database reported as busy.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::{Arc, Barrier};

use rusqlite::Connection;
use segments_engine::parse_segment;
use segments_store::{Store, StoreError};
use serde_json::json;

/// `synchronous=NORMAL` in WAL mode survives a killed process but can roll back a
/// confirmed commit when the machine loses power; FULL syncs the WAL at every commit.
#[test]
fn every_commit_is_synced_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let (journal, synchronous) = store.durability().unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(synchronous, 2, "synchronous must be FULL (2)");
}

/// The app and the CLI opening a brand-new database together: every opener gets a usable,
/// fully migrated store, none a "table already exists" or a busy error.
#[test]
fn many_processes_can_create_the_same_database_at_once() {
    for round in 0..8 {
        let dir = tempfile::tempdir().unwrap();
        let path = Arc::new(dir.path().join("db.sqlite3"));
        let openers = 6;
        let barrier = Arc::new(Barrier::new(openers));
        let threads: Vec<_> = (0..openers)
            .map(|_| {
                let (path, barrier) = (Arc::clone(&path), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(drop)
                })
            })
            .collect();
        for thread in threads {
            if let Err(e) = thread.join().unwrap() {
                panic!("round {round}: a concurrent open failed: {e}");
            }
        }
        let conn = Connection::open(path.as_ref()).unwrap();
        let version: usize = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert!(version >= 3, "round {round}: version {version}");
    }
}

/// A writer that holds the database past the busy timeout makes a save fail as busy (try
/// again), not as a damaged database, and the save leaves no trace.
#[test]
fn a_database_held_by_another_writer_is_reported_busy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let segment = parse_segment(
        &json!({"key": "pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
    )
    .unwrap();
    let refused = store.create_segment(&segment).unwrap_err();
    assert!(matches!(refused, StoreError::Busy), "{refused:?}");
    assert!(refused.to_string().contains("try again"), "{refused}");
    other.execute_batch("ROLLBACK").unwrap();
    assert!(store.list_segments().unwrap().is_empty());
    store.create_segment(&segment).unwrap();
}
