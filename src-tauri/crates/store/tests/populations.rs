//! Populations on temp-file databases: the round trip of what was read from a file, one
//! entry per file, counts cached per segment revision, damage reported, and the upgrade of
//! a database written before populations existed.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use segments_engine::{Segment, parse_patch, parse_segment};
use segments_population::{
    AttributeProfile, AttributeType, FileKind, Format, Profile, Stamp, TopValue,
};
use segments_store::{Store, StoreError};
use serde_json::{Value, json};

fn segment(doc: Value) -> Segment {
    parse_segment(&doc).unwrap()
}

fn plan_is(key: &str, plan: &str) -> Segment {
    segment(
        json!({"key": key, "rules": [{"attribute": "plan", "operator": "eq", "values": [plan]}]}),
    )
}

fn refers(key: &str, to: &str) -> Segment {
    segment(
        json!({"key": key, "rules": [{"attribute": "segment", "operator": "in_segment", "values": [to]}]}),
    )
}

fn rename(store: &mut Store, key: &str, name: &str) {
    let patch = parse_patch(&json!({ "name": name }), key).unwrap();
    store.update_segment(key, &patch).unwrap();
}

fn profile(rows: u64, plan_share: f64) -> Profile {
    Profile {
        kind: FileKind {
            format: Format::Ndjson,
            gzip: true,
        },
        stamp: Stamp {
            size: 1234 + rows,
            modified_ms: 1_764_000_000_000 + i64::try_from(rows).unwrap(),
        },
        rows,
        invalid: 2,
        attributes: vec![
            AttributeProfile {
                name: "address.country".into(),
                types: vec![AttributeType::String, AttributeType::Null],
                present: rows - 1,
                missing_share: 0.1,
                top_values: vec![TopValue {
                    value: json!("DE"),
                    count: 3,
                }],
                many_values: false,
            },
            AttributeProfile {
                name: "plan".into(),
                types: vec![AttributeType::String],
                present: rows,
                missing_share: plan_share,
                top_values: vec![],
                many_values: true,
            },
        ],
        sample: (0..rows)
            .map(|i| json!({"id": i, "plan": "pro", "address": {"country": "DE"}}))
            .collect(),
    }
}

fn temp_store() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("segments.sqlite3");
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

fn file(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn count_rows(db: &Path) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM population_counts", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_population_round_trips_through_add_list_get_and_remove() {
    let (dir, db, mut store) = temp_store();
    let read = profile(5, 0.25);
    let users = store
        .add_population("  Users  ", &file(dir.path(), "users.ndjson.gz"), &read)
        .unwrap();
    assert_eq!(users.name, "Users");
    assert_eq!(users.path, file(dir.path(), "users.ndjson.gz"));
    assert_eq!(users.kind, read.kind);
    assert_eq!(users.stamp, read.stamp);
    assert_eq!((users.rows, users.invalid), (5, 2));
    assert_eq!(users.attributes, read.attributes);
    assert_eq!(users.added_at, users.read_at);
    let id = uuid::Uuid::parse_str(&users.id).unwrap();
    assert_eq!(id.get_version_num(), 4);

    let accounts = store
        .add_population(
            "Accounts",
            &file(dir.path(), "accounts.csv"),
            &profile(3, 0.0),
        )
        .unwrap();
    assert_ne!(accounts.id, users.id);
    let names: Vec<_> = store
        .list_populations()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Accounts", "Users"]);
    assert_eq!(store.get_population(&users.id).unwrap(), users);
    assert_eq!(store.population_sample(&users.id).unwrap(), read.sample);
    let shown = serde_json::to_value(&users).unwrap();
    assert_eq!(shown["path"], json!(users.path.to_str().unwrap()));
    assert_eq!(shown["kind"], json!({"format": "ndjson", "gzip": true}));
    assert!(shown.get("sample").is_none());

    store.create_segment(&plan_is("pro", "pro")).unwrap();
    let revision = store.segment_count_revision("pro").unwrap();
    store.save_count(&users.id, "pro", revision, 4, 5).unwrap();
    assert_eq!(store.remove_population(&users.id).unwrap(), users);
    assert_eq!(count_rows(&db), 0, "the counts go with their population");
    for gone in [
        store.get_population(&users.id),
        store.remove_population(&users.id),
    ] {
        assert!(matches!(gone, Err(StoreError::PopulationNotFound(_))));
    }
    assert!(matches!(
        store.population_sample(&users.id),
        Err(StoreError::PopulationNotFound(_))
    ));
    assert_eq!(store.list_populations().unwrap(), [accounts]);
    // The file can be added again once it is no longer a population.
    store
        .add_population("Users", &file(dir.path(), "users.ndjson.gz"), &read)
        .unwrap();
}

#[test]
fn a_file_is_one_population_and_bad_input_is_refused() {
    let (dir, _db, mut store) = temp_store();
    let path = file(dir.path(), "users.csv");
    store
        .add_population("First", &path, &profile(2, 0.0))
        .unwrap();
    let err = store
        .add_population("Second", &path, &profile(2, 0.0))
        .unwrap_err();
    assert!(matches!(err, StoreError::PopulationExists(ref n) if n == "First"));
    assert_eq!(err.to_string(), "this file is already a population: First");

    let other = file(dir.path(), "other.csv");
    for (name, path) in [("", other.as_path()), ("Relative", Path::new("users.csv"))] {
        let err = store
            .add_population(name, path, &profile(2, 0.0))
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidPopulation(_)), "{err}");
    }
    let err = store
        .add_population("NaN", &other, &profile(2, f64::NAN))
        .unwrap_err();
    assert!(err.to_string().contains("\"plan\""), "{err}");
    assert_eq!(store.list_populations().unwrap().len(), 1);
}

#[test]
fn a_refresh_replaces_what_was_read_and_forgets_the_counts() {
    let (dir, _db, mut store) = temp_store();
    let added = store
        .add_population(
            "Users",
            &file(dir.path(), "users.ndjson.gz"),
            &profile(5, 0.25),
        )
        .unwrap();
    store.create_segment(&plan_is("pro", "pro")).unwrap();
    let revision = store.segment_count_revision("pro").unwrap();
    store.save_count(&added.id, "pro", revision, 4, 5).unwrap();

    let mut reread = profile(7, 0.5);
    reread.kind = FileKind {
        format: Format::Ndjson,
        gzip: false,
    };
    let refreshed = store.refresh_population(&added.id, &reread).unwrap();
    assert_eq!(
        (refreshed.id.as_str(), refreshed.name.as_str()),
        (added.id.as_str(), "Users")
    );
    assert_eq!(refreshed.path, added.path);
    assert_eq!(refreshed.kind, reread.kind);
    assert_eq!(refreshed.stamp, reread.stamp);
    assert_eq!(refreshed.rows, 7);
    assert_eq!(refreshed.attributes, reread.attributes);
    assert_eq!(refreshed.added_at, added.added_at);
    assert!(refreshed.read_at >= added.read_at);
    assert_eq!(store.population_sample(&added.id).unwrap(), reread.sample);
    assert_eq!(store.get_population(&added.id).unwrap(), refreshed);
    assert_eq!(
        store.cached_count(&added.id, "pro", revision).unwrap(),
        None
    );

    assert!(matches!(
        store.refresh_population("no-such-id", &reread),
        Err(StoreError::PopulationNotFound(_))
    ));
}

#[test]
fn counts_are_cached_per_revision_of_the_segment_and_what_it_references() {
    let (dir, db, mut store) = temp_store();
    let users = store
        .add_population("Users", &file(dir.path(), "users.csv"), &profile(5, 0.0))
        .unwrap()
        .id;
    store.create_segment(&plan_is("pro", "pro")).unwrap();
    store.create_segment(&refers("uses-pro", "pro")).unwrap();
    store.create_segment(&refers("top", "uses-pro")).unwrap();
    store.create_segment(&plan_is("other", "free")).unwrap();

    let first = store.segment_count_revision("top").unwrap();
    assert_eq!(first, store.latest_revision_id("top").unwrap());
    assert_eq!(store.cached_count(&users, "top", first).unwrap(), None);
    store.save_count(&users, "top", first, 3, 5).unwrap();
    assert_eq!(
        store.cached_count(&users, "top", first).unwrap(),
        Some((3, 5))
    );
    // Saving the same count again replaces it.
    store.save_count(&users, "top", first, 4, 5).unwrap();
    assert_eq!(
        store.cached_count(&users, "top", first).unwrap(),
        Some((4, 5))
    );

    // A segment it does not reference changes nothing.
    rename(&mut store, "other", "Other");
    assert_eq!(store.segment_count_revision("top").unwrap(), first);

    // A segment it references through another changes its meaning, so its revision.
    rename(&mut store, "pro", "Pro");
    let second = store.segment_count_revision("top").unwrap();
    assert!(second > first);
    assert_eq!(second, store.latest_revision_id("pro").unwrap());
    assert_eq!(store.segment_count_revision("uses-pro").unwrap(), second);
    assert_eq!(store.cached_count(&users, "top", second).unwrap(), None);
    store.save_count(&users, "top", second, 2, 5).unwrap();
    assert_eq!(
        store.cached_count(&users, "top", second).unwrap(),
        Some((2, 5))
    );
    // The count of the older revision is gone: it can never be asked for again.
    assert_eq!(store.cached_count(&users, "top", first).unwrap(), None);
    assert_eq!(count_rows(&db), 1);

    // Editing the segment itself, and dropping a reference, change it too.
    store
        .update_segment(
            "top",
            &parse_patch(
                &json!({"rules": [{"attribute": "plan", "operator": "eq", "values": ["x"]}]}),
                "top",
            )
            .unwrap(),
        )
        .unwrap();
    let third = store.segment_count_revision("top").unwrap();
    assert!(third > second);
    rename(&mut store, "pro", "Pro plan");
    assert_eq!(store.segment_count_revision("top").unwrap(), third);

    assert!(matches!(
        store.segment_count_revision("missing"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.latest_revision_id("missing"),
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.save_count("no-such-id", "top", third, 1, 5),
        Err(StoreError::PopulationNotFound(_))
    ));
}

#[test]
fn a_damaged_population_is_reported_and_can_be_repaired_or_removed() {
    let (dir, db, mut store) = temp_store();
    let users = store
        .add_population("Users", &file(dir.path(), "users.csv"), &profile(5, 0.0))
        .unwrap();
    let damage = |sql: &str| {
        let conn = Connection::open(&db).unwrap();
        // Lets a row through that a future CHECK would allow and this version cannot read.
        conn.pragma_update(None, "ignore_check_constraints", "ON")
            .unwrap();
        conn.execute(sql, []).unwrap();
    };
    for sql in [
        "UPDATE populations SET attributes = '[{\"name\": 1}]'",
        "UPDATE populations SET format = 'tsv'",
        "UPDATE populations SET rows = -1",
        "UPDATE populations SET added_at = 'yesterday'",
    ] {
        damage(sql);
        let err = store.get_population(&users.id).unwrap_err();
        assert!(
            matches!(err, StoreError::PopulationDamaged { .. }),
            "{sql}: {err}"
        );
        assert!(err.to_string().contains("damaged"), "{err}");
        assert!(store.list_populations().is_err());
        if !sql.contains("added_at") {
            // Reading the file again rewrites every column read from it.
            store
                .refresh_population(&users.id, &profile(5, 0.0))
                .unwrap();
            assert_eq!(store.get_population(&users.id).unwrap().rows, 5);
        }
    }
    damage("UPDATE populations SET sample = 'not json'");
    assert!(matches!(
        store.population_sample(&users.id),
        Err(StoreError::PopulationDamaged { .. })
    ));
    // The way out when the file is gone: removing works, and says what was wrong.
    assert!(matches!(
        store.remove_population(&users.id),
        Err(StoreError::PopulationDamaged { .. })
    ));
    assert!(store.list_populations().unwrap().is_empty());
}

#[test]
fn a_version_2_database_gains_populations_and_keeps_its_data() {
    let (dir, db, mut store) = temp_store();
    store.create_segment(&plan_is("pro", "pro")).unwrap();
    drop(store);
    // Bring the file back to what version 2 wrote: no population tables.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TABLE warehouses; DROP TABLE creates_in_flight; DROP TABLE population_counts;
         DROP TABLE populations; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);

    let mut store = Store::open(&db).unwrap();
    let version: i64 = Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 5);
    assert_eq!(
        store.get_segment("pro").unwrap().segment,
        plan_is("pro", "pro")
    );
    let users = store
        .add_population("Users", &file(dir.path(), "users.csv"), &profile(5, 0.0))
        .unwrap();
    let revision = store.segment_count_revision("pro").unwrap();
    store.save_count(&users.id, "pro", revision, 1, 5).unwrap();
    assert_eq!(
        store.cached_count(&users.id, "pro", revision).unwrap(),
        Some((1, 5))
    );
}
