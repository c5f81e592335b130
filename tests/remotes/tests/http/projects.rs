//! The projects dialect over HTTP.

use std::collections::HashSet;

use fake_remotes::{Dialect, FakeRemote, Grant, Role};
use serde_json::{Value, json};

use crate::{client, send, status_and_json};

fn segments_url(remote: &FakeRemote) -> String {
    format!(
        "{}/v1/projects/{}/segments",
        remote.base_url(),
        remote.project_id()
    )
}

fn enterprise() -> Value {
    json!({
        "key": "enterprise-users",
        "name": "Enterprise Users",
        "rules": [{"attribute": "plan", "operator": "eq", "values": ["enterprise"]}]
    })
}

#[tokio::test]
async fn refuses_missing_and_unknown_tokens_and_read_only_roles() {
    let remote = FakeRemote::start(Dialect::Projects);
    let http = client();
    let url = segments_url(&remote);

    let response = send(http.get(&url)).await;
    assert_eq!(
        response
            .headers()
            .get("www-authenticate")
            .map(|v| v.to_str().ok()),
        Some(Some("Bearer"))
    );
    let (status, body) = status_and_json(response).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "unauthorized");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));

    let invalid = remote.token(Grant::Invalid);
    assert_eq!(invalid.split('.').count(), 3, "JWT-shaped: {invalid}");
    let (status, _) = status_and_json(send(http.get(&url).bearer_auth(&invalid)).await).await;
    assert_eq!(status, 401);
    let (status, _) =
        status_and_json(send(http.get(&url).header("Authorization", "Basic abc")).await).await;
    assert_eq!(status, 401);

    let viewer = remote.token(Grant::Role(Role::Viewer));
    let (status, _) = status_and_json(send(http.get(&url).bearer_auth(&viewer)).await).await;
    assert_eq!(status, 200, "every role may read");
    let (status, body) =
        status_and_json(send(http.post(&url).bearer_auth(&viewer).json(&enterprise())).await).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"], "forbidden");
    assert!(remote.segments().is_empty());

    for role in [Role::Owner, Role::Admin, Role::Developer] {
        let token = remote.token(Grant::Role(role));
        let mut segment = enterprise();
        segment["key"] = json!(format!("by-{role:?}").to_lowercase());
        let (status, _) =
            status_and_json(send(http.post(&url).bearer_auth(&token).json(&segment)).await).await;
        assert_eq!(status, 201, "{role:?} may write");
    }

    let foreign = format!("{}/v1/projects/other/segments", remote.base_url());
    let owner = remote.token(Grant::Full);
    let (status, _) = status_and_json(send(http.get(&foreign).bearer_auth(&owner)).await).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn create_read_update_delete_round_trip() {
    let remote = FakeRemote::start(Dialect::Projects);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = segments_url(&remote);

    let (status, created) =
        status_and_json(send(http.post(&url).bearer_auth(&token).json(&enterprise())).await).await;
    assert_eq!(status, 201);
    assert_eq!(created["key"], "enterprise-users");
    assert_eq!(created["description"], "", "documented default");
    assert_eq!(created["match_type"], "all", "documented default");
    assert!(created["id"].as_str().is_some_and(|id| id.len() == 36));
    assert_eq!(created["created_at"], created["updated_at"]);
    assert_eq!(remote.segments(), vec![created.clone()]);

    let (status, _) =
        status_and_json(send(http.post(&url).bearer_auth(&token).json(&enterprise())).await).await;
    assert_eq!(status, 409, "duplicate key");

    let one = format!("{url}/enterprise-users");
    let (status, read) = status_and_json(send(http.get(&one).bearer_auth(&token)).await).await;
    assert_eq!((status, &read), (200, &created));

    let (status, updated) = status_and_json(
        send(
            http.put(&one)
                .bearer_auth(&token)
                .json(&json!({"name": "Renamed", "match_type": "any"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["match_type"], "any");
    assert_eq!(
        updated["rules"], created["rules"],
        "partial update keeps rules"
    );
    assert_eq!(updated["created_at"], created["created_at"]);
    assert!(updated["updated_at"].as_str() > created["updated_at"].as_str());

    let response = send(http.delete(&one).bearer_auth(&token)).await;
    assert_eq!(response.status().as_u16(), 204);
    assert!(response.text().await.expect("empty body").is_empty());
    for request in [
        http.get(&one),
        http.delete(&one),
        http.put(&one).json(&json!({"name": "x"})),
    ] {
        let (status, body) = status_and_json(send(request.bearer_auth(&token)).await).await;
        assert_eq!(status, 404);
        assert_eq!(body["error"], "not_found");
    }
    assert!(remote.segments().is_empty());
}

#[tokio::test]
async fn refuses_invalid_bodies_naming_the_field() {
    let remote = FakeRemote::start(Dialect::Projects);
    let http = client();
    let token = remote.token(Grant::Full);
    let url = segments_url(&remote);
    let cases = [
        (json!({"key": "a", "name": "A"}), "rules"),
        (json!({"name": "A", "rules": []}), "key"),
        (json!({"key": "a", "name": "", "rules": []}), "name"),
        (json!({"key": "a", "name": "A", "rules": {}}), "rules"),
        (
            json!({"key": "a", "name": "A", "rules": [], "match_type": "none"}),
            "match_type",
        ),
        (
            json!({"key": "a", "name": "A", "rules": [], "conditions": []}),
            "conditions",
        ),
        (
            json!({"key": "a", "name": "A", "rules": [{"attribute": "n", "operator": "eq", "values": [1]}]}),
            "rules[0]",
        ),
        (
            json!({"key": "a", "name": "A", "rules": [{"attribute": "n", "operator": "eq", "value": "1"}]}),
            "rules[0]",
        ),
        (
            json!({"key": "a", "name": "A", "rules": [], "id": "x"}),
            "id",
        ),
        (json!(["not", "an", "object"]), "object"),
    ];
    for (body, named) in cases {
        let (status, answer) =
            status_and_json(send(http.post(&url).bearer_auth(&token).json(&body)).await).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(answer["error"], "validation_failed");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{body}: {message}");
    }

    let (status, _) = status_and_json(
        send(
            http.post(&url)
                .bearer_auth(&token)
                .header("Content-Type", "application/json")
                .body("{\"key\": "),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "malformed JSON");
    let (status, _) = status_and_json(
        send(
            http.post(&url)
                .bearer_auth(&token)
                .body(enterprise().to_string()),
        )
        .await,
    )
    .await;
    assert_eq!(status, 415, "no JSON content type");

    remote.insert(enterprise());
    let (status, answer) = status_and_json(
        send(
            http.put(format!("{url}/enterprise-users"))
                .bearer_auth(&token)
                .json(&json!({"key": "renamed"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains("read-only")
    );
    assert_eq!(remote.stats().writes_applied, 0);
}

#[tokio::test]
async fn pages_through_250_segments() {
    let remote = FakeRemote::start(Dialect::Projects);
    let http = client();
    let token = remote.token(Grant::Role(Role::Viewer));
    let url = segments_url(&remote);
    for n in 0..250 {
        remote.insert(json!({"key": format!("segment-{n:03}"), "name": format!("Segment {n}")}));
    }

    let mut keys = Vec::new();
    let mut pages = Vec::new();
    for offset in (0..300).step_by(100) {
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
        assert_eq!(page["total"], 250);
        assert_eq!(page["limit"], 100);
        assert_eq!(page["offset"], offset);
        let data = page["data"].as_array().expect("data array").clone();
        pages.push((data.len(), page["has_more"].clone()));
        keys.extend(
            data.iter()
                .map(|s| s["key"].as_str().unwrap_or_default().to_owned()),
        );
    }
    assert_eq!(
        pages,
        vec![(100, json!(true)), (100, json!(true)), (50, json!(false))]
    );
    let unique: HashSet<&String> = keys.iter().collect();
    assert_eq!((keys.len(), unique.len()), (250, 250));
    assert_eq!(keys[0], "segment-000", "creation order");

    let (_, first) = status_and_json(send(http.get(&url).bearer_auth(&token)).await).await;
    assert_eq!(
        (
            first["limit"].clone(),
            first["data"].as_array().map(Vec::len)
        ),
        (json!(50), Some(50))
    );
    let (_, clamped) = status_and_json(
        send(
            http.get(&url)
                .bearer_auth(&token)
                .query(&[("limit", "500")]),
        )
        .await,
    )
    .await;
    assert_eq!(clamped["limit"], 100);
    assert_eq!(clamped["data"].as_array().map(Vec::len), Some(100));
    let (_, past) = status_and_json(
        send(
            http.get(&url)
                .bearer_auth(&token)
                .query(&[("offset", "900")]),
        )
        .await,
    )
    .await;
    assert_eq!(
        (past["data"].clone(), past["has_more"].clone()),
        (json!([]), json!(false))
    );
    for bad in [("limit", "0"), ("limit", "-5"), ("offset", "abc")] {
        let (status, _) =
            status_and_json(send(http.get(&url).bearer_auth(&token).query(&[bad])).await).await;
        assert_eq!(status, 400, "{bad:?}");
    }
}

#[tokio::test]
async fn remote_edits_show_up_with_a_later_updated_at() {
    let remote = FakeRemote::start(Dialect::Projects);
    let http = client();
    let token = remote.token(Grant::Full);
    let seeded = remote.insert(enterprise());
    let edited = remote.edit_remotely("enterprise-users", json!({"name": "Edited elsewhere"}));
    assert!(edited["updated_at"].as_str() > seeded["updated_at"].as_str());

    let url = format!("{}/enterprise-users", segments_url(&remote));
    let (status, read) = status_and_json(send(http.get(&url).bearer_auth(&token)).await).await;
    assert_eq!(status, 200);
    assert_eq!(read, edited);
    assert_eq!(read["id"], seeded["id"]);

    assert!(remote.delete_remotely("enterprise-users"));
    let (status, _) = status_and_json(send(http.get(&url).bearer_auth(&token)).await).await;
    assert_eq!(status, 404);
}
