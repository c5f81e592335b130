//! Runs `engines.py` (DuckDB and Spark SQL from their PyPI packages) in the Python that
//! `cargo xtask test` prepares, and reads its counts back.

use std::io::Write;
use std::process::{Command, Stdio};

use segments_engine::parse_segment;
use segments_sql::{ColumnType, Dialect, Schema, compile};
use serde_json::{Value, json};

use crate::cases::{self, Format, Table};

/// Where `cargo xtask test` says the Python with duckdb and pyspark is.
const PYTHON_VAR: &str = "SEGMENTS_WAREHOUSE_PYTHON";

fn python() -> String {
    std::env::var(PYTHON_VAR).unwrap_or_else(|_| {
        panic!(
            "{PYTHON_VAR} is not set, so DuckDB and Spark cannot run. `cargo xtask test` sets it \
             up; by hand: python3 -m venv target/warehouse-python && \
             target/warehouse-python/bin/pip install -r \
             src-tauri/crates/sql/tests/warehouse/requirements.txt, then \
             {PYTHON_VAR}=$PWD/target/warehouse-python/bin/python cargo test -p segments-sql \
             --test warehouse (Spark needs Java 17)"
        )
    })
}

/// A table for `engines.py`: its file and columns by type name.
fn table_job(table: &Table) -> Value {
    let columns: Vec<Value> = table
        .columns
        .iter()
        .map(|(c, k)| json!([c, k.name()]))
        .collect();
    json!({
        "name": table.name,
        "file": table.file.to_str().unwrap(),
        "format": match table.format { Format::Csv => "csv", Format::Ndjson => "ndjson" },
        "columns": columns,
    })
}

/// Every table of [`cases::edge`] loaded into `engine`, every segment's count equal to
/// `eval-bulk`'s; and a numeric string beyond the compared range stops the query rather
/// than miscount. All in one run of `engines.py`, since Spark's JVM is slow to start.
pub fn counts_equal_eval_bulk(engine: &str, dialect: Dialect, refused: &[(&str, &str)]) {
    let edge = cases::edge();
    let mut tables: Vec<Value> = edge.tables.iter().map(table_job).collect();
    let compiled: Vec<_> = edge
        .tables
        .iter()
        .map(|t| cases::compiled(t, dialect, refused))
        .collect();
    let mut queries: Vec<&str> = compiled
        .iter()
        .flatten()
        .map(|(sql, _)| sql.count.as_str())
        .collect();

    // Seats "12", "1e999" (beyond the range the SQL compares exactly) and a missing one;
    // then the same without "1e999".
    let dir = tempfile::tempdir().unwrap();
    let segment = parse_segment(&json!({"key": "big", "rules": [
        {"attribute": "seats", "operator": "gt", "values": [5]}]}))
    .unwrap();
    let mut overflow = Vec::new();
    for (name, body) in [
        ("too_long", "seats\n12\n1e999\n\n"),
        ("in_range", "seats\n12\n\n"),
    ] {
        let file = dir.path().join(format!("{name}.csv"));
        std::fs::write(&file, body).unwrap();
        tables.push(table_job(&Table {
            name,
            file,
            format: Format::Csv,
            columns: vec![("seats".to_owned(), ColumnType::Text)],
            schema: Schema::all_text(),
            segments: Vec::new(),
            expected: Vec::new(),
        }));
        let out = compile(
            std::slice::from_ref(&segment),
            &[],
            dialect,
            name,
            &Schema::all_text(),
        )
        .unwrap();
        overflow.push(out.segments[0].count.clone());
    }
    queries.extend(overflow.iter().map(String::as_str));

    let mut counts = run(engine, &tables, &queries).into_iter();
    for (table, queries) in edge.tables.iter().zip(&compiled) {
        let got: Vec<_> = counts.by_ref().take(queries.len()).collect();
        cases::assert_counts(engine, table, queries, &got);
    }
    let too_long = counts.next().unwrap();
    let error = too_long.expect_err("a count over \"1e999\" must stop the query");
    assert!(
        error.contains("1e999: a numeric string longer than 40 characters"),
        "{engine}: {error}\n{}",
        overflow[0]
    );
    assert_eq!(counts.next().unwrap(), Ok(1), "{engine}: {}", overflow[1]);
}

/// Loads `tables` into `engine` and runs `queries` in one process; each query's count or
/// the engine's error.
pub fn run(engine: &str, tables: &[Value], queries: &[&str]) -> Vec<Result<u64, String>> {
    let job = json!({"engine": engine, "tables": tables, "queries": queries});
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/warehouse/engines.py");
    let python = python();
    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {python} ({PYTHON_VAR}): {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(job.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The last line is the answer; Spark may print before it.
    let answer: Value = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("{engine}: no JSON answer\nstdout: {stdout}\nstderr: {stderr}"));
    if let Some(error) = answer.get("error") {
        panic!("{engine}: {error}\nstderr: {stderr}");
    }
    let counts = answer["counts"].as_array().unwrap();
    assert_eq!(counts.len(), queries.len());
    counts
        .iter()
        .map(|c| match c.get("count") {
            Some(n) => Ok(n.as_u64().unwrap()),
            None => Err(c["error"].as_str().unwrap_or_default().to_owned()),
        })
        .collect()
}
