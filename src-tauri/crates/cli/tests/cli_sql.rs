//! `segments sql`: the stored segments as SQL, refusals as data, bad input as a clear error.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use serde_json::json;

#[path = "support/cli_process.rs"]
mod cli_process;

use cli_process::Cli;

#[test]
fn sql_prints_a_predicate_and_a_count_per_segment_and_names_what_it_refuses() {
    let cli = Cli::new();
    for document in [
        json!({"key": "pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        json!({"key": "words", "rules": [{"attribute": "bio", "operator": "matches", "values": ["\\bcto\\b"]}]}),
    ] {
        cli.ok(&["segment", "create"], &document.to_string());
    }
    let out = cli.ok(&["sql", "--dialect", "duckdb", "--table", "crm.users"], "");
    let predicate = r#"COALESCE("plan" IS NOT NULL AND "plan" = 'pro', FALSE)"#;
    assert_eq!(out["dialect"], "duckdb");
    assert_eq!(out["table"], "crm.users");
    assert_eq!(
        out["segments"],
        json!([{"key": "pro", "where": predicate,
                "count": format!(r#"SELECT count(*) FROM "crm"."users" WHERE {predicate}"#)}])
    );
    assert_eq!(out["refused"][0]["key"], "words");
    let reason = out["refused"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("\"bio matches regex\"")
            && reason.contains("DuckDB")
            && reason.contains("word boundary"),
        "{reason}"
    );

    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.json");
    std::fs::write(&schema, r#"{"plan": "text", "seats": "integr"}"#).unwrap();
    let args = [
        "sql",
        "--dialect",
        "spark",
        "--table",
        "users",
        "--schema",
        schema.to_str().unwrap(),
    ];
    let error = cli.fails(&args, "");
    assert!(error.contains(r#""seats" has type "integr""#), "{error}");
    let error = cli.fails(&["sql", "--dialect", "oracle", "--table", "users"], "");
    assert!(error.contains("postgres"), "{error}");
    let error = cli.fails(&["sql", "--dialect", "spark", "--table", "a..b"], "");
    assert!(error.contains("table name"), "{error}");
    let error = cli.fails(
        &[
            "sql",
            "--dialect",
            "spark",
            "--table",
            "users",
            "--segment",
            "nope",
        ],
        "",
    );
    assert!(error.contains("no segment has the key \"nope\""), "{error}");
}
