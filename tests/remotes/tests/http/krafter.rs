//! The krafter dialect over HTTP.

use fake_remotes::{Dialect, FakeRemote, Grant, Scope};
use serde_json::{Value, json};

use crate::{client, send, status_and_json};

fn pro_users(remote: &FakeRemote) -> Value {
    json!({
        "project_id": remote.project_id(),
        "name": "Pro Users",
        "description": "Users on the pro plan in North America",
        "rules": [
            {"key": "plan", "operator": "equals", "value": "pro"},
            {"key": "country", "operator": "in", "value": ["US", "CA"]}
        ],
        "match_type": "all"
    })
}

#[tokio::test]
async fn refuses_bad_keys_and_names_the_missing_scope() {
    let remote = FakeRemote::start(Dialect::Krafter);
    let http = client();
    let url = format!("{}/flags/segments", remote.base_url());
    assert!(remote.base_url().ends_with("/api/v1"));
    let list = || http.get(&url).query(&[("project_id", remote.project_id())]);

    let (status, body) = status_and_json(send(list()).await).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthorized");
    let invalid = remote.token(Grant::Invalid);
    assert!(invalid.starts_with("kr_live_"));
    let (status, _) = status_and_json(send(list().bearer_auth(&invalid)).await).await;
    assert_eq!(status, 401);

    let read_only = remote.token(Grant::Scopes(vec![Scope::FlagsRead]));
    let write_only = remote.token(Grant::Scopes(vec![Scope::FlagsWrite]));
    let (status, _) = status_and_json(send(list().bearer_auth(&read_only)).await).await;
    assert_eq!(status, 200);
    let (status, body) = status_and_json(
        send(
            http.post(&url)
                .bearer_auth(&read_only)
                .json(&pro_users(&remote)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("flags:write")
    );

    let (status, body) = status_and_json(send(list().bearer_auth(&write_only)).await).await;
    assert_eq!(status, 403, "flags:write does not imply flags:read");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("flags:read")
    );
    let (status, _) = status_and_json(
        send(
            http.post(&url)
                .bearer_auth(&write_only)
                .json(&pro_users(&remote)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn create_list_patch_delete_round_trip() {
    let remote = FakeRemote::start(Dialect::Krafter);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/flags/segments", remote.base_url());

    let (status, created) = status_and_json(
        send(
            http.post(&url)
                .bearer_auth(&token)
                .json(&pro_users(&remote)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
    let created = created["data"].clone();
    let id = created["id"]
        .as_str()
        .expect("server-assigned id")
        .to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4", "UUID v4 layout: {id}");
    assert_eq!(created["rules"], pro_users(&remote)["rules"]);
    assert!(
        created.get("project_id").is_none(),
        "the page's objects carry none"
    );

    let (status, listed) = status_and_json(
        send(
            http.get(&url)
                .bearer_auth(&token)
                .query(&[("project_id", remote.project_id())]),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        listed,
        json!({"data": [created.clone()]}),
        "no pagination fields"
    );
    let (status, _) = status_and_json(send(http.get(&url).bearer_auth(&token)).await).await;
    assert_eq!(status, 400, "project_id is required");
    let (status, _) = status_and_json(
        send(
            http.get(&url)
                .bearer_auth(&token)
                .query(&[("project_id", "nope")]),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);

    let one = format!("{url}/{id}");
    let rules = json!([{"key": "plan", "operator": "in", "value": ["pro", "enterprise"]}]);
    let (status, patched) = status_and_json(
        send(
            http.patch(&one)
                .bearer_auth(&token)
                .json(&json!({"rules": rules})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let patched = patched["data"].clone();
    assert_eq!(patched["rules"], rules);
    assert_eq!(patched["name"], "Pro Users", "partial update");
    assert!(patched["updated_at"].as_str() > created["updated_at"].as_str());
    assert_eq!(remote.segment(&id), Some(patched));

    let (status, _) = status_and_json(send(http.get(&one).bearer_auth(&token)).await).await;
    assert_eq!(status, 405, "the page documents no GET of one segment");

    let (status, body) = status_and_json(send(http.delete(&one).bearer_auth(&token)).await).await;
    assert_eq!((status, body), (204, Value::Null));
    let (status, _) = status_and_json(
        send(
            http.patch(&one)
                .bearer_auth(&token)
                .json(&json!({"name": "x"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = status_and_json(send(http.delete(&one).bearer_auth(&token)).await).await;
    assert_eq!(status, 404);
    assert!(remote.segments().is_empty());
}

#[tokio::test]
async fn refuses_missing_fields_and_foreign_operators() {
    let remote = FakeRemote::start(Dialect::Krafter);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/flags/segments", remote.base_url());
    let without = |field: &str| {
        let mut body = pro_users(&remote);
        body.as_object_mut().map(|o| o.remove(field));
        body
    };
    let with_rule = |rule: Value| {
        let mut body = pro_users(&remote);
        body["rules"] = json!([rule]);
        body
    };
    let cases = [
        (without("match_type"), "match_type"),
        (without("project_id"), "project_id"),
        (without("rules"), "rules"),
        (without("name"), "name"),
        (
            with_rule(json!({"key": "email", "operator": "regex", "value": ".*"})),
            "regex",
        ),
        (
            with_rule(json!({"key": "email", "operator": "starts_with", "value": "a"})),
            "starts_with",
        ),
        (
            with_rule(json!({"key": "country", "operator": "in", "value": "US"})),
            "array",
        ),
        (
            with_rule(json!({"key": "plan", "operator": "equals"})),
            "value",
        ),
        (
            with_rule(json!({"attribute": "plan", "operator": "equals", "value": 1})),
            "attribute",
        ),
    ];
    for (body, named) in cases {
        let (status, answer) =
            status_and_json(send(http.post(&url).bearer_auth(&token).json(&body)).await).await;
        assert_eq!(status, 400, "{body}");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{body}: {message}");
    }
    let mut foreign = pro_users(&remote);
    foreign["project_id"] = json!("another-project");
    let (status, _) =
        status_and_json(send(http.post(&url).bearer_auth(&token).json(&foreign)).await).await;
    assert_eq!(status, 404);
    assert!(remote.segments().is_empty());

    let id = remote.insert(json!({"name": "Seeded"}))["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let (status, answer) = status_and_json(
        send(
            http.patch(format!("{url}/{id}"))
                .bearer_auth(&token)
                .json(&json!({"project_id": remote.project_id()})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("read-only")
    );
}
