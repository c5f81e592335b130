//! Counts on a real PostgreSQL server (a throwaway cluster with password logins): the same
//! numbers as `eval-bulk` on the same rows, and each bad input a clear error with no partial
//! output and never the password.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use postgres_cluster::{Cluster, free_port};
use segments_credentials::Sensitive;
use segments_engine::{CompiledSet, Segment, parse_segment};
use segments_population::{Control, ReadOptions, ReadProgress, synthetic};
use segments_warehouse::{DeclaredSchema, WarehouseCounts, WarehouseError, WarehouseUrl, count};
use serde_json::json;

mod bad_input;
mod parity;
mod tls;

const PASSWORD: &str = "Corr3ct-horse-battery";
const WRONG: &str = "Wr0ng-staple-elephant";
const ROWS: u64 = 2000;
const SEED: u64 = 29;
const TIMEOUT: Duration = Duration::from_secs(30);

type Outcome = Result<WarehouseCounts, WarehouseError>;

static NEVER: AtomicBool = AtomicBool::new(false);
fn quiet(_: ReadProgress) {}

fn segments() -> Vec<Segment> {
    [
        json!({"key": "plan-eq", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        json!({"key": "country-not-in-ci", "rules": [{"attribute": "country", "operator": "not_in", "values": ["us", "de"], "case_insensitive": true}]}),
        json!({"key": "seats-gte", "rules": [{"attribute": "seats", "operator": "gte", "values": [250]}]}),
        json!({"key": "email-ends", "rules": [{"attribute": "email", "operator": "ends_with", "values": ["@acme.com"]}]}),
        json!({"key": "nested", "match_type": "any", "rules": [
            {"attribute": "plan", "operator": "eq", "values": ["enterprise"]},
            {"match_type": "none", "rules": [
                {"attribute": "country", "operator": "in", "values": ["US", "CA"]},
                {"attribute": "seats", "operator": "lt", "values": [10]}]}]}),
        json!({"key": "refers", "rules": [
            {"attribute": "segment", "operator": "in_segment", "values": ["nested", "plan-eq"]}]}),
        // Not counted: the table has no `region` column; `device` is a uuid column in
        // `typed`, a type counts cannot use.
        json!({"key": "by-region", "rules": [{"attribute": "region", "operator": "eq", "values": ["emea"]}]}),
        json!({"key": "by-device", "rules": [{"attribute": "device", "operator": "exists"}]}),
    ]
    .iter()
    .map(|d| parse_segment(d).unwrap())
    .collect()
}

/// What `eval-bulk` counts in the file.
fn bulk(path: &Path, segments: &[Segment]) -> Vec<u64> {
    let set = CompiledSet::compile(segments).unwrap();
    let ids: Vec<_> = segments.iter().map(|s| set.id(&s.key).unwrap()).collect();
    let control = Control {
        cancel: &NEVER,
        progress: &quiet,
    };
    let options = ReadOptions {
        threads: 2,
        skip_invalid: false,
    };
    segments_population::count(path, &set, &ids, false, &options, &control)
        .unwrap()
        .matched
}

/// The edge population's CSV, loaded as all-text columns into `users`.
fn load_users(cluster: &Cluster, dir: &Path) -> std::path::PathBuf {
    let csv = dir.join("edge.csv");
    synthetic::write(&csv, ROWS, SEED, true).unwrap();
    let header = std::fs::read_to_string(&csv).unwrap();
    let columns: Vec<String> = header
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(|c| format!("{c} text"))
        .collect();
    cluster.sql(&format!("CREATE TABLE users ({})", columns.join(", ")));
    cluster.sql(&format!(
        "\\copy users FROM '{}' WITH (FORMAT csv, HEADER true)",
        csv.display()
    ));
    csv
}

fn run(
    url: &str,
    password: Option<&str>,
    table: &str,
    schema: Option<&str>,
    keys: &[&str],
    timeout: Duration,
) -> Result<WarehouseCounts, WarehouseError> {
    run_on(&segments(), url, password, table, schema, keys, timeout)
}

/// Counts `keys` of `segments` (every one when empty) on the warehouse at `url`.
fn run_on(
    segments: &[Segment],
    url: &str,
    password: Option<&str>,
    table: &str,
    schema: Option<&str>,
    keys: &[&str],
    timeout: Duration,
) -> Result<WarehouseCounts, WarehouseError> {
    let url = WarehouseUrl::parse(url)?;
    let password = password.map(|p| Sensitive::new(p.to_owned()));
    let declared = schema.map(|s| DeclaredSchema::from_json_text(s).unwrap());
    let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(count(
        &url,
        password.as_ref(),
        table,
        declared.as_ref(),
        segments,
        &keys,
        timeout,
    ))
}
