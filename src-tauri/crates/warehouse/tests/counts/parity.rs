//! The same numbers as `eval-bulk`, on text columns and on the table's own types.

use super::*;

#[test]
fn counts_equal_eval_bulk_and_say_what_ran() {
    let cluster = Cluster::start(PASSWORD);
    let dir = tempfile::tempdir().unwrap();
    let csv = load_users(&cluster, dir.path());
    let all = segments();
    let expected = bulk(&csv, &all[..6]);

    let counts = run(&cluster.url(), Some(PASSWORD), "users", None, &[], TIMEOUT).unwrap();
    assert_eq!(counts.rows, ROWS);
    let keys: Vec<&str> = counts.segments.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "plan-eq",
            "country-not-in-ci",
            "seats-gte",
            "email-ends",
            "nested",
            "refers"
        ]
    );
    for (counted, want) in counts.segments.iter().zip(&expected) {
        assert_eq!(counted.matched, *want, "{}: {}", counted.key, counted.query);
        assert!(
            counted
                .query
                .starts_with("SELECT count(*) FROM \"users\" WHERE ")
        );
    }
    assert!(expected.iter().any(|&n| n > 0) && expected.iter().any(|&n| n < ROWS));
    let refused: Vec<(&str, &str)> = counts
        .refused
        .iter()
        .map(|r| (r.key.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(
        refused,
        [
            ("by-region", "the table has no column \"region\""),
            ("by-device", "the table has no column \"device\"")
        ]
    );

    // Asked by key, in the order asked; a schema file narrows the columns to its own.
    let counts = run(
        &cluster.url(),
        Some(PASSWORD),
        "public.users",
        Some(r#"{"plan": "text", "country": "text", "seats": "text"}"#),
        &["refers", "plan-eq", "email-ends"],
        TIMEOUT,
    )
    .unwrap();
    let got: Vec<(&str, u64)> = counts
        .segments
        .iter()
        .map(|c| (c.key.as_str(), c.matched))
        .collect();
    assert_eq!(got, [("refers", expected[5]), ("plan-eq", expected[0])]);
    assert_eq!(counts.refused[0].key, "email-ends");
    assert!(counts.refused[0].reason.contains("not in the schema file"));

    // Typed columns are read from the server: an integer column compares as integers.
    cluster.sql(
        "CREATE TABLE typed AS SELECT user_id, CAST(seats AS bigint) AS seats, \
         md5(user_id)::uuid AS device FROM users WHERE seats ~ '^[0-9]{1,9}$'",
    );
    let typed = cluster.sql("SELECT count(*) FILTER (WHERE seats >= 250) FROM typed");
    let counts = run(
        &cluster.url(),
        Some(PASSWORD),
        "typed",
        None,
        &["seats-gte", "by-device"],
        TIMEOUT,
    )
    .unwrap();
    assert_eq!(counts.segments[0].matched.to_string(), typed);
    let query = &counts.segments[0].query;
    assert!(query.contains("\"seats\" >= 250"), "{query}");
    assert_eq!(counts.refused[0].key, "by-device");
    assert!(
        counts.refused[0]
            .reason
            .starts_with("column \"device\" is of type uuid: counts use text"),
        "{}",
        counts.refused[0].reason
    );
}

/// The typed edge population: each row's value as its column's type, or the row left out.
fn typed_users() -> Vec<serde_json::Value> {
    use serde_json::Value;
    let mut rng = fastrand::Rng::with_seed(SEED);
    (0..ROWS)
        .filter_map(|i| {
            let user = synthetic::user(&mut rng, i, true);
            let mut row = serde_json::Map::new();
            for (name, value) in user.as_object().unwrap() {
                let value = match (name.as_str(), value) {
                    (_, Value::Null) | ("app_version" | "signed_up_at", _) => continue,
                    ("seats", Value::String(s)) => json!(s.parse::<f64>().ok()?),
                    ("seats", Value::Number(n)) => json!(n.as_f64()?),
                    ("beta", v) if !v.is_boolean() => return None,
                    ("tags", v) if !v.is_array() => return None,
                    (_, v) => v.clone(),
                };
                row.insert(name.clone(), value);
            }
            Some(Value::Object(row))
        })
        .collect()
}

/// The types come from the server: double precision, numeric, boolean, text[], varchar and
/// jsonb (dotted paths) columns count what `eval-bulk` counts on the same typed rows.
#[test]
fn counts_on_the_tables_own_types_equal_eval_bulk() {
    let cluster = Cluster::start(PASSWORD);
    let dir = tempfile::tempdir().unwrap();
    let users = typed_users();
    let ndjson = dir.path().join("typed.ndjson");
    let lines: Vec<String> = users.iter().map(|u| u.to_string()).collect();
    std::fs::write(&ndjson, lines.join("\n") + "\n").unwrap();
    cluster.sql("CREATE TABLE raw (doc jsonb)");
    cluster.sql(&format!(
        "\\copy raw FROM '{}' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')",
        ndjson.display()
    ));
    let columns = |seats: &str| {
        format!(
            "SELECT doc->>'user_id' AS user_id, doc->>'email' AS email, \
             (doc->>'plan')::varchar(40) AS plan, doc->>'country' AS country, \
             (doc->>'seats')::{seats} AS seats, (doc->>'beta')::boolean AS beta, \
             CASE WHEN doc ? 'tags' THEN ARRAY(SELECT jsonb_array_elements_text(doc->'tags')) \
             END AS tags, doc->'address' AS address FROM raw"
        )
    };
    cluster.sql(&format!(
        "CREATE TABLE users_double AS {}",
        columns("float8")
    ));
    cluster.sql(&format!(
        "CREATE TABLE users_numeric AS {}",
        columns("numeric")
    ));
    let segments: Vec<Segment> = [
        json!({"key": "seats-gte", "rules": [{"attribute": "seats", "operator": "gte", "values": [250]}]}),
        json!({"key": "seats-eq-number", "rules": [{"attribute": "seats", "operator": "eq", "values": [1, 7.5, 120]}]}),
        json!({"key": "seats-in-strings", "rules": [{"attribute": "seats", "operator": "in", "values": ["1", "12.5", "7.0"]}]}),
        json!({"key": "seats-lt", "rules": [{"attribute": "seats", "operator": "lt", "values": ["10"]}]}),
        json!({"key": "beta-eq", "rules": [{"attribute": "beta", "operator": "eq", "values": [true]}]}),
        json!({"key": "beta-neq-string", "rules": [{"attribute": "beta", "operator": "neq", "values": ["false"]}]}),
        json!({"key": "tags-eq", "rules": [{"attribute": "tags", "operator": "eq", "values": ["vip"]}]}),
        json!({"key": "tags-contains-ci", "rules": [{"attribute": "tags", "operator": "contains", "values": ["RISK"], "case_insensitive": true}]}),
        json!({"key": "tags-exists", "rules": [{"attribute": "tags", "operator": "exists"}]}),
        json!({"key": "plan-eq", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}),
        json!({"key": "address-country", "rules": [{"attribute": "address.country", "operator": "eq", "values": ["US"]}]}),
        json!({"key": "address-city-missing", "rules": [{"attribute": "address.city", "operator": "not_exists"}]}),
        json!({"key": "country-not-in-ci", "rules": [{"attribute": "country", "operator": "not_in", "values": ["us", "de"], "case_insensitive": true}]}),
    ]
    .iter()
    .map(|d| parse_segment(d).unwrap())
    .collect();
    let expected = bulk(&ndjson, &segments);
    assert_eq!(segments[10].key, "address-country");
    assert!(
        expected[10] > 0,
        "no address in the US: the JSON paths test nothing"
    );
    assert!(expected.iter().any(|&n| n > 0) && expected.iter().any(|&n| n < users.len() as u64));
    for table in ["users_double", "users_numeric"] {
        let counts = run_on(
            &segments,
            &cluster.url(),
            Some(PASSWORD),
            table,
            None,
            &[],
            TIMEOUT,
        )
        .unwrap();
        assert_eq!(counts.rows, users.len() as u64, "{table}");
        assert!(counts.refused.is_empty(), "{table}: {:?}", counts.refused);
        for (counted, want) in counts.segments.iter().zip(&expected) {
            assert_eq!(
                counted.matched, *want,
                "{table} · {}: {}",
                counted.key, counted.query
            );
        }
    }
}

/// A `timestamp` without time zone is read as UTC, whatever zone the server or the role is
/// set to, so `before`/`after` do not move with it; a `timestamptz` is an instant already.
#[test]
fn a_timestamp_without_time_zone_is_read_as_utc() {
    let cluster = Cluster::start(PASSWORD);
    cluster.sql("ALTER ROLE postgres SET timezone = 'Asia/Tokyo'");
    cluster.sql(
        "CREATE TABLE visits (seen timestamp, seen_tz timestamptz); \
         INSERT INTO visits VALUES ('2026-01-01 00:30:00', '2026-01-01 00:30:00+00'), \
         ('2025-12-31 23:30:00', '2025-12-31 23:30:00+00'), (NULL, NULL)",
    );
    let segments: Vec<Segment> = [
        json!({"key": "after", "rules": [{"attribute": "seen", "operator": "after", "values": ["2026-01-01T00:00:00Z"]}]}),
        json!({"key": "after-tz", "rules": [{"attribute": "seen_tz", "operator": "after", "values": ["2026-01-01T00:00:00Z"]}]}),
        json!({"key": "before", "rules": [{"attribute": "seen", "operator": "before", "values": ["2026-01-01T00:00:00Z"]}]}),
    ]
    .iter()
    .map(|d| parse_segment(d).unwrap())
    .collect();
    let counts = run_on(
        &segments,
        &cluster.url(),
        Some(PASSWORD),
        "visits",
        None,
        &[],
        TIMEOUT,
    )
    .unwrap();
    let got: Vec<(&str, u64)> = counts
        .segments
        .iter()
        .map(|c| (c.key.as_str(), c.matched))
        .collect();
    assert_eq!(
        got,
        [("after", 1), ("after-tz", 1), ("before", 1)],
        "{counts:?}"
    );
}
