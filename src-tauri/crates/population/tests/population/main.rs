//! Bulk counts, overlaps and impact against an independent slow path (the plain evaluator
//! on JSON contexts, row by row), for every operator and format; and bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod bad_input;
mod differential;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use segments_engine::{CompiledSet, Segment, parse_segment};
use segments_population::{Control, ReadOptions, ReadProgress};
use serde_json::{Value, json};

static NEVER: AtomicBool = AtomicBool::new(false);

fn quiet(_: ReadProgress) {}

/// Shared by the test modules.
pub fn control() -> Control<'static> {
    Control {
        cancel: &NEVER,
        progress: &quiet,
    }
}

/// Shared by the test modules.
pub fn options(threads: usize, skip_invalid: bool) -> ReadOptions {
    ReadOptions {
        threads,
        skip_invalid,
    }
}

/// Segments that use every operator, nested groups and references.
/// Shared by the test modules.
pub fn segments() -> Vec<Segment> {
    let rule = |attribute: &str, operator: &str, values: Value| json!({"attribute": attribute, "operator": operator, "values": values});
    let singles = [
        rule("plan", "eq", json!(["pro"])),
        rule("plan", "neq", json!(["free"])),
        rule("country", "in", json!(["US", "DE", "fr"])),
        rule("country", "not_in", json!(["US"])),
        rule("email", "contains", json!(["@acme"])),
        rule("email", "not_contains", json!(["example"])),
        rule("email", "starts_with", json!(["user1"])),
        rule("email", "ends_with", json!([".test"])),
        rule("seats", "gt", json!([100])),
        rule("seats", "gte", json!(["250"])),
        rule("seats", "lt", json!([10.5])),
        rule("seats", "lte", json!([1])),
        rule("seats", "eq", json!([42])),
        rule("email", "matches", json!(["^user[0-9]{2}@"])),
        rule("seats", "exists", json!([])),
        rule("seats", "not_exists", json!([])),
        rule("app_version", "semver_eq", json!(["2.4.0"])),
        rule("app_version", "semver_neq", json!(["2.4.0"])),
        rule("app_version", "semver_gt", json!(["2.4.0"])),
        rule("app_version", "semver_gte", json!(["2.5.0-beta.1"])),
        rule("app_version", "semver_lt", json!(["2.4.1"])),
        rule("app_version", "semver_lte", json!(["2"])),
        rule("signed_up_at", "before", json!(["2022-01-01"])),
        rule("signed_up_at", "after", json!(["2024-06-01T12:00:00Z"])),
        rule("beta", "eq", json!([true])),
        rule("tags", "in", json!(["vip", "beta"])),
        rule("address.country", "eq", json!(["DE"])),
        json!({"attribute": "plan", "operator": "eq", "values": ["PRO", "Team"], "case_insensitive": true}),
    ];
    let mut out: Vec<Segment> = singles
        .iter()
        .enumerate()
        .map(|(i, r)| parse_segment(&json!({"key": format!("op-{i}"), "rules": [r]})).unwrap())
        .collect();
    out.push(
        parse_segment(&json!({"key": "nested", "match_type": "any", "rules": [
            {"match_type": "all", "rules": [
                {"attribute": "plan", "operator": "in", "values": ["team", "enterprise"]},
                {"attribute": "seats", "operator": "gte", "values": [50]}]},
            {"match_type": "none", "rules": [
                {"attribute": "country", "operator": "exists", "values": []}]}]}))
        .unwrap(),
    );
    out.push(
        parse_segment(&json!({"key": "referencing", "rules": [
            {"attribute": "segment", "operator": "in_segment", "values": ["nested"]},
            {"attribute": "segment", "operator": "not_in_segment", "values": ["op-0"]}]}))
        .unwrap(),
    );
    out
}

/// Shared by the test modules.
pub fn compiled() -> CompiledSet {
    CompiledSet::compile(&segments()).unwrap()
}

/// Shared by the test modules.
pub fn write(dir: &Path, name: &str, text: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}
