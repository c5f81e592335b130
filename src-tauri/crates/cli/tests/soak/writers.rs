//! The three who write while the soak runs: the app (the sync library in-process on the
//! shared `Mutex<Store>`), the `segments` CLI (a real process, SIGKILLed now and then) and
//! another user editing the server directly, behind no proxy.

use std::time::{Duration, Instant};

use segments_sync::{self as sync, RetryPolicy, SyncError, SyncOptions};
use serde_json::json;

use crate::world::{Edit, Field, REMOTE, World, lock, rules};

/// Short waits and few attempts: a soak wants many runs, each meeting faults, more than
/// runs that patiently outlast them.
pub fn app_options() -> SyncOptions {
    SyncOptions {
        policy: RetryPolicy {
            max_attempts: 4,
            base_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(3),
            timeout: Duration::from_secs(5),
            max_response_bytes: sync::MAX_RESPONSE_BYTES,
        },
        ..SyncOptions::default()
    }
}

fn local_keys(world: &World) -> Vec<String> {
    let store = lock(&world.store);
    match store.list_segments() {
        Ok(segments) => segments.into_iter().map(|s| s.segment.key).collect(),
        Err(_) => Vec::new(),
    }
}

fn pick(rng: &mut fastrand::Rng, keys: &[String]) -> Option<String> {
    (!keys.is_empty()).then(|| keys[rng.usize(..keys.len())].clone())
}

/// A short name for an error, so the figures group them.
pub fn kind(error: &SyncError) -> String {
    let text = format!("{error:?}");
    text.split([' ', '{', '(']).next().unwrap_or("?").to_owned()
}

pub async fn app_writer(world: &World, until: Instant, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let options = app_options();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let roll = rng.u8(..100);
        if roll < 35 {
            let Some(key) = pick(&mut rng, &local_keys(world)) else {
                continue;
            };
            let marker = format!("app-{n}");
            let patch = segments_engine::parse_patch(&json!({"rules": rules(&marker)}), &key);
            let done = patch.map_err(|e| e.to_string()).and_then(|p| {
                lock(&world.store)
                    .update_segment(&key, &p)
                    .map_err(|e| e.to_string())
            });
            world.count(if done.is_ok() {
                "app_edit_ok"
            } else {
                "app_edit_err"
            });
            world.record(Edit {
                key,
                field: Field::Rules,
                marker,
                acknowledged: done.is_ok(),
                on_server: false,
            });
        } else if roll < 42 {
            let key = format!("app-new-{n}");
            let document = json!({"key": key, "name": key, "rules": rules("v0")});
            let segment = segments_engine::parse_segment(&document).unwrap();
            let done = lock(&world.store).create_segment(&segment);
            world.count(if done.is_ok() {
                "app_create_ok"
            } else {
                "app_create_err"
            });
            world.record(Edit {
                key: key.clone(),
                field: Field::Created,
                marker: key,
                acknowledged: done.is_ok(),
                on_server: false,
            });
        } else {
            let push = roll < 72;
            let run = if push {
                sync::push(&world.store, &world.credentials, REMOTE, &options, &|_| {}).await
            } else {
                sync::pull(&world.store, &world.credentials, REMOTE, &options, &|_| {}).await
            };
            let what = if push { "app_push" } else { "app_pull" };
            match run {
                Ok(report) if report.failed.is_empty() => world.count(&format!("{what}_ok")),
                Ok(_) => world.count(&format!("{what}_partial")),
                Err(e) => world.count(&format!("{what}_err_{}", kind(&e))),
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.u64(10..60))).await;
    }
}

pub fn cli_writer(world: &World, until: Instant, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let roll = rng.u8(..100);
        if roll < 30 {
            let Some(key) = pick(&mut rng, &local_keys(world)) else {
                continue;
            };
            let marker = format!("cli-{n}");
            let patch = json!({"description": marker}).to_string();
            let ok = world.cli(&["segment", "update", &key], &patch, None) == Some(true);
            world.count(if ok { "cli_edit_ok" } else { "cli_edit_err" });
            world.record(Edit {
                key,
                field: Field::Description,
                marker,
                acknowledged: ok,
                on_server: false,
            });
        } else if roll < 36 {
            let key = format!("cli-new-{n}");
            let document = json!({"key": key, "name": key, "rules": rules("v0")}).to_string();
            let ok = world.cli(&["segment", "create"], &document, None) == Some(true);
            world.count(if ok {
                "cli_create_ok"
            } else {
                "cli_create_err"
            });
            world.record(Edit {
                key: key.clone(),
                field: Field::Created,
                marker: key,
                acknowledged: ok,
                on_server: false,
            });
        } else {
            let verb = if roll < 70 { "push" } else { "pull" };
            // A quarter of the runs die by SIGKILL somewhere between connecting and the end.
            let kill = rng.u8(..4) == 0;
            let kill_after = kill.then(|| Duration::from_millis(rng.u64(20..1500)));
            let outcome = world.cli(&["sync", verb, REMOTE, "--attempts", "3"], "", kill_after);
            let what = match outcome {
                Some(true) => "ok",
                Some(false) => "failed",
                None => "killed",
            };
            world.count(&format!("cli_{verb}_{what}"));
        }
        std::thread::sleep(Duration::from_millis(rng.u64(10..60)));
    }
}

/// Another user on the server: renames segments and adds new ones, straight to the fake
/// server (bypassing the proxy), so every edit of theirs lands.
pub fn server_editor(world: &World, until: Instant, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let krafter = world.dialect == segments_sync::Dialect::Krafter;
    let identity = if krafter { "id" } else { "key" };
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let segments = world.fake.segments();
        if rng.u8(..100) < 12 {
            let seeded = crate::world::server_segment(world.dialect, &format!("server-new-{n}"));
            let stored = world.fake.insert(seeded);
            let id = stored[identity].as_str().unwrap().to_owned();
            world.record(Edit {
                key: id.clone(),
                field: Field::Created,
                marker: id,
                acknowledged: true,
                on_server: true,
            });
            world.count("server_create");
        } else if !segments.is_empty() {
            let segment = &segments[rng.usize(..segments.len())];
            let id = segment[identity].as_str().unwrap().to_owned();
            // Made-up segments of an endless listing the client wrongly kept are not the
            // server's to edit.
            if id.starts_with("endless-") {
                continue;
            }
            let marker = format!("srv-{n}");
            world.fake.edit_remotely(&id, json!({"name": marker}));
            world.record(Edit {
                key: id,
                field: Field::Name,
                marker,
                acknowledged: true,
                on_server: true,
            });
            world.count("server_edit");
        }
        std::thread::sleep(Duration::from_millis(rng.u64(60..250)));
    }
}
