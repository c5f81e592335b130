//! TLS: `sslmode=require` with the server's authority named by `sslrootcert` counts on a
//! server that refuses logins without TLS; an unknown authority is a TLS error, not a count.

use super::*;

#[test]
fn counts_over_tls_with_the_servers_authority_and_refuse_an_unknown_one() {
    let cluster = Cluster::start_tls_only(PASSWORD);
    cluster.sql("CREATE TABLE users (plan text); INSERT INTO users VALUES ('pro'), ('free')");
    let ca = postgres_cluster::ca_certificate();
    let ca = ca.to_str().unwrap();
    let url = cluster.url();

    let trusted = format!("{url}?sslmode=require&sslrootcert={ca}");
    let counts = run(
        &trusted,
        Some(PASSWORD),
        "users",
        None,
        &["plan-eq"],
        TIMEOUT,
    )
    .unwrap();
    assert_eq!((counts.rows, counts.segments[0].matched), (2, 1));
    // The default (prefer) takes TLS too when the authority is known.
    let preferred = format!("{url}?sslrootcert={ca}");
    run(
        &preferred,
        Some(PASSWORD),
        "users",
        None,
        &["plan-eq"],
        TIMEOUT,
    )
    .unwrap();

    let unknown = format!("{url}?sslmode=require");
    let err = run(&unknown, Some(PASSWORD), "users", None, &[], TIMEOUT).unwrap_err();
    assert_eq!(err.code(), "warehouse_tls", "{err}");
    // OpenSSL's words (native-tls on Linux).
    assert!(
        err.to_string().contains("certificate verify failed"),
        "{err}"
    );
    assert!(err.to_string().contains("sslrootcert"), "{err}");
    // Without TLS the server refuses the login, and says why.
    let plain = format!("{url}?sslmode=disable");
    let err = run(&plain, Some(PASSWORD), "users", None, &[], TIMEOUT).unwrap_err();
    assert_eq!(err.code(), "warehouse_authentication", "{err}");
    assert!(err.to_string().contains("no encryption"), "{err}");
    let missing = format!("{url}?sslmode=require&sslrootcert=/nonexistent/ca.pem");
    let err = run(&missing, Some(PASSWORD), "users", None, &[], TIMEOUT).unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot read sslrootcert /nonexistent/ca.pem"),
        "{err}"
    );
}
