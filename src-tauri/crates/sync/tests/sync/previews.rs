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
