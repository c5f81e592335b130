//! Runs that overlap and crash: the lease renewed on a timer and a run that loses it
//! stopping, "take theirs" against a newer local edit, and a Krafter create whose answer
//! was lost with the process.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Connection;

use crate::*;

fn short_lease(lease: Duration) -> SyncOptions {
    SyncOptions { lease, ..options() }
}

fn beta() -> Value {
    json!({"key": "beta", "name": "Beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]})
}

/// A listing slower than the lease: renewals on a timer keep it, so another process
/// trying all along never gets the remote.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_run_keeps_its_lease() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    fake.insert(json!({"key": "beta", "name": "Beta", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    fake.set_faults(Faults {
        delay: Some(Duration::from_millis(1_500)),
        ..Faults::none()
    });
    let stop = Arc::new(AtomicBool::new(false));
    let other = {
        let (path, stop) = (mine.path(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let other = Connection::open(&path).unwrap();
            let far = segments_store::Timestamp::parse("2999-01-01T00:00:00.000Z").unwrap();
            let mut took = false;
            // From the moment the run holds the remote.
            let held = || -> bool {
                Connection::open(&path)
                    .unwrap()
                    .query_row("SELECT sync_owner IS NOT NULL FROM remotes", [], |r| {
                        r.get(0)
                    })
                    .unwrap()
            };
            while !stop.load(Ordering::Relaxed) && !held() {
                std::thread::sleep(Duration::from_millis(5));
            }
            while !stop.load(Ordering::Relaxed) && !took {
                std::thread::sleep(Duration::from_millis(50));
                // What another process's lease_sync does to a lapsed lease (and only that:
                // a lease given back at the end of the run does not count).
                took = other
                    .execute(
                        "UPDATE remotes SET sync_owner = 'other-process', sync_until = ?1
                         WHERE sync_owner IS NOT NULL AND sync_until < ?2",
                        rusqlite::params![far, segments_store::Timestamp::now()],
                    )
                    .unwrap()
                    == 1;
            }

            took
        })
    };
    let options = short_lease(Duration::from_millis(400));
    let report = sync::pull(&mine.store, &mine.credentials, REMOTE, &options, &|_| {}).await;
    stop.store(true, Ordering::Relaxed);
    assert!(
        !other.join().unwrap(),
        "the other process took the remote mid-run"
    );
    assert_eq!(report.unwrap().created, vec!["beta"]);
}

/// Another run took the remote (the lease had lapsed): this one stops, and records
/// nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_loses_its_lease_stops() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    for i in 0..6 {
        mine.create(json!({"key": format!("s{i}"), "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}));
    }
    fake.set_faults(Faults {
        delay: Some(Duration::from_millis(250)),
        ..Faults::none()
    });
    let thief = {
        let path = mine.path();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(600));
            Connection::open(path)
                .unwrap()
                .execute(
                    "UPDATE remotes SET sync_owner = 'thief', sync_until = '2999-01-01T00:00:00.000Z'",
                    [],
                )
                .unwrap();
        })
    };
    let options = short_lease(Duration::from_millis(800));
    let error = sync::push(&mine.store, &mine.credentials, REMOTE, &options, &|_| {})
        .await
        .unwrap_err();
    thief.join().unwrap();
    assert!(
        error.to_string().contains("lost its lease")
            || error.to_string().contains("another run took it over"),
        "{error}"
    );
    let pending = mine.store.lock().unwrap().pending(REMOTE).unwrap().len();
    assert!(pending > 0, "the run went on after losing its lease");
    // The thief's lease is untouched by the stopped run.
    let holder: String = Connection::open(mine.path())
        .unwrap()
        .query_row("SELECT sync_owner FROM remotes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(holder, "thief");
}

/// "Take theirs" chosen on a conflict whose local side was edited after it was shown
/// keeps that edit, and shows the conflict again with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn take_theirs_never_overwrites_a_newer_local_edit() {
    let fake = FakeRemote::start(fake_remotes::Dialect::Projects);
    let mine = local();
    mine.add(&fake, Dialect::Projects, Grant::Full);
    mine.create(beta());
    mine.push().await.unwrap();
    fake.edit_remotely("beta", json!({"name": "Theirs"}));
    mine.update("beta", json!({"name": "Mine"}));
    assert_eq!(mine.pull().await.unwrap().conflicts, vec!["beta"]);
    // Edited again while the conflict is on screen.
    mine.update("beta", json!({"name": "Mine, later"}));
    let refused = sync::resolve(
        &mut mine.store.lock().unwrap(),
        REMOTE,
        "beta",
        Take::Theirs,
        None,
    )
    .unwrap_err();
    assert!(
        matches!(refused, SyncError::ChangedSinceShown { .. }),
        "{refused}"
    );
    assert_eq!(mine.segment("beta").name, "Mine, later");
    let shown = sync::conflict(&mine.store.lock().unwrap(), REMOTE, "beta").unwrap();
    assert_eq!(shown.mine.unwrap()["name"], "Mine, later");
    // Chosen again, now having seen it.
    sync::resolve(
        &mut mine.store.lock().unwrap(),
        REMOTE,
        "beta",
        Take::Theirs,
        None,
    )
    .unwrap();
    assert_eq!(mine.segment("beta").name, "Theirs");
}

/// The state a crash leaves between Krafter's POST and recording its answer: the create
/// was noted as in flight, the remote made the segment, and the user renamed it here
/// since. Push and pull find that copy by the name sent: no second one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_krafter_create_lost_in_a_crash_is_not_made_twice() {
    for pull_first in [false, true] {
        let fake = FakeRemote::start(fake_remotes::Dialect::Krafter);
        let mine = local();
        mine.add(&fake, Dialect::Krafter, Grant::Full);
        mine.create(beta());
        let sent = mine.segment("beta");
        mine.store
            .lock()
            .unwrap()
            .note_create_sent(REMOTE, "beta", &sent)
            .unwrap();
        let body = Dialect::Krafter
            .encode(&sent, Some(fake.project_id()), false)
            .unwrap();
        fake.insert(body);
        mine.update("beta", json!({"name": "Beta renamed"}));
        if pull_first {
            let report = mine.pull().await.unwrap();
            assert!(report.created.is_empty(), "{report:?}");
            assert_eq!(mine.segments().len(), 1);
        }
        let report = mine.push().await.unwrap();
        assert!(report.created.is_empty(), "{report:?}");
        let names: Vec<Value> = fake.segments().iter().map(|s| s["name"].clone()).collect();
        assert_eq!(
            names,
            vec![json!("Beta renamed")],
            "pull first: {pull_first}"
        );
        assert!(
            mine.store
                .lock()
                .unwrap()
                .pending(REMOTE)
                .unwrap()
                .is_empty()
        );
        assert!(
            mine.store
                .lock()
                .unwrap()
                .create_in_flight(REMOTE, "beta")
                .unwrap()
                .is_none()
        );
    }
}
