//! The app's warehouse use-cases: settings saved with the password in the credentials store
//! (never the database), replaced in place, and counts on a real PostgreSQL with them.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Mutex;

use postgres_cluster::Cluster;
use segments_credentials::{CredentialLocation, Credentials, Sensitive};
use segments_engine::parse_segment;
use segments_store::Store;
use segments_studio::warehouse::{
    WarehouseSettingsInput, WarehouseUseError, count_in_warehouse, prepare_warehouse_count,
    save_warehouse_settings, store_warehouse_password, warehouse_settings,
};
use serde_json::json;

const PASSWORD: &str = "S3cret-for-the-warehouse";

fn input(url: &str, table: &str, password: Option<&str>) -> WarehouseSettingsInput {
    WarehouseSettingsInput {
        url: url.to_owned(),
        table: table.to_owned(),
        password: password.map(|p| Sensitive::new(p.to_owned())),
    }
}

#[test]
fn settings_keep_the_password_in_the_credentials_store_and_replace_it_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite3");
    let store = Mutex::new(Store::open(&db).unwrap());
    let credentials = Credentials::files_in(&dir.path().join("credentials"));
    assert_eq!(
        warehouse_settings(&store.lock().unwrap(), &credentials).unwrap(),
        None
    );
    assert!(matches!(
        prepare_warehouse_count(&store, &credentials, &[]),
        Err(WarehouseUseError::NotConfigured)
    ));

    let url = "postgresql://analyst@db.internal/crm";
    let saved =
        save_warehouse_settings(&store, &credentials, &input(url, " users ", Some(PASSWORD)))
            .unwrap();
    assert_eq!(saved.url, "postgres://analyst@db.internal:5432/crm");
    assert_eq!(saved.table, "users");
    assert_eq!(saved.password, Some(CredentialLocation::File));
    assert!(saved.password_note.contains("readable only by you"));
    let id = store
        .lock()
        .unwrap()
        .warehouse(&saved.url)
        .unwrap()
        .unwrap()
        .credential_id
        .unwrap();
    assert_eq!(credentials.load(&id).unwrap(), PASSWORD);

    // Saved again without a password: the stored one stays. With one: replaced under the
    // same id, and the CLI's command does the same.
    save_warehouse_settings(&store, &credentials, &input(url, "crm.users", None)).unwrap();
    save_warehouse_settings(
        &store,
        &credentials,
        &input(url, "crm.users", Some("second pass phrase")),
    )
    .unwrap();
    let stored = store_warehouse_password(
        &store,
        &credentials,
        &saved.url,
        &Sensitive::new("third".to_owned()),
    )
    .unwrap();
    assert_eq!(stored.location, CredentialLocation::File);
    let record = store
        .lock()
        .unwrap()
        .warehouse(&saved.url)
        .unwrap()
        .unwrap();
    assert_eq!(record.credential_id.as_deref(), Some(id.as_str()));
    assert_eq!(record.table.as_deref(), Some("crm.users"));
    assert_eq!(credentials.load(&id).unwrap(), "third");
    let shown = warehouse_settings(&store.lock().unwrap(), &credentials)
        .unwrap()
        .unwrap();
    assert_eq!(shown.table, "crm.users");

    // Refused before anything is stored: a password in the URL, no table, a bad password.
    let files = || {
        std::fs::read_dir(dir.path().join("credentials"))
            .unwrap()
            .count()
    };
    let before = files();
    for (settings, code) in [
        (
            input("postgres://a:pw-in-url@h/d", "users", None),
            "warehouse_bad_url",
        ),
        (input("postgres://b@h/d", "  ", Some("x")), "validation"),
        (
            input("postgres://c@h/d", "users", Some("two\nlines")),
            "validation",
        ),
        (
            input("mysql://d@h/d", "users", Some("x")),
            "warehouse_bad_url",
        ),
    ] {
        let err = save_warehouse_settings(&store, &credentials, &settings).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(!err.to_string().contains("pw-in-url"), "{err}");
    }
    assert_eq!(files(), before);

    // The database never holds a password.
    drop(store);
    for file in [db.clone(), db.with_extension("sqlite3-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for secret in [PASSWORD, "second pass phrase", "third"] {
            let needle = secret.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{secret}"
            );
        }
    }
}

/// The app's road: saved settings, a count prepared under the store's lock, run without it.
#[test]
fn the_apps_count_runs_on_the_saved_warehouse_with_the_stored_password() {
    let cluster = Cluster::start(PASSWORD);
    cluster.sql(
        "CREATE TABLE people (plan text, seats bigint); \
         INSERT INTO people VALUES ('pro', 3), ('free', 40), ('pro', NULL), (NULL, 12)",
    );
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("db.sqlite3")).unwrap());
    let credentials = Credentials::files_in(&dir.path().join("credentials"));
    for document in [
        json!({"key": "pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        json!({"key": "big", "rules": [{"attribute": "seats", "operator": "gt", "values": ["10"]}]}),
    ] {
        let segment = parse_segment(&document).unwrap();
        store.lock().unwrap().create_segment(&segment).unwrap();
    }
    let settings = input(&cluster.url(), "people", Some(PASSWORD));
    save_warehouse_settings(&store, &credentials, &settings).unwrap();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let request = prepare_warehouse_count(&store, &credentials, &[]).unwrap();
    let counts = runtime.block_on(count_in_warehouse(request)).unwrap();
    assert_eq!(counts.rows, 4);
    let got: Vec<(&str, u64)> = counts
        .segments
        .iter()
        .map(|c| (c.key.as_str(), c.matched))
        .collect();
    assert_eq!(got, [("big", 2), ("pro", 2)]);

    // A wrong password saved: the whole count fails, naming the fix and not the password.
    let wrong = input(&cluster.url(), "people", Some("not-it-at-all"));
    save_warehouse_settings(&store, &credentials, &wrong).unwrap();
    let request = prepare_warehouse_count(&store, &credentials, &["pro".to_owned()]).unwrap();
    let err = runtime.block_on(count_in_warehouse(request)).unwrap_err();
    assert_eq!(err.code(), "warehouse_authentication");
    assert!(!format!("{err} {err:?}").contains("not-it-at-all"), "{err}");
}
