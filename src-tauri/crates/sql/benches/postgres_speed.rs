//! Speed of the generated SQL on PostgreSQL against what a careful analyst writes by hand
//! for the same segment on the same table: 1M rows of the seeded edge population (missing
//! values, numeric strings, `.5` seats, lowercase countries), loaded as all-text columns
//! and as typed columns in a throwaway cluster.
//!
//! Each query's time is PostgreSQL's own (planning + execution of `EXPLAIN (ANALYZE,
//! TIMING OFF)`), so psql's start-up is not in it; the generated and hand-written queries
//! alternate, which one first changing each round, and the table shows medians. A case
//! slower than 1.2× gets `EXPLAIN (ANALYZE, BUFFERS)` of both. The two queries of a case
//! must count the same rows, or the hand-written one is not the same segment and the run
//! stops.
//!
//! `cargo xtask warehouse-bench [ROWS]` (1,000,000 by default); not run by `cargo test`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)] // a benchmark's report

use postgres_cluster::Cluster;
use segments_engine::{Segment, parse_segment};
use segments_population::synthetic;
use segments_sql::{ColumnType, Dialect, Schema, compile};
use serde_json::{Value, json};

const SEED: u64 = 7;
const ROUNDS: usize = 7;
const LIMIT: f64 = 1.2;

struct Case {
    name: &'static str,
    table: &'static str,
    segment: Value,
    hand: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "eq/in on text",
            table: "users_text",
            segment: json!({"rules": [{"attribute": "plan", "operator": "in", "values": ["pro", "team"]}]}),
            hand: "plan IN ('pro', 'team')",
        },
        Case {
            name: "neq on text (missing matches)",
            table: "users_text",
            segment: json!({"rules": [{"attribute": "plan", "operator": "neq", "values": ["free"]}]}),
            hand: "plan IS DISTINCT FROM 'free'",
        },
        Case {
            name: "gte on numeric text",
            table: "users_text",
            segment: json!({"rules": [{"attribute": "seats", "operator": "gte", "values": [250]}]}),
            hand: "seats ~ '^-?[0-9]+(\\.[0-9]+)?$' AND seats::numeric >= 250",
        },
        Case {
            name: "gte on double",
            table: "users_typed",
            segment: json!({"rules": [{"attribute": "seats", "operator": "gte", "values": [250]}]}),
            hand: "seats >= 250",
        },
        Case {
            name: "contains",
            table: "users_text",
            segment: json!({"rules": [{"attribute": "email", "operator": "contains", "values": ["acme"]}]}),
            hand: "email LIKE '%acme%'",
        },
        Case {
            name: "eq, case-insensitive",
            table: "users_text",
            segment: json!({"rules": [{"attribute": "country", "operator": "eq", "values": ["us"], "case_insensitive": true}]}),
            hand: "lower(country) = 'us'",
        },
        Case {
            name: "eq on text array",
            table: "users_typed",
            segment: json!({"rules": [{"attribute": "tags", "operator": "eq", "values": ["vip"]}]}),
            hand: "'vip' = ANY(tags)",
        },
        Case {
            name: "nested any/all/none",
            table: "users_typed",
            segment: json!({"match_type": "any", "rules": [
                {"attribute": "plan", "operator": "eq", "values": ["enterprise"]},
                {"match_type": "all", "rules": [
                    {"attribute": "seats", "operator": "gte", "values": [100]},
                    {"match_type": "none", "rules": [
                        {"attribute": "country", "operator": "in", "values": ["US", "CA"]},
                        {"attribute": "email", "operator": "ends_with", "values": [".test"]}]}]}]}),
            hand: "plan = 'enterprise' OR (seats >= 100 AND (country IS NULL OR country NOT IN \
                   ('US', 'CA')) AND (email IS NULL OR email NOT LIKE '%.test'))",
        },
    ]
}

fn typed_schema() -> Schema {
    Schema::from_columns(
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
        .map(|(c, t)| (c.to_owned(), t)),
    )
}

const TEXT_COLUMNS: &str = "user_id text, email text, plan text, country text, seats text, \
    app_version text, signed_up_at text, beta text, tags text, address text";

/// The typed table from the text one: every edge seat is a decimal number or empty.
const TYPED: &str = "CREATE TABLE users_typed AS SELECT user_id, email, plan, country, \
    seats::float8 AS seats, app_version, signed_up_at, beta::boolean AS beta, \
    CASE WHEN tags IS NOT NULL THEN ARRAY(SELECT jsonb_array_elements_text(tags::jsonb)) END \
    AS tags FROM users_text";

fn load(cluster: &Cluster, rows: u64) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("users.csv");
    synthetic::write(&csv, rows, SEED, true).unwrap();
    cluster.sql(&format!("CREATE TABLE users_text ({TEXT_COLUMNS})"));
    cluster.sql(&format!(
        "\\copy users_text FROM '{}' WITH (FORMAT csv, HEADER true)",
        csv.display()
    ));
    cluster.sql(TYPED);
    cluster.sql("VACUUM ANALYZE users_text");
    cluster.sql("VACUUM ANALYZE users_typed");
}

/// PostgreSQL's planning + execution time of `query`, in milliseconds.
fn time(cluster: &Cluster, query: &str) -> f64 {
    let out = cluster.sql(&format!(
        "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, FORMAT JSON) {query}"
    ));
    let plan: Value = serde_json::from_str(&out).unwrap();
    let plan = &plan[0];
    plan["Planning Time"].as_f64().unwrap() + plan["Execution Time"].as_f64().unwrap()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let rows: u64 = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map_or(1_000_000, |a| a.parse().expect("ROWS is a number of rows"));
    let cluster = Cluster::start("bench");
    println!("loading {rows} rows of the edge population (seed {SEED})…");
    load(&cluster, rows);
    let server = cluster.sql("SHOW server_version");

    let cases = cases();
    let mut results = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let mut doc = case.segment.clone();
        doc["key"] = json!(format!("case-{i}"));
        let segment: Segment = parse_segment(&doc).unwrap();
        let schema = if case.table == "users_typed" {
            typed_schema()
        } else {
            Schema::all_text()
        };
        let out = compile(&[segment], &[], Dialect::Postgres, case.table, &schema).unwrap();
        let generated = out.segments[0].count.clone();
        let hand = format!("SELECT count(*) FROM {} WHERE {}", case.table, case.hand);
        let (g, h) = (cluster.sql(&generated), cluster.sql(&hand));
        assert_eq!(
            g, h,
            "{}: the queries count differently\n{generated}\n{hand}",
            case.name
        );
        let (mut gen_ms, mut hand_ms) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            if round % 2 == 0 {
                gen_ms.push(time(&cluster, &generated));
                hand_ms.push(time(&cluster, &hand));
            } else {
                hand_ms.push(time(&cluster, &hand));
                gen_ms.push(time(&cluster, &generated));
            }
        }
        results.push((case, generated, hand, g, median(gen_ms), median(hand_ms)));
    }

    println!(
        "\nPostgreSQL {server}, {rows} rows, medians of {ROUNDS} alternating runs (planning + execution)\n"
    );
    println!("| case | table | matched | generated ms | hand-written ms | ratio |");
    println!("|---|---|---:|---:|---:|---:|");
    for (case, _, _, matched, g, h) in &results {
        println!(
            "| {} | {} | {matched} | {g:.1} | {h:.1} | {:.2} |",
            case.name,
            case.table,
            g / h
        );
    }
    for (case, generated, hand, _, g, h) in &results {
        if g / h > LIMIT {
            println!("\n## {} ({:.2}×)", case.name, g / h);
            for (what, query) in [("generated", generated), ("hand-written", hand)] {
                let plan = cluster.sql(&format!("EXPLAIN (ANALYZE, BUFFERS) {query}"));
                println!("\n{what}: {query}\n{plan}");
            }
        }
    }
}
