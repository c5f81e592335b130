//! Each bad input: a clear error, no partial output, never the password.

use super::*;

/// Each bad input fails the whole count with an error that says what to fix, and neither
/// password ever appears in it.
#[test]
fn bad_input_is_a_clear_error_with_no_partial_output_and_no_password() {
    let cluster = Cluster::start(PASSWORD);
    let dir = tempfile::tempdir().unwrap();
    load_users(&cluster, dir.path());
    cluster.sql(
        "CREATE TABLE accounts (id uuid, plan text, seats int4, score float4); \
         CREATE FUNCTION pause() RETURNS boolean VOLATILE LANGUAGE plpgsql \
         AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN true; END $$; \
         CREATE VIEW slow_users AS SELECT * FROM users WHERE pause()",
    );
    let url = cluster.url();
    let closed = format!("postgres://postgres@127.0.0.1:{}/postgres", free_port());
    let short = Duration::from_secs(2);
    let cases: [(&str, Outcome, &str, &[&str]); 10] = [
        (
            "missing column",
            run(
                &url,
                Some(PASSWORD),
                "accounts",
                Some(r#"{"plan": "text", "country": "text"}"#),
                &[],
                TIMEOUT,
            ),
            "warehouse_schema_mismatch",
            &["accounts", "\"country\"", "lacks"],
        ),
        (
            "wrong type",
            run(
                &url,
                Some(PASSWORD),
                "accounts",
                Some(r#"{"seats": "boolean"}"#),
                &[],
                TIMEOUT,
            ),
            "warehouse_schema_mismatch",
            &["\"seats\" is boolean", "int4 (integer)"],
        ),
        (
            "unusable type named",
            run(
                &url,
                Some(PASSWORD),
                "accounts",
                Some(r#"{"score": "double"}"#),
                &[],
                TIMEOUT,
            ),
            "warehouse_schema_mismatch",
            &["\"score\" is double", "float4"],
        ),
        (
            "unreachable",
            run(&closed, Some(PASSWORD), "users", None, &[], TIMEOUT),
            "warehouse_unreachable",
            &["cannot reach", "127.0.0.1:", "refused"],
        ),
        (
            "wrong password",
            run(&url, Some(WRONG), "users", None, &[], TIMEOUT),
            "warehouse_authentication",
            &[
                "password authentication failed",
                "segments warehouse password postgres://postgres@127.0.0.1:",
            ],
        ),
        (
            "no password",
            run(&url, None, "users", None, &[], TIMEOUT),
            "warehouse_authentication",
            &["none is stored"],
        ),
        (
            "statement timeout",
            run(&url, Some(PASSWORD), "slow_users", None, &[], short),
            "warehouse_timeout",
            &["the table's rows", "2 s statement timeout", "--timeout"],
        ),
        (
            "missing table",
            run(&url, Some(PASSWORD), "customers", None, &[], TIMEOUT),
            "warehouse_missing_table",
            &["no table customers", "--table"],
        ),
        (
            "missing database",
            run(
                &format!("{url}_archive"),
                Some(PASSWORD),
                "users",
                None,
                &[],
                TIMEOUT,
            ),
            "warehouse_missing_database",
            &["\"postgres_archive\""],
        ),
        (
            "TLS required, server without",
            run(
                &format!("{url}?sslmode=require"),
                Some(PASSWORD),
                "users",
                None,
                &[],
                TIMEOUT,
            ),
            "warehouse_tls",
            &["TLS", "sslmode"],
        ),
    ];
    for (case, outcome, code, says) in cases {
        let err = match outcome {
            Ok(counts) => panic!("{case}: counted {counts:?}"),
            Err(err) => err,
        };
        let shown = format!("{err} · {err:?}");
        assert_eq!(err.code(), code, "{case}: {shown}");
        for words in says {
            assert!(shown.contains(words), "{case}: {words:?} not in {shown}");
        }
        for secret in [PASSWORD, WRONG] {
            assert!(
                !shown.contains(secret),
                "{case}: the password is shown: {shown}"
            );
        }
    }
    // A password in the URL is refused before anything is sent, and not repeated.
    let with_password = url.replace("postgres@", &format!("postgres:{PASSWORD}@"));
    let err = run(&with_password, None, "users", None, &[], TIMEOUT).unwrap_err();
    assert_eq!(err.code(), "warehouse_bad_url");
    assert!(!format!("{err} {err:?}").contains(PASSWORD), "{err}");
    // An unknown key is refused before connecting (the closed port is never tried).
    let err = run(&closed, Some(PASSWORD), "users", None, &["nope"], TIMEOUT).unwrap_err();
    assert_eq!(err.to_string(), "no segment has the key \"nope\"");
}
