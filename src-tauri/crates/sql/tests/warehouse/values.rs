//! Odd values, one per row, where warehouses' own parsing and the engine's part ways:
//! versions (padding, `v`, pre-release order, build metadata, leading zeros, numbers past
//! `u64`), instants (separators, offsets, leap seconds, nine and more fraction digits,
//! impossible dates, signed years) and texts for regexes (newlines, case folding beyond
//! ASCII, the Kelvin sign, `$` before a final newline). Each engine's count must equal the
//! engine's on the same rows, like the edge population's.

use std::path::Path;

use segments_engine::{Segment, parse_segment};
use segments_sql::ColumnType;
use serde_json::{Value, json};

use crate::cases::{Format, Table, bulk};

const VERSIONS: &[&str] = &[
    "1.2.3",
    "v1.2.3",
    "1.2",
    "1",
    "v2",
    "01.2.3",
    "1.02.3",
    "1.2.03",
    "1.2.3-alpha",
    "1.2.3-alpha.1",
    "1.2.3-alpha.beta",
    "1.2.3-beta",
    "1.2.3-beta.2",
    "1.2.3-beta.11",
    "1.2.3-rc.1",
    "1.2.3-rc.1+build.5",
    "1.2.3+build",
    "1.2.3-01",
    "1.2.3-",
    "1.2.3+",
    "1.2.3.4",
    "vv1.2.3",
    "V1.2.3",
    "1.2.3-a-b",
    "1.2.3--",
    "1.2.3-0",
    "1.2.3-0a",
    "1.2.3-alpha..1",
    "18446744073709551615.0.0",
    "18446744073709551616.0.0",
    "99999999999999999999.0.0",
    "1.2.3-99999999999999999999999",
    "1.2.3-999999999999999999999a",
    " 1.2.3",
    "1.2.3 ",
    "1.2.3\n",
    "",
    "latest",
    "2.5.0-rc.1",
    "2.4.0+build.7",
    "1.2.3-rc.1.2",
    "1.2.3-RC.1",
    "1.2.3-rc.10",
    "0.0.0",
    "1.2.3-Alpha",
    "1.2.3-alpha.1.x",
    "1.2.3-alpha.-",
    "1.2.3+a+b",
    "1.2.3-x.7.z.92",
    "1.2.3-alpha.0",
    "v1.2.3-beta.2+exp.sha.5114f85",
];

const INSTANTS: &[&str] = &[
    "2026-01-01",
    "2026-01-01T00:00:00Z",
    "2026-01-01t00:00:00z",
    "2026-01-01 00:00:00Z",
    "2026-01-01X00:00:00Z",
    "2026-01-01100:00:00Z",
    "2026-01-01T00:00:00.000000001Z",
    "2026-01-01T00:00:00.0000000019Z",
    "2025-12-31T23:59:59.999999999Z",
    "2026-01-01T01:00:00+01:00",
    "2025-12-31T23:00:00-01:00",
    "2026-01-01T00:00:00+23:59",
    "2026-01-01T00:00:00+24:00",
    "2026-01-01T00:00:00+01:60",
    "2025-12-31T23:59:60Z",
    "2025-12-31T23:59:60.5Z",
    "2025-06-30T23:59:60Z",
    "2025-06-29T23:59:60Z",
    "2026-01-01T00:59:60+01:00",
    "2025-12-31T22:59:60-01:00",
    "2026-02-01T00:59:60+01:00",
    "2026-02-27T23:59:60-01:00",
    "2026-02-29",
    "2024-02-29",
    "2024-02-29T12:00:00Z",
    "2100-02-29",
    "2000-02-29",
    "+2026-01-01",
    "-0001-12-31",
    "0000-01-01T00:00:00Z",
    "0000-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59Z",
    "2026-13-01",
    "2026-00-10",
    "2026-01-32",
    "2026-04-31",
    "2026-01-01T24:00:00Z",
    "2026-01-01T23:60:00Z",
    "2026-01-01T00:00:00",
    "2026-01-01T00:00Z",
    "2026-1-01",
    "26-01-01",
    "2026-01-01 ",
    "yesterday",
    "",
    "2026-01-01T00:00:00.Z",
    "2026-01-01T00:00:00,5Z",
    "2026-01-01T10:00:00.123456789123Z",
    "1970-01-01T00:00:00Z",
    "1969-12-31T23:59:59.999Z",
    "2026-01-01T00:00:00\u{2212}01:00",
    "2026-01-01\u{e9}00:00:00Z",
    "2025-12-31T23:59:59Z",
    "2026-01-01T00:00:00.5-00:00",
];

const TEXTS: &[&str] = &[
    "acme.com",
    "ACME.IO",
    "a\nb",
    "ab",
    "aXb",
    "k",
    "K",
    "\u{212a}",
    "caf\u{e9}",
    "CAF\u{c9}",
    "line1\nline2",
    "ends\n",
    "ends",
    "x",
    "xx",
    "xxx",
    "tab\there",
    "\u{20ac}uro",
    "emoji \u{1f600}",
    "\u{df}",
    "\u{1e9e}",
    "\u{17f}",
    "stra\u{df}e",
    "\u{3b1}\u{3b2}",
    "123",
    "\u{663}",
    "a.b",
    "a+b",
    "[x]",
    "\\",
    "",
];

/// A segment of one condition.
fn one(key: &str, attribute: &str, operator: &str, values: Value, ci: bool) -> Segment {
    let doc = json!({"key": key, "rules": [{"attribute": attribute, "operator": operator,
        "values": values, "case_insensitive": ci}]});
    parse_segment(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"))
}

/// Every shape of `semver_*`, `before`/`after` and `matches` over the odd values.
fn segments() -> Vec<Segment> {
    vec![
        one("v-eq", "v", "semver_eq", json!(["1.2.3"]), false),
        one(
            "v-eq-pre",
            "v",
            "semver_eq",
            json!(["1.2.3-rc.1+other"]),
            false,
        ),
        one("v-neq", "v", "semver_neq", json!(["1.2.3+meta"]), false),
        one("v-gt-pre", "v", "semver_gt", json!(["1.2.3-beta.2"]), false),
        one("v-gte-short", "v", "semver_gte", json!(["1.2"]), false),
        one(
            "v-lt-two",
            "v",
            "semver_lt",
            json!(["1.2.3-rc.1", "v0.9"]),
            false,
        ),
        one(
            "v-lte-pre",
            "v",
            "semver_lte",
            json!(["1.2.3-alpha.1"]),
            false,
        ),
        one(
            "v-gt-long-number",
            "v",
            "semver_gt",
            json!(["1.2.3-99999999999999999999"]),
            false,
        ),
        one(
            "v-lt-max",
            "v",
            "semver_lt",
            json!(["18446744073709551615.0.0"]),
            false,
        ),
        one("v-gte-alnum", "v", "semver_gte", json!(["1.2.3-0a"]), false),
        one(
            "v-lt-alpha",
            "v",
            "semver_lt",
            json!(["1.2.3-alpha"]),
            false,
        ),
        one("t-before-date", "t", "before", json!(["2026-01-01"]), false),
        one(
            "t-after-instant",
            "t",
            "after",
            json!(["2026-01-01T00:00:00Z"]),
            false,
        ),
        one(
            "t-before-nanos",
            "t",
            "before",
            json!(["2025-12-31T23:59:59.999999999Z"]),
            false,
        ),
        one(
            "t-after-nanos",
            "t",
            "after",
            json!(["2026-01-01T00:00:00.000000001Z"]),
            false,
        ),
        one("t-after-epoch", "t", "after", json!(["1970-01-01"]), false),
        one(
            "t-before-year-one",
            "t",
            "before",
            json!(["0001-01-01"]),
            false,
        ),
        one(
            "t-after-offset",
            "t",
            "after",
            json!(["2024-02-29T12:00:00.5+05:30"]),
            false,
        ),
        one(
            "t-not-before",
            "t",
            "before",
            json!(["2000-01-01", "2026-06-01"]),
            false,
        ),
        one(
            "x-domain",
            "x",
            "matches",
            json!(["acme\\.(com|io)$"]),
            false,
        ),
        one("x-domain-ci", "x", "matches", json!(["^acme"]), true),
        one("x-inline-ci", "x", "matches", json!(["(?i)^ACME"]), false),
        one("x-dot", "x", "matches", json!(["^a.b$"]), false),
        one("x-dot-all", "x", "matches", json!(["(?s)^a.b$"]), false),
        one("x-kelvin", "x", "matches", json!(["^k$"]), true),
        one("x-cafe", "x", "matches", json!(["^caf(\u{e9}|e)$"]), true),
        one("x-repeat", "x", "matches", json!(["^x{2,3}$"]), false),
        one("x-digits", "x", "matches", json!(["^\\d+$"]), false),
        one(
            "x-ascii-class",
            "x",
            "matches",
            json!(["^[[:alpha:]]+$"]),
            false,
        ),
        one("x-end", "x", "matches", json!(["ends$"]), false),
        one("x-empty", "x", "matches", json!(["^$"]), false),
        one("x-emoji", "x", "matches", json!(["\u{1f600}"]), false),
        one("x-sharp-s", "x", "matches", json!(["^\u{df}$"]), true),
        one("x-greek", "x", "matches", json!(["\\p{Greek}"]), false),
        one(
            "x-any-of",
            "x",
            "matches",
            json!(["^c", "b$", "\\+"]),
            false,
        ),
        one("x-not-lower", "x", "matches", json!(["^[^a-z]+$"]), false),
        one("x-space", "x", "matches", json!(["\\s"]), false),
        one(
            "x-escapes",
            "x",
            "matches",
            json!(["\\[x\\]|\\\\|a\\.b"]),
            false,
        ),
    ]
}

/// The odd values as one NDJSON table of three text columns (`v` versions, `t` instants,
/// `x` texts), a row per value, plus a row where all are null and one where all are absent.
pub fn tables(dir: &Path) -> Vec<Table> {
    let longest = VERSIONS.len().max(INSTANTS.len()).max(TEXTS.len());
    let mut lines = vec![
        "{\"v\": null, \"t\": null, \"x\": null}".to_owned(),
        "{}".to_owned(),
    ];
    for i in 0..longest {
        let mut row = serde_json::Map::new();
        for (column, values) in [("v", VERSIONS), ("t", INSTANTS), ("x", TEXTS)] {
            if let Some(value) = values.get(i) {
                row.insert(column.to_owned(), json!(value));
            }
        }
        lines.push(Value::Object(row).to_string());
    }
    let file = dir.join("odd_values.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let columns: Vec<(String, ColumnType)> = ["v", "t", "x"]
        .iter()
        .map(|c| ((*c).to_owned(), ColumnType::Text))
        .collect();
    let segments = segments();
    let odd = Table {
        name: "odd_values",
        expected: bulk(&file, &segments),
        file,
        format: Format::Ndjson,
        schema: segments_sql::Schema::from_columns(columns.iter().cloned()),
        columns,
        segments,
    };
    vec![odd, json_table(dir), timestamp_table(dir)]
}

/// JSON documents whose paths end on every JSON type, go through arrays and nulls, and
/// hold keys that look like array indexes.
const DOCUMENTS: &[&str] = &[
    r#"{"country": "US"}"#,
    r#"{"country": "us"}"#,
    r#"{"country": null}"#,
    "{}",
    "null",
    r#""country""#,
    "[1, 2]",
    r#"{"country": ["US", "DE"]}"#,
    r#"{"country": 5}"#,
    r#"{"country": 5.5}"#,
    r#"{"country": true}"#,
    r#"{"country": {"x": 1}}"#,
    r#"{"seats": "50"}"#,
    r#"{"seats": 50}"#,
    r#"{"seats": 1.5e2}"#,
    r#"{"seats": [10, "200", null, [300]]}"#,
    r#"{"a": {"b": {"c": "deep"}}}"#,
    r#"{"a": [{"b": {"c": "deep"}}]}"#,
    r#"{"a": {"b": null}}"#,
    r#"{"v": "1.2.3"}"#,
    r#"{"v": "v2.0.0-rc.1"}"#,
    r#"{"t": "2026-01-01"}"#,
    r#"{"t": "2027-06-01T10:00:00+02:00"}"#,
    r#"{"0": "zero"}"#,
    r#"["zero"]"#,
    r#"{"beta": false}"#,
    r#"{"beta": "false"}"#,
    r#"{"beta": true}"#,
    r#"{"country": "DE", "seats": 300, "beta": true}"#,
];

/// Conditions on paths into the JSON column `j`.
fn json_segments() -> Vec<Segment> {
    vec![
        one("j-country-eq", "j.country", "eq", json!(["US"]), false),
        one("j-country-neq", "j.country", "neq", json!(["US"]), false),
        one("j-country-eq-ci", "j.country", "eq", json!(["us"]), true),
        one(
            "j-country-in",
            "j.country",
            "in",
            json!(["DE", true]),
            false,
        ),
        one("j-country-exists", "j.country", "exists", json!([]), false),
        one(
            "j-country-not-exists",
            "j.country",
            "not_exists",
            json!([]),
            false,
        ),
        one("j-seats-gte", "j.seats", "gte", json!([100]), false),
        one("j-seats-eq", "j.seats", "eq", json!([50, 10]), false),
        one("j-seats-lt", "j.seats", "lt", json!([100.5]), false),
        one("j-deep-eq", "j.a.b.c", "eq", json!(["deep"]), false),
        one(
            "j-deep-contains",
            "j.a.b.c",
            "contains",
            json!(["EE"]),
            true,
        ),
        one("j-mid-exists", "j.a.b", "exists", json!([]), false),
        one("j-index-key", "j.0", "eq", json!(["zero"]), false),
        one("j-version", "j.v", "semver_gte", json!(["1.0"]), false),
        one("j-before", "j.t", "before", json!(["2027-01-01"]), false),
        one("j-beta-true", "j.beta", "eq", json!([true]), false),
        one("j-beta-not-false", "j.beta", "neq", json!(["false"]), false),
        one("j-whole-exists", "j", "exists", json!([]), false),
    ]
}

/// The documents as a table with one JSON column `j` (a row each, plus one without it).
pub fn json_table(dir: &Path) -> Table {
    let mut lines: Vec<String> = DOCUMENTS
        .iter()
        .map(|d| format!("{{\"j\": {d}}}"))
        .collect();
    lines.push("{}".to_owned());
    let file = dir.join("odd_json.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let columns = vec![("j".to_owned(), ColumnType::Json)];
    let segments = json_segments();
    Table {
        name: "odd_json",
        expected: bulk(&file, &segments),
        file,
        format: Format::Ndjson,
        schema: segments_sql::Schema::from_columns(columns.iter().cloned()),
        columns,
        segments,
    }
}

/// Instants a timestamp column holds (whole microseconds, any offset on the way in).
const TIMESTAMPS: &[&str] = &[
    "2026-01-01T00:00:00Z",
    "2025-12-31T23:59:59.999999Z",
    "2026-01-01T00:00:00.000001Z",
    "2026-01-01T05:30:00+05:30",
    "2025-12-31T19:00:00-05:00",
    "1999-12-31T23:59:59Z",
    "2030-06-15T12:00:00.5Z",
    "1970-01-01T00:00:00Z",
];

/// `before`, `after` and `exists` on the timestamp column `ts`, with rule instants finer
/// than the column's microseconds.
fn timestamp_segments() -> Vec<Segment> {
    let on = |key: &str, operator: &str, values: Value| one(key, "ts", operator, values, false);
    vec![
        on(
            "ts-before-midnight",
            "before",
            json!(["2026-01-01T00:00:00Z"]),
        ),
        on("ts-after-midnight", "after", json!(["2026-01-01"])),
        on(
            "ts-before-half-micro",
            "before",
            json!(["2026-01-01T00:00:00.0000005Z"]),
        ),
        on(
            "ts-after-half-micro",
            "after",
            json!(["2025-12-31T23:59:59.9999995Z"]),
        ),
        on(
            "ts-after-offset",
            "after",
            json!(["2026-01-01T00:00:00.000001+00:00"]),
        ),
        on(
            "ts-not-before",
            "before",
            json!(["1970-01-01T00:00:00.000001Z", "2000-01-01"]),
        ),
        on("ts-exists", "exists", json!([])),
    ]
}

/// The instants as a table with one timestamp column (a row each, plus null and absent).
pub fn timestamp_table(dir: &Path) -> Table {
    let mut lines: Vec<String> = TIMESTAMPS
        .iter()
        .map(|t| json!({"ts": t}).to_string())
        .collect();
    lines.push("{\"ts\": null}".to_owned());
    lines.push("{}".to_owned());
    let file = dir.join("odd_timestamps.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let columns = vec![("ts".to_owned(), ColumnType::Timestamp)];
    let segments = timestamp_segments();
    Table {
        name: "odd_timestamps",
        expected: bulk(&file, &segments),
        file,
        format: Format::Ndjson,
        schema: segments_sql::Schema::from_columns(columns.iter().cloned()),
        columns,
        segments,
    }
}
