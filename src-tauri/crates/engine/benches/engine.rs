//! Evaluation throughput: one segment against one context, and 100 segments against one
//! context, with compile time alongside for scale.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::hint::black_box;

use criterion::{Criterion, criterion_main};
use segments_engine::{CompiledSet, Segment, parse_segment};
use serde_json::{Value, json};

fn enterprise(key: &str) -> Segment {
    parse_segment(&json!({"key": key, "match_type": "all", "rules": [
        {"attribute": "plan", "operator": "eq", "values": ["enterprise"]},
        {"match_type": "any", "rules": [
            {"attribute": "seats", "operator": "gte", "values": [50]},
            {"attribute": "email", "operator": "ends_with", "values": ["@acme.com"], "case_insensitive": true}]}]}))
    .expect("valid segment")
}

/// A mix of operators so the 100-segment figure is not one operator's.
fn varied(i: usize) -> Segment {
    let rule = match i % 5 {
        0 => {
            json!({"attribute": "address.country", "operator": "in", "values": ["US", "CA", "MX", format!("X{i}")]})
        }
        1 => json!({"attribute": "seats", "operator": "gt", "values": [i]}),
        2 => {
            json!({"attribute": "app_version", "operator": "semver_gte", "values": [format!("1.{i}")]})
        }
        3 => json!({"attribute": "email", "operator": "contains", "values": [format!("{i}@")]}),
        _ => json!({"attribute": "signed_up_at", "operator": "after", "values": ["2026-01-01"]}),
    };
    parse_segment(
        &json!({"key": format!("seg-{i}"), "match_type": "any", "rules": [
        rule, {"attribute": "plan", "operator": "neq", "values": ["free"]}]}),
    )
    .expect("valid segment")
}

fn context() -> Value {
    json!({"plan": "enterprise", "seats": 42, "email": "ada@ACME.com", "address": {"country": "US"},
           "app_version": "1.40.2", "signed_up_at": "2026-03-04T09:00:00Z"})
}

fn bench(c: &mut Criterion) {
    let ctx = context();

    let one = CompiledSet::compile(&[enterprise("enterprise")]).expect("compiles");
    let id = one.id("enterprise").expect("present");
    let mut scratch = one.scratch();
    c.bench_function("evaluate/1 segment x 1 context", |b| {
        b.iter(|| one.evaluate(id, black_box(&ctx), &mut scratch));
    });

    let segments: Vec<Segment> = (0..100).map(varied).collect();
    let hundred = CompiledSet::compile(&segments).expect("compiles");
    let mut scratch = hundred.scratch();
    let mut out = Vec::with_capacity(100);
    c.bench_function("evaluate/100 segments x 1 context", |b| {
        b.iter(|| {
            hundred.evaluate_all(black_box(&ctx), &mut scratch, &mut out);
            out.len()
        });
    });

    c.bench_function("compile/100 segments", |b| {
        b.iter(|| CompiledSet::compile(black_box(&segments)).map(|s| s.len()));
    });
    c.bench_function("explain/1 segment x 1 context", |b| {
        b.iter(|| one.explain(id, black_box(&ctx)).matched);
    });
}

// The macro generates an undocumented `pub fn benches`.
#[allow(missing_docs)]
mod group {
    use super::bench;
    criterion::criterion_group!(benches, bench);
}
criterion_main!(group::benches);
