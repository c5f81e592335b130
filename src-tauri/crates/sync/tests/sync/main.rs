//! Sync against real HTTP servers on 127.0.0.1 (`tests/remotes`), one per dialect, written
//! from the API pages with their errors and faults. Nothing here mocks our own client.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod exchanges;
mod failures;
mod faults;
mod hostile;
mod leases;
mod logs;
mod previews;
mod raw;

use std::sync::Mutex;
use std::time::Duration;

use fake_remotes::{FakeRemote, Faults, Grant, Role, Scope};
use segments_engine::{Segment, parse_segment};
use segments_store::Store;
use segments_sync::credentials::Credentials;
use segments_sync::{
    self as sync, ChangeOp, Dialect, NewRemote, RetryPolicy, SyncBadge, SyncError, SyncOptions,
    SyncReport, Take, Wire,
};
use serde_json::{Value, json};

pub(crate) const REMOTE: &str = "hosted";

pub(crate) struct Local {
    store: Mutex<Store>,
    credentials: Credentials,
    dir: tempfile::TempDir,
}

pub(crate) fn fake_dialect(dialect: Dialect) -> fake_remotes::Dialect {
    match dialect {
        Dialect::Projects => fake_remotes::Dialect::Projects,
        Dialect::Krafter => fake_remotes::Dialect::Krafter,
        Dialect::Edgeflags => fake_remotes::Dialect::Edgeflags,
    }
}

pub(crate) fn local() -> Local {
    logs::capture();
    let dir = tempfile::tempdir().unwrap();
    Local {
        store: Mutex::new(Store::open(&dir.path().join("segments.db")).unwrap()),
        credentials: Credentials::files_in(&dir.path().join("credentials")),
        dir,
    }
}

pub(crate) fn options() -> SyncOptions {
    SyncOptions {
        policy: RetryPolicy {
            max_attempts: 10,
            base_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            max_response_bytes: sync::MAX_RESPONSE_BYTES,
        },
        ..SyncOptions::default()
    }
}

impl Local {
    /// The database file.
    pub(crate) fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("segments.db")
    }

    /// Where this test's token files are.
    pub(crate) fn credentials_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("credentials")
    }

    pub(crate) fn add(&self, fake: &FakeRemote, dialect: Dialect, grant: Grant) {
        let remote = NewRemote {
            name: REMOTE.into(),
            dialect,
            base_url: fake.base_url(),
            project_id: dialect
                .needs_project()
                .then(|| fake.project_id().to_owned()),
            token: fake.token(grant).into(),
        };
        sync::add_remote(&self.store, &self.credentials, &remote).unwrap();
    }

    pub(crate) async fn push(&self) -> Result<SyncReport, SyncError> {
        sync::push(&self.store, &self.credentials, REMOTE, &options(), &|_| {}).await
    }

    pub(crate) async fn pull(&self) -> Result<SyncReport, SyncError> {
        sync::pull(&self.store, &self.credentials, REMOTE, &options(), &|_| {}).await
    }

    pub(crate) fn create(&self, document: Value) {
        let segment = parse_segment(&document).unwrap();
        self.store.lock().unwrap().create_segment(&segment).unwrap();
    }

    pub(crate) fn update(&self, key: &str, patch: Value) {
        let patch = segments_engine::parse_patch(&patch, key).unwrap();
        self.store
            .lock()
            .unwrap()
            .update_segment(key, &patch)
            .unwrap();
    }

    pub(crate) fn segment(&self, key: &str) -> Segment {
        self.store.lock().unwrap().get_segment(key).unwrap().segment
    }

    pub(crate) fn segments(&self) -> Vec<Segment> {
        let store = self.store.lock().unwrap();
        store
            .list_segments()
            .unwrap()
            .into_iter()
            .map(|s| s.segment)
            .collect()
    }

    pub(crate) fn badge(&self, key: &str) -> SyncBadge {
        let status = sync::status(&self.store.lock().unwrap(), REMOTE).unwrap();
        status
            .segments
            .into_iter()
            .find(|b| b.key == key)
            .unwrap()
            .state
    }

    /// Everything local, sync records included, to prove a refused run changed nothing.
    pub(crate) fn snapshot(&self) -> String {
        let store = self.store.lock().unwrap();
        let status = sync::status(&store, REMOTE).unwrap();
        format!("{:?}{:?}", store.list_segments().unwrap(), status)
    }
}

/// The remote's segments read back in canonical form (Krafter keyed by name).
pub(crate) fn remote_segments(fake: &FakeRemote, dialect: Dialect) -> Vec<Segment> {
    let mut segments: Vec<Segment> = fake
        .segments()
        .iter()
        .map(|object| {
            let key = object
                .get("key")
                .or_else(|| object.get("name"))
                .and_then(Value::as_str)
                .unwrap();
            dialect
                .decode(object, &segments_engine::key_from_name(key))
                .unwrap()
        })
        .collect();
    segments.sort_by(|a, b| a.key.cmp(&b.key));
    segments
}

pub(crate) fn condition(key: &str, operator: &str, values: Value) -> Value {
    let attribute = if operator.ends_with("in_segment") {
        "segment"
    } else {
        "attr"
    };
    json!({"key": key, "name": key, "description": format!("{operator} round trip"),
           "rules": [{"attribute": attribute, "operator": operator, "values": values}]})
}

/// Values that suit each operator.
pub(crate) fn values_for(operator: &str) -> Value {
    match operator {
        "in" | "not_in" => json!(["a", "b"]),
        "gt" | "gte" | "lt" | "lte" => json!([50]),
        "matches" => json!(["^ab+c$"]),
        "exists" | "not_exists" => json!([]),
        op if op.starts_with("semver") => json!(["1.4.0"]),
        "before" | "after" => json!(["2026-01-01"]),
        "in_segment" | "not_in_segment" => json!(["z-base"]),
        _ => json!(["pro"]),
    }
}

pub(crate) fn supported(dialect: Dialect) -> Vec<&'static str> {
    match dialect {
        Dialect::Projects => segments_engine::Operator::ALL
            .iter()
            .map(|o| o.as_str())
            .collect(),
        Dialect::Krafter => vec![
            "eq",
            "neq",
            "contains",
            "not_contains",
            "in",
            "not_in",
            "gt",
            "lt",
        ],
        Dialect::Edgeflags => vec![
            "eq",
            "neq",
            "contains",
            "in",
            "not_in",
            "starts_with",
            "ends_with",
            "gt",
            "gte",
            "lt",
            "lte",
            "matches",
            "in_segment",
            "not_in_segment",
        ],
    }
}
