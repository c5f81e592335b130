//! The `segments` CLI contract, run as a real process on a temp database.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;

use serde_json::{Value, json};

#[path = "support/cli_process.rs"]
mod cli_process;

use cli_process::Cli;

const CANONICAL: &str = r#"{"key": "enterprise-users", "name": "Enterprise Users", "description": "",
 "match_type": "all",
 "rules": [
   {"attribute": "plan", "operator": "eq", "values": ["enterprise"]},
   {"match_type": "any", "rules": [
      {"attribute": "seats", "operator": "gte", "values": [50]},
      {"attribute": "email", "operator": "ends_with", "values": ["@acme.com"], "case_insensitive": true}]}]}"#;

#[test]
fn create_get_update_list_delete_history() {
    let cli = Cli::new();
    let created = cli.ok(&["segment", "create"], CANONICAL);
    let expected: Value = serde_json::from_str(CANONICAL).unwrap();
    assert_eq!(created, expected);
    assert_eq!(
        cli.ok(&["segment", "get", "enterprise-users"], ""),
        expected
    );

    let updated = cli.ok(
        &["segment", "update", "enterprise-users", "--file", "-"],
        r#"{"description": "Big customers"}"#,
    );
    assert_eq!(updated["description"], "Big customers");
    assert_eq!(updated["rules"], expected["rules"]);

    let krafter = cli.ok(
        &["segment", "create", "--file", "-"],
        r#"{"name": "Pro Users", "match_type": "all",
        "rules": [{"key": "plan", "operator": "equals", "value": "pro"}]}"#,
    );
    assert_eq!(krafter["key"], "pro-users");
    assert_eq!(
        krafter["rules"][0],
        json!({"attribute": "plan", "operator": "eq", "values": ["pro"]})
    );

    let list = cli.ok(&["segment", "list", "--json"], "");
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["enterprise-users", "pro-users"]);
    assert_eq!(
        cli.ok(&["segment", "list"], ""),
        list,
        "JSON when stdout is not a terminal"
    );

    cli.ok(&["segment", "delete", "pro-users"], "");
    let history = cli.ok(&["segment", "history", "pro-users"], "");
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["delete", "create"]);
    assert_eq!(history[0]["previous"], krafter);
    let stderr = cli.fails(&["segment", "get", "pro-users"], "");
    assert!(stderr.contains("no segment \"pro-users\""), "{stderr}");

    let restored = cli.ok(
        &[
            "segment",
            "restore",
            "pro-users",
            &history[0]["id"].to_string(),
        ],
        "",
    );
    assert_eq!(restored, krafter);
}

#[test]
fn eval_with_and_without_explain() {
    let cli = Cli::new();
    cli.ok(&["segment", "create"], CANONICAL);
    cli.ok(&["segment", "create"], r#"{"key": "us", "rules": [{"attribute": "address.country", "operator": "eq", "values": ["US"]}]}"#);
    let context = r#"{"plan": "enterprise", "seats": 10, "email": "ADA@ACME.COM"}"#;

    let all = cli.ok(&["eval", "--context", "-"], context);
    assert_eq!(
        all,
        json!({"segments": [
            {"key": "enterprise-users", "name": "Enterprise Users", "matched": true},
            {"key": "us", "name": "us", "matched": false}]})
    );

    let explained = cli.ok(
        &[
            "eval",
            "--context",
            "-",
            "--segment",
            "enterprise-users",
            "--explain",
        ],
        r#"{"plan": "enterprise", "seats": 10}"#,
    );
    let result = &explained["segments"][0];
    assert_eq!(result["matched"], false);
    let any_group = &result["trace"]["children"][1];
    assert_eq!(any_group["path"], "rules[1]");
    assert_eq!(any_group["children"][0]["actual"], 10);
    assert_eq!(any_group["children"][0]["reason"], "no_value_matched");
    assert_eq!(any_group["children"][1]["reason"], "attribute_missing");
    assert!(
        any_group["children"][1]["message"]
            .as_str()
            .unwrap()
            .contains("attribute missing")
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ctx.json");
    std::fs::write(&file, r#"{"address": {"country": "US"}}"#).unwrap();
    let us = cli.ok(
        &[
            "eval",
            "--context",
            file.to_str().unwrap(),
            "--segment",
            "us",
        ],
        "",
    );
    assert_eq!(us["segments"][0]["matched"], true);

    assert!(
        cli.fails(&["eval", "--context", "-", "--segment", "nope"], "{}")
            .contains("no segment \"nope\"")
    );
    assert!(
        cli.fails(&["eval", "--context", "-"], "[1, 2]")
            .contains("must be a JSON object")
    );
    assert!(
        cli.fails(&["eval", "--context", "/does/not/exist.json"], "")
            .contains("cannot read /does/not/exist.json")
    );
}

#[test]
fn export_import_round_trip() {
    let source = Cli::new();
    source.ok(&["demo", "seed"], "");
    let exported = source.run(&["export"], "");
    assert!(exported.status.success());

    let target = Cli::new();
    let report = target.ok(
        &["import", "--file", "-"],
        std::str::from_utf8(&exported.stdout).unwrap(),
    );
    assert!(report["created"].as_array().unwrap().len() >= 5);
    assert_eq!(target.ok(&["export"], ""), source.ok(&["export"], ""));
    let again = target.ok(
        &["import", "--file", "-"],
        std::str::from_utf8(&exported.stdout).unwrap(),
    );
    assert_eq!(again["created"], json!([]));
    assert_eq!(again["updated"], json!([]));

    // Vendor list envelopes import too.
    let vendor = r#"{"data": [{"id": "1", "name": "Beta Testers", "match_type": "all",
        "rules": [{"key": "beta_optin", "operator": "equals", "value": true}]}]}"#;
    // It derives the key "beta-testers" from the name, so it updates the demo's segment;
    // a dry run says so first and writes nothing.
    let before = target.ok(&["export"], "");
    let preview = target.ok(&["import", "--dry-run", "--file", "-"], vendor);
    assert_eq!(
        preview["items"],
        json!([{"position": 1, "key": "beta-testers", "name": "Beta Testers", "action": "update", "issues": []}])
    );
    assert_eq!(target.ok(&["export"], ""), before);
    let report = target.ok(&["import", "--file", "-"], vendor);
    assert_eq!(report["updated"], json!(["beta-testers"]));
    let segment = target.ok(&["segment", "get", "beta-testers"], "");
    assert_eq!(
        segment["rules"],
        json!([{"attribute": "beta_optin", "operator": "eq", "values": [true]}])
    );
}

#[test]
fn bad_input_is_refused_with_the_path_and_changes_nothing() {
    let cli = Cli::new();
    cli.ok(&["segment", "create"], CANONICAL);
    let before = cli.ok(&["export"], "");
    let history_before = cli.ok(&["segment", "history", "enterprise-users"], "");

    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["segment", "create"],
            r#"{"key": "x", "rules": [{"attribute": "a", "operator": "exists"}, {"match_type": "any", "rules": [{"attribute": "b", "operator": "sorta_equals", "values": [1]}]}]}"#,
            r#"rules[1].rules[0].operator: unknown operator "sorta_equals"; expected one of eq"#,
        ),
        (
            &["segment", "create"],
            r#"{"key": "Bad Key!", "rules": [{"attribute": "a", "operator": "exists"}]}"#,
            "key: \"Bad Key!\" is not a valid key",
        ),
        (&["segment", "create"], CANONICAL, "already exists"),
        (&["segment", "create"], "{not json", "not valid JSON"),
        (
            &["segment", "create"],
            r#"{"key": "x", "rules": [{"attribute": "a", "operator": "matches", "values": ["(("]}]}"#,
            "rules[0].values[0]: invalid regular expression",
        ),
        (
            &["segment", "create"],
            r#"{"key": "x", "rules": [{"attribute": "s", "operator": "in_segment", "values": ["ghost"]}]}"#,
            "no segment \"ghost\" exists",
        ),
        (
            &["segment", "update", "enterprise-users"],
            r#"{"rules": []}"#,
            "rules: needs at least one rule",
        ),
        (
            &["segment", "update", "enterprise-users"],
            r#"{"key": "other"}"#,
            "key cannot change",
        ),
        (
            &["segment", "update", "enterprise-users"],
            r#"{"colour": "red"}"#,
            "unknown field \"colour\"",
        ),
        (
            &["segment", "update", "ghost"],
            r#"{"name": "x"}"#,
            "no segment \"ghost\"",
        ),
        (&["segment", "delete", "ghost"], "", "no segment \"ghost\""),
        (
            &["segment", "restore", "enterprise-users", "12345"],
            "",
            "has no revision 12345",
        ),
        (
            &["import", "--file", "-"],
            r#"[{"key": "ok", "rules": [{"attribute": "a", "operator": "exists"}]}, {"key": "bad", "rules": [{"attribute": "a", "operator": "gt", "values": ["x"]}]}]"#,
            "[1].rules[0].values[0]: \"x\" is not a number",
        ),
    ];
    for (args, stdin, expected) in cases {
        let stderr = cli.fails(args, stdin);
        assert!(
            stderr.contains(expected),
            "{args:?}: expected {expected:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let oversize = format!(
        "{{\"key\": \"x\", \"description\": \"{}\"}}",
        "a".repeat(2 * 1024 * 1024)
    );
    assert!(
        cli.fails(&["segment", "create"], &oversize)
            .contains("the limit is")
    );
    let usage = cli.run(&["segment", "frobnicate"], "");
    assert_eq!(usage.status.code(), Some(2));

    assert_eq!(cli.ok(&["export"], ""), before);
    assert_eq!(
        cli.ok(&["segment", "history", "enterprise-users"], ""),
        history_before
    );
}

#[test]
fn db_flag_overrides_the_environment_and_a_bad_db_is_explained() {
    let cli = Cli::new();
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.sqlite3");
    cli.ok(&["--db", other.to_str().unwrap(), "demo", "seed"], "");
    assert!(Path::new(&other).exists());
    let stderr = cli.fails(&["segment", "list"], "");
    assert!(stderr.contains("there is no database at"), "{stderr}");
    assert!(!cli.db.exists(), "a read does not create SEGMENTS_DB");

    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        "definitely not sqlite, but long enough to have a header page ".repeat(100),
    )
    .unwrap();
    let stderr = cli.fails(&["--db", junk.to_str().unwrap(), "segment", "list"], "");
    assert!(stderr.contains("not a SQLite database"), "{stderr}");
}

#[test]
fn personas_and_operators() {
    let cli = Cli::new();
    let saved = cli.ok(
        &["persona", "save", "Ada", "--context", "-"],
        r#"{"plan": "pro"}"#,
    );
    assert_eq!(saved["context"], json!({"plan": "pro"}));
    assert_eq!(cli.ok(&["persona", "list"], "")[0]["name"], "Ada");
    cli.ok(&["persona", "delete", &saved["id"].to_string()], "");
    assert_eq!(cli.ok(&["persona", "list"], ""), json!([]));
    let operators = cli.ok(&["operators"], "");
    assert_eq!(operators.as_array().unwrap().len(), 25);
}

#[test]
fn verbose_logs_go_to_stderr_and_only_when_asked() {
    let cli = Cli::new();
    let segment =
        r#"{"key": "pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}"#;
    let quiet = cli.run(&["segment", "create"], segment);
    assert!(quiet.status.success());
    assert!(quiet.stderr.is_empty(), "no -v, no log lines");
    let update = r#"{"name": "Pro plan"}"#;
    let loud = cli.run(&["-v", "segment", "update", "pro"], update);
    assert!(loud.status.success());
    let stderr = String::from_utf8(loud.stderr).unwrap();
    assert!(stderr.contains("revision written"), "{stderr}");
    assert!(
        stderr.contains("key=\"pro\"") || stderr.contains("key=pro"),
        "{stderr}"
    );
    // stdout stays the command's JSON answer.
    let answer: Value = serde_json::from_slice(&loud.stdout).unwrap();
    assert_eq!(answer["name"], "Pro plan");
}
