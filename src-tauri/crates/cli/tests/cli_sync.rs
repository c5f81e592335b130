//! `segments remote …` and `segments sync …` as real processes against the fake servers.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

#[path = "support/cli_process.rs"]
mod cli_process;

use cli_process::Cli;
use fake_remotes::{Dialect, FakeRemote, Grant, Role};
use serde_json::{Value, json};

fn segment(key: &str, plan: &str) -> String {
    json!({"key": key, "name": key, "rules": [{"attribute": "plan", "operator": "eq", "values": [plan]}]})
        .to_string()
}

/// A CLI with `TOKEN` in its environment, and a projects remote `hosted` added with it.
fn with_remote(fake: &FakeRemote, grant: Grant) -> Cli {
    let mut cli = Cli::new();
    cli.env.push(("TOKEN".into(), fake.token(grant)));
    cli.ok(&["segment", "create"], &segment("beta", "pro"));
    let added = cli.ok(
        &[
            "remote",
            "add",
            "hosted",
            "--dialect",
            "projects",
            "--url",
            &fake.base_url(),
            "--project",
            fake.project_id(),
            "--token-env",
            "TOKEN",
        ],
        "",
    );
    assert_eq!(added["credential"], "file");
    assert!(
        added["credentialNote"]
            .as_str()
            .unwrap()
            .contains("no keyring service")
    );
    cli
}

#[test]
fn remote_add_list_remove_keep_the_token_out_of_output_and_database() {
    let fake = FakeRemote::start(Dialect::Projects);
    let cli = with_remote(&fake, Grant::Full);
    let token = fake.token(Grant::Full);
    let listed = cli.ok(&["remote", "list"], "");
    assert_eq!(listed[0]["name"], "hosted");
    assert_eq!(listed[0]["dialect"], "projects");
    assert!(!listed.to_string().contains(&token));
    let database = std::fs::read(&cli.db).unwrap();
    assert!(
        !database.windows(token.len()).any(|w| w == token.as_bytes()),
        "the token reached the database file"
    );

    // A token can also come on stdin; a bad URL or a missing project says what to fix.
    let error = cli.fails(
        &[
            "remote",
            "add",
            "other",
            "--dialect",
            "krafter",
            "--url",
            "http://127.0.0.1:9",
        ],
        "kr_live_x\n",
    );
    assert!(
        error.contains("needs a project id (--project ID)"),
        "{error}"
    );
    let error = cli.fails(
        &[
            "remote",
            "add",
            "other",
            "--dialect",
            "edgeflags",
            "--url",
            "localhost:80",
        ],
        "t\n",
    );
    assert!(
        error.contains("http:// or https://") || error.contains("not valid"),
        "{error}"
    );
    cli.ok(
        &[
            "remote",
            "add",
            "other",
            "--dialect",
            "edgeflags",
            "--url",
            "http://127.0.0.1:9",
        ],
        "ef_token_from_stdin\n",
    );
    let error = cli.fails(
        &[
            "remote",
            "add",
            "other",
            "--dialect",
            "edgeflags",
            "--url",
            "https://x",
        ],
        "t\n",
    );
    assert!(error.contains("already exists"), "{error}");

    assert_eq!(cli.ok(&["remote", "remove", "other"], "")["name"], "other");
    let error = cli.fails(&["remote", "remove", "other"], "");
    assert!(error.contains("no remote \"other\""), "{error}");
    let error = cli.fails(&["sync", "status", "nowhere"], "");
    assert!(error.contains("`segments remote list`"), "{error}");
}

#[test]
fn push_pull_status_and_resolve_with_exit_codes() {
    let fake = FakeRemote::start(Dialect::Projects);
    let cli = with_remote(&fake, Grant::Full);
    cli.ok(&["segment", "create"], &segment("gamma", "team"));

    let status = cli.ok(&["sync", "status", "hosted"], "");
    let pending: Vec<&str> = status["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(pending, ["beta", "gamma"]);
    assert_eq!(status["segments"][0]["state"], "not_on_remote");

    let preview = cli.ok(&["sync", "push", "hosted", "--dry-run"], "");
    assert_eq!(preview["changes"][0]["op"], "create");
    assert_eq!(
        preview["changes"][0]["request"],
        format!("POST /v1/projects/{}/segments", fake.project_id())
    );
    assert_eq!(
        preview["changes"][0]["body"]["rules"][0]["values"],
        json!(["pro"])
    );
    assert!(fake.segments().is_empty(), "a dry run sends nothing");
    assert_eq!(preview["checked_remote"], true);
    let offline = cli.ok(&["sync", "push", "hosted", "--dry-run", "--offline"], "");
    assert_eq!(offline["checked_remote"], false);
    assert_eq!(offline["changes"], preview["changes"]);

    let report = cli.ok(&["sync", "push", "hosted"], "");
    assert_eq!(report["created"], json!(["beta", "gamma"]));
    assert_eq!(fake.segments().len(), 2);
    let status = cli.ok(&["sync", "status", "hosted"], "");
    assert!(
        status["segments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["state"] == "in_sync")
    );

    // Both sides change gamma's description: push exits non-zero naming the key.
    fake.edit_remotely("gamma", json!({"description": "theirs"}));
    cli.ok(
        &["segment", "update", "gamma"],
        r#"{"description": "mine"}"#,
    );
    let out = cli.run(&["sync", "push", "hosted"], "");
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("conflicts: gamma"), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["conflicts"], json!(["gamma"]));
    let out = cli.run(&["sync", "status", "hosted"], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("conflicts: gamma")
    );

    let resolved = cli.ok(
        &["sync", "resolve", "hosted", "gamma", "--take", "theirs"],
        "",
    );
    assert_eq!(resolved["took"], "theirs");
    assert_eq!(
        cli.ok(&["segment", "get", "gamma"], "")["description"],
        "theirs"
    );
    cli.ok(&["sync", "status", "hosted"], "");
    let error = cli.fails(
        &["sync", "resolve", "hosted", "gamma", "--take", "mine"],
        "",
    );
    assert!(error.contains("has no conflict"), "{error}");

    // A remote edit comes home by pull.
    fake.edit_remotely("beta", json!({"name": "Beta from the remote"}));
    let report = cli.ok(&["sync", "pull", "hosted"], "");
    assert_eq!(report["updated"], json!(["beta"]));
    assert_eq!(
        cli.ok(&["segment", "get", "beta"], "")["name"],
        "Beta from the remote"
    );
}

#[test]
fn a_missing_role_fails_with_what_it_needs_and_changes_nothing() {
    let fake = FakeRemote::start(Dialect::Projects);
    let cli = with_remote(&fake, Grant::Role(Role::Viewer));
    let before = cli.ok(&["sync", "status", "hosted"], "");
    let error = cli.fails(&["sync", "push", "hosted", "--attempts", "1"], "");
    assert!(error.contains("needs Owner, Admin or Developer"), "{error}");
    assert_eq!(cli.ok(&["sync", "status", "hosted"], ""), before);

    // A token passed for one run overrides the stored one.
    let mut cli = cli;
    cli.env.push(("GOOD".into(), fake.token(Grant::Full)));
    let report = cli.ok(&["sync", "push", "hosted", "--token-env", "GOOD"], "");
    assert_eq!(report["created"], json!(["beta"]));
    let error = cli.fails(
        &["sync", "push", "hosted", "--token-env", "UNSET_VARIABLE"],
        "",
    );
    assert!(error.contains("UNSET_VARIABLE is not set"), "{error}");
}
