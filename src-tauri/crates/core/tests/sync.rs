//! Sync against real HTTP servers on 127.0.0.1 (`tests/remotes`), one per dialect, written
//! from the API pages with their errors and faults. Nothing here mocks our own client.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::sync::Mutex;
use std::time::Duration;

use fake_remotes::{FakeRemote, Faults, Grant, Role, Scope};
use segments_core::credentials::Credentials;
use segments_core::store::Store;
use segments_core::sync::{
    self, ChangeOp, Dialect, NewRemote, RetryPolicy, SyncBadge, SyncError, SyncOptions, SyncReport,
    Take,
};
use segments_engine::{Segment, parse_segment};
use serde_json::{Value, json};

const REMOTE: &str = "hosted";

struct Local {
    store: Mutex<Store>,
    credentials: Credentials,
    _dir: tempfile::TempDir,
}

fn fake_dialect(dialect: Dialect) -> fake_remotes::Dialect {
    match dialect {
        Dialect::Projects => fake_remotes::Dialect::Projects,
        Dialect::Krafter => fake_remotes::Dialect::Krafter,
        Dialect::Edgeflags => fake_remotes::Dialect::Edgeflags,
    }
}

fn local() -> Local {
    let dir = tempfile::tempdir().unwrap();
    Local {
        store: Mutex::new(Store::open(&dir.path().join("segments.db")).unwrap()),
        credentials: Credentials::files_in(&dir.path().join("credentials")),
        _dir: dir,
    }
}

fn options() -> SyncOptions {
    SyncOptions {
        policy: RetryPolicy {
            max_attempts: 10,
            base_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(20),
            max_retry_after: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
            max_response_bytes: sync::MAX_RESPONSE_BYTES,
        },
        token: None,
    }
}

impl Local {
    fn add(&self, fake: &FakeRemote, dialect: Dialect, grant: Grant) {
        let remote = NewRemote {
            name: REMOTE.into(),
            dialect,
            base_url: fake.base_url(),
            project_id: dialect
                .needs_project()
                .then(|| fake.project_id().to_owned()),
            token: fake.token(grant),
        };
        sync::add_remote(&mut self.store.lock().unwrap(), &self.credentials, &remote).unwrap();
    }

    async fn push(&self) -> Result<SyncReport, SyncError> {
        sync::push(&self.store, &self.credentials, REMOTE, &options(), &|_| {}).await
    }

    async fn pull(&self) -> Result<SyncReport, SyncError> {
        sync::pull(&self.store, &self.credentials, REMOTE, &options(), &|_| {}).await
    }

    fn create(&self, document: Value) {
        let segment = parse_segment(&document).unwrap();
        self.store.lock().unwrap().create_segment(&segment).unwrap();
    }

    fn update(&self, key: &str, patch: Value) {
        let patch = segments_engine::parse_patch(&patch, key).unwrap();
        self.store
            .lock()
            .unwrap()
            .update_segment(key, &patch)
            .unwrap();
    }

    fn segment(&self, key: &str) -> Segment {
        self.store.lock().unwrap().get_segment(key).unwrap().segment
    }

    fn segments(&self) -> Vec<Segment> {
        let store = self.store.lock().unwrap();
        store
            .list_segments()
            .unwrap()
            .into_iter()
            .map(|s| s.segment)
            .collect()
    }

    fn badge(&self, key: &str) -> SyncBadge {
        let status = sync::status(&self.store.lock().unwrap(), REMOTE).unwrap();
        status
            .segments
            .into_iter()
            .find(|b| b.key == key)
            .unwrap()
            .state
    }

    /// Everything local, sync records included, to prove a refused run changed nothing.
    fn snapshot(&self) -> String {
        let store = self.store.lock().unwrap();
        let status = sync::status(&store, REMOTE).unwrap();
        format!("{:?}{:?}", store.list_segments().unwrap(), status)
    }
}

/// The remote's segments read back in canonical form (Krafter keyed by name).
fn remote_segments(fake: &FakeRemote, dialect: Dialect) -> Vec<Segment> {
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

fn condition(key: &str, operator: &str, values: Value) -> Value {
    let attribute = if operator.ends_with("in_segment") {
        "segment"
    } else {
        "attr"
    };
    json!({"key": key, "name": key, "description": format!("{operator} round trip"),
           "rules": [{"attribute": attribute, "operator": operator, "values": values}]})
}

/// Values that suit each operator.
fn values_for(operator: &str) -> Value {
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

fn supported(dialect: Dialect) -> Vec<&'static str> {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_supported_operator_round_trips_push_then_pull() {
    for dialect in Dialect::ALL {
        let fake = FakeRemote::start(fake_dialect(dialect));
        let mine = local();
        let operators = supported(dialect);
        if operators.iter().any(|o| o.ends_with("in_segment")) {
            mine.create(condition("z-base", "eq", json!(["x"])));
        }
        for operator in &operators {
            let key = format!("op-{}", operator.replace('_', "-"));
            mine.create(condition(&key, operator, values_for(operator)));
        }
        mine.add(&fake, dialect, Grant::Full);
        let report = mine.push().await.unwrap();
        assert!(report.is_clean(), "{dialect:?}: {report:?}");
        assert_eq!(report.created.len(), mine.segments().len(), "{dialect:?}");
        assert_eq!(fake.segments().len(), mine.segments().len(), "{dialect:?}");
        for segment in mine.segments() {
            assert_eq!(
                mine.badge(&segment.key),
                SyncBadge::InSync,
                "{dialect:?} {}",
                segment.key
            );
        }

        // A second database pulls what the first pushed: the same segments, in the
        // dialect's spelling (projects writes values as strings).
        let theirs = local();
        theirs.add(&fake, dialect, Grant::Full);
        let report = theirs.pull().await.unwrap();
        assert!(report.is_clean(), "{dialect:?}: {report:?}");
        let expected: Vec<Segment> = mine
            .segments()
            .iter()
            .map(|s| dialect.normalize(s))
            .collect();
        assert_eq!(theirs.segments(), expected, "{dialect:?}");
        // Pulled segments are in sync: nothing is queued to go back.
        let status = sync::status(&theirs.store.lock().unwrap(), REMOTE).unwrap();
        assert!(
            status.pending.iter().all(|p| p.op.is_none()),
            "{dialect:?}: {status:?}"
        );
        // And a push of the first database now has nothing to send.
        let again = mine.push().await.unwrap();
        assert!(
            again.created.is_empty() && again.updated.is_empty(),
            "{again:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_fifty_segments_over_pages_both_ways() {
    for dialect in Dialect::ALL {
        let fake = FakeRemote::start(fake_dialect(dialect));
        for i in 0..250 {
            let rule = json!({"key": "plan", "operator": "equals", "value": format!("p{i}")});
            let segment = match dialect {
                Dialect::Projects => {
                    json!({"key": format!("remote-{i:03}"), "name": format!("Remote {i:03}"),
                    "rules": [{"attribute": "plan", "operator": "eq", "values": [format!("p{i}")]}]})
                }
                Dialect::Krafter => {
                    json!({"name": format!("Remote {i:03}"), "rules": [rule], "match_type": "all"})
                }
                Dialect::Edgeflags => json!({"key": format!("remote-{i:03}"), "conditions": [
                    {"property": "plan", "operator": "equals", "value": format!("p{i}")}]}),
            };
            fake.insert(segment);
        }
        let mine = local();
        mine.add(&fake, dialect, Grant::Full);
        let report = mine.pull().await.unwrap();
        assert_eq!(report.created.len(), 250, "{dialect:?}: {report:?}");
        assert_eq!(mine.segments().len(), 250);
        assert!(mine.segments().iter().any(|s| s.key == "remote-249"));

        // 250 local segments go out to an empty remote of the same dialect.
        let empty = FakeRemote::start(fake_dialect(dialect));
        let other = local();
        for segment in mine.segments() {
            other
                .store
                .lock()
                .unwrap()
                .create_segment(&segment)
                .unwrap();
        }
        other.add(&empty, dialect, Grant::Full);
        let report = other.push().await.unwrap();
        assert_eq!(report.created.len(), 250, "{dialect:?}");
        assert_eq!(remote_segments(&empty, dialect).len(), 250);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_different_fields_merge_and_the_same_field_conflicts() {
    for dialect in Dialect::ALL {
        let fake = FakeRemote::start(fake_dialect(dialect));
        let mine = local();
        mine.add(&fake, dialect, Grant::Full);
        mine.create(
            json!({"key": "beta", "name": "Beta", "description": "first",
            "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        );
        mine.create(json!({"key": "gamma", "name": "Gamma",
            "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
        mine.push().await.unwrap();
        let id = |key: &str| -> String {
            let store = mine.store.lock().unwrap();
            store.binding(REMOTE, key).unwrap().unwrap().remote_id
        };

        // Another user renames beta remotely; here its description changes: both survive.
        fake.edit_remotely(&id("beta"), json!({"name": "Beta (remote)"}));
        mine.update("beta", json!({"description": "second"}));
        let report = mine.push().await.unwrap();
        assert_eq!(report.merged, vec!["beta"], "{dialect:?}: {report:?}");
        assert_eq!(mine.segment("beta").name, "Beta (remote)");
        let remote = fake.segment(&id("beta")).unwrap();
        assert_eq!(remote["description"], "second", "{dialect:?}");
        assert_eq!(remote["name"], "Beta (remote)");
        assert_eq!(mine.badge("beta"), SyncBadge::InSync);

        // Both change gamma's description: a conflict, nothing overwritten on either side.
        fake.edit_remotely(&id("gamma"), json!({"description": "theirs"}));
        mine.update("gamma", json!({"description": "mine"}));
        let report = mine.push().await.unwrap();
        assert_eq!(report.conflicts, vec!["gamma"], "{dialect:?}: {report:?}");
        assert_eq!(fake.segment(&id("gamma")).unwrap()["description"], "theirs");
        assert_eq!(mine.segment("gamma").description, "mine");
        assert_eq!(mine.badge("gamma"), SyncBadge::Conflict);
        let view = sync::conflict(&mine.store.lock().unwrap(), REMOTE, "gamma").unwrap();
        assert_eq!(view.fields, vec!["description"]);
        assert_eq!(view.theirs.unwrap()["description"], "theirs");
        assert_eq!(view.base.unwrap()["description"], "");

        // Keep mine: the next push sends it over theirs, knowingly.
        sync::resolve(
            &mut mine.store.lock().unwrap(),
            REMOTE,
            "gamma",
            Take::Mine,
            None,
        )
        .unwrap();
        let report = mine.push().await.unwrap();
        assert_eq!(report.updated, vec!["gamma"], "{dialect:?}: {report:?}");
        assert_eq!(fake.segment(&id("gamma")).unwrap()["description"], "mine");

        // Take theirs: the remote's version lands locally and nothing goes back.
        fake.edit_remotely(&id("gamma"), json!({"description": "theirs again"}));
        mine.update("gamma", json!({"description": "mine again"}));
        let report = mine.pull().await.unwrap();
        assert_eq!(report.conflicts, vec!["gamma"], "{dialect:?}: {report:?}");
        sync::resolve(
            &mut mine.store.lock().unwrap(),
            REMOTE,
            "gamma",
            Take::Theirs,
            None,
        )
        .unwrap();
        assert_eq!(mine.segment("gamma").description, "theirs again");
        assert_eq!(mine.badge("gamma"), SyncBadge::InSync);
        let report = mine.push().await.unwrap();
        assert!(report.updated.is_empty() && report.is_clean(), "{report:?}");

        // Edit a resolution: saved and kept in one go; a draft for another key is refused
        // and leaves the conflict as it was.
        fake.edit_remotely(&id("gamma"), json!({"description": "theirs, third"}));
        mine.update("gamma", json!({"description": "mine, third"}));
        mine.push().await.unwrap();
        let mut edited = mine.segment("gamma").to_json();
        edited["description"] = json!("both, edited");
        let mut wrong = edited.clone();
        wrong["key"] = json!("other");
        let refused = sync::resolve(
            &mut mine.store.lock().unwrap(),
            REMOTE,
            "gamma",
            Take::Mine,
            Some(&wrong),
        );
        assert!(refused.unwrap_err().to_string().contains("cannot change"));
        assert_eq!(mine.badge("gamma"), SyncBadge::Conflict);
        sync::resolve(
            &mut mine.store.lock().unwrap(),
            REMOTE,
            "gamma",
            Take::Mine,
            Some(&edited),
        )
        .unwrap();
        assert_eq!(mine.segment("gamma").description, "both, edited");
        let report = mine.push().await.unwrap();
        assert_eq!(report.updated, vec!["gamma"], "{dialect:?}: {report:?}");
        assert_eq!(
            fake.segment(&id("gamma")).unwrap()["description"],
            "both, edited"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_updates_what_did_not_change_locally_and_never_deletes_on_absence() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    mine.create(json!({"key": "beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    mine.create(
        json!({"key": "gone", "rules": [{"attribute": "plan", "operator": "eq", "values": ["x"]}]}),
    );
    mine.push().await.unwrap();
    fake.edit_remotely(
        "beta",
        json!({"conditions": [{"property": "plan", "operator": "in", "value": ["pro", "team"]}]}),
    );
    fake.delete_remotely("gone");
    let report = mine.pull().await.unwrap();
    assert_eq!(report.updated, vec!["beta"]);
    assert_eq!(report.missing_on_remote, vec!["gone"]);
    assert_eq!(mine.segment("beta").rules.len(), 1);
    assert!(mine.segment("beta").to_json().to_string().contains("team"));
    // Still here: a listing that lacks it is not evidence enough.
    assert_eq!(mine.segment("gone").key, "gone");
    let history = mine.store.lock().unwrap().history("beta").unwrap();
    assert_eq!(history[0].author, format!("remote:{REMOTE}"));

    // What the remote holds but Segment Studio cannot take is refused by name; the rest lands.
    fake.insert(json!({"key": "empty", "conditions": []}));
    fake.insert(
        json!({"key": "odd", "conditions": [{"property": "a", "operator": "sorta", "value": 1}]}),
    );
    fake.insert(
        json!({"key": "fine", "conditions": [{"property": "a", "operator": "gte", "value": 1}]}),
    );
    let report = mine.pull().await.unwrap();
    assert_eq!(report.created, vec!["fine"]);
    let refused: Vec<(&str, &str)> = report
        .refused
        .iter()
        .map(|r| (r.key.as_str(), r.message.as_str()))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].0 == "empty" && refused[0].1.contains("at least one rule"),
        "{refused:?}"
    );
    assert!(
        refused[1].0 == "odd" && refused[1].1.contains("sorta"),
        "{refused:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_delete_reaches_the_remote_unless_it_changed_there() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    for key in ["one", "two"] {
        mine.create(json!({"key": key, "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    }
    mine.push().await.unwrap();
    fake.edit_remotely("two", json!({"name": "Two, edited remotely"}));
    for key in ["one", "two"] {
        mine.store.lock().unwrap().delete_segment(key).unwrap();
    }
    let preview = sync::preview(&mine.store.lock().unwrap(), REMOTE).unwrap();
    assert_eq!(preview.changes.len(), 2);
    assert!(preview.changes.iter().all(|c| c.op == ChangeOp::Delete));
    let report = mine.push().await.unwrap();
    assert_eq!(report.deleted, vec!["one"]);
    assert_eq!(report.conflicts, vec!["two"]);
    assert!(fake.segment("one").is_none());
    assert!(fake.segment("two").is_some());
    // Taking theirs brings the remotely edited segment back.
    sync::resolve(
        &mut mine.store.lock().unwrap(),
        REMOTE,
        "two",
        Take::Theirs,
        None,
    )
    .unwrap();
    assert_eq!(mine.segment("two").name, "Two, edited remotely");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_shows_exact_requests_and_field_diffs_and_sends_nothing() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Krafter);
    let mine = local();
    mine.add(&fake, Dialect::Krafter, Grant::Full);
    mine.create(json!({"key": "pro-users", "name": "Pro Users",
        "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    mine.push().await.unwrap();
    mine.update(
        "pro-users",
        json!({"rules": [{"attribute": "seats", "operator": "gt", "values": [10]}]}),
    );
    mine.create(
        json!({"key": "nested", "rules": [{"match_type": "any", "rules": [
        {"attribute": "a", "operator": "eq", "values": [1]}]}]}),
    );
    let requests = fake.stats().requests;
    let preview = sync::preview(&mine.store.lock().unwrap(), REMOTE).unwrap();
    assert_eq!(fake.stats().requests, requests, "a dry run sends nothing");
    assert_eq!(preview.changes.len(), 1);
    let change = &preview.changes[0];
    assert_eq!(change.op, ChangeOp::Update);
    assert!(change.request.starts_with("PATCH /flags/segments/"));
    assert_eq!(change.diffs.len(), 1);
    assert_eq!(change.diffs[0].field, "rules");
    // Krafter's PATCH is partial: only the field that changed is sent, so a remote edit of
    // another field is never overwritten with ours.
    assert_eq!(
        change.body.as_ref().unwrap(),
        &json!({"rules": [{"key": "seats", "operator": "greater_than", "value": 10}]})
    );
    assert_eq!(preview.refused.len(), 1);
    assert!(preview.refused[0].message.contains("\"nested\""));
    assert!(preview.refused[0].message.contains("nested group"));

    // Against the remote as it is now (read, not written): someone renamed it there, so the
    // push will send the merge, and the diff is against their copy.
    let id = mine
        .store
        .lock()
        .unwrap()
        .binding(REMOTE, "pro-users")
        .unwrap()
        .unwrap()
        .remote_id;
    fake.edit_remotely(&id, json!({"name": "Pro Users (renamed)"}));
    let writes = fake.stats().writes_applied;
    let online = sync::preview_remote(&mine.store, &mine.credentials, REMOTE, &options())
        .await
        .unwrap();
    assert_eq!(fake.stats().writes_applied, writes);
    assert!(online.checked_remote);
    let change = &online.changes[0];
    assert!(change.merged);
    assert_eq!(
        change
            .diffs
            .iter()
            .map(|d| d.field.as_str())
            .collect::<Vec<_>>(),
        ["rules"]
    );
    assert_eq!(
        mine.segment("pro-users").name,
        "Pro Users",
        "a preview changes nothing locally"
    );
    let report = mine.push().await.unwrap();
    assert_eq!(report.merged, vec!["pro-users"]);
    assert_eq!(fake.segment(&id).unwrap()["name"], "Pro Users (renamed)");
    assert_eq!(
        fake.segment(&id).unwrap()["rules"],
        change.body.as_ref().unwrap()["rules"]
    );

    // A segment the remote already holds exactly is only linked.
    fake.insert(json!({"name": "Same", "match_type": "all",
        "rules": [{"key": "plan", "operator": "equals", "value": "x"}]}));
    mine.create(json!({"key": "same", "name": "Same", "rules": [{"attribute": "plan", "operator": "eq", "values": ["x"]}]}));
    let online = sync::preview_remote(&mine.store, &mine.credentials, REMOTE, &options())
        .await
        .unwrap();
    assert_eq!(online.linked, vec!["same"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_dialect_cannot_express_is_refused_by_name_and_the_rest_goes_on() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    mine.create(json!({"key": "any-of", "match_type": "any", "rules": [
        {"attribute": "a", "operator": "eq", "values": [1]}, {"attribute": "b", "operator": "eq", "values": [2]}]}));
    mine.create(json!({"key": "semver", "rules": [{"attribute": "v", "operator": "semver_gte", "values": ["1.2"]}]}));
    mine.create(
        json!({"key": "fine", "rules": [{"attribute": "a", "operator": "eq", "values": [1]}]}),
    );
    let report = mine.push().await.unwrap();
    assert_eq!(report.created, vec!["fine"]);
    let messages: Vec<&str> = report.refused.iter().map(|r| r.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("\"any-of\"") && messages[0].contains("match type \"any\""));
    assert!(messages[1].contains("\"semver\"") && messages[1].contains("semver_gte"));
    assert_eq!(fake.segments().len(), 1);
    let status = sync::status(&mine.store.lock().unwrap(), REMOTE).unwrap();
    assert_eq!(
        status
            .pending
            .iter()
            .filter(|p| p.last_error.is_some())
            .count(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn krafter_keys_are_derived_from_names_and_kept_unique() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Krafter);
    for plan in ["pro", "team"] {
        fake.insert(json!({"name": "Pro Users (EU)", "match_type": "all",
            "rules": [{"key": "plan", "operator": "equals", "value": plan}]}));
    }
    let mine = local();
    mine.add(&fake, Dialect::Krafter, Grant::Full);
    let report = mine.pull().await.unwrap();
    assert_eq!(report.created, vec!["pro-users-eu", "pro-users-eu-2"]);
    // A second pull finds both by id: nothing new.
    let report = mine.pull().await.unwrap();
    assert!(report.created.is_empty() && report.is_clean(), "{report:?}");

    // A key whose local segment waits to be deleted on the remote is still taken.
    mine.store
        .lock()
        .unwrap()
        .delete_segment("pro-users-eu")
        .unwrap();
    fake.insert(json!({"name": "Pro Users (EU)", "match_type": "all",
        "rules": [{"key": "plan", "operator": "equals", "value": "enterprise"}]}));
    let report = mine.pull().await.unwrap();
    assert_eq!(report.created, vec!["pro-users-eu-3"], "{report:?}");
    let status = sync::status(&mine.store.lock().unwrap(), REMOTE).unwrap();
    assert!(
        status
            .pending
            .iter()
            .any(|p| p.key == "pro-users-eu" && p.op == Some(ChangeOp::Delete))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_takes_only_the_fields_the_remote_changed() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    mine.create(json!({"key": "big", "rules": [
        {"attribute": "seats", "operator": "gte", "values": [50]},
        {"attribute": "verified", "operator": "eq", "values": [true]}]}));
    mine.push().await.unwrap();
    fake.edit_remotely("big", json!({"name": "Big accounts"}));
    let report = mine.pull().await.unwrap();
    assert_eq!(report.updated, vec!["big"]);
    let segment = mine.segment("big");
    assert_eq!(segment.name, "Big accounts");
    // The projects API spells values as strings; the local numbers and booleans stay.
    assert_eq!(
        segment.to_json()["rules"],
        json!([{"attribute": "seats", "operator": "gte", "values": [50]},
               {"attribute": "verified", "operator": "eq", "values": [true]}])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sync_at_a_time_per_remote() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    mine.create(json!({"key": "beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    // Another process holds the remote.
    let later = "2999-01-01T00:00:00.000Z";
    assert!(
        mine.store
            .lock()
            .unwrap()
            .lease_sync(REMOTE, "other", later)
            .unwrap()
    );
    let error = mine.push().await.unwrap_err();
    assert!(matches!(error, SyncError::Busy { .. }), "{error}");
    assert!(error.to_string().contains("already running"));
    assert!(fake.segments().is_empty());
    mine.store
        .lock()
        .unwrap()
        .release_sync(REMOTE, "other")
        .unwrap();
    assert_eq!(mine.push().await.unwrap().created, vec!["beta"]);
    // A finished run gives the remote back.
    assert!(
        mine.store
            .lock()
            .unwrap()
            .lease_sync(REMOTE, "next", later)
            .unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_or_missing_role_says_what_to_do_and_changes_nothing() {
    let cases: Vec<(fake_remotes::Dialect, Dialect, Grant, &str)> = vec![
        (
            fake_remotes::Dialect::Projects,
            Dialect::Projects,
            Grant::Invalid,
            "401",
        ),
        (
            fake_remotes::Dialect::Projects,
            Dialect::Projects,
            Grant::Role(Role::Viewer),
            "needs Owner, Admin or Developer",
        ),
        (
            fake_remotes::Dialect::Krafter,
            Dialect::Krafter,
            Grant::Scopes(vec![Scope::FlagsRead]),
            "needs flags:write",
        ),
        (
            fake_remotes::Dialect::Krafter,
            Dialect::Krafter,
            Grant::Scopes(vec![Scope::FlagsWrite]),
            "needs flags:read",
        ),
        (
            fake_remotes::Dialect::Edgeflags,
            Dialect::Edgeflags,
            Grant::Invalid,
            "refused the token",
        ),
    ];
    for (fake_dialect, dialect, grant, expected) in cases {
        let fake = FakeRemote::start(fake_dialect);
        let mine = local();
        mine.create(json!({"key": "beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
        mine.add(&fake, dialect, grant);
        let before = mine.snapshot();
        let error = mine.push().await.unwrap_err().to_string();
        assert!(error.contains(expected), "{dialect:?}: {error}");
        assert!(
            !error.contains("kr_") && !error.contains("ef_"),
            "no token in errors: {error}"
        );
        assert_eq!(
            mine.snapshot(),
            before,
            "{dialect:?}: a refused push changed local state"
        );
        assert!(fake.segments().is_empty());
        let error = mine.pull().await;
        if let Err(e) = error {
            assert!(e.is_remote_wide(), "{e}");
        }
        assert_eq!(mine.snapshot(), before);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transport_and_response_failures_have_clear_messages() {
    // Nothing listens: the port of a server that was stopped.
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    fake.stop();
    let error = mine.pull().await.unwrap_err().to_string();
    assert!(error.contains("connection refused"), "{error}");

    // An https URL on a plain-HTTP server fails the TLS handshake, and says so.
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    let https = fake.base_url().replace("http://", "https://");
    {
        let mut store = mine.store.lock().unwrap();
        sync::remove_remote(&mut store, &mine.credentials, REMOTE).unwrap();
        let remote = NewRemote {
            name: REMOTE.into(),
            dialect: Dialect::Projects,
            base_url: https,
            project_id: Some(fake.project_id().to_owned()),
            token: fake.token(Grant::Full),
        };
        sync::add_remote(&mut store, &mine.credentials, &remote).unwrap();
    }
    let error = mine.pull().await.unwrap_err().to_string();
    assert!(error.contains("secure connection"), "{error}");

    // A response over the size cap is refused, not buffered.
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    for i in 0..20 {
        fake.insert(json!({"key": format!("k{i}"), "name": "x".repeat(100), "rules": []}));
    }
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    let mut options = options();
    options.policy.max_response_bytes = 1024;
    let error = sync::pull(&mine.store, &mine.credentials, REMOTE, &options, &|_| {})
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("larger than 1024 bytes"), "{error}");

    // A response shape the page does not allow is named, not guessed at.
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    fake.set_response_shape(fake_remotes::ResponseShape::Unrecognized);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    let error = mine.pull().await.unwrap_err().to_string();
    assert!(
        error.contains("not what its API documents") && error.contains("segments"),
        "{error}"
    );

    // Every accepted shape works.
    for shape in [
        fake_remotes::ResponseShape::Bare,
        fake_remotes::ResponseShape::Data,
        fake_remotes::ResponseShape::DataWithTotal,
    ] {
        let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
        fake.set_response_shape(shape);
        for i in 0..120 {
            fake.insert(json!({"key": format!("k{i:03}"), "conditions": [{"property": "a", "operator": "equals", "value": i}]}));
        }
        let mine = local();
        mine.add(&fake, Dialect::Edgeflags, Grant::Full);
        let report = mine.pull().await.unwrap();
        assert_eq!(report.created.len(), 120, "{shape:?}");
        mine.update("k000", json!({"description": "changed"}));
        let report = mine.push().await.unwrap();
        assert_eq!(report.updated, vec!["k000"], "{shape:?}: {report:?}");
    }
}

/// The fault-injection run: a quarter of requests fail (500s, 429s with `Retry-After`) and
/// a quarter of successful writes lose their answer, while other users edit remotely. Pushes
/// repeat until the outbox is empty; then no segment may be duplicated and no update lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_quarter_of_faults_push_converges_without_duplicates_or_lost_updates() {
    let mut figures = Vec::new();
    for dialect in Dialect::ALL {
        let fake = FakeRemote::start(fake_dialect(dialect));
        let mine = local();
        mine.add(&fake, dialect, Grant::Full);
        for i in 0..60 {
            mine.create(
                json!({"key": format!("seg-{i:02}"), "name": format!("Segment {i:02}"),
                "rules": [{"attribute": "plan", "operator": "eq", "values": [format!("p{i}")]}]}),
            );
        }
        fake.set_faults(Faults {
            // A quarter of all requests fail before being handled, and a quarter of the
            // writes that succeed lose their answer.
            error_rate: 0.15,
            rate_limit_rate: 0.10,
            retry_after_secs: 0,
            drop_after_write_rate: 0.25,
            delay: None,
            seed: 42,
        });
        let mut runs = 0;
        let mut requests = 0;
        let mut retries = 0;
        let converge = async |runs: &mut u32, requests: &mut u64, retries: &mut u64| {
            for _ in 0..20 {
                *runs += 1;
                if let Ok(report) = mine.push().await {
                    *requests += report.requests;
                    *retries += report.retries;
                    assert!(report.conflicts.is_empty(), "{dialect:?}: {report:?}");
                }
                let status = sync::status(&mine.store.lock().unwrap(), REMOTE).unwrap();
                if status.pending.iter().all(|p| p.op.is_none()) {
                    return;
                }
            }
            panic!("{dialect:?}: the push did not converge");
        };
        converge(&mut runs, &mut requests, &mut retries).await;

        // Other users edit some segments remotely, we edit others and a few overlap in
        // different fields; some are deleted here.
        let id = |key: &str| {
            mine.store
                .lock()
                .unwrap()
                .binding(REMOTE, key)
                .unwrap()
                .unwrap()
                .remote_id
        };
        for i in (0..60).step_by(4) {
            fake.edit_remotely(
                &id(&format!("seg-{i:02}")),
                json!({"name": format!("Remote name {i}")}),
            );
        }
        for i in (0..60).step_by(3) {
            mine.update(
                &format!("seg-{i:02}"),
                json!({"description": format!("local edit {i}")}),
            );
        }
        for i in [1, 5, 7] {
            mine.store
                .lock()
                .unwrap()
                .delete_segment(&format!("seg-{i:02}"))
                .unwrap();
        }
        converge(&mut runs, &mut requests, &mut retries).await;
        // The remote edits come home (those on segments not edited here arrive by pull).
        let report = mine.pull().await.unwrap_or_default();
        requests += report.requests;
        retries += report.retries;
        fake.set_faults(Faults::none());
        let report = mine.pull().await.unwrap();
        assert!(report.is_clean(), "{report:?}");

        let remote = remote_segments(&fake, dialect);
        let local_segments = mine.segments();
        let duplicates = remote.len() as i64 - local_segments.len() as i64;
        let expected: Vec<Segment> = local_segments
            .iter()
            .map(|s| dialect.normalize(s))
            .collect();
        let lost_updates = match dialect {
            // Krafter's keys are derived locally; compare by name-derived key.
            Dialect::Krafter => {
                let mut names: Vec<String> = remote.iter().map(|s| s.name.clone()).collect();
                names.sort();
                let mut local_names: Vec<String> =
                    expected.iter().map(|s| s.name.clone()).collect();
                local_names.sort();
                let remote_docs: Vec<Value> = remote
                    .iter()
                    .map(|s| json!([s.name, s.description, s.rules.len()]))
                    .collect();
                let local_docs: Vec<Value> = expected
                    .iter()
                    .map(|s| json!([s.name, s.description, s.rules.len()]))
                    .collect();
                usize::from(names != local_names)
                    + remote_docs
                        .iter()
                        .filter(|d| !local_docs.contains(d))
                        .count()
            }
            _ => {
                expected.iter().zip(&remote).filter(|(a, b)| a != b).count()
                    + usize::from(expected.len() != remote.len())
            }
        };
        for i in (0..60).step_by(4).filter(|i| ![1, 5, 7].contains(i)) {
            let segment = mine.segment(&format!("seg-{i:02}"));
            assert_eq!(
                segment.name,
                format!("Remote name {i}"),
                "{dialect:?}: remote edit lost"
            );
            if i % 3 == 0 {
                assert_eq!(
                    segment.description,
                    format!("local edit {i}"),
                    "{dialect:?}: local edit lost"
                );
            }
        }
        let stats = fake.stats();
        assert_eq!(duplicates, 0, "{dialect:?}");
        assert_eq!(lost_updates, 0, "{dialect:?}");
        let faults = stats.faults.server_errors
            + stats.faults.rate_limited
            + stats.faults.dropped_after_write;
        assert!(
            faults > 20,
            "{dialect:?}: only {faults} faults were injected"
        );
        figures.push(json!({
            "dialect": dialect.as_str(),
            "push_runs": runs,
            "requests": stats.requests,
            "client_requests_counted": requests,
            "faults_injected": faults,
            "server_errors": stats.faults.server_errors,
            "rate_limited": stats.faults.rate_limited,
            "dropped_after_write": stats.faults.dropped_after_write,
            "retries": retries,
            "duplicates": duplicates,
            "lost_updates": lost_updates,
        }));
    }
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("sync-faults.json"),
        serde_json::to_string_pretty(&figures).unwrap(),
    )
    .unwrap();
}
