//! The compiled SQL, run on a real PostgreSQL server, counts exactly what `eval-bulk`
//! counts on the same rows (the tables of [`cases::edge`]).
//!
//! The server is Debian's, in a throwaway cluster on a free port, started here and stopped
//! when the test ends. PostgreSQL refuses to run as root, so as root its programs run as
//! the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use segments_engine::parse_segment;
use segments_sql::{ColumnType, Dialect, Schema, compile};
use serde_json::json;

use crate::cases::{self, Format, Table};

/// Segments the PostgreSQL dialect refuses, as (table, key): none.
const REFUSED: &[(&str, &str)] = &[];

pub fn bin_dir() -> PathBuf {
    let versions = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is not installed: `.ci/run` installs Debian's `postgresql` package");
    let mut dirs: Vec<PathBuf> = versions.flatten().map(|e| e.path().join("bin")).collect();
    dirs.sort();
    dirs.pop()
        .expect("no PostgreSQL version under /usr/lib/postgresql")
}

pub fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

pub fn run(program: &Path, args: &[&str]) -> Output {
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
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    pub fn start() -> Cluster {
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
    pub fn psql(&self, sql: &str) -> Result<String, String> {
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

/// The SQL type and the expression reading a `kind` column out of the `doc` JSONB of an
/// NDJSON line.
fn column(name: &str, kind: ColumnType) -> String {
    let text = format!("doc->>'{name}'");
    let expr = match kind {
        ColumnType::Text => text,
        ColumnType::Integer => format!("({text})::bigint"),
        ColumnType::Double => format!("({text})::float8"),
        ColumnType::Boolean => format!("({text})::boolean"),
        ColumnType::Timestamp => format!("({text})::timestamptz"),
        ColumnType::TextArray => format!(
            "CASE WHEN jsonb_typeof(doc->'{name}') = 'array' THEN \
             ARRAY(SELECT jsonb_array_elements_text(doc->'{name}')) END"
        ),
        ColumnType::Json => format!("doc->'{name}'"),
    };
    format!("{expr} AS {name}")
}

/// Loads `table`: a CSV with COPY into text columns, an NDJSON line by line into JSONB
/// and from there into typed columns.
fn load(cluster: &Cluster, table: &Table) {
    match table.format {
        Format::Csv => {
            let columns: Vec<String> = table
                .columns
                .iter()
                .map(|(c, kind)| {
                    assert_eq!(*kind, ColumnType::Text, "a CSV loads as text");
                    format!("{c} text")
                })
                .collect();
            cluster
                .psql(&format!(
                    "CREATE TABLE {} ({})",
                    table.name,
                    columns.join(", ")
                ))
                .unwrap();
            let copy = format!(
                "\\copy {} FROM '{}' WITH (FORMAT csv, HEADER true)",
                table.name,
                table.file.display()
            );
            cluster.psql(&copy).unwrap();
        }
        Format::Ndjson => {
            let raw = format!("{}_raw", table.name);
            cluster
                .psql(&format!("CREATE TABLE {raw} (doc jsonb)"))
                .unwrap();
            let copy = format!(
                "\\copy {raw} FROM '{}' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')",
                table.file.display()
            );
            cluster.psql(&copy).unwrap();
            let columns: Vec<String> = table.columns.iter().map(|(c, k)| column(c, *k)).collect();
            cluster
                .psql(&format!(
                    "CREATE TABLE {} AS SELECT {} FROM {raw}",
                    table.name,
                    columns.join(", ")
                ))
                .unwrap();
        }
    }
}

#[test]
fn postgres_counts_equal_eval_bulk_on_text_typed_and_integer_columns() {
    let cluster = Cluster::start();
    let edge = cases::edge();
    for table in &edge.tables {
        load(&cluster, table);
        let queries = cases::compiled(table, Dialect::Postgres, REFUSED);
        let counts: Vec<Result<u64, String>> = queries
            .iter()
            .map(|(sql, _)| cluster.psql(&sql.count).map(|out| out.parse().unwrap()))
            .collect();
        cases::assert_counts("postgres", table, &queries, &counts);
    }
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
