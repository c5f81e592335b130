//! What every engine is checked on, engine-neutral: the segments, the edge population as
//! files (an all-text CSV and typed NDJSON), the tables to load from them, and `eval-bulk`'s
//! counts, which every engine's count must equal.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use segments_engine::{CompiledSet, Segment, parse_segment};
use segments_population::{Control, ReadOptions, ReadProgress, count, synthetic};
use segments_sql::{ColumnType, CompiledSql, Dialect, Schema, compile};
use serde_json::{Map, Value, json};

pub const ROWS: u64 = 2000;
pub const SEED: u64 = 11;

/// Every operator the compiler expresses, nested groups, case-insensitivity, arrays and a
/// reference; the values hit the edge population's numeric strings, `.5` seats, lowercase
/// countries and missing attributes. Append new cases at the end.
pub fn segments() -> Vec<Segment> {
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
        json!({"key": "version-gte", "rules": [{"attribute": "app_version", "operator": "semver_gte", "values": ["2.4"]}]}),
        json!({"key": "version-lt-release", "rules": [{"attribute": "app_version", "operator": "semver_lt", "values": ["2.5.0"]}]}),
        json!({"key": "version-eq-pre", "rules": [{"attribute": "app_version", "operator": "semver_eq", "values": ["2.5.0-rc.1", "v2"]}]}),
        json!({"key": "version-neq", "rules": [{"attribute": "app_version", "operator": "semver_neq", "values": ["2.4.0"]}]}),
        json!({"key": "signed-up-before", "rules": [{"attribute": "signed_up_at", "operator": "before", "values": ["2021-01-01"]}]}),
        json!({"key": "signed-up-after", "rules": [{"attribute": "signed_up_at", "operator": "after", "values": ["2023-06-01T12:00:00+02:00"]}]}),
        json!({"key": "email-matches", "rules": [{"attribute": "email", "operator": "matches", "values": ["^user1[0-9]*@acme\\.com$"]}]}),
        json!({"key": "email-matches-ci", "rules": [{"attribute": "email", "operator": "matches", "values": ["@(ACME|MAIL)\\."], "case_insensitive": true}]}),
        json!({"key": "tags-matches", "rules": [{"attribute": "tags", "operator": "matches", "values": ["^(vip|early)$"]}]}),
        json!({"key": "mobile-beta", "match_type": "all", "rules": [
            {"attribute": "app_version", "operator": "semver_gte", "values": ["2.5.0-beta.1"]},
            {"match_type": "none", "rules": [
                {"attribute": "signed_up_at", "operator": "before", "values": ["2020-06-01"]},
                {"attribute": "email", "operator": "matches", "values": ["\\.test$"]}]},
            {"attribute": "segment", "operator": "not_in_segment", "values": ["version-eq-pre"]}]}),
    ];
    docs.iter().map(|d| parse_segment(d).unwrap()).collect()
}

/// The columns of the all-text table, in the CSV's order.
pub const TEXT_COLUMNS: [&str; 10] = [
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

/// The typed table: seats a double (numeric strings read as numbers), beta a boolean, tags
/// a text array; the address is left out. A new column type is added here, in
/// [`typed_value`], and in each engine's loader.
pub const TYPED_COLUMNS: [(&str, ColumnType); 9] = [
    ("user_id", ColumnType::Text),
    ("email", ColumnType::Text),
    ("plan", ColumnType::Text),
    ("country", ColumnType::Text),
    ("seats", ColumnType::Double),
    ("app_version", ColumnType::Text),
    ("signed_up_at", ColumnType::Text),
    ("beta", ColumnType::Boolean),
    ("tags", ColumnType::TextArray),
];

/// The integer table: seats as an integer, the users with `.5` seats left out.
pub const INTEGER_COLUMNS: [(&str, ColumnType); 2] = [
    ("user_id", ColumnType::Text),
    ("seats", ColumnType::Integer),
];

/// `value` as a JSON value of a `kind` column, or `None` when the column cannot hold it
/// (the row is then left out of that table).
fn typed_value(kind: ColumnType, value: &Value) -> Option<Value> {
    let number = || match value {
        Value::String(s) => s.parse::<f64>().ok(),
        other => other.as_f64(),
    };
    match kind {
        ColumnType::Double => number().map(|f| json!(f)),
        #[allow(clippy::cast_possible_truncation)]
        ColumnType::Integer => number()
            .filter(|f| f.fract() == 0.0)
            .map(|f| json!(f as i64)),
        ColumnType::Boolean => value.is_boolean().then(|| value.clone()),
        ColumnType::TextArray => value.is_array().then(|| value.clone()),
        ColumnType::Text | ColumnType::Timestamp => value.is_string().then(|| value.clone()),
        ColumnType::Json => Some(value.clone()),
    }
}

/// The user's row for a table of `columns`, or `None` when a value does not fit.
fn typed_row(user: &Value, columns: &[(&str, ColumnType)]) -> Option<Value> {
    let mut row = Map::new();
    for &(name, kind) in columns {
        match user.get(name) {
            None | Some(Value::Null) => {}
            Some(v) => {
                row.insert(name.to_owned(), typed_value(kind, v)?);
            }
        }
    }
    Some(Value::Object(row))
}

/// How a table's file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A header line, empty cells for missing values.
    Csv,
    /// One JSON object a line; missing values are absent keys.
    Ndjson,
}

/// One table to load into an engine, with the segments to count on it and `eval-bulk`'s
/// counts on the same file.
pub struct Table {
    pub name: &'static str,
    pub file: PathBuf,
    pub format: Format,
    pub columns: Vec<(String, ColumnType)>,
    pub schema: Schema,
    pub segments: Vec<Segment>,
    pub expected: Vec<u64>,
}

/// The edge population's files, in a temporary folder kept while this lives.
pub struct Edge {
    _dir: tempfile::TempDir,
    pub tables: Vec<Table>,
}

/// Writes the edge population as an all-text CSV, a typed NDJSON and an integer NDJSON,
/// and counts every segment on each with `eval-bulk`.
pub fn edge() -> Edge {
    let dir = tempfile::tempdir().unwrap();
    let segments = segments();

    let csv = dir.path().join("edge.csv");
    synthetic::write(&csv, ROWS, SEED, true).unwrap();
    let text = Table {
        name: "users_text",
        expected: bulk(&csv, &segments),
        file: csv,
        format: Format::Csv,
        columns: TEXT_COLUMNS
            .iter()
            .map(|c| ((*c).to_owned(), ColumnType::Text))
            .collect(),
        schema: Schema::all_text(),
        segments: segments.clone(),
    };

    let mut rng = fastrand::Rng::with_seed(SEED);
    let users: Vec<Value> = (0..ROWS)
        .map(|i| synthetic::user(&mut rng, i, true))
        .collect();
    let typed = ndjson_table(dir.path(), "users_typed", &users, &TYPED_COLUMNS, &segments);
    let seat_segments: Vec<Segment> = segments
        .iter()
        .filter(|s| s.key.starts_with("seats-"))
        .cloned()
        .collect();
    let int = ndjson_table(
        dir.path(),
        "users_int",
        &users,
        &INTEGER_COLUMNS,
        &seat_segments,
    );
    let mut tables = vec![text, typed, int];
    tables.extend(crate::values::tables(dir.path()));
    Edge { _dir: dir, tables }
}

fn ndjson_table(
    dir: &Path,
    name: &'static str,
    users: &[Value],
    columns: &[(&str, ColumnType)],
    segments: &[Segment],
) -> Table {
    let lines: Vec<String> = users
        .iter()
        .filter_map(|u| typed_row(u, columns))
        .map(|row| row.to_string())
        .collect();
    let file = dir.join(format!("{name}.ndjson"));
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    Table {
        name,
        expected: bulk(&file, segments),
        file,
        format: Format::Ndjson,
        columns: columns.iter().map(|&(c, t)| (c.to_owned(), t)).collect(),
        schema: Schema::from_columns(columns.iter().map(|&(c, t)| (c.to_owned(), t))),
        segments: segments.to_vec(),
    }
}

static NEVER: AtomicBool = AtomicBool::new(false);
fn quiet(_: ReadProgress) {}

/// `eval-bulk`'s counts over the file, in the order of `segments`.
pub fn bulk(path: &Path, segments: &[Segment]) -> Vec<u64> {
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
    count(path, &set, &ids, false, &options, &control)
        .unwrap()
        .matched
}

/// The table's segments compiled for `dialect`, with their expected counts. The segments
/// the dialect refuses must be exactly `refused` (table, key), so a new refusal fails.
pub fn compiled(
    table: &Table,
    dialect: Dialect,
    refused: &[(&str, &str)],
) -> Vec<(CompiledSql, u64)> {
    let out = compile(&table.segments, &[], dialect, table.name, &table.schema).unwrap();
    let mut got: Vec<&str> = out.refused.iter().map(|r| r.key.as_str()).collect();
    let mut want: Vec<&str> = refused
        .iter()
        .filter(|(t, _)| *t == table.name)
        .map(|(_, k)| *k)
        .collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(
        got,
        want,
        "{} · {}: refused segments differ from the expected; reasons: {:?}",
        dialect.name(),
        table.name,
        out.refused
    );
    let expected = table
        .segments
        .iter()
        .zip(&table.expected)
        .filter(|(s, _)| !got.contains(&s.key.as_str()));
    out.segments
        .into_iter()
        .zip(expected)
        .map(|(sql, (segment, &n))| {
            assert_eq!(sql.key, segment.key);
            (sql, n)
        })
        .collect()
}

/// Fails listing every segment whose count differs from `eval-bulk`'s or whose query the
/// engine refused, with its SQL; `counts` are the engine's, in the order of `queries`.
pub fn assert_counts(
    engine: &str,
    table: &Table,
    queries: &[(CompiledSql, u64)],
    counts: &[Result<u64, String>],
) {
    assert_eq!(queries.len(), counts.len());
    if queries.is_empty() {
        // Every segment of the table is refused by this dialect, as `compiled` checked.
        return;
    }
    let failures: Vec<String> = queries
        .iter()
        .zip(counts)
        .filter_map(|((sql, want), got)| match got {
            Ok(n) if n == want => None,
            Ok(n) => Some(format!(
                "{engine} · {} · {}: {n}, eval-bulk {want}\n  {}",
                table.name, sql.key, sql.count
            )),
            Err(e) => Some(format!(
                "{engine} · {} · {}: error {e}\n  {}",
                table.name, sql.key, sql.count
            )),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A case that matches nobody or everybody proves little.
    let wants: Vec<u64> = queries.iter().map(|(_, n)| *n).collect();
    assert!(
        wants.iter().any(|&n| n > 0) && wants.iter().any(|&n| n < ROWS),
        "{}: {wants:?}",
        table.name
    );
}
