//! Every operator on a hit, a miss, a missing attribute and a type mismatch; input formats,
//! refusals and limits.

use crate::*;

#[test]
fn match_types_all_any_none() {
    let seg = |match_type: &str| {
        parse_segment(&json!({"key": "s", "match_type": match_type, "rules": [
            cond("a", "eq", json!([1])), cond("b", "eq", json!([1]))]}))
        .unwrap()
    };
    let run = |match_type: &str, context: Value| {
        let set = CompiledSet::compile(&[seg(match_type)]).unwrap();
        set.evaluate(set.id("s").unwrap(), &context, &mut set.scratch())
    };
    assert!(run("all", json!({"a": 1, "b": 1})));
    assert!(!run("all", json!({"a": 1, "b": 2})));
    assert!(run("any", json!({"a": 1, "b": 2})));
    assert!(!run("any", json!({"a": 2, "b": 2})));
    assert!(run("none", json!({"a": 2, "b": 2})));
    assert!(!run("none", json!({"a": 1, "b": 2})));
}

/// Every operator: a hit, a miss, a missing attribute and a type mismatch.
#[test]
fn every_operator_hit_miss_missing_mismatch() {
    #[rustfmt::skip]
    let table: &[(&str, Value, Value, Value, Value)] = &[
        // operator, values, hit, miss, mismatched value
        ("eq", json!(["a"]), json!("a"), json!("b"), json!({"k": 1})),
        ("neq", json!(["a"]), json!("b"), json!("a"), json!({"k": 1})),
        ("in", json!(["a", "b"]), json!("b"), json!("c"), json!([[1]])),
        ("not_in", json!(["a", "b"]), json!("c"), json!("a"), json!({"k": 1})),
        ("contains", json!(["ell"]), json!("hello"), json!("bye"), json!({"k": 1})),
        ("not_contains", json!(["ell"]), json!("bye"), json!("hello"), json!({"k": 1})),
        ("starts_with", json!(["he"]), json!("hello"), json!("oh"), json!({"k": 1})),
        ("ends_with", json!(["lo"]), json!("hello"), json!("low"), json!({"k": 1})),
        ("gt", json!([1]), json!(2), json!(1), json!("two")),
        ("gte", json!([1]), json!(1), json!(0), json!("two")),
        ("lt", json!([1]), json!(0), json!(1), json!("two")),
        ("lte", json!([1]), json!(1), json!(2), json!("two")),
        ("matches", json!(["^h.l"]), json!("hello"), json!("yellow"), json!({"k": 1})),
        ("exists", json!([]), json!("x"), Value::Null, Value::Null),
        ("not_exists", json!([]), Value::Null, json!("x"), Value::Null),
        ("semver_eq", json!(["1.2.3"]), json!("1.2.3"), json!("1.2.4"), json!("x")),
        ("semver_neq", json!(["1.2.3"]), json!("1.2.4"), json!("1.2.3"), json!("x")),
        ("semver_gt", json!(["1.2.3"]), json!("1.3"), json!("1.2.3"), json!("x")),
        ("semver_gte", json!(["1.2.3"]), json!("1.2.3"), json!("1.2"), json!("x")),
        ("semver_lt", json!(["1.2.3"]), json!("1.2"), json!("1.2.3"), json!("x")),
        ("semver_lte", json!(["1.2.3"]), json!("1.2.3"), json!("2"), json!("x")),
        ("before", json!(["2026-01-01"]), json!("2025-12-31"), json!("2026-01-02"), json!("x")),
        ("after", json!(["2026-01-01"]), json!("2026-01-02"), json!("2025-12-31"), json!("x")),
    ];
    for (op, values, hit, miss, mismatch) in table {
        let run = |actual: &Value| {
            let context = if actual.is_null() {
                json!({})
            } else {
                json!({ "a": actual })
            };
            check(cond("a", op, values.clone()), context)
        };
        assert!(run(hit).0, "{op} should match {hit}");
        assert!(!run(miss).0, "{op} should not match {miss}");
        let negative = op.starts_with("not_") || *op == "neq" || *op == "semver_neq";
        let (missing, reason) = check(cond("a", op, values.clone()), json!({}));
        assert_eq!(missing, negative, "{op} on a missing attribute");
        assert_eq!(reason, Reason::AttributeMissing, "{op} reason when missing");
        if !mismatch.is_null() {
            let (m, _) = run(mismatch);
            assert_eq!(m, negative, "{op} on mismatched {mismatch}");
        }
    }
}

#[test]
fn seed_formats_parse_to_canonical() {
    let krafter = parse_segment_text(
        r#"{"id": "1a2b", "name": "Pro Users", "description": null, "match_type": "any",
            "rules": [{"key": "plan", "operator": "equals", "value": "pro"},
                      {"key": "country", "operator": "in", "value": ["US", "CA"]},
                      {"key": "seats", "operator": "greater_than", "value": 5}]}"#,
    )
    .unwrap();
    assert_eq!(
        krafter.to_json(),
        json!({"key": "pro-users", "name": "Pro Users", "description": "", "match_type": "any",
               "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]},
                         {"attribute": "country", "operator": "in", "values": ["US", "CA"]},
                         {"attribute": "seats", "operator": "gt", "values": [5]}]})
    );
    let edgeflags = parse_segment_text(
        r#"{"key": "beta_users", "conditions": [
              {"property": "email", "operator": "contains", "value": "@beta.com"},
              {"property": "segment", "operator": "not_in", "value": ["blocked_users"]}]}"#,
    )
    .unwrap();
    assert_eq!(
        edgeflags.to_json(),
        json!({"key": "beta_users", "name": "beta_users", "description": "", "match_type": "all",
               "rules": [{"attribute": "email", "operator": "contains", "values": ["@beta.com"]},
                         {"attribute": "segment", "operator": "not_in_segment", "values": ["blocked_users"]}]})
    );
    let err = parse_segment_text(r#"{"key": "x", "match_type": "any", "conditions": [{"property": "a", "operator": "eq", "value": 1}]}"#)
        .unwrap_err();
    assert_eq!(err.issues[0].code, IssueCode::InvalidMatchType);
}

#[test]
fn refusals_name_the_path_and_the_fix() {
    let cases: &[(&str, &str, IssueCode)] = &[
        (
            r#"{"key": "Bad", "rules": [{"attribute": "a", "operator": "exists"}]}"#,
            "key",
            IssueCode::InvalidKey,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "exists"}, {"match_type": "any", "rules": [{"attribute": "b", "operator": "sorta_equals", "values": [1]}]}]}"#,
            "rules[1].rules[0].operator",
            IssueCode::UnknownOperator,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "gt", "values": ["lots"]}]}"#,
            "rules[0].values[0]",
            IssueCode::InvalidValue,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "in", "values": []}]}"#,
            "rules[0].values",
            IssueCode::ValueCount,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "exists", "values": [1]}]}"#,
            "rules[0].values",
            IssueCode::ValueCount,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "eq", "values": "x"}]}"#,
            "rules[0].values",
            IssueCode::WrongType,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "eq", "values": [null]}]}"#,
            "rules[0].values[0]",
            IssueCode::InvalidValue,
        ),
        (
            r#"{"key": "k", "rules": []}"#,
            "rules",
            IssueCode::EmptyRules,
        ),
        (r#"{"key": "k"}"#, "rules", IssueCode::MissingField),
        (
            r#"{"key": "k", "rulez": [], "rules": [{"attribute": "a", "operator": "exists"}]}"#,
            "rulez",
            IssueCode::UnknownField,
        ),
        (
            r#"{"key": "k", "match_type": "most", "rules": [{"attribute": "a", "operator": "exists"}]}"#,
            "match_type",
            IssueCode::InvalidMatchType,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "gt", "values": [1], "case_insensitive": true}]}"#,
            "rules[0].case_insensitive",
            IssueCode::InvalidValue,
        ),
        (
            r#"{"key": "k", "rules": [{"attribute": "a", "operator": "before", "values": ["2026-13-01"]}]}"#,
            "rules[0].values[0]",
            IssueCode::InvalidValue,
        ),
        (r#"[1]"#, "", IssueCode::WrongType),
        (
            r#"{"key": "k", "rules": [{"attribute": "a"#,
            "",
            IssueCode::InvalidJson,
        ),
    ];
    for (text, path, code) in cases {
        let err = parse_segment_text(text).unwrap_err();
        let issue = &err.issues[0];
        assert_eq!(
            (issue.path.as_str(), issue.code),
            (*path, *code),
            "{text}: {err}"
        );
        assert!(!issue.message.is_empty());
    }
    let message = parse_segment_text(cases[1].0).unwrap_err().to_string();
    assert!(
        message.starts_with(
            "rules[1].rules[0].operator: unknown operator \"sorta_equals\"; expected one of eq, neq"
        ),
        "{message}"
    );
}

#[test]
fn limits_refuse_oversize_input() {
    let mut deep = json!({"attribute": "a", "operator": "exists"});
    for _ in 0..20 {
        deep = json!({"match_type": "all", "rules": [deep]});
    }
    let err = parse_segment(&json!({"key": "k", "rules": [deep]})).unwrap_err();
    assert_eq!(err.first_code(), Some(IssueCode::TooDeep));

    let many: Vec<Value> = (0..1001)
        .map(|_| json!({"attribute": "a", "operator": "exists"}))
        .collect();
    let err = parse_segment(&json!({"key": "k", "rules": many})).unwrap_err();
    assert_eq!(err.first_code(), Some(IssueCode::TooLarge));

    let big = "x".repeat(segments_engine::limits::MAX_DOCUMENT_BYTES + 1);
    assert_eq!(
        parse_segment_text(&big).unwrap_err().first_code(),
        Some(IssueCode::TooLarge)
    );

    // serde_json's recursion limit turns absurd nesting into an error, not a stack overflow.
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        parse_segment_text(&nested).unwrap_err().first_code(),
        Some(IssueCode::InvalidJson)
    );
}

#[test]
fn big_in_lists_use_the_sorted_set() {
    let values: Vec<Value> = (0..5000).map(|i| json!(format!("user-{i}"))).collect();
    assert!(is(
        "id",
        "in",
        Value::Array(values.clone()),
        json!({"id": "user-4321"})
    ));
    assert!(!is(
        "id",
        "in",
        Value::Array(values),
        json!({"id": "user-5000"})
    ));
    let numbers: Vec<Value> = (0..5000).map(|i| json!(i * 2)).collect();
    assert!(is(
        "n",
        "in",
        Value::Array(numbers.clone()),
        json!({"n": "4000"})
    ));
    assert!(!is("n", "in", Value::Array(numbers), json!({"n": 4001})));
}

#[test]
fn large_integers_compare_exactly() {
    let id = json!(1_234_567_890_123_456_789_u64);
    assert!(is(
        "user_id",
        "eq",
        json!([id]),
        json!({"user_id": 1_234_567_890_123_456_789_u64})
    ));
    assert!(!is(
        "user_id",
        "eq",
        json!([id]),
        json!({"user_id": 1_234_567_890_123_456_790_u64})
    ));
    assert!(!is(
        "n",
        "eq",
        json!([9_007_199_254_740_992_u64]),
        json!({"n": "9007199254740993"})
    ));
    assert!(is(
        "n",
        "gt",
        json!([9_007_199_254_740_992_u64]),
        json!({"n": "9007199254740993"})
    ));
    assert!(is("n", "in", json!([1, 2.5]), json!({"n": "2.5"})));
}

#[test]
fn vendor_formats_report_the_field_they_wrote() {
    let err = parse_segment_text(
        r#"{"name": "x", "rules": [{"key": "seats", "operator": "greater_than", "value": "lots"}]}"#,
    )
    .unwrap_err();
    assert_eq!(err.issues[0].path, "rules[0].value[0]");
    // Only in/not_in on EdgeFlags' `segment` property reference segments; eq is an attribute.
    let tier = parse_segment_text(
        r#"{"key": "smb", "conditions": [{"property": "segment", "operator": "equals", "value": "smb"}]}"#,
    )
    .unwrap();
    assert_eq!(
        tier.rules[0],
        parse_segment(&json!({"key": "t", "rules": [cond("segment", "eq", json!(["smb"]))]}))
            .unwrap()
            .rules[0]
    );
}

#[test]
fn values_too_big_together_are_refused_at_compile() {
    let parts: Vec<Value> = (0..6000)
        .map(|i| json!(format!("person-{i}@example-company-{i}.com")))
        .collect();
    let segment = parse_segment(&json!({"key": "s", "rules": [
        {"attribute": "email", "operator": "contains", "values": parts, "case_insensitive": true}]}));
    // Each value is fine; the one case-insensitive pattern they compile to is not.
    let err = CompiledSet::compile(&[segment.unwrap()]).unwrap_err();
    assert_eq!(err.first_code(), Some(IssueCode::TooLarge));
    assert_eq!(err.issues[0].path, "rules[0].values");
}

#[test]
fn long_case_insensitive_lists_work() {
    let emails: Vec<Value> = (0..6000)
        .map(|i| json!(format!("Person-{i}@Example.com")))
        .collect();
    let values = Value::Array(emails);
    let ci = |actual: &str| {
        check(
            json!({"attribute": "email", "operator": "in", "values": values.clone(), "case_insensitive": true}),
            json!({ "email": actual }),
        )
        .0
    };
    assert!(ci("PERSON-4321@EXAMPLE.COM"));
    assert!(ci("person-0@example.com"));
    assert!(!ci("person-6000@example.com"));
}

/// A trace echoes a context value at most 200 characters long: a 1 MiB value read by many
/// conditions must not come back once per condition.
#[test]
fn traces_cut_long_values_they_echo() {
    let long = "x".repeat(100_000);
    let many: Vec<u32> = (0..10_000).collect();
    let segment = parse_segment(&json!({"key": "s", "rules": [
        cond("bio", "contains", json!(["y"])),
        cond("ids", "in", json!([7])),
        cond("plan", "eq", json!(["pro"]))
    ]}))
    .unwrap();
    let set = CompiledSet::compile(&[segment]).unwrap();
    let context = json!({"bio": long, "ids": many, "plan": "pro"});
    let trace = set.explain(set.id("s").unwrap(), &context).trace;
    let TraceNode::Group { children, .. } = trace else {
        panic!("root is a group")
    };
    for child in &children {
        let TraceNode::Condition {
            actual, message, ..
        } = child
        else {
            panic!("a condition")
        };
        let shown = actual.as_ref().unwrap().to_string();
        assert!(shown.chars().count() <= 205, "{} chars echoed", shown.len());
        assert!(
            message.chars().count() < 600,
            "{} chars in the message",
            message.len()
        );
    }
    let TraceNode::Condition { actual, .. } = &children[2] else {
        panic!("a condition")
    };
    assert_eq!(actual, &Some(json!("pro")), "a short value is shown whole");
}

/// The key a name gives (formats without keys, and a new segment in the app): the name's
/// words in ASCII, accented Latin letters folded, always a valid key.
#[test]
fn keys_from_names_keep_the_words() {
    let names = [
        ("VIP users", "vip-users"),
        ("Über fans: 2026 Q1!", "uber-fans-2026-q1"),
        ("  -- Beta__Testers --  ", "beta-testers"),
        ("Ça va? Señor", "ca-va-senor"),
        ("Straße & Œuvre", "strasse-oeuvre"),
        ("日本", "segment"),
    ];
    for (name, key) in names {
        assert_eq!(key_from_name(name), key, "{name}");
    }
    let long = key_from_name(&"ß".repeat(200));
    assert_eq!(long.len(), 128, "the longest key there is");
    assert!(is_valid_key(&long) && is_valid_key(&key_from_name("x-ß")));
}
