//! The crash loop's operations: what each one runs and what it promises, and the check
//! that the database holds what was promised (all of it when acknowledged; all or none
//! of it otherwise).

#![allow(dead_code)] // the crash loop and its checks' test each use part of it

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use segments_engine::{parse_patch, parse_segment};
use serde_json::{Value, json};

use crate::crash_db::{self, Snapshot};
use crate::crash_world::{Ended, World, local_view, remote_view};

pub const KINDS: [&str; 8] = [
    "create", "update", "delete", "restore", "import", "persona", "push", "pull",
];

/// Keys the operations draw from: imports of up to 500 land mostly on existing segments,
/// so the database stays at a size a push can finish within the loop.
const POOL: usize = 600;
const PERSONAS: usize = 5;

/// One operation, ready to run.
pub struct Planned {
    pub kind: &'static str,
    pub args: Vec<String>,
    /// Segments it changes: key to the document it leaves (`None`: deleted).
    pub segments: BTreeMap<String, Option<Value>>,
    /// The persona it saves.
    pub persona: Option<(String, Value)>,
    /// The remote a sync runs against.
    pub remote: Option<String>,
    /// How long a run is guessed to take before one has been timed.
    pub first_guess: Duration,
}

impl Planned {
    fn new(kind: &'static str, args: &[&str]) -> Planned {
        Planned {
            kind,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            segments: BTreeMap::new(),
            persona: None,
            remote: None,
            first_guess: Duration::from_millis(40),
        }
    }
}

fn key(n: usize) -> String {
    format!("seg-{n:04}")
}

/// A segment every dialect can hold: name = key (Krafter tells segments apart by name),
/// one `eq` condition with one string value.
fn document(key: &str, description: &str, value: &str) -> Value {
    json!({"key": key, "name": key, "description": description,
        "rules": [{"attribute": "plan", "operator": "eq", "values": [value]}]})
}

fn canonical(document: &Value) -> Value {
    parse_segment(document)
        .expect("the loop's documents are valid")
        .to_json()
}

/// Picks an operation. Kinds whose target does not exist yet fall back to a create.
pub fn plan(world: &World, model: &Snapshot, rng: &mut fastrand::Rng, iteration: u64) -> Planned {
    let existing: Vec<&String> = model.segments.keys().collect();
    let tag = format!("i{iteration}");
    let choice = rng.usize(..KINDS.len() + 1);
    let kind = match choice {
        // Syncs are spread over push and pull; one more slot makes push the likelier.
        8 => "push",
        n => KINDS[n],
    };
    let kind = match kind {
        "update" | "delete" if existing.is_empty() => "create",
        other => other,
    };
    match kind {
        "create" => {
            let free: Vec<usize> = (0..POOL)
                .filter(|n| !model.segments.contains_key(&key(*n)))
                .collect();
            let key = key(free[rng.usize(..free.len())]);
            let document = document(&key, &tag, &tag);
            let file = world.input("create.json", &document);
            let mut planned = Planned::new(kind, &["segment", "create", "--file", &file]);
            planned.segments.insert(key, Some(canonical(&document)));
            planned
        }
        "update" => {
            let key = existing[rng.usize(..existing.len())].clone();
            let patch = match rng.u8(..4) {
                0 => json!({"description": tag}),
                // A rename: Krafter tells segments apart by name only, so a create killed
                // before its record followed by a rename is where a duplicate would hide.
                1 => json!({"name": format!("{key} {tag}")}),
                2 => json!({"rules": [{"attribute": "plan", "operator": "eq", "values": [tag]}]}),
                _ => json!({"description": tag,
                    "rules": [{"attribute": "plan", "operator": "eq", "values": [tag]}]}),
            };
            let current = parse_segment(&model.segments[&key]).expect("a stored segment");
            let next = parse_patch(&patch, &key)
                .expect("a valid patch")
                .apply(&current);
            let file = world.input("patch.json", &patch);
            let mut planned = Planned::new(kind, &["segment", "update", &key, "--file", &file]);
            planned.segments.insert(key, Some(next.to_json()));
            planned
        }
        "delete" => {
            let key = existing[rng.usize(..existing.len())].clone();
            let mut planned = Planned::new(kind, &["segment", "delete", &key]);
            planned.segments.insert(key, None);
            planned
        }
        "restore" => {
            let conn = crash_db::open(&world.db);
            let keys = crash_db::keys_with_history(&conn);
            if keys.is_empty() {
                return plan_create_fallback(world, model, rng, &tag);
            }
            let key = &keys[rng.usize(..keys.len())];
            let history = crash_db::revision_targets(&conn, key);
            let (id, target) = &history[rng.usize(..history.len())];
            let id = id.to_string();
            let mut planned = Planned::new(kind, &["segment", "restore", key, &id]);
            planned.segments.insert(key.clone(), Some(target.clone()));
            planned
        }
        "import" => {
            // Mostly small, sometimes big: a 500-segment import is the widest transaction.
            let count = if rng.u8(..10) == 0 {
                rng.usize(100..=500)
            } else {
                rng.usize(1..=30)
            };
            let mut numbers: Vec<usize> = (0..POOL).collect();
            rng.shuffle(&mut numbers);
            let mut planned = Planned::new(kind, &[]);
            let mut documents = Vec::new();
            for n in &numbers[..count] {
                let key = key(*n);
                let value = format!("{tag}-{n}");
                let document = document(&key, &format!("imported {tag}"), &value);
                planned
                    .segments
                    .insert(key.clone(), Some(canonical(&document)));
                documents.push(document);
            }
            let file = world.input("import.json", &Value::Array(documents));
            planned.args = ["import", "--file", &file].map(str::to_owned).to_vec();
            planned.first_guess = Duration::from_millis(150);
            planned
        }
        "persona" => {
            let name = format!("persona-{}", rng.usize(..PERSONAS));
            let context = json!({"plan": tag, "iteration": iteration});
            let file = world.input("context.json", &context);
            let mut planned = Planned::new(kind, &["persona", "save", &name, "--context", &file]);
            planned.persona = Some((name, context));
            planned
        }
        direction => {
            let remote = world.remotes[rng.usize(..world.remotes.len())].0.clone();
            let mut planned =
                Planned::new(direction, &["sync", direction, &remote, "--attempts", "3"]);
            planned.remote = Some(remote);
            planned.first_guess = Duration::from_millis(400);
            planned
        }
    }
}

fn plan_create_fallback(
    world: &World,
    model: &Snapshot,
    rng: &mut fastrand::Rng,
    tag: &str,
) -> Planned {
    let free: Vec<usize> = (0..POOL)
        .filter(|n| !model.segments.contains_key(&key(*n)))
        .collect();
    let key = key(free[rng.usize(..free.len())]);
    let document = document(&key, tag, tag);
    let file = world.input("create.json", &document);
    let mut planned = Planned::new("create", &["segment", "create", "--file", &file]);
    planned.segments.insert(key, Some(canonical(&document)));
    planned
}

/// What the run did to local state against what it promised: nothing outside its targets
/// changed; acknowledged, every target is as promised; otherwise, all targets are as
/// promised or all as before (never a mix, never a third state).
pub fn check_effects(
    planned: &Planned,
    before: &Snapshot,
    after: &Snapshot,
    ended: &Ended,
) -> Vec<String> {
    let mut problems = Vec::new();
    let acked = matches!(ended, Ended::Acked(_));
    let keys: BTreeSet<&String> = before
        .segments
        .keys()
        .chain(after.segments.keys())
        .collect();
    for key in keys {
        if !planned.segments.contains_key(key)
            && before.segments.get(key) != after.segments.get(key)
        {
            problems.push(format!(
                "stray: {key} changed, though this {} does not touch it ({:?} -> {:?})",
                planned.kind,
                before.segments.get(key).map(|s| &s["description"]),
                after.segments.get(key).map(|s| &s["description"]),
            ));
        }
    }
    let changing: Vec<(&String, Option<&Value>)> = planned
        .segments
        .iter()
        .map(|(key, promised)| (key, promised.as_ref()))
        .filter(|(key, promised)| before.segments.get(*key) != *promised)
        .collect();
    let (mut landed, mut untouched) = (0, 0);
    for (key, promised) in &changing {
        let now = after.segments.get(*key);
        if now == *promised {
            landed += 1;
        } else if now == before.segments.get(*key) {
            untouched += 1;
            if acked {
                problems.push(format!(
                    "lost: the acknowledged {} of {key} is not in the database",
                    planned.kind
                ));
            }
        } else {
            problems.push(format!(
                "torn: {key} is neither as before nor as the {} leaves it",
                planned.kind
            ));
        }
    }
    if landed > 0 && untouched > 0 {
        problems.push(format!(
            "partial: {landed} of {} changes of this {} landed",
            changing.len(),
            planned.kind
        ));
    }
    // The answer of a one-segment write is the stored segment: it must be the promise.
    if let (Ended::Acked(answer), "create" | "update" | "restore") = (ended, planned.kind)
        && let Some(Some(promised)) = planned.segments.values().next()
        && answer != promised
    {
        problems.push(format!(
            "answer: the {} printed {answer}, not {promised}",
            planned.kind
        ));
    }
    let names: BTreeSet<&String> = before
        .personas
        .keys()
        .chain(after.personas.keys())
        .collect();
    for name in names {
        let (was, now) = (before.personas.get(name), after.personas.get(name));
        match &planned.persona {
            Some((saved, context)) if saved == name => {
                if acked && now != Some(context) {
                    problems.push(format!(
                        "lost: the acknowledged save of {name} is not there"
                    ));
                }
                if now != was && now != Some(context) {
                    problems.push(format!("torn: persona {name} is neither before nor after"));
                }
            }
            _ if was != now => problems.push(format!("stray: persona {name} changed")),
            _ => {}
        }
    }
    if let (Some((name, context)), true) = (&planned.persona, acked)
        && !before.personas.contains_key(name)
        && after.personas.get(name) != Some(context)
    {
        problems.push(format!(
            "lost: the acknowledged new persona {name} is not there"
        ));
    }
    problems
}

/// An acknowledged push sent everything: nothing waits for that remote any more, and it
/// holds exactly the local segments, each once.
pub fn check_acked_push(
    world: &World,
    conn: &rusqlite::Connection,
    after: &Snapshot,
    remote: &str,
) -> Vec<String> {
    let mut problems = Vec::new();
    let waiting = crash_db::pending_for(conn, remote);
    if waiting > 0 {
        problems.push(format!(
            "push: the acknowledged push to {remote} left {waiting} entries queued"
        ));
    }
    let fake = world.remote(remote);
    let (mine, _) = local_view(&after.segments, fake.dialect());
    let (theirs, duplicates) = remote_view(fake);
    let keys: BTreeSet<&String> = mine.keys().chain(theirs.keys()).collect();
    let differing: Vec<&String> = keys
        .into_iter()
        .filter(|key| mine.get(*key) != theirs.get(*key))
        .collect();
    if !differing.is_empty() || !duplicates.is_empty() {
        problems.push(format!(
            "push: after an acknowledged push {remote} differs from local on {differing:?} and holds {duplicates:?} twice"
        ));
    }
    problems
}
