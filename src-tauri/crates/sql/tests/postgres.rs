//! The compiled SQL, run on a real PostgreSQL server, counts exactly what `eval-bulk`
//! counts on the same rows: the edge population loaded as all-text columns (a CSV load)
//! and as typed columns.
//!
//! The server is Debian's, in a throwaway cluster on a free port, started here and stopped
//! when the test ends. PostgreSQL refuses to run as root, so as root its programs run as
//! the `postgres` user.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::AtomicBool;

use segments_engine::{CompiledSet, Segment, parse_segment};
use segments_population::{Control, ReadOptions, ReadProgress, count, synthetic};
use segments_sql::{ColumnType, Dialect, Schema, compile};
use serde_json::{Map, Value, json};

const ROWS: u64 = 2000;
const SEED: u64 = 11;

static NEVER: AtomicBool = AtomicBool::new(false);
fn quiet(_: ReadProgress) {}

fn bin_dir() -> PathBuf {
    let versions = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed: `.ci/run` installs Debian's `postgresql` package");
    let mut dirs: Vec<PathBuf> = versions.flatten().map(|e| e.path().join("bin")).collect();
    dirs.sort();
    dirs.pop()
        .expect("no PostgreSQL version under /usr/lib/postgresql")
}

fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn run(program: &Path, args: &[&str]) -> Output {
    let mut command = if as_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    let output = command
        .args(args)
        .output()
        .expect("start a PostgreSQL program");
    assert!(
        output.status.success(),
        "{} {args:?} failed: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A throwaway cluster; stopped on drop.
struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    fn start() -> Cluster {
        let bin = bin_dir();
        let dir = tempfile::tempdir().unwrap();
        if as_root() {
            let ok = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(ok.success());
        }
        let data = dir.path().join("data");
        let data = data.to_str().unwrap();
        run(
            &bin.join("initdb"),
            &[
                "-D",
                data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off",
            dir.path().display()
        );
        let log = dir.path().join("log");
        run(
            &bin.join("pg_ctl"),
            &[
                "-D",
                data,
                "-l",
                log.to_str().unwrap(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        Cluster { dir, bin, port }
    }

    /// Runs `sql` through psql; returns stdout, or stderr on failure.
    fn psql(&self, sql: &str) -> Result<String, String> {
        let output = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
            ])
            .args([
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                "postgres",
            ])
            .args(["-c", sql])
            .output()
            .unwrap();
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        run(
            &self.bin.join("pg_ctl"),
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}

/// Every operator the compiler expresses, nested groups, case-insensitivity, arrays and a
/// reference; the values hit the edge population's numeric strings, `.5` seats, lowercase
/// countries and missing attributes.
fn segments() -> Vec<Segment> {
    let docs = [
        json!({"key": "plan-eq", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        json!({"key": "plan-neq", "rules": [{"attribute": "plan", "operator": "neq", "values": ["free"]}]}),
        json!({"key": "country-in", "rules": [{"attribute": "country", "operator": "in", "values": ["US", "DE", "fr"]}]}),
        json!({"key": "country-not-in-ci", "rules": [{"attribute": "country", "operator": "not_in", "values": ["us", "de"], "case_insensitive": true}]}),
        json!({"key": "country-eq-ci", "rules": [{"attribute": "country", "operator": "eq", "values": ["GB"], "case_insensitive": true}]}),
        json!({"key": "seats-eq-number", "rules": [{"attribute": "seats", "operator": "eq", "values": [1, 7.5, 120]}]}),
        json!({"key": "seats-eq-string", "rules": [{"attribute": "seats", "operator": "in", "values": ["1", "12.5", "7.0"]}]}),
        json!({"key": "seats-gte", "rules": [{"attribute": "seats", "operator": "gte", "values": [250]}]}),
        json!({"key": "seats-gt-fraction", "rules": [{"attribute": "seats", "operator": "gt", "values": [99.5]}]}),
        json!({"key": "seats-lt", "rules": [{"attribute": "seats", "operator": "lt", "values": ["10"]}]}),
        json!({"key": "seats-lte", "rules": [{"attribute": "seats", "operator": "lte", "values": [3]}]}),
        json!({"key": "email-ends", "rules": [{"attribute": "email", "operator": "ends_with", "values": ["@acme.com"]}]}),
        json!({"key": "email-ends-ci", "rules": [{"attribute": "email", "operator": "ends_with", "values": ["@ACME.COM"], "case_insensitive": true}]}),
        json!({"key": "email-starts", "rules": [{"attribute": "email", "operator": "starts_with", "values": ["user1", "user2_"]}]}),
        json!({"key": "email-contains-like-chars", "rules": [{"attribute": "email", "operator": "contains", "values": ["1%", "_", "9@"]}]}),
        json!({"key": "email-not-contains", "rules": [{"attribute": "email", "operator": "not_contains", "values": ["example"]}]}),
        json!({"key": "seats-exists", "rules": [{"attribute": "seats", "operator": "exists"}]}),
        json!({"key": "country-not-exists", "rules": [{"attribute": "country", "operator": "not_exists"}]}),
        json!({"key": "beta-eq", "rules": [{"attribute": "beta", "operator": "eq", "values": [true]}]}),
        json!({"key": "beta-neq-string", "rules": [{"attribute": "beta", "operator": "neq", "values": ["false"]}]}),
        json!({"key": "beta-contains", "rules": [{"attribute": "beta", "operator": "contains", "values": ["ru"]}]}),
        json!({"key": "tags-eq", "rules": [{"attribute": "tags", "operator": "eq", "values": ["vip"]}]}),
        json!({"key": "tags-neq", "rules": [{"attribute": "tags", "operator": "neq", "values": ["beta"]}]}),
        json!({"key": "tags-contains-ci", "rules": [{"attribute": "tags", "operator": "contains", "values": ["RISK"], "case_insensitive": true}]}),
        json!({"key": "tags-exists", "rules": [{"attribute": "tags", "operator": "exists"}]}),
        json!({"key": "nested", "match_type": "any", "rules": [
            {"attribute": "plan", "operator": "eq", "values": ["enterprise"]},
            {"match_type": "all", "rules": [
                {"attribute": "seats", "operator": "gte", "values": [100]},
                {"match_type": "none", "rules": [
                    {"attribute": "country", "operator": "in", "values": ["US", "CA"]},
                    {"attribute": "email", "operator": "ends_with", "values": [".test"]}]}]}]}),
        json!({"key": "refers", "rules": [
            {"attribute": "segment", "operator": "in_segment", "values": ["nested", "plan-eq"]},
            {"attribute": "segment", "operator": "not_in_segment", "values": ["seats-gte"]}]}),
    ];
    docs.iter().map(|d| parse_segment(d).unwrap()).collect()
}

fn options() -> ReadOptions {
    ReadOptions {
        threads: 2,
        skip_invalid: false,
    }
}

/// `eval-bulk`'s counts over the file, in the order of `segments`.
fn bulk(path: &Path, segments: &[Segment]) -> Vec<u64> {
    let set = CompiledSet::compile(segments).unwrap();
    let ids: Vec<_> = segments.iter().map(|s| set.id(&s.key).unwrap()).collect();
    let control = Control {
        cancel: &NEVER,
        progress: &quiet,
    };
    count(path, &set, &ids, false, &options(), &control)
        .unwrap()
        .matched
}

fn check(cluster: &Cluster, table: &str, schema: &Schema, expected: &[u64], segments: &[Segment]) {
    let out = compile(segments, &[], Dialect::Postgres, table, schema).unwrap();
    assert!(out.refused.is_empty(), "refused: {:?}", out.refused);
    for (compiled, want) in out.segments.iter().zip(expected) {
        let got: u64 = cluster
            .psql(&compiled.count)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", compiled.key, compiled.count))
            .parse()
            .unwrap();
        assert_eq!(got, *want, "{table} · {}: {}", compiled.key, compiled.count);
    }
    assert!(expected.iter().any(|&n| n > 0) && expected.iter().any(|&n| n < ROWS));
}

const COLUMNS: [&str; 10] = [
    "user_id",
    "email",
    "plan",
    "country",
    "seats",
    "app_version",
    "signed_up_at",
    "beta",
    "tags",
    "address",
];

/// The edge users with typed values: seats a double (numeric strings read as numbers),
/// beta a boolean, tags a text array; the address is left out of the typed table.
fn typed(user: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in user.as_object().unwrap() {
        let value = match (k.as_str(), v) {
            ("address", _) | (_, Value::Null) => continue,
            ("seats", Value::String(s)) => json!(s.parse::<f64>().unwrap()),
            ("seats", Value::Number(n)) => json!(n.as_f64().unwrap()),
            _ => v.clone(),
        };
        out.insert(k.clone(), value);
    }
    Value::Object(out)
}

#[test]
fn postgres_counts_equal_eval_bulk_on_text_and_typed_columns() {
    let cluster = Cluster::start();
    let dir = tempfile::tempdir().unwrap();
    let segments = segments();

    // All text: the edge population as a CSV file, loaded with COPY.
    let csv = dir.path().join("edge.csv");
    synthetic::write(&csv, ROWS, SEED, true).unwrap();
    let columns: Vec<String> = COLUMNS.iter().map(|c| format!("{c} text")).collect();
    cluster
        .psql(&format!("CREATE TABLE users_text ({})", columns.join(", ")))
        .unwrap();
    let copy = format!(
        "\\copy users_text FROM '{}' WITH (FORMAT csv, HEADER true)",
        csv.display()
    );
    cluster.psql(&copy).unwrap();
    check(
        &cluster,
        "users_text",
        &Schema::all_text(),
        &bulk(&csv, &segments),
        &segments,
    );

    // Typed: the same users with typed values, as NDJSON for eval-bulk and as rows.
    let mut rng = fastrand::Rng::with_seed(SEED);
    let users: Vec<Value> = (0..ROWS)
        .map(|i| typed(&synthetic::user(&mut rng, i, true)))
        .collect();
    let ndjson = dir.path().join("typed.ndjson");
    let lines: Vec<String> = users.iter().map(Value::to_string).collect();
    std::fs::write(&ndjson, lines.join("\n") + "\n").unwrap();
    cluster.psql("CREATE TABLE raw (doc jsonb)").unwrap();
    let copy = format!(
        "\\copy raw FROM '{}' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')",
        ndjson.display()
    );
    cluster.psql(&copy).unwrap();
    cluster
        .psql(
            "CREATE TABLE users_typed AS SELECT doc->>'user_id' AS user_id, doc->>'email' AS email, \
             doc->>'plan' AS plan, doc->>'country' AS country, (doc->>'seats')::float8 AS seats, \
             doc->>'app_version' AS app_version, doc->>'signed_up_at' AS signed_up_at, \
             (doc->>'beta')::boolean AS beta, CASE WHEN doc ? 'tags' THEN ARRAY(SELECT \
             jsonb_array_elements_text(doc->'tags')) END AS tags FROM raw",
        )
        .unwrap();
    let schema = Schema::from_columns(
        [
            ("user_id", ColumnType::Text),
            ("email", ColumnType::Text),
            ("plan", ColumnType::Text),
            ("country", ColumnType::Text),
            ("seats", ColumnType::Double),
            ("app_version", ColumnType::Text),
            ("signed_up_at", ColumnType::Text),
            ("beta", ColumnType::Boolean),
            ("tags", ColumnType::TextArray),
        ]
        .map(|(k, t)| (k.to_owned(), t)),
    );
    check(
        &cluster,
        "users_typed",
        &schema,
        &bulk(&ndjson, &segments),
        &segments,
    );

    // Integer column: seats without the `.5` rows.
    cluster
        .psql("CREATE TABLE users_int AS SELECT user_id, CAST(seats AS bigint) AS seats FROM users_typed WHERE seats = trunc(seats)")
        .unwrap();
    let ints: Vec<String> = users
        .iter()
        .filter_map(|u| {
            let mut row = Map::new();
            row.insert("user_id".into(), u["user_id"].clone());
            let seats = u.get("seats").and_then(Value::as_f64);
            match seats {
                Some(s) if s.fract() != 0.0 => return None,
                #[allow(clippy::cast_possible_truncation)]
                Some(s) => row.insert("seats".into(), json!(s as i64)),
                None => None,
            };
            Some(Value::Object(row).to_string())
        })
        .collect();
    let int_file = dir.path().join("int.ndjson");
    std::fs::write(&int_file, ints.join("\n") + "\n").unwrap();
    let seat_segments: Vec<Segment> = segments
        .iter()
        .filter(|s| s.key.starts_with("seats-"))
        .cloned()
        .collect();
    let int_schema = Schema::from_columns([
        ("user_id".to_owned(), ColumnType::Text),
        ("seats".to_owned(), ColumnType::Integer),
    ]);
    check(
        &cluster,
        "users_int",
        &int_schema,
        &bulk(&int_file, &seat_segments),
        &seat_segments,
    );
}

#[test]
fn a_numeric_string_beyond_the_compared_range_stops_the_query_instead_of_miscounting() {
    let cluster = Cluster::start();
    cluster
        .psql("CREATE TABLE t (seats text); INSERT INTO t VALUES ('12'), ('1e999'), (NULL)")
        .unwrap();
    let segment = parse_segment(&json!({"key": "big", "rules": [
        {"attribute": "seats", "operator": "gt", "values": [5]}]}))
    .unwrap();
    let out = compile(&[segment], &[], Dialect::Postgres, "t", &Schema::all_text()).unwrap();
    let error = cluster.psql(&out.segments[0].count).unwrap_err();
    assert!(
        error.contains("1e999: a numeric string longer than 40 characters"),
        "{error}"
    );
    cluster.psql("DELETE FROM t WHERE seats = '1e999'").unwrap();
    assert_eq!(cluster.psql(&out.segments[0].count).unwrap(), "1");
}
