//! Segments going both ways: every operator, pages, merges, conflicts, deletes, keys.

use crate::*;

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
        assert_eq!(view.fields, vec![segments_store::Field::Description]);
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
            Some(&parse_segment(&wrong).unwrap()),
        );
        assert!(refused.unwrap_err().to_string().contains("cannot change"));
        assert_eq!(mine.badge("gamma"), SyncBadge::Conflict);
        sync::resolve(
            &mut mine.store.lock().unwrap(),
            REMOTE,
            "gamma",
            Take::Mine,
            Some(&parse_segment(&edited).unwrap()),
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
    assert_eq!(
        history[0].author,
        segments_store::Author::Remote(REMOTE.into())
    );

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
