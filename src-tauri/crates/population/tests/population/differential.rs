//! Every format's bulk answers equal the plain evaluator on the rows as that format means
//! them, built here independently of the readers.

use segments_engine::CompiledSet;
use segments_population::{count, impact, profile, synthetic};
use serde_json::{Map, Value};

use crate::{compiled, control, options};

const ROWS: u64 = 3000;
const SEED: u64 = 7;

fn users() -> Vec<Value> {
    let mut rng = fastrand::Rng::with_seed(SEED);
    (0..ROWS)
        .map(|i| synthetic::user(&mut rng, i, true))
        .collect()
}

fn as_text(v: &Value) -> Option<Value> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(Value::String(s.clone())),
        other => Some(Value::String(other.to_string())),
    }
}

/// A CSV cell is text; missing and null are an empty cell, which is a missing attribute.
fn csv_context(user: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in user.as_object().unwrap() {
        if let Some(text) = as_text(v).filter(|t| t != "") {
            out.insert(k.clone(), text);
        }
    }
    Value::Object(out)
}

/// The edge Parquet file: typed columns, seats as text, no address; null is missing.
fn parquet_context(user: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in user.as_object().unwrap() {
        let value = match k.as_str() {
            "address" => None,
            "beta" | "tags" => (!v.is_null()).then(|| v.clone()),
            _ => as_text(v),
        };
        if let Some(value) = value {
            out.insert(k.clone(), value);
        }
    }
    Value::Object(out)
}

/// The slow path: each context through the plain evaluator.
fn expected(set: &CompiledSet, contexts: &[Value]) -> (Vec<u64>, Vec<u64>) {
    let ids: Vec<_> = set.ids().collect();
    let n = ids.len();
    let mut matched = vec![0; n];
    let mut both = vec![0; n * (n - 1) / 2];
    let mut scratch = set.scratch();
    for context in contexts {
        let hits: Vec<bool> = ids
            .iter()
            .map(|&id| set.evaluate(id, context, &mut scratch))
            .collect();
        let mut k = 0;
        for a in 0..n {
            matched[a] += u64::from(hits[a]);
            for b in a + 1..n {
                both[k] += u64::from(hits[a] && hits[b]);
                k += 1;
            }
        }
    }
    (matched, both)
}

fn check(name: &str, contexts: &[Value]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    synthetic::write(&path, ROWS, SEED, true).unwrap();
    let set = compiled();
    let ids: Vec<_> = set.ids().collect();
    let (matched, both) = expected(&set, contexts);
    for threads in [1, 2, 3] {
        let counts = count(
            &path,
            &set,
            &ids,
            true,
            &options(threads, false),
            &control(),
        )
        .unwrap();
        assert_eq!(counts.rows, ROWS, "{name}");
        assert_eq!(counts.invalid, 0);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(
                counts.matched[i],
                matched[i],
                "{name}: segment {} with {threads} threads",
                set.key(*id)
            );
        }
        let got: Vec<u64> = counts.overlaps.iter().map(|o| o.both).collect();
        assert_eq!(got, both, "{name}: overlaps");
    }
    // Every operator meets rows it matches and rows it does not.
    for (i, id) in ids.iter().enumerate() {
        assert!(
            matched[i] < ROWS,
            "{name}: {} matches everyone",
            set.key(*id)
        );
    }

    // Impact of replacing "op-1" (plan is not free) by "nested".
    let before = set.id("op-1").unwrap();
    let after = set.id("nested").unwrap();
    let got = impact(
        &path,
        &set,
        before,
        after,
        20,
        &options(2, false),
        &control(),
    )
    .unwrap();
    let mut scratch = set.scratch();
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    for context in contexts {
        let (b, a) = (
            set.evaluate(before, context, &mut scratch),
            set.evaluate(after, context, &mut scratch),
        );
        if a && !b {
            gained.push(context.clone());
        }
        if b && !a {
            lost.push(context.clone());
        }
    }
    assert_eq!(got.gained, gained.len() as u64, "{name}: gained");
    assert_eq!(got.lost, lost.len() as u64, "{name}: lost");
    assert_eq!(got.before, matched[before_index(&set, "op-1")]);
    assert_eq!(
        got.gained_examples,
        gained.into_iter().take(20).collect::<Vec<_>>(),
        "{name}: gained examples in file order"
    );
    assert_eq!(
        got.lost_examples,
        lost.into_iter().take(20).collect::<Vec<_>>(),
        "{name}: lost examples"
    );
}

fn before_index(set: &CompiledSet, key: &str) -> usize {
    set.ids().position(|id| set.key(id) == key).unwrap()
}

#[test]
fn ndjson_counts_equal_the_evaluator() {
    check("users.ndjson", &users());
}

#[test]
fn gzipped_ndjson_counts_equal_the_evaluator() {
    check("users.ndjson.gz", &users());
}

#[test]
fn csv_counts_equal_the_evaluator_on_text_cells() {
    let contexts: Vec<Value> = users().iter().map(csv_context).collect();
    check("users.csv", &contexts);
    check("users.csv.gz", &contexts);
}

#[test]
fn parquet_counts_equal_the_evaluator_on_typed_columns() {
    let contexts: Vec<Value> = users().iter().map(parquet_context).collect();
    check("users.parquet", &contexts);
}

#[test]
fn profile_describes_the_attributes_and_samples_uniformly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.ndjson");
    synthetic::write(&path, ROWS, SEED, true).unwrap();
    let p = profile(&path, &options(2, false), &control()).unwrap();
    assert_eq!(p.rows, ROWS);
    let plan = p.attributes.iter().find(|a| a.name == "plan").unwrap();
    assert_eq!(plan.top_values[0].value, "free");
    assert!(plan.missing_share == 0.0);
    let seats = p.attributes.iter().find(|a| a.name == "seats").unwrap();
    assert!(
        seats.missing_share > 0.1 && seats.missing_share < 0.3,
        "{}",
        seats.missing_share
    );
    assert!(p.attributes.iter().any(|a| a.name == "address.country"));
    let email = p.attributes.iter().find(|a| a.name == "email").unwrap();
    assert!(email.many_values && email.top_values.is_empty());
    assert_eq!(p.sample.len(), 3000.min(segments_population::SAMPLE_ROWS));
}
