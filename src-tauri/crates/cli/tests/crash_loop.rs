//! Crash loop: real `segments` processes against one database with three fake remotes,
//! killed with SIGKILL at seeded random moments. After every run the database is read
//! read-only and checked: integrity, every acknowledged operation present, imports all or
//! nothing, newest revision equal to the row, every unsynced change queued for every
//! remote. At the end, with faults off, sync must converge with no duplicate and no lost edit.
//!
//! `SEGMENTS_CRASH_ITERATIONS` sets the number of runs (200 by default) and
//! `SEGMENTS_CRASH_SEED` the seed (printed, so a failing run can be replayed).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

#[path = "support/crash_db.rs"]
mod crash_db;
#[path = "support/crash_ops.rs"]
mod crash_ops;
#[path = "support/crash_world.rs"]
mod crash_world;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crash_ops::{KINDS, Planned, check_acked_push, check_effects, plan};
use crash_world::{Ended, World, figures_path, local_view, remote_view};
use fake_remotes::Faults;
use serde_json::{Value, json};

/// The latest moment a run is killed at, after its start.
const KILL_WINDOW: Duration = Duration::from_millis(1000);

/// Runs per kind and how they ended.
#[derive(Default)]
struct KindFigures {
    runs: u64,
    kills: u64,
    acked: u64,
    failed: u64,
    /// Why runs failed (first line of stderr), with how often.
    reasons: BTreeMap<String, u64>,
    /// Typical run time of the ones that finished, to aim the kills inside a run.
    typical: Option<Duration>,
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

#[test]
fn killed_processes_never_lose_an_acknowledged_change() {
    let iterations = env_number("SEGMENTS_CRASH_ITERATIONS", 200);
    let seed = env_number("SEGMENTS_CRASH_SEED", fastrand::u64(..) % 1_000_000);
    println!(
        "crash loop: seed {seed} (SEGMENTS_CRASH_SEED={seed} replays it), {iterations} iterations"
    );
    let started = Instant::now();
    let mut rng = fastrand::Rng::with_seed(seed);
    let world = World::new();
    // Every write's answer may be lost after it was applied, so a push must find what it
    // already sent instead of sending it twice.
    world.set_faults(&Faults {
        drop_after_write_rate: 0.2,
        seed,
        ..Faults::none()
    });

    let mut figures: BTreeMap<&str, KindFigures> =
        KINDS.iter().map(|k| (*k, KindFigures::default())).collect();
    let mut violations: Vec<String> = Vec::new();
    let mut model = crash_db::snapshot(&crash_db::open(&world.db));
    // Killed syncs whose lease outlived them (it would block the remote for minutes).
    let mut leases_left = 0u64;
    for iteration in 0..iterations {
        let planned = plan(&world, &model, &mut rng, iteration);
        let kind = figures.get_mut(planned.kind).expect("a known kind");
        kind.runs += 1;
        // A quarter of the runs go to completion; the others are killed somewhere inside
        // the run's typical length (slightly past it, so some finish just before the kill),
        // or its first second at most: a push of hundreds of entries takes seconds, and every entry is a write then its
        // record, so its first second has the same moments to hit as its last.
        let kill_after = (rng.f64() < 0.75).then(|| {
            let typical = kind.typical.unwrap_or(planned.first_guess).min(KILL_WINDOW);
            typical.mul_f64(rng.f64() * 1.2)
        });
        let args: Vec<&str> = planned.args.iter().map(String::as_str).collect();
        let (ended, took) = world.run(&args, kill_after);
        match &ended {
            Ended::Acked(_) => kind.acked += 1,
            Ended::Killed => kind.kills += 1,
            Ended::Failed(why) => {
                kind.failed += 1;
                let first = why.lines().next().unwrap_or("").to_owned();
                // Keys and URLs vary; the kind of failure is what the figures are for.
                let reason = first
                    .split([':', '('])
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(":");
                *kind.reasons.entry(reason).or_default() += 1;
            }
        }
        if !matches!(ended, Ended::Killed) {
            kind.typical = Some(match kind.typical {
                Some(t) => (t * 3 + took) / 4,
                None => took,
            });
        }
        if let (Ended::Killed, Some(remote)) = (&ended, &planned.remote)
            && crash_db::lease_held(&crash_db::open(&world.db), remote)
        {
            leases_left += 1;
            world.lapse_lease(remote);
        }
        let found = check_after(&world, &planned, &model, &ended);
        let after = found.0;
        for problem in found.1 {
            let how = match &ended {
                Ended::Acked(_) => "acknowledged".to_owned(),
                Ended::Killed => "killed".to_owned(),
                Ended::Failed(why) => format!("failed: {}", why.trim()),
            };
            println!("iteration {iteration} ({}, {how}): {problem}", planned.kind);
            violations.push(format!(
                "iteration {iteration} ({}): {problem}",
                planned.kind
            ));
        }
        model = after;
    }
    let loop_secs = started.elapsed().as_secs_f64();

    let settled = settle(&world, &model);
    violations.extend(settled.violations.iter().cloned());
    for problem in &settled.violations {
        println!("after settling: {problem}");
    }

    let kinds: serde_json::Map<String, Value> = figures
        .iter()
        .map(|(name, f)| {
            let typical_ms = f.typical.map(|t| t.as_secs_f64() * 1000.0);
            let figures = json!({"runs": f.runs, "kills": f.kills, "acked": f.acked,
                "failed": f.failed, "failures": f.reasons, "typical_ms": typical_ms});
            ((*name).to_owned(), figures)
        })
        .collect();
    let report = json!({
        "seed": seed,
        "iterations": iterations,
        "kills": figures.values().map(|f| f.kills).sum::<u64>(),
        "kinds": kinds,
        "violations": violations.len(),
        "violation_list": violations,
        "segments": model.segments.len(),
        "leases_left_by_killed_syncs": leases_left,
        "settle": settled.figures,
        "loop_seconds": loop_secs,
        "total_seconds": started.elapsed().as_secs_f64(),
    });
    println!("{}", serde_json::to_string_pretty(&report).unwrap());
    let path = figures_path();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    assert!(
        violations.is_empty(),
        "{} violations (seed {seed}), first: {}",
        violations.len(),
        violations[0]
    );
}

/// Reads the database after a run and returns it with every check's findings.
fn check_after(
    world: &World,
    planned: &Planned,
    before: &crash_db::Snapshot,
    ended: &Ended,
) -> (crash_db::Snapshot, Vec<String>) {
    let conn = crash_db::open(&world.db);
    let mut problems = crash_db::integrity(&conn);
    let after = crash_db::snapshot(&conn);
    problems.extend(check_effects(planned, before, &after, ended));
    problems.extend(crash_db::revisions_match_rows(&conn));
    problems.extend(crash_db::outbox_covers_changes(&conn, &after));
    if let (Ended::Acked(_), "push", Some(remote)) = (ended, planned.kind, &planned.remote) {
        problems.extend(check_acked_push(world, &conn, &after, remote));
    }
    (after, problems)
}

struct Settled {
    violations: Vec<String>,
    figures: Value,
}

/// Faults off, then push and pull every remote until every outbox is empty; then every
/// remote must hold exactly the local segments, once each, and local must be as the loop
/// left it.
fn settle(world: &World, model: &crash_db::Snapshot) -> Settled {
    world.set_faults(&Faults::none());
    let mut violations = Vec::new();
    let mut rounds = 0;
    let mut resolved = 0;
    let mut failed_runs = Vec::new();
    loop {
        let conn = crash_db::open(&world.db);
        let (pending, conflicts) = (crash_db::pending(&conn), crash_db::conflicts(&conn));
        drop(conn);
        if pending == 0 && conflicts.is_empty() {
            break;
        }
        if rounds == 8 {
            violations.push(format!(
                "settle: {pending} outbox entries and {} conflicts left after {rounds} rounds",
                conflicts.len()
            ));
            break;
        }
        rounds += 1;
        // Local is the truth here (no one else edits the remotes), so a conflict, which
        // can only be our own earlier write seen again, keeps the local version.
        for (remote, key) in conflicts {
            let args = ["sync", "resolve", &remote, &key, "--take", "mine"];
            if let (Ended::Acked(_), _) = world.run(&args, None) {
                resolved += 1;
            }
        }
        for direction in ["push", "pull", "push"] {
            for (remote, _) in &world.remotes {
                if crash_db::lease_held(&crash_db::open(&world.db), remote) {
                    world.lapse_lease(remote);
                }
                let args = ["sync", direction, remote.as_str()];
                if let (Ended::Failed(why), _) = world.run(&args, None) {
                    failed_runs.push(format!("{direction} {remote}: {}", why.trim()));
                }
            }
        }
    }
    let local = crash_db::snapshot(&crash_db::open(&world.db));
    let mut lost_edits = 0;
    let keys: std::collections::BTreeSet<&String> =
        model.segments.keys().chain(local.segments.keys()).collect();
    for key in keys {
        if model.segments.get(key) != local.segments.get(key) {
            lost_edits += 1;
            violations.push(format!("settle: sync changed local segment {key}"));
        }
    }
    let mut remotes = serde_json::Map::new();
    for (name, fake) in &world.remotes {
        let (mine, mine_twice) = local_view(&local.segments, fake.dialect());
        for identity in &mine_twice {
            violations.push(format!(
                "settle: two local segments are {identity} on {name}"
            ));
        }
        let (theirs, duplicates) = remote_view(fake);
        let mut differ = 0;
        let keys: std::collections::BTreeSet<&String> = mine.keys().chain(theirs.keys()).collect();
        for key in keys {
            if mine.get(key) != theirs.get(key) {
                differ += 1;
                if differ <= 5 {
                    violations.push(format!(
                        "settle: {name} holds {:?} for {key}, local {:?}",
                        theirs.get(key),
                        mine.get(key)
                    ));
                }
            }
        }
        for identity in &duplicates {
            violations.push(format!("settle: {name} holds {identity} more than once"));
        }
        lost_edits += differ;
        remotes.insert(
            name.clone(),
            json!({"segments": fake.segments().len(), "duplicates": duplicates.len(),
                "differing": differ, "stats": format!("{:?}", fake.stats().faults)}),
        );
    }
    Settled {
        violations,
        figures: json!({"rounds": rounds, "conflicts_resolved": resolved,
            "failed_runs": failed_runs, "lost_edits": lost_edits, "remotes": remotes}),
    }
}
