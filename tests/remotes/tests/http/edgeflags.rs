//! The EdgeFlags dialect over HTTP.

use fake_remotes::{Dialect, FakeRemote, Grant, ResponseShape};
use reqwest::Response;
use serde_json::{Value, json};

use crate::{client, send, status_and_json};

fn beta_users() -> Value {
    json!({
        "key": "beta_users",
        "conditions": [{"property": "email", "operator": "contains", "value": "@beta.com"}]
    })
}

fn etag(response: &Response) -> String {
    response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag header")
        .to_owned()
}

#[tokio::test]
async fn refuses_missing_and_unknown_tokens() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let http = client();
    let url = format!("{}/api/v1/segments", remote.base_url());
    let (status, body) = status_and_json(send(http.get(&url)).await).await;
    assert_eq!(status, 401);
    assert!(body["error"].as_str().is_some_and(|m| !m.is_empty()));
    let (status, _) =
        status_and_json(send(http.get(&url).bearer_auth(remote.token(Grant::Invalid))).await).await;
    assert_eq!(status, 401);
    let (status, _) = status_and_json(
        send(
            http.post(&url)
                .bearer_auth(remote.token(Grant::Invalid))
                .json(&beta_users()),
        )
        .await,
    )
    .await;
    assert_eq!(status, 401);
    assert!(remote.segments().is_empty());
}

#[tokio::test]
async fn create_read_replace_delete_round_trip_with_etags() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/api/v1/segments", remote.base_url());

    let mut body = beta_users();
    body["name"] = json!("Beta users");
    let response = send(http.post(&url).bearer_auth(&token).json(&body)).await;
    let created_etag = etag(&response);
    let (status, created) = status_and_json(response).await;
    assert_eq!(status, 201);
    let created = created["data"].clone();
    assert_eq!(created["key"], "beta_users");
    assert_eq!(created["name"], "Beta users");
    assert_eq!(Some(created_etag.clone()), remote.etag("beta_users"));

    let (status, _) =
        status_and_json(send(http.post(&url).bearer_auth(&token).json(&beta_users())).await).await;
    assert_eq!(status, 409);

    let one = format!("{url}/beta_users");
    let response = send(http.get(&one).bearer_auth(&token)).await;
    assert_eq!(etag(&response), created_etag);
    let (status, read) = status_and_json(response).await;
    assert_eq!((status, read["data"].clone()), (200, created.clone()));

    let conditions = json!([
        {"property": "email", "operator": "contains", "value": "@beta.com"},
        {"property": "plan", "operator": "not_equals", "value": "free"}
    ]);
    let response = send(
        http.put(&one)
            .bearer_auth(&token)
            .json(&json!({"conditions": conditions})),
    )
    .await;
    let replaced_etag = etag(&response);
    let (status, replaced) = status_and_json(response).await;
    assert_eq!(status, 200);
    assert_ne!(replaced_etag, created_etag);
    let replaced = replaced["data"].clone();
    assert_eq!(replaced["conditions"], conditions);
    assert!(replaced.get("name").is_none(), "PUT is a full update");
    assert_eq!(replaced["created_at"], created["created_at"]);

    let (status, _) = status_and_json(send(http.delete(&one).bearer_auth(&token)).await).await;
    assert_eq!(status, 204);
    let (status, _) = status_and_json(send(http.get(&one).bearer_auth(&token)).await).await;
    assert_eq!(status, 404);
    let (status, _) = status_and_json(
        send(
            http.put(&one)
                .bearer_auth(&token)
                .json(&json!({"conditions": []})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404, "PUT does not create");
}

#[tokio::test]
async fn if_match_refuses_a_stale_etag() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let http = client();
    let token = remote.token(Grant::Full);
    remote.insert(beta_users());
    let one = format!("{}/api/v1/segments/beta_users", remote.base_url());
    let seen = etag(&send(http.get(&one).bearer_auth(&token)).await);

    let edited = remote.edit_remotely("beta_users", json!({"conditions": []}));
    let current = remote.etag("beta_users").expect("an etag");
    assert_ne!(seen, current);

    let replacement =
        json!({"conditions": [{"property": "plan", "operator": "in", "value": ["pro"]}]});
    let (status, body) = status_and_json(
        send(
            http.put(&one)
                .bearer_auth(&token)
                .header("If-Match", &seen)
                .json(&replacement),
        )
        .await,
    )
    .await;
    assert_eq!(status, 412);
    assert!(
        body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("changed")
    );
    assert_eq!(
        remote.segment("beta_users"),
        Some(edited),
        "nothing written"
    );

    let weak = format!("W/{current}");
    let (status, _) = status_and_json(
        send(
            http.put(&one)
                .bearer_auth(&token)
                .header("If-Match", weak)
                .json(&replacement),
        )
        .await,
    )
    .await;
    assert_eq!(status, 412, "If-Match compares strongly");

    let response = send(
        http.put(&one)
            .bearer_auth(&token)
            .header("If-Match", format!("\"other\", {current}"))
            .json(&replacement),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let newest = etag(&response);
    let (status, _) = status_and_json(
        send(
            http.put(&one)
                .bearer_auth(&token)
                .header("If-Match", "*")
                .json(&replacement),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_ne!(Some(newest), remote.etag("beta_users"));
    assert_eq!(remote.stats().status(412), 2);
}

#[tokio::test]
async fn refuses_bad_keys_operators_and_bodies() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/api/v1/segments", remote.base_url());
    let with = |key: &str, operator: &str, value: Value| json!({"key": key, "conditions": [{"property": "p", "operator": operator, "value": value}]});
    let cases = [
        (with("Beta", "equals", json!(1)), "pattern"),
        (with("_beta", "equals", json!(1)), "pattern"),
        (with(&"a".repeat(129), "equals", json!(1)), "pattern"),
        (with("beta", "not_contains", json!("x")), "not_contains"),
        (with("beta", "in", json!("x")), "array"),
        (json!({"key": "beta"}), "conditions"),
        (
            json!({"key": "beta", "conditions": [], "match_type": "any"}),
            "match_type",
        ),
        (json!({"conditions": []}), "key"),
    ];
    for (body, named) in cases {
        let (status, answer) =
            status_and_json(send(http.post(&url).bearer_auth(&token).json(&body)).await).await;
        assert_eq!(status, 400, "{body}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{body}: {message}");
    }
    for operator in [
        "starts_with",
        "ends_with",
        "gt",
        "gte",
        "lt",
        "lte",
        "regex",
    ] {
        let key = operator.replace('_', "-");
        let (status, _) = status_and_json(
            send(
                http.post(&url)
                    .bearer_auth(&token)
                    .json(&with(&key, operator, json!("1"))),
            )
            .await,
        )
        .await;
        assert_eq!(status, 201, "{operator} is an EdgeFlags operator");
    }
    let (status, _) = status_and_json(
        send(
            http.put(format!("{url}/regex"))
                .bearer_auth(&token)
                .json(&json!({"key": "other", "conditions": []})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "the key cannot change");
}

#[tokio::test]
async fn pages_through_250_segments_in_key_order_in_every_shape() {
    let remote = FakeRemote::start(Dialect::Edgeflags);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = format!("{}/api/v1/segments", remote.base_url());
    // Seeded in reverse so key order differs from insertion order.
    for n in (0..250).rev() {
        remote.insert(json!({"key": format!("seg-{n:03}")}));
    }

    let mut keys: Vec<String> = Vec::new();
    for offset in [0, 100, 200] {
        let (status, page) = status_and_json(
            send(
                http.get(&url)
                    .bearer_auth(&token)
                    .query(&[("limit", "100"), ("offset", &offset.to_string())]),
            )
            .await,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            (page["total"].clone(), page["offset"].clone()),
            (json!(250), json!(offset))
        );
        let data = page["data"].as_array().expect("data");
        keys.extend(
            data.iter()
                .filter_map(|s| s["key"].as_str().map(str::to_owned)),
        );
    }
    let expected: Vec<String> = (0..250).map(|n| format!("seg-{n:03}")).collect();
    assert_eq!(keys, expected);

    let page = |shape| {
        remote.set_response_shape(shape);
        let request = http
            .get(&url)
            .bearer_auth(&token)
            .query(&[("limit", "2"), ("offset", "1")]);
        async move { status_and_json(send(request).await).await.1 }
    };
    assert_eq!(
        page(ResponseShape::Bare).await,
        json!([remote.segments()[1], remote.segments()[2]])
    );
    assert_eq!(
        page(ResponseShape::Data).await,
        json!({"data": [remote.segments()[1], remote.segments()[2]]})
    );
    assert!(page(ResponseShape::Unrecognized).await["segments"].is_array());
    remote.set_response_shape(ResponseShape::Bare);
    let (_, one) =
        status_and_json(send(http.get(format!("{url}/seg-007")).bearer_auth(&token)).await).await;
    assert_eq!(one["key"], "seg-007");
}
