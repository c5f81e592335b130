//! `segments warehouse password` and `segments count`, end to end: the binary, a real
//! PostgreSQL cluster with password logins, the password in a credentials file (never the
//! keyring of whoever runs this), and the same numbers as `segments eval-bulk`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use postgres_cluster::{Cluster, free_port};
use serde_json::{Value, json};

#[path = "support/cli_process.rs"]
mod cli_process;

use cli_process::Cli;

const PASSWORD: &str = "Tr0ub4dor-and-3";
const WRONG: &str = "not-the-Pa55word";

/// The same users as a CSV file (for `eval-bulk`) and as a table (for `count`).
const USERS: &str =
    "plan,seats,country\npro,12,US\nfree,1,US\npro,3,DE\nteam,40,FR\npro,,US\n,7,\n";

fn seeded(cli: &Cli) {
    for document in [
        json!({"key": "pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        json!({"key": "big", "rules": [{"attribute": "seats", "operator": "gte", "values": [10]}]}),
        json!({"key": "not-us", "rules": [{"attribute": "country", "operator": "neq", "values": ["us"], "case_insensitive": true}]}),
        json!({"key": "by-region", "rules": [{"attribute": "region", "operator": "exists"}]}),
    ] {
        cli.ok(&["segment", "create"], &document.to_string());
    }
}

/// `{key: matched}` of an `eval-bulk` or `count` answer.
fn matched(out: &Value) -> Vec<(String, u64)> {
    out["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_owned(),
                s["matched"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn count_on_postgres_equals_eval_bulk_with_the_password_from_the_credentials_store() {
    let cluster = Cluster::start(PASSWORD);
    let mut cli = Cli::new();
    seeded(&cli);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("users.csv");
    std::fs::write(&csv, USERS).unwrap();
    cluster.sql("CREATE TABLE users (plan text, seats text, country text)");
    cluster.sql(&format!(
        "\\copy users FROM '{}' WITH (FORMAT csv, HEADER true)",
        csv.display()
    ));
    let url = cluster.url();
    let keys = [
        "--segment",
        "pro",
        "--segment",
        "big",
        "--segment",
        "not-us",
    ];
    let count_args = |extra: &[&'static str]| -> Vec<String> {
        let mut args = vec!["count", "--warehouse", &url, "--table", "users"]
            .into_iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args
    };

    // No password stored yet: the login is refused, and the error says how to store one.
    let args = count_args(&keys);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let error = cli.fails(&refs, "");
    assert!(error.contains("refused the login"), "{error}");
    assert!(
        error.contains(&format!("segments warehouse password {url}")),
        "{error}"
    );

    // The password goes in through stdin, to a user-only file here (SEGMENTS_CREDENTIALS=file).
    let stored = cli.ok(&["warehouse", "password", &url], &format!("{PASSWORD}\n"));
    assert_eq!(stored["url"], url.as_str());
    assert_eq!(stored["location"], "file");

    let counted = cli.ok(&refs, "");
    let bulk = cli.ok(
        &[
            "eval-bulk",
            "--input",
            csv.to_str().unwrap(),
            "--segment",
            "pro",
            "--segment",
            "big",
            "--segment",
            "not-us",
        ],
        "",
    );
    assert_eq!(counted["rows"], bulk["rows"]);
    assert_eq!(matched(&counted), matched(&bulk));
    assert_eq!(
        matched(&counted),
        [
            ("pro".to_owned(), 3),
            ("big".to_owned(), 2),
            ("not-us".to_owned(), 3)
        ]
    );
    for segment in counted["segments"].as_array().unwrap() {
        assert!(
            segment["query"]
                .as_str()
                .unwrap()
                .starts_with("SELECT count(*) FROM \"users\"")
        );
        assert!(segment["duration_ms"].is_u64(), "{segment}");
    }
    assert_eq!(counted["refused"], json!([]));

    // Every segment, with a schema file and a timeout: the one on a missing column is refused.
    let schema = dir.path().join("schema.json");
    std::fs::write(
        &schema,
        r#"{"plan": "text", "seats": "text", "country": "text"}"#,
    )
    .unwrap();
    let mut args = count_args(&["--timeout", "30", "--schema"]);
    args.push(schema.display().to_string());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let all = cli.ok(&refs, "");
    assert_eq!(all["segments"].as_array().unwrap().len(), 3);
    assert_eq!(
        all["refused"],
        json!([{"key": "by-region", "reason": "the table has no column \"region\""}])
    );

    // A schema naming a column the table lacks: an error naming both, nothing on stdout.
    std::fs::write(&schema, r#"{"plan": "text", "tier": "integer"}"#).unwrap();
    let error = cli.fails(&refs, "");
    assert!(
        error.contains("users") && error.contains("\"tier\""),
        "{error}"
    );

    // The wrong password, stored over the right one (from an environment variable this
    // time): refused, and never shown.
    cli.env.push(("WAREHOUSE_PW".to_owned(), WRONG.to_owned()));
    cli.ok(
        &[
            "warehouse",
            "password",
            &url,
            "--password-env",
            "WAREHOUSE_PW",
        ],
        "",
    );
    let args = count_args(&keys);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let error = cli.fails(&refs, "");
    assert!(error.contains("password authentication failed"), "{error}");
    assert!(
        !error.contains(WRONG) && !error.contains(PASSWORD),
        "{error}"
    );

    // A count past the statement timeout stops, and nothing is printed.
    cluster.sql(
        "CREATE FUNCTION pause() RETURNS boolean VOLATILE LANGUAGE plpgsql \
         AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN true; END $$; \
         CREATE VIEW slow_users AS SELECT u.* FROM users u, generate_series(1, 1000) g WHERE pause()",
    );
    cli.env.retain(|(name, _)| name != "WAREHOUSE_PW");
    cli.env
        .push(("WAREHOUSE_PW".to_owned(), PASSWORD.to_owned()));
    cli.ok(
        &[
            "warehouse",
            "password",
            &url,
            "--password-env",
            "WAREHOUSE_PW",
        ],
        "",
    );
    let error = cli.fails(
        &[
            "count",
            "--warehouse",
            &url,
            "--table",
            "slow_users",
            "--timeout",
            "2",
        ],
        "",
    );
    assert!(error.contains("2 s statement timeout"), "{error}");

    // An unreachable server and a password in the URL: clear errors, no output.
    let closed = format!("postgres://postgres@127.0.0.1:{}/postgres", free_port());
    let error = cli.fails(&["count", "--warehouse", &closed, "--table", "users"], "");
    assert!(error.contains("cannot reach the warehouse"), "{error}");
    let with_password = url.replace("postgres@", &format!("postgres:{PASSWORD}@"));
    let error = cli.fails(&["warehouse", "password", &with_password], "");
    assert!(
        error.contains("keyring") && !error.contains(PASSWORD),
        "{error}"
    );
    let error = cli.fails(
        &[
            "count",
            "--warehouse",
            &url,
            "--table",
            "users",
            "--timeout",
            "0",
        ],
        "",
    );
    assert!(error.contains("--timeout"), "{error}");

    // The passwords are in the credentials folder only: never in the database or its log.
    for file in [cli.db.clone(), cli.db.with_extension("sqlite3-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for secret in [PASSWORD, WRONG] {
            let needle = secret.as_bytes();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds a password",
                file.display()
            );
        }
    }
}
