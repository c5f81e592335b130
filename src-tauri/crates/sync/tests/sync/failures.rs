//! One sync at a time, wrong tokens and roles, transport and response failures.

use crate::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sync_at_a_time_per_remote() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let mine = local();
    mine.add(&fake, Dialect::Edgeflags, Grant::Full);
    mine.create(json!({"key": "beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    // Another process holds the remote.
    let later = segments_store::Timestamp::parse("2999-01-01T00:00:00.000Z").unwrap();
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
        sync::remove_remote(&mine.store, &mine.credentials, REMOTE).unwrap();
        let remote = NewRemote {
            name: REMOTE.into(),
            dialect: Dialect::Projects,
            base_url: https,
            project_id: Some(fake.project_id().to_owned()),
            token: fake.token(Grant::Full).into(),
        };
        sync::add_remote(&mine.store, &mine.credentials, &remote).unwrap();
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
