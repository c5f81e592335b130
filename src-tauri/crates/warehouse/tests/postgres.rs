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
        &segments(),
        &keys,
        timeout,
    ))
}

#[test]
fn counts_equal_eval_bulk_and_say_what_ran() {
    let cluster = Cluster::start(PASSWORD);
    let dir = tempfile::tempdir().unwrap();
    let csv = load_users(&cluster, dir.path());
    let all = segments();
    let expected = bulk(&csv, &all[..6]);

    let counts = run(&cluster.url(), Some(PASSWORD), "users", None, &[], TIMEOUT).unwrap();
    assert_eq!(counts.rows, ROWS);
    let keys: Vec<&str> = counts.segments.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "plan-eq",
            "country-not-in-ci",
            "seats-gte",
            "email-ends",
            "nested",
            "refers"
        ]
    );
    for (counted, want) in counts.segments.iter().zip(&expected) {
        assert_eq!(counted.matched, *want, "{}: {}", counted.key, counted.query);
        assert!(
            counted
                .query
                .starts_with("SELECT count(*) FROM \"users\" WHERE ")
        );
    }
    assert!(expected.iter().any(|&n| n > 0) && expected.iter().any(|&n| n < ROWS));
    let refused: Vec<(&str, &str)> = counts
        .refused
        .iter()
        .map(|r| (r.key.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            ("by-region", "the table has no column \"region\""),
            ("by-device", "the table has no column \"device\"")
        ]
    );

    // Asked by key, in the order asked; a schema file narrows the columns to its own.
    let counts = run(
        &cluster.url(),
        Some(PASSWORD),
        "public.users",
        Some(r#"{"plan": "text", "country": "text", "seats": "text"}"#),
        &["refers", "plan-eq", "email-ends"],
        TIMEOUT,
    )
    .unwrap();
    let got: Vec<(&str, u64)> = counts
        .segments
        .iter()
        .map(|c| (c.key.as_str(), c.matched))
        .collect();
    assert_eq!(got, [("refers", expected[5]), ("plan-eq", expected[0])]);
    assert_eq!(counts.refused[0].key, "email-ends");
    assert!(counts.refused[0].reason.contains("not in the schema file"));

    // Typed columns are read from the server: an integer column compares as integers.
    cluster.sql(
        "CREATE TABLE typed AS SELECT user_id, CAST(seats AS bigint) AS seats, \
         md5(user_id)::uuid AS device FROM users WHERE seats ~ '^[0-9]{1,9}$'",
    );
    let typed = cluster.sql("SELECT count(*) FILTER (WHERE seats >= 250) FROM typed");
    let counts = run(
        &cluster.url(),
        Some(PASSWORD),
        "typed",
        None,
        &["seats-gte", "by-device"],
        TIMEOUT,
    )
    .unwrap();
    assert_eq!(counts.segments[0].matched.to_string(), typed);
    let query = &counts.segments[0].query;
    assert!(query.contains("\"seats\" >= 250"), "{query}");
    assert_eq!(counts.refused[0].key, "by-device");
    assert!(
        counts.refused[0]
            .reason
            .starts_with("column \"device\" is of type uuid: counts use text"),
        "{}",
        counts.refused[0].reason
    );
}

/// Each bad input fails the whole count with an error that says what to fix, and neither
/// password ever appears in it.
#[test]
fn bad_input_is_a_clear_error_with_no_partial_output_and_no_password() {
    let cluster = Cluster::start(PASSWORD);
    let dir = tempfile::tempdir().unwrap();
    load_users(&cluster, dir.path());
    cluster.sql(
        "CREATE TABLE accounts (id uuid, plan text, seats int4, score float4); \
         CREATE FUNCTION pause() RETURNS boolean VOLATILE LANGUAGE plpgsql \
         AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN true; END $$; \
         CREATE VIEW slow_users AS SELECT * FROM users WHERE pause()",
    );
    let url = cluster.url();
    let closed = format!("postgres://postgres@127.0.0.1:{}/postgres", free_port());
    let short = Duration::from_secs(2);
    let cases: [(&str, Outcome, &str, &[&str]); 10] = [
        (
            "missing column",
            run(
                &url,
                Some(PASSWORD),
                "accounts",
                Some(r#"{"plan": "text", "country": "text"}"#),
                &[],
                TIMEOUT,
            ),
            "warehouse_schema_mismatch",
            &["accounts", "\"country\"", "lacks"],
        ),
        (
            "wrong type",
            run(
                &url,
                Some(PASSWORD),
                "accounts",
                Some(r#"{"seats": "boolean"}"#),
                &[],
                TIMEOUT,
            ),
            "warehouse_schema_mismatch",
            &["\"seats\" is boolean", "int4 (integer)"],
        ),
        (
            "unusable type named",
            run(
                &url,
                Some(PASSWORD),
                "accounts",
                Some(r#"{"score": "double"}"#),
                &[],
                TIMEOUT,
            ),
            "warehouse_schema_mismatch",
            &["\"score\" is double", "float4"],
        ),
        (
            "unreachable",
            run(&closed, Some(PASSWORD), "users", None, &[], TIMEOUT),
            "warehouse_unreachable",
            &["cannot reach", "127.0.0.1:", "refused"],
        ),
        (
            "wrong password",
            run(&url, Some(WRONG), "users", None, &[], TIMEOUT),
            "warehouse_authentication",
            &[
                "password authentication failed",
                "segments warehouse password postgres://postgres@127.0.0.1:",
            ],
        ),
        (
            "no password",
            run(&url, None, "users", None, &[], TIMEOUT),
            "warehouse_authentication",
            &["none is stored"],
        ),
        (
            "statement timeout",
            run(&url, Some(PASSWORD), "slow_users", None, &[], short),
            "warehouse_timeout",
            &["the table's rows", "2 s statement timeout", "--timeout"],
        ),
        (
            "missing table",
            run(&url, Some(PASSWORD), "customers", None, &[], TIMEOUT),
            "warehouse_missing_table",
            &["no table customers", "--table"],
        ),
        (
            "missing database",
            run(
                &format!("{url}_archive"),
                Some(PASSWORD),
                "users",
                None,
                &[],
                TIMEOUT,
            ),
            "warehouse_missing_database",
            &["\"postgres_archive\""],
        ),
        (
            "TLS required, server without",
            run(
                &format!("{url}?sslmode=require"),
                Some(PASSWORD),
                "users",
                None,
                &[],
                TIMEOUT,
            ),
            "warehouse_tls",
            &["TLS", "sslmode"],
        ),
    ];
    for (case, outcome, code, says) in cases {
        let err = match outcome {
            Ok(counts) => panic!("{case}: counted {counts:?}"),
            Err(err) => err,
        };
        let shown = format!("{err} · {err:?}");
        assert_eq!(err.code(), code, "{case}: {shown}");
        for words in says {
            assert!(shown.contains(words), "{case}: {words:?} not in {shown}");
        }
        for secret in [PASSWORD, WRONG] {
            assert!(
                !shown.contains(secret),
                "{case}: the password is shown: {shown}"
            );
        }
    }
    // A password in the URL is refused before anything is sent, and not repeated.
    let with_password = url.replace("postgres@", &format!("postgres:{PASSWORD}@"));
    let err = run(&with_password, None, "users", None, &[], TIMEOUT).unwrap_err();
    assert_eq!(err.code(), "warehouse_bad_url");
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err}");
    // An unknown key is refused before connecting (the closed port is never tried).
    let err = run(&closed, Some(PASSWORD), "users", None, &["nope"], TIMEOUT).unwrap_err();
    assert_eq!(err.to_string(), "no segment has the key \"nope\"");
}
