//! Hostile and broken remotes, and crafted databases: redirects, plain http, path tricks in
//! ids, echoed tokens, endless listings, oversize objects, credential ids that name files.

use rusqlite::Connection;

use crate::raw::{RawServer, json_response};
use crate::*;

const TOKEN: &str = "ef_live_0123456789abcdef";

fn add_at(mine: &Local, url: &str, dialect: Dialect) {
    let remote = NewRemote {
        name: REMOTE.into(),
        dialect,
        base_url: url.to_owned(),
        project_id: dialect.needs_project().then(|| "p1".to_owned()),
        token: TOKEN.to_owned().into(),
    };
    sync::add_remote(&mine.store, &mine.credentials, &remote).unwrap();
}

fn database(mine: &Local) -> Connection {
    Connection::open(mine.path()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_reported_not_followed() {
    let elsewhere = RawServer::start(|_, _| json_response("200 OK", "[]"));
    let location = format!("{}/steal", elsewhere.url);
    let server = RawServer::start(move |_, _| {
        format!("302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n")
    });
    let mine = local();
    add_at(&mine, &server.url, Dialect::Edgeflags);
    let error = mine.pull().await.unwrap_err();
    assert!(
        matches!(&error, SyncError::Redirected { status: 302, location, .. } if location.contains(&elsewhere.url)),
        "{error}"
    );
    assert!(
        error.to_string().contains("redirects are not followed"),
        "{error}"
    );
    assert!(elsewhere.heads().is_empty(), "the redirect was followed");
    assert_eq!(server.heads().len(), 1, "a redirect is not retried");
}

#[test]
fn plain_http_is_allowed_only_to_this_machine() {
    let mine = local();
    let remote = |url: &str| NewRemote {
        name: REMOTE.into(),
        dialect: Dialect::Edgeflags,
        base_url: url.to_owned(),
        project_id: None,
        token: TOKEN.to_owned().into(),
    };
    for url in [
        "http://segments.example.com",
        "http://10.0.0.7:8080",
        "http://127.example.com",
    ] {
        let refused = sync::add_remote(&mine.store, &mine.credentials, &remote(url)).unwrap_err();
        assert!(
            refused.to_string().contains("plain http"),
            "{url}: {refused}"
        );
    }
    assert!(mine.store.lock().unwrap().remotes().unwrap().is_empty());
    // Nothing was stored for the refused ones.
    assert!(
        !mine.credentials_dir().exists()
            || std::fs::read_dir(mine.credentials_dir()).unwrap().count() == 0
    );
    for url in [
        "https://segments.example.com",
        "http://localhost:1",
        "http://127.0.0.1:1",
        "http://[::1]:1",
    ] {
        sync::add_remote(&mine.store, &mine.credentials, &remote(url)).unwrap();
        sync::remove_remote(&mine.store, &mine.credentials, REMOTE).unwrap();
    }
}

/// A database edited by hand (or shared) cannot send the token over plain http either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crafted_database_cannot_send_the_token_in_clear() {
    let mine = local();
    add_at(&mine, "https://segments.example.com", Dialect::Edgeflags);
    database(&mine)
        .execute("UPDATE remotes SET base_url = 'http://10.1.2.3'", [])
        .unwrap();
    let error = mine.pull().await.unwrap_err();
    assert!(matches!(error, SyncError::InvalidRemote { .. }), "{error}");
    assert!(error.to_string().contains("plain http"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_that_would_change_the_url_are_refused() {
    for id in ["..", ".", "a/../../admin", "%2e%2e", ""] {
        let body = serde_json::to_string(&json!([{"key": id, "name": "x", "rules": []}])).unwrap();
        let server = RawServer::start(move |_, _| json_response("200 OK", &body));
        let mine = local();
        add_at(&mine, &server.url, Dialect::Edgeflags);
        let error = mine.pull().await.unwrap_err();
        assert!(
            error.to_string().contains("not usable in a URL"),
            "{id:?}: {error}"
        );
    }
    // A binding edited to `..` never reaches a URL either.
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    mine.create(json!({"key": "beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    mine.push().await.unwrap();
    database(&mine)
        .execute("UPDATE bindings SET remote_id = '..'", [])
        .unwrap();
    mine.update("beta", json!({"name": "Beta 2"}));
    let before = fake.stats().requests;
    let report = mine.push().await.unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(
        report.failed[0].message.contains("not usable in a URL"),
        "{report:?}"
    );
    // Only the listing went out.
    assert_eq!(fake.stats().requests - before, 1);
}

/// A body that echoes the request (a proxy's error page) never carries the token into a
/// message or the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_echoed_token_is_redacted_everywhere() {
    let server = RawServer::start(|line, _| {
        if line.starts_with("GET") {
            json_response("200 OK", "[]")
        } else {
            let body = format!("<html>proxy saw Authorization: Bearer {TOKEN} and gave up</html>");
            format!(
                "201 Created\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        }
    });
    let mine = local();
    add_at(&mine, &server.url, Dialect::Edgeflags);
    mine.create(json!({"key": "beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    let report = mine.push().await.unwrap();
    assert_eq!(report.failed.len(), 1, "{report:?}");
    let message = &report.failed[0].message;
    assert!(
        message.contains("[token]") && !message.contains(TOKEN),
        "{message}"
    );
    let last_error = mine.store.lock().unwrap().pending(REMOTE).unwrap()[0]
        .last_error
        .clone();
    let last_error = last_error.unwrap();
    assert!(!last_error.contains(TOKEN), "{last_error}");
    assert!(
        server.heads()[1].contains(TOKEN),
        "the request did carry it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_listing_is_capped() {
    // New segments on every page and `has_more: true` forever.
    let server = RawServer::start(|_, page| {
        let items: Vec<Value> = (0..100)
            .map(|i| json!({"key": format!("s{page}-{i}"), "name": "x", "rules": []}))
            .collect();
        json_response(
            "200 OK",
            &json!({"data": items, "has_more": true}).to_string(),
        )
    });
    let mine = local();
    add_at(&mine, &server.url, Dialect::Projects);
    let error = mine.pull().await.unwrap_err();
    assert!(matches!(error, SyncError::ListingTooLong { .. }), "{error}");
    assert!(error.to_string().contains("50,000 segments"), "{error}");
    assert!(server.heads().len() <= 502, "{}", server.heads().len());
    assert!(
        mine.segments().is_empty(),
        "nothing of a refused listing is applied"
    );

    // Pages of 2 MiB: the 64 MiB cap ends it first.
    let name = "n".repeat(20 * 1024);
    let server = RawServer::start(move |_, page| {
        let items: Vec<Value> = (0..100)
            .map(|i| json!({"key": format!("s{page}-{i}"), "name": name, "rules": []}))
            .collect();
        json_response(
            "200 OK",
            &json!({"data": items, "has_more": true}).to_string(),
        )
    });
    let mine = local();
    add_at(&mine, &server.url, Dialect::Projects);
    let error = mine.pull().await.unwrap_err();
    assert!(error.to_string().contains("64 MiB"), "{error}");
    assert!(server.heads().len() <= 34, "{}", server.heads().len());
}

/// A remote object over the 1 MiB a document may have is refused on its own; the rest of
/// the listing comes in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversize_remote_segment_is_refused_alone() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    let huge = "d".repeat(segments_engine::limits::MAX_DOCUMENT_BYTES);
    fake.insert(json!({"key": "big", "name": "Big", "description": huge, "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    fake.insert(json!({"key": "small", "name": "Small", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    let report = mine.pull().await.unwrap();
    assert_eq!(report.created, vec!["small"]);
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert!(
        report.refused[0].message.contains("limit is 1048576 bytes"),
        "{report:?}"
    );
}

/// The credential id comes from the database: one that names a file is refused, and the
/// file is neither sent nor deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_id_naming_a_file_is_refused() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    let secret = mine.path().with_file_name("ssh-key");
    std::fs::write(&secret, "PRIVATE").unwrap();
    database(&mine)
        .execute(
            "UPDATE remotes SET credential_id = ?1",
            [format!("file:{}", secret.display())],
        )
        .unwrap();
    let error = mine.pull().await.unwrap_err();
    assert!(
        error.to_string().contains("unusable credential id"),
        "{error}"
    );
    assert_eq!(fake.stats().requests, 0, "nothing was sent");
    let refused = sync::remove_remote(&mine.store, &mine.credentials, REMOTE).unwrap_err();
    assert!(
        refused.to_string().contains("unusable credential id"),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), "PRIVATE");
}

/// Removing a remote deletes its token first: when that fails, the remote stays (and can
/// be removed again) instead of a token left that nothing names.
#[test]
fn a_token_that_cannot_be_deleted_keeps_its_remote() {
    let mine = local();
    add_at(&mine, "https://segments.example.com", Dialect::Edgeflags);
    let file = std::fs::read_dir(mine.credentials_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .unwrap();
    // A folder where the token file was: removing it fails whoever runs the test.
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    std::fs::write(file.join("inside"), "x").unwrap();
    assert!(sync::remove_remote(&mine.store, &mine.credentials, REMOTE).is_err());
    assert!(
        mine.store.lock().unwrap().remote(REMOTE).is_ok(),
        "the remote must stay"
    );
    std::fs::remove_dir_all(&file).unwrap();
    sync::remove_remote(&mine.store, &mine.credentials, REMOTE).unwrap();
    assert!(mine.store.lock().unwrap().remotes().unwrap().is_empty());
}
