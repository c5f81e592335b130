//! `eval-bulk`, `impact` and `population`, exactly as scripts rely on them: JSON on stdout,
//! errors naming the file and line on stderr.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use serde_json::{Value, json};

#[path = "support/cli_process.rs"]
mod cli_process;

use cli_process::Cli;

fn seeded(cli: &Cli) {
    for document in [
        json!({"key": "pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        json!({"key": "big", "rules": [{"attribute": "seats", "operator": "gte", "values": [10]}]}),
        json!({"key": "us", "rules": [{"attribute": "country", "operator": "in", "values": ["US"]}]}),
    ] {
        cli.ok(&["segment", "create"], &document.to_string());
    }
}

const USERS: &str = "plan,seats,country\npro,12,US\nfree,1,US\npro,3,DE\nteam,40,FR\npro,,US\n";

#[test]
fn eval_bulk_counts_every_segment_and_every_pair() {
    let cli = Cli::new();
    seeded(&cli);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.csv");
    std::fs::write(&file, USERS).unwrap();
    let input = file.to_str().unwrap();

    let all = cli.ok(&["eval-bulk", "--input", input], "");
    assert_eq!(
        all,
        json!({"rows": 5, "invalid": 0, "segments": [
            {"key": "big", "matched": 2}, {"key": "pro", "matched": 3}, {"key": "us", "matched": 3}]})
    );
    let pairs = cli.ok(
        &[
            "eval-bulk",
            "--input",
            input,
            "--segment",
            "pro",
            "--segment",
            "us",
            "--overlap",
            "--threads",
            "1",
        ],
        "",
    );
    assert_eq!(
        pairs,
        json!({"rows": 5, "invalid": 0, "segments": [{"key": "pro", "matched": 3}, {"key": "us", "matched": 3}],
               "overlaps": [{"a": "pro", "b": "us", "both": 2}]})
    );

    std::fs::write(&file, format!("{USERS}pro,7\nfree,2,US\n")).unwrap();
    let error = cli.fails(&["eval-bulk", "--input", input], "");
    assert!(
        error.contains("users.csv: line 7: this row has 2 cells"),
        "{error}"
    );
    let skipped = cli.ok(
        &[
            "eval-bulk",
            "--input",
            input,
            "--segment",
            "us",
            "--skip-invalid",
        ],
        "",
    );
    assert_eq!(
        skipped,
        json!({"rows": 6, "invalid": 1, "segments": [{"key": "us", "matched": 4}]})
    );

    let unknown = cli.fails(&["eval-bulk", "--input", input, "--segment", "nope"], "");
    assert!(unknown.contains("no segment \"nope\""), "{unknown}");
    let threads = cli.fails(&["eval-bulk", "--input", input, "--threads", "0"], "");
    assert!(threads.contains("--threads"), "{threads}");
}

#[test]
fn impact_reports_gained_and_lost_users_with_examples() {
    let cli = Cli::new();
    seeded(&cli);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.ndjson");
    std::fs::write(
        &file,
        "{\"plan\": \"pro\", \"seats\": 12}\n{\"plan\": \"team\", \"seats\": 40}\n{\"plan\": \"pro\", \"seats\": 3}\n",
    )
    .unwrap();
    let input = file.to_str().unwrap();
    // A patch: the rules only.
    let draft = dir.path().join("draft.json");
    std::fs::write(
        &draft,
        r#"{"rules": [{"attribute": "seats", "operator": "gt", "values": [10]}]}"#,
    )
    .unwrap();
    let report = cli.ok(
        &[
            "impact",
            "--input",
            input,
            "--segment",
            "pro",
            "--draft",
            draft.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(
        report,
        json!({"rows": 3, "before": 2, "after": 2, "gained": 1, "lost": 1,
               "examples": {"gained": [{"plan": "team", "seats": 40}], "lost": [{"plan": "pro", "seats": 3}]}})
    );
    // A whole segment, in another accepted format, from stdin.
    let whole = r#"{"key": "pro", "name": "Pro", "match_type": "any", "rules": [{"attribute": "plan", "operator": "in", "values": ["pro", "team"]}]}"#;
    let report = cli.ok(
        &[
            "impact",
            "--input",
            input,
            "--segment",
            "pro",
            "--draft",
            "-",
        ],
        whole,
    );
    assert_eq!(
        (report["gained"].clone(), report["lost"].clone()),
        (json!(1), json!(0))
    );
    let bad = cli.fails(
        &[
            "impact",
            "--input",
            input,
            "--segment",
            "pro",
            "--draft",
            "-",
        ],
        r#"{"rules": 3}"#,
    );
    assert!(bad.contains("rules"), "{bad}");
}

#[test]
fn populations_are_added_listed_and_removed() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.csv");
    std::fs::write(&file, USERS).unwrap();
    let added = cli.ok(
        &[
            "population",
            "add",
            file.to_str().unwrap(),
            "--name",
            "Sample users",
        ],
        "",
    );
    assert_eq!(added["name"], "Sample users");
    assert_eq!(added["rows"], 5);
    let plan = added["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "plan")
        .unwrap()
        .clone();
    assert_eq!(plan["top_values"][0], json!({"value": "pro", "count": 3}));
    let id = added["id"].as_str().unwrap().to_owned();
    assert!(uuid_like(&id), "{id}");

    let list = cli.ok(&["population", "list"], "");
    assert_eq!(list.as_array().unwrap().len(), 1);
    let again = cli.fails(&["population", "add", file.to_str().unwrap()], "");
    assert!(again.contains("already"), "{again}");
    let removed = cli.ok(&["population", "remove", &id], "");
    assert_eq!(removed["removed"], Value::from(id.clone()));
    assert_eq!(cli.ok(&["population", "list"], ""), json!([]));
    let missing = cli.fails(&["population", "remove", &id], "");
    assert!(
        missing.contains(&id) || missing.contains("population"),
        "{missing}"
    );

    let generated = dir.path().join("synthetic.parquet");
    let written = cli.ok(
        &[
            "population",
            "generate",
            generated.to_str().unwrap(),
            "--rows",
            "1000",
            "--seed",
            "3",
        ],
        "",
    );
    assert_eq!(written["rows"], 1000);
    let added = cli.ok(&["population", "add", generated.to_str().unwrap()], "");
    assert_eq!(
        (added["rows"].clone(), added["kind"]["format"].clone()),
        (json!(1000), json!("parquet"))
    );
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4
}
