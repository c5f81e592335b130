//! The fault-injection run.

use crate::*;

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
