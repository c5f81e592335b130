//! The dry run and refusals: what a push would send, and what a dialect cannot say.

use crate::*;

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
    assert_eq!(change.diffs[0].field, segments_store::Field::Rules);
    // Krafter's PATCH is partial: only the field that changed is sent, so a remote edit of
    // another field is never overwritten with ours.
    assert_eq!(
        change.body.as_ref().unwrap(),
        &json!({"rules": [{"key": "seats", "operator": "greater_than", "value": 10}]})
    );
    assert_eq!(preview.refused.len(), 1);
    assert_eq!(preview.refused[0].key, "nested");
    assert!(
        preview.refused[0]
            .message
            .contains("rule 1 is a nested group, and Krafter has no groups"),
        "{:?}",
        preview.refused[0]
    );

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
    let refused: Vec<(&str, &str)> = report
        .refused
        .iter()
        .map(|r| (r.key.as_str(), r.message.as_str()))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    // In the builder's words, never the engine's operator names.
    assert_eq!(refused[0].0, "any-of");
    assert!(
        refused[0]
            .1
            .starts_with("Can't sync to hosted (EdgeFlags): \"any of\" isn't supported there"),
        "{refused:?}"
    );
    assert_eq!(refused[1].0, "semver");
    assert!(
        refused[1]
            .1
            .contains("rule 1 uses \"version at least\", which isn't supported by EdgeFlags")
            && !refused[1].1.contains("semver_gte"),
        "{refused:?}"
    );
    assert_eq!(fake.segments().len(), 1);
    // A refusal is not a failure: it waits for an edit, with the reason, and no retry count.
    let status = sync::status(&mine.store.lock().unwrap(), REMOTE).unwrap();
    let waiting: Vec<_> = status
        .pending
        .iter()
        .filter(|p| p.refused.is_some())
        .collect();
    assert_eq!(waiting.len(), 2, "{status:?}");
    assert!(
        waiting
            .iter()
            .all(|p| p.attempts == 0 && p.last_error.is_none())
    );
    assert_eq!(mine.badge("semver"), SyncBadge::CantPush);
    assert_eq!(mine.badge("fine"), SyncBadge::InSync);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_segment_using_a_refused_segment_is_refused_too_naming_it() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    mine.create(json!({"key": "new-app", "rules": [
        {"attribute": "app_version", "operator": "semver_gte", "values": ["2.4"]}]}));
    mine.create(json!({"key": "uses-new-app", "rules": [
        {"attribute": "segment", "operator": "in_segment", "values": ["new-app"]}]}));
    mine.create(json!({"key": "uses-that", "rules": [
        {"attribute": "segment", "operator": "in_segment", "values": ["uses-new-app"]}]}));
    mine.create(json!({"key": "plain", "rules": [
        {"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    mine.create(json!({"key": "uses-plain", "rules": [
        {"attribute": "segment", "operator": "in_segment", "values": ["plain"]}]}));

    let preview = sync::preview(&mine.store.lock().unwrap(), REMOTE).unwrap();
    let mut refused: Vec<&str> = preview.refused.iter().map(|r| r.key.as_str()).collect();
    refused.sort_unstable();
    assert_eq!(refused, ["new-app", "uses-new-app", "uses-that"]);

    let report = mine.push().await.unwrap();
    let mut created = report.created.clone();
    created.sort_unstable();
    assert_eq!(created, ["plain", "uses-plain"]);
    let message = |key: &str| {
        report
            .refused
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.message.clone())
            .unwrap_or_default()
    };
    assert!(
        message("uses-new-app")
            .contains("it uses the segment \"new-app\", which can't be synced there either"),
        "{report:?}"
    );
    assert!(
        message("uses-that").contains("\"uses-new-app\""),
        "{report:?}"
    );
    // Nothing on the remote points at a segment it does not hold.
    let keys: Vec<String> = fake
        .segments()
        .iter()
        .map(|s| s["key"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(!keys.iter().any(|k| k.contains("new-app")), "{keys:?}");
    assert_eq!(keys.len(), 2, "{keys:?}");
}

#[test]
fn the_editor_sees_the_refusals_push_would_make_for_every_remote() {
    let mine = local();
    let store = mine.store.lock().unwrap();
    let plain = parse_segment(&json!({"key": "x", "rules": [
        {"attribute": "a", "operator": "eq", "values": [1]}]}))
    .unwrap();
    assert!(
        sync::readiness(&store, &plain).unwrap().is_empty(),
        "no remotes, nothing to say"
    );
    drop(store);
    // Readiness reads no network: remotes nobody listens on will do.
    for (name, dialect) in [("staging", Dialect::Edgeflags), ("prod", Dialect::Projects)] {
        let remote = NewRemote {
            name: name.into(),
            dialect,
            base_url: "http://127.0.0.1:9".into(),
            project_id: dialect.needs_project().then(|| "p1".to_owned()),
            token: "t0ken".to_owned().into(),
        };
        sync::add_remote(&mine.store, &mine.credentials, &remote).unwrap();
    }
    let store = mine.store.lock().unwrap();
    let draft = json!({"key": "x", "rules": [
        {"attribute": "app_version", "operator": "semver_gte", "values": ["2.4"]},
        {"match_type": "any", "rules": [{"attribute": "a", "operator": "exists"}]}]});
    let readiness = sync::draft_readiness(&store, &draft).unwrap();
    let by_remote = |name: &str| readiness.iter().find(|r| r.remote == name).unwrap();
    assert_eq!(
        by_remote("staging").summary,
        "Can't sync to staging (EdgeFlags): rule 1 uses \"version at least\", which isn't supported by EdgeFlags; rule 2 is a nested group, and EdgeFlags has no groups"
    );
    assert_eq!(
        by_remote("prod").problems,
        ["rule 2 is a nested group, and the projects API has no groups"]
    );
    let flat = sync::readiness(&store, &plain).unwrap();
    assert_eq!(
        flat.iter().map(|r| r.summary.as_str()).collect::<Vec<_>>(),
        [
            "Can sync to prod (the projects API)",
            "Can sync to staging (EdgeFlags)"
        ]
    );
    // A draft that does not parse has nothing to say here: the editor shows its issues.
    assert!(
        sync::draft_readiness(&store, &json!({"key": "x", "rules": []}))
            .unwrap()
            .is_empty()
    );
}
