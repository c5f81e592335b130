//! The segments of the issue #9 benchmarks, written once and expressed both ways: as our
//! segments (`segments-engine`) and as Unleash feature toggles (one strategy whose
//! constraints are ANDed for `all`; one strategy per condition, ORed, for `any`), so both
//! engines evaluate the same conditions on the same contexts. Every comparison checks the
//! two engines agree before it times anything.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use segments_engine::{CompiledSet, Segment, SegmentId, parse_segment};
use segments_population::{BulkCounts, Control, ReadOptions};
use serde_json::{Value, json};
use unleash_yggdrasil::{Context, EngineState, UpdateMessage};

/// An operator both engines have, with the same meaning on these contexts.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    /// `in` / `IN`.
    In,
    /// `not_in` / `NOT_IN`.
    NotIn,
    /// `contains` / `STR_CONTAINS`.
    Contains,
    /// `starts_with` / `STR_STARTS_WITH`.
    StartsWith,
    /// `ends_with` / `STR_ENDS_WITH`.
    EndsWith,
    /// `gte` / `NUM_GTE`.
    NumGte,
    /// `gt` / `NUM_GT`.
    NumGt,
    /// `semver_gt` / `SEMVER_GT`.
    SemverGt,
    /// `after` / `DATE_AFTER` (a day; Unleash wants a full RFC 3339 instant).
    DateAfter,
}

/// One condition.
#[derive(Debug, Clone)]
pub struct Cond {
    /// A top-level attribute (Unleash properties are flat).
    pub attr: &'static str,
    /// The operator.
    pub op: Op,
    /// Values as text (numbers are written as numbers in our JSON).
    pub values: Vec<String>,
    /// Case-insensitive string comparison.
    pub ci: bool,
}

/// One segment: all or any of its conditions.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Segment key and toggle name.
    pub key: String,
    /// `any` instead of `all`.
    pub any: bool,
    /// Its conditions.
    pub conds: Vec<Cond>,
}

fn cond(attr: &'static str, op: Op, values: &[&str]) -> Cond {
    Cond {
        attr,
        op,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        ci: false,
    }
}

/// Case (a) and the ×1 bulk run: two conditions, all of them.
pub fn one_segment() -> Vec<Spec> {
    vec![Spec {
        key: "big-paid".into(),
        any: false,
        conds: vec![
            cond("plan", Op::In, &["team", "enterprise"]),
            cond("seats", Op::NumGte, &["40"]),
        ],
    }]
}

/// Case (b) and the ×100 bulk run: 100 segments mixing every operator, half `all`, half
/// `any`, each with a second condition on the plan.
pub fn hundred_segments() -> Vec<Spec> {
    (0..100)
        .map(|i| {
            let first = match i % 7 {
                0 => cond("country", Op::In, &["US", "CA", "MX", &format!("X{i}")]),
                1 => cond("seats", Op::NumGt, &[&format!("{}", i * 5)]),
                2 => cond("app_version", Op::SemverGt, &[&format!("2.{}.0", i % 5)]),
                3 => cond("email", Op::Contains, &[&format!("{i}@")]),
                4 => cond(
                    "signed_up_at",
                    Op::DateAfter,
                    &[&format!("{}-01-{:02}", 2019 + i % 7, 1 + i % 28)],
                ),
                5 => Cond {
                    ci: true,
                    ..cond("email", Op::EndsWith, &["@ACME.com"])
                },
                _ => cond("user_id", Op::StartsWith, &[&format!("u00{}", i % 10)]),
            };
            let second = if i % 3 == 0 {
                cond("plan", Op::NotIn, &["free"])
            } else {
                cond("plan", Op::In, &["pro", "team", "enterprise"])
            };
            Spec {
                key: format!("seg-{i:03}"),
                any: i % 2 == 1,
                conds: vec![first, second],
            }
        })
        .collect()
}

impl Spec {
    /// Our segment.
    pub fn ours(&self) -> Segment {
        let rules: Vec<Value> = self
            .conds
            .iter()
            .map(|c| {
                let (operator, numeric) = match c.op {
                    Op::In => ("in", false),
                    Op::NotIn => ("not_in", false),
                    Op::Contains => ("contains", false),
                    Op::StartsWith => ("starts_with", false),
                    Op::EndsWith => ("ends_with", false),
                    Op::NumGte => ("gte", true),
                    Op::NumGt => ("gt", true),
                    Op::SemverGt => ("semver_gt", false),
                    Op::DateAfter => ("after", false),
                };
                let values: Vec<Value> = c
                    .values
                    .iter()
                    .map(|v| {
                        if numeric {
                            json!(v.parse::<i64>().expect("an integer"))
                        } else {
                            json!(v)
                        }
                    })
                    .collect();
                let mut rule = json!({"attribute": c.attr, "operator": operator, "values": values});
                if c.ci {
                    rule["case_insensitive"] = json!(true);
                }
                rule
            })
            .collect();
        let match_type = if self.any { "any" } else { "all" };
        parse_segment(&json!({"key": self.key, "match_type": match_type, "rules": rules}))
            .expect("a valid segment")
    }

    /// The same segment as an Unleash toggle.
    pub fn unleash(&self) -> Value {
        let constraint = |c: &Cond| {
            let (operator, list) = match c.op {
                Op::In => ("IN", true),
                Op::NotIn => ("NOT_IN", true),
                Op::Contains => ("STR_CONTAINS", true),
                Op::StartsWith => ("STR_STARTS_WITH", true),
                Op::EndsWith => ("STR_ENDS_WITH", true),
                Op::NumGte => ("NUM_GTE", false),
                Op::NumGt => ("NUM_GT", false),
                Op::SemverGt => ("SEMVER_GT", false),
                Op::DateAfter => ("DATE_AFTER", false),
            };
            let mut out = json!({"contextName": c.attr, "operator": operator,
                                 "caseInsensitive": c.ci, "inverted": false});
            if list {
                out["values"] = json!(c.values);
            } else if matches!(c.op, Op::DateAfter) {
                out["value"] = json!(format!("{}T00:00:00.000Z", c.values[0]));
            } else {
                out["value"] = json!(c.values[0]);
            }
            out
        };
        let strategy = |constraints: Vec<Value>| json!({"name": "default", "parameters": {}, "constraints": constraints});
        let strategies: Vec<Value> = if self.any {
            self.conds
                .iter()
                .map(|c| strategy(vec![constraint(c)]))
                .collect()
        } else {
            vec![strategy(self.conds.iter().map(constraint).collect())]
        };
        json!({"name": self.key, "enabled": true, "strategies": strategies})
    }
}

/// Our compiled set of `specs`.
pub fn compile(specs: &[Spec]) -> CompiledSet {
    let segments: Vec<Segment> = specs.iter().map(Spec::ours).collect();
    CompiledSet::compile(&segments).expect("compiles")
}

/// Yggdrasil's engine holding `specs` as toggles, loaded through `take_state` from the
/// client features JSON an Unleash server would send.
pub fn yggdrasil(specs: &[Spec]) -> EngineState {
    let features: Vec<Value> = specs.iter().map(Spec::unleash).collect();
    let message: UpdateMessage =
        serde_json::from_value(json!({"version": 2, "features": features})).expect("features");
    let engine = EngineState::default();
    if let Some(warnings) = engine.take_state(message) {
        assert!(warnings.is_empty(), "yggdrasil warnings: {warnings:?}");
    }
    engine
}

/// The one context of the micro benchmarks, as our JSON.
pub fn context_json() -> Value {
    json!({"user_id": "u0000042", "plan": "enterprise", "seats": 42, "email": "user42@ACME.com",
           "country": "US", "app_version": "2.4.1", "signed_up_at": "2026-03-04T09:00:00Z", "beta": true})
}

/// A JSON object as an Unleash context: every attribute a string property.
pub fn unleash_context(object: serde_json::Map<String, Value>) -> Context {
    let properties: HashMap<String, String> = object
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    Context {
        user_id: None,
        session_id: None,
        environment: None,
        app_name: None,
        current_time: None,
        remote_address: None,
        properties: Some(properties),
    }
}

/// Both engines on one context, for the micro benchmarks.
pub struct Micro {
    /// Our set.
    pub set: CompiledSet,
    /// Our ids, in spec order.
    pub ids: Vec<SegmentId>,
    /// Yggdrasil's engine.
    pub engine: EngineState,
    /// Toggle names, in spec order.
    pub names: Vec<String>,
    /// Our context.
    pub json: Value,
    /// Yggdrasil's context.
    pub context: Context,
}

impl Micro {
    /// Sets up `specs` and checks both engines agree on the context.
    pub fn new(specs: &[Spec]) -> Micro {
        let set = compile(specs);
        let ids = specs
            .iter()
            .map(|s| set.id(&s.key).expect("present"))
            .collect();
        let engine = yggdrasil(specs);
        let names = specs.iter().map(|s| s.key.clone()).collect();
        let json = context_json();
        let context = unleash_context(json.as_object().expect("object").clone());
        let micro = Micro {
            set,
            ids,
            engine,
            names,
            json,
            context,
        };
        let mut scratch = micro.set.scratch();
        let ours: Vec<bool> = micro
            .ids
            .iter()
            .map(|&id| micro.set.evaluate(id, &micro.json, &mut scratch))
            .collect();
        let theirs: Vec<bool> = micro
            .names
            .iter()
            .map(|n| micro.engine.is_enabled(n, &micro.context, &None))
            .collect();
        assert_eq!(ours, theirs, "the engines disagree on the context");
        assert!(ours.iter().any(|m| *m) && ours.iter().any(|m| !*m) || ours.len() == 1);
        micro
    }

    /// Yggdrasil: every toggle, as an SDK asks (`is_enabled` by name); the count enabled.
    pub fn yggdrasil_all(&self) -> usize {
        self.names
            .iter()
            .filter(|n| self.engine.is_enabled(n, &self.context, &None))
            .count()
    }
}

/// Options for a bulk run on `threads` threads.
pub fn read_options(threads: usize) -> ReadOptions {
    ReadOptions {
        threads,
        skip_invalid: false,
    }
}

/// Our bulk count of every segment of `set` over a file; `floor` asks for no segment, so
/// the readers bind and parse the same columns (the set's attribute names) and nothing is
/// evaluated.
pub fn count_file(path: &Path, set: &CompiledSet, floor: bool, threads: usize) -> BulkCounts {
    let ids: Vec<SegmentId> = if floor {
        Vec::new()
    } else {
        set.ids().collect()
    };
    let cancel = AtomicBool::new(false);
    let control = Control {
        cancel: &cancel,
        progress: &|_| {},
    };
    segments_population::count(path, set, &ids, false, &read_options(threads), &control)
        .expect("a readable population")
}

/// What an application using yggdrasil would write: each NDJSON line read with serde_json
/// into a context, then every toggle asked, on one thread. Per toggle: users enabled.
pub fn yggdrasil_file(path: &Path, engine: &EngineState, names: &[String]) -> (u64, Vec<u64>) {
    let file = std::fs::File::open(path).expect("the file");
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    let mut rows = 0;
    let mut matched = vec![0u64; names.len()];
    loop {
        line.clear();
        if reader.read_line(&mut line).expect("readable") == 0 {
            break;
        }
        let object: serde_json::Map<String, Value> =
            serde_json::from_str(&line).expect("a JSON object per line");
        let context = unleash_context(object);
        rows += 1;
        for (count, name) in matched.iter_mut().zip(names) {
            *count += u64::from(engine.is_enabled(name, &context, &None));
        }
    }
    (rows, matched)
}
