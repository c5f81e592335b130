//! Store tests on temp-file databases: migrations from empty, revisions, references, and
//! that a refused or failed write leaves no trace.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use rusqlite::Connection;
use segments_engine::{IssueCode, Segment, parse_patch, parse_segment};
use segments_store::{
    BindingChange, RemoteChange, RemoteRecord, RevisionAction, Store, StoreError,
};
use serde_json::{Value, json};

fn segment(doc: Value) -> Segment {
    parse_segment(&doc).unwrap()
}

fn pro() -> Segment {
    segment(
        json!({"key": "pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
    )
}

fn refers(key: &str, to: &str) -> Segment {
    segment(
        json!({"key": key, "rules": [{"attribute": "segment", "operator": "in_segment", "values": [to]}]}),
    )
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("nested/folder/segments.sqlite3")).unwrap();
    (dir, store)
}

/// Everything the database holds, as text, to compare before and after a refused write.
fn snapshot(store: &Store) -> String {
    let segments = store.list_segments().unwrap();
    let history: Vec<_> = segments
        .iter()
        .map(|s| store.history(&s.segment.key).unwrap())
        .collect();
    let outbox: Vec<_> = store
        .remotes()
        .unwrap()
        .iter()
        .map(|r| {
            (
                store.pending(&r.name).unwrap(),
                store.bindings(&r.name).unwrap(),
            )
        })
        .collect();
    format!(
        "{segments:?}{history:?}{:?}{outbox:?}",
        store.list_personas().unwrap()
    )
}

fn remote(name: &str) -> RemoteRecord {
    RemoteRecord {
        name: name.into(),
        dialect: segments_store::Dialect::Edgeflags,
        base_url: "http://127.0.0.1:9".into(),
        project_id: None,
        credential_id: format!("file:{name}"),
        created_at: segments_store::Timestamp::parse("2026-11-21T00:00:00.000Z").unwrap(),
    }
}

#[test]
fn migrates_from_empty_with_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 5);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        tables,
        [
            "bindings",
            "conflicts",
            "creates_in_flight",
            "outbox",
            "personas",
            "population_counts",
            "populations",
            "remotes",
            "revisions",
            "segment_references",
            "segments",
            "warehouses"
        ]
    );
    // Reopening an up-to-date database is a no-op.
    drop(Store::open(&path).unwrap());
}

#[test]
fn migrates_a_version_1_database_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.create_segment(&pro()).unwrap();
    drop(store);
    // Bring the file back to what version 1 wrote: no sync tables (nor any added since).
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE warehouses; DROP TABLE creates_in_flight; DROP TABLE population_counts;
         DROP TABLE populations; DROP TABLE conflicts; DROP TABLE outbox; DROP TABLE bindings;
         DROP TABLE remotes; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.get_segment("pro").unwrap().segment, pro());
    // A remote added after the upgrade queues the segment that was already there.
    store.add_remote(&remote("edge")).unwrap();
    let pending = store.pending("edge").unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].segment_key, "pro");
}

#[test]
fn every_local_change_is_queued_for_each_remote_in_its_own_transaction() {
    let (_dir, mut store) = temp_store();
    store.add_remote(&remote("a")).unwrap();
    store.add_remote(&remote("b")).unwrap();
    store.create_segment(&pro()).unwrap();
    store.create_segment(&refers("uses-pro", "pro")).unwrap();
    let mut changed = pro();
    changed.name = "Pro, renamed".into();
    store.import_segments(&[changed]).unwrap();
    for name in ["a", "b"] {
        let keys: Vec<String> = store
            .pending(name)
            .unwrap()
            .into_iter()
            .map(|e| e.segment_key)
            .collect();
        // One entry per segment, keeping the position of its first change.
        assert_eq!(keys, ["pro", "uses-pro"], "{name}");
    }
    assert!(matches!(
        store.add_remote(&remote("a")),
        Err(StoreError::RemoteExists(_))
    ));
    store.remove_remote("b").unwrap();
    assert!(matches!(store.pending("b").map(|p| p.len()), Ok(0)));
}

#[test]
fn refuses_a_database_from_the_future_and_a_non_database() {
    let dir = tempfile::tempdir().unwrap();
    let future = dir.path().join("future.sqlite3");
    Connection::open(&future)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let bytes = std::fs::read(&future).unwrap();
    let err = Store::open(&future).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(
        std::fs::read(&future).unwrap(),
        bytes,
        "left byte for byte untouched"
    );

    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, vec![b'x'; 4096]).unwrap();
    let err = Store::open(&junk).unwrap_err();
    assert!(err.to_string().contains("not a SQLite database"), "{err}");
    assert_eq!(
        std::fs::read(&junk).unwrap(),
        vec![b'x'; 4096],
        "the file is untouched"
    );
}

#[test]
fn create_update_delete_restore_record_revisions() {
    let (_dir, mut store) = temp_store();
    let created = store.create_segment(&pro()).unwrap();
    assert_eq!(created.segment, pro());

    let patch = parse_patch(&json!({"name": "Pro plan", "match_type": "any"}), "pro").unwrap();
    let updated = store.update_segment("pro", &patch).unwrap();
    assert_eq!(updated.segment.name, "Pro plan");
    assert_eq!(
        updated.segment.rules,
        pro().rules,
        "a partial update keeps the other fields"
    );
    assert_eq!(updated.created_at, created.created_at);

    // An update that changes nothing records nothing.
    store.update_segment("pro", &patch).unwrap();

    let deleted = store.delete_segment("pro").unwrap();
    assert!(matches!(
        store.get_segment("pro"),
        Err(StoreError::NotFound(_))
    ));

    let history = store.history("pro").unwrap();
    let actions: Vec<_> = history.iter().map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            RevisionAction::Delete,
            RevisionAction::Update,
            RevisionAction::Create
        ]
    );
    assert_eq!(history[0].id, deleted.id);
    assert!(
        history
            .iter()
            .all(|r| r.author == segments_store::Author::Local)
    );
    assert_eq!(history[1].previous.as_ref(), Some(&pro().to_json()));
    assert_eq!(
        history[1].current.as_ref(),
        Some(&updated.segment.to_json())
    );
    assert_eq!(history[0].current, None);
    assert_eq!(history[2].previous, None);

    // Undo the delete: restoring a delete revision brings back what was deleted.
    let restored = store.restore_revision("pro", deleted.id).unwrap();
    assert_eq!(restored.segment, updated.segment);
    // Restore the very first version over the current one.
    let first = history.last().unwrap().id;
    assert_eq!(store.restore_revision("pro", first).unwrap().segment, pro());
    let history = store.history("pro").unwrap();
    assert_eq!(history.len(), 5);
    assert_eq!(history[0].action, RevisionAction::Restore);
    assert!(matches!(
        store.restore_revision("pro", 999),
        Err(StoreError::RevisionNotFound { .. })
    ));
}

#[test]
fn refused_writes_leave_no_trace() {
    let (_dir, mut store) = temp_store();
    // With a remote, every write also queues an outbox entry: a refused one must not.
    store.add_remote(&remote("edge")).unwrap();
    store.create_segment(&pro()).unwrap();
    store.create_segment(&refers("uses-pro", "pro")).unwrap();
    store.save_persona("Ada", &json!({"plan": "pro"})).unwrap();
    let before = snapshot(&store);

    assert!(matches!(
        store.create_segment(&pro()),
        Err(StoreError::Duplicate(_))
    ));
    let unknown = store
        .create_segment(&refers("dangling", "nope"))
        .unwrap_err();
    let StoreError::Invalid(e) = &unknown else {
        panic!("{unknown}")
    };
    assert_eq!(e.first_code(), Some(IssueCode::UnknownSegment));
    assert_eq!(e.issues[0].path, "rules[0].values[0]");

    // pro → uses-pro → pro would be a cycle.
    let cycle = parse_patch(&json!({"rules": [{"attribute": "segment", "operator": "in_segment", "values": ["uses-pro"]}]}), "pro").unwrap();
    let err = store.update_segment("pro", &cycle).unwrap_err();
    let StoreError::Invalid(e) = &err else {
        panic!("{err}")
    };
    assert!(
        e.issues.iter().any(|i| i.code == IssueCode::ReferenceCycle),
        "{err}"
    );

    let err = store.delete_segment("pro").unwrap_err();
    assert!(err.to_string().contains("referenced by uses-pro"), "{err}");
    assert!(matches!(
        store.update_segment("ghost", &cycle),
        Err(StoreError::NotFound(_))
    ));

    // An import with one bad reference lands nothing, not even its valid segments.
    let batch = [
        segment(json!({"key": "fine", "rules": [{"attribute": "a", "operator": "exists"}]})),
        refers("bad", "missing"),
    ];
    assert!(store.import_segments(&batch).is_err());
    assert!(matches!(
        store.import_segments(&[pro(), pro()]),
        Err(StoreError::Duplicate(_))
    ));
    assert!(store.preview_import(&batch).is_err());
    assert!(matches!(
        store.preview_import(&[pro(), pro()]),
        Err(StoreError::Duplicate(_))
    ));
    assert!(store.save_persona("", &json!({})).is_err());
    assert!(store.save_persona("x", &json!([1])).is_err());
    // A persona is a context: held to the 1 MiB an evaluation accepts.
    let huge = json!({"blob": "x".repeat(segments_engine::limits::MAX_CONTEXT_BYTES)});
    let refused = store.save_persona("huge", &huge).unwrap_err();
    assert!(refused.to_string().contains("limit"), "{refused}");

    assert_eq!(snapshot(&store), before);
}

#[test]
fn import_creates_updates_and_skips_unchanged() {
    let (_dir, mut store) = temp_store();
    store.create_segment(&pro()).unwrap();
    let mut changed = pro();
    changed.name = "Pro (renamed)".into();
    let batch = [changed.clone(), refers("uses-pro", "pro")];
    let preview = store.preview_import(&batch).unwrap();
    let report = store.import_segments(&batch).unwrap();
    // The preview writes nothing and says exactly what the import then did.
    assert_eq!(preview, report);
    assert_eq!(report.created, ["uses-pro"]);
    assert_eq!(report.updated, ["pro"]);
    let again = store
        .import_segments(&[changed, refers("uses-pro", "pro")])
        .unwrap();
    assert_eq!(again.unchanged, ["pro", "uses-pro"]);
    assert_eq!(
        store.history("pro").unwrap()[0].action,
        RevisionAction::Import
    );
}

#[test]
fn personas_upsert_by_name() {
    let (_dir, mut store) = temp_store();
    let first = store.save_persona("Ada", &json!({"plan": "pro"})).unwrap();
    let second = store
        .save_persona(" Ada ", &json!({"plan": "free"}))
        .unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(
        store.list_personas().unwrap()[0].context,
        json!({"plan": "free"})
    );
    let other = store.save_persona("Bo", &json!({"plan": "team"})).unwrap();
    let renamed = store
        .update_persona(first.id, "Ada (EU)", &json!({"country": "DE"}))
        .unwrap();
    assert_eq!(
        (renamed.id, renamed.name.as_str(), &renamed.context),
        (first.id, "Ada (EU)", &json!({"country": "DE"}))
    );
    // A rename never takes another persona's name (save_persona would overwrite it).
    let taken = store
        .update_persona(first.id, "Bo", &json!({}))
        .unwrap_err();
    assert!(
        taken.to_string().contains("already named \"Bo\""),
        "{taken}"
    );
    assert!(matches!(
        store.update_persona(999, "Cy", &json!({})),
        Err(StoreError::PersonaNotFound(999))
    ));
    assert_eq!(store.list_personas().unwrap()[1].context, other.context);
    store.delete_persona(first.id).unwrap();
    assert!(matches!(
        store.delete_persona(first.id),
        Err(StoreError::PersonaNotFound(_))
    ));
}

#[test]
fn a_damaged_document_is_reported_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let mut store = Store::open(&path).unwrap();
    store.create_segment(&pro()).unwrap();
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE segments SET document = '{\"key\": \"pro\"}'", [])
        .unwrap();
    let err = store.get_segment("pro").unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
    // Its history still holds the good version, and restoring it repairs the segment.
    let good = store.history("pro").unwrap()[0].id;
    assert_eq!(store.restore_revision("pro", good).unwrap().segment, pro());
}

#[test]
fn review_edge_cases() {
    let (_dir, mut store) = temp_store();
    let mut any = pro();
    any.match_type = segments_engine::MatchType::Any;
    store.create_segment(&any).unwrap();
    // EdgeFlags conditions are AND, whatever the stored match type was.
    let patch = parse_patch(
        &json!({"conditions": [{"property": "plan", "operator": "eq", "value": "pro"}]}),
        "pro",
    )
    .unwrap();
    let updated = store.update_segment("pro", &patch).unwrap();
    assert_eq!(updated.segment.match_type, segments_engine::MatchType::All);
    assert!(parse_patch(&json!({"rules": [], "conditions": []}), "pro").is_err());

    // Restoring the state a segment is already in records nothing.
    let latest = store.history("pro").unwrap()[0].id;
    let before = store.history("pro").unwrap().len();
    store.restore_revision("pro", latest).unwrap();
    assert_eq!(store.history("pro").unwrap().len(), before);
}

#[test]
fn a_remote_change_never_overwrites_a_local_edit_made_meanwhile() {
    let (_dir, mut store) = temp_store();
    store.add_remote(&remote("edge")).unwrap();
    store.create_segment(&pro()).unwrap();
    let seen = store.get_segment("pro").unwrap().segment;
    // The user edits while the remote is being asked.
    let mut edited = pro();
    edited.name = "Edited here".into();
    store.import_segments(&[edited.clone()]).unwrap();
    let mut theirs = pro();
    theirs.description = "from the remote".into();
    let change = |expected| RemoteChange {
        expected,
        next: Some(&theirs),
        binding: BindingChange::Set {
            remote_id: "pro".into(),
            base: theirs.clone(),
            version: None,
        },
        still_pending: false,
    };
    assert!(
        !store
            .apply_remote("edge", "pro", change(Some(Some(&seen))))
            .unwrap()
    );
    assert_eq!(store.get_segment("pro").unwrap().segment, edited);
    assert!(store.binding("edge", "pro").unwrap().is_none());
    assert!(
        store
            .apply_remote("edge", "pro", change(Some(Some(&edited))))
            .unwrap()
    );
    assert_eq!(store.get_segment("pro").unwrap().segment, theirs);
}
