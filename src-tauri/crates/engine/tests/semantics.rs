//! One test per row of the README's evaluation-semantics table, and every operator on a
//! hit, a miss, a missing attribute and a type mismatch.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use segments_engine::{
    CompiledSet, IssueCode, Reason, TraceNode, parse_segment, parse_segment_text,
};
use serde_json::{Value, json};

/// Evaluates one condition against a context, checking that `evaluate` and `explain` agree.
fn check(condition: Value, context: Value) -> (bool, Reason) {
    let segment = parse_segment(&json!({"key": "s", "rules": [condition]}))
        .unwrap_or_else(|e| panic!("invalid condition: {e}"));
    let set = CompiledSet::compile(&[segment]).unwrap();
    let id = set.id("s").unwrap();
    let matched = set.evaluate(id, &context, &mut set.scratch());
    let explanation = set.explain(id, &context);
    assert_eq!(
        explanation.matched, matched,
        "explain and evaluate disagree"
    );
    let TraceNode::Group { children, .. } = explanation.trace else {
        panic!("root is a group")
    };
    let TraceNode::Condition {
        reason, matched: m, ..
    } = children[0]
    else {
        panic!("first rule is a condition")
    };
    assert_eq!(m, matched);
    (matched, reason)
}

fn cond(attribute: &str, operator: &str, values: Value) -> Value {
    json!({"attribute": attribute, "operator": operator, "values": values})
}

fn is(attribute: &str, operator: &str, values: Value, context: Value) -> bool {
    check(cond(attribute, operator, values), context).0
}

// Row 1: positive operators need a present, non-null attribute and some value satisfying it;
// an array context value matches when some element does.
#[test]
fn row1_positive_needs_present_value_and_any_rule_value() {
    assert!(is(
        "plan",
        "in",
        json!(["pro", "enterprise"]),
        json!({"plan": "enterprise"})
    ));
    assert!(!is("plan", "in", json!(["pro"]), json!({"plan": "free"})));
    assert_eq!(
        check(cond("plan", "eq", json!(["pro"])), json!({})),
        (false, Reason::AttributeMissing)
    );
    assert_eq!(
        check(cond("plan", "eq", json!(["pro"])), json!({"plan": null})),
        (false, Reason::AttributeNull)
    );
    assert!(is(
        "tags",
        "eq",
        json!(["beta"]),
        json!({"tags": ["alpha", "beta"]})
    ));
    assert!(!is("tags", "eq", json!(["beta"]), json!({"tags": []})));
    assert!(is("scores", "gt", json!([10]), json!({"scores": [1, 20]})));
}

// Row 2: every negative operator is exactly the negation of its positive.
#[test]
fn row2_negatives_are_exact_negations() {
    let contexts = [
        json!({}),
        json!({"a": null}),
        json!({"a": "x"}),
        json!({"a": "y"}),
        json!({"a": ["x", "z"]}),
        json!({"a": 5}),
        json!({"a": {"b": 1}}),
    ];
    let pairs = [
        ("eq", "neq", json!(["x"])),
        ("in", "not_in", json!(["x", "q"])),
        ("contains", "not_contains", json!(["x"])),
        ("exists", "not_exists", json!([])),
        ("semver_eq", "semver_neq", json!(["1.0.0"])),
    ];
    for context in &contexts {
        for (positive, negative, values) in &pairs {
            let p = is("a", positive, values.clone(), context.clone());
            let n = is("a", negative, values.clone(), context.clone());
            assert_eq!(p, !n, "{positive}/{negative} on {context}");
        }
    }
    assert_eq!(
        check(cond("plan", "neq", json!(["free"])), json!({})),
        (true, Reason::AttributeMissing)
    );
    assert_eq!(
        check(
            cond("plan", "neq", json!(["free"])),
            json!({"plan": "free"})
        ),
        (false, Reason::Negated)
    );
}

// Row 3: eq/in compare numerically when the rule value is a number, else canonical strings.
#[test]
fn row3_eq_numbers_and_canonical_strings() {
    assert!(is(
        "verified",
        "eq",
        json!(["true"]),
        json!({"verified": true})
    ));
    assert!(is(
        "verified",
        "eq",
        json!([true]),
        json!({"verified": "true"})
    ));
    assert!(is("tier", "eq", json!([3]), json!({"tier": "3"})));
    assert!(is("tier", "eq", json!([3]), json!({"tier": 3.0})));
    assert!(is("tier", "eq", json!([3]), json!({"tier": "3.0"})));
    assert!(is("tier", "eq", json!(["3"]), json!({"tier": 3.0})));
    assert!(!is("tier", "eq", json!(["3.0"]), json!({"tier": 3})));
    assert!(!is("plan", "eq", json!(["Pro"]), json!({"plan": "pro"})));
    assert!(!is("tier", "eq", json!([3]), json!({"tier": "three"})));
    assert_eq!(
        check(cond("a", "eq", json!(["x"])), json!({"a": {"x": 1}})),
        (false, Reason::TypeMismatch)
    );
}

// Row 4: string operators on canonical strings; case_insensitive applies to eq, in,
// contains, starts_with, ends_with, matches and their negations.
#[test]
fn row4_string_operators_and_case_insensitivity() {
    assert!(is(
        "email",
        "contains",
        json!(["@acme"]),
        json!({"email": "a@acme.com"})
    ));
    assert!(!is(
        "email",
        "contains",
        json!(["@ACME"]),
        json!({"email": "a@acme.com"})
    ));
    assert!(is("id", "starts_with", json!(["12"]), json!({"id": 1234})));
    assert!(is(
        "email",
        "ends_with",
        json!([".com"]),
        json!({"email": "a@acme.com"})
    ));
    let ci = |op: &str, value: &str, actual: &str| {
        check(
            json!({"attribute": "a", "operator": op, "values": [value], "case_insensitive": true}),
            json!({ "a": actual }),
        )
        .0
    };
    assert!(ci("eq", "STRASSE", "strasse"));
    assert!(ci("in", "Pro", "PRO"));
    assert!(!ci("neq", "Pro", "PRO"));
    assert!(ci("contains", "ACME", "a@acme.com"));
    assert!(!ci("not_contains", "ACME", "a@acme.com"));
    assert!(ci("starts_with", "ADA", "ada@acme.com"));
    assert!(ci("ends_with", "@ACME.COM", "ada@acme.com"));
    assert!(!ci("ends_with", "@ACME", "ada@acme.com"));
    assert!(ci("matches", "^ADA@", "ada@acme.com"));
    assert!(ci("eq", "a.b", "A.B"));
    assert!(!ci("eq", "a.b", "AxB"), "literals are escaped, not regexes");
}

// Row 5: gt/gte/lt/lte compare numbers (numeric strings accepted); otherwise no match.
#[test]
fn row5_numeric_comparisons() {
    assert!(is("seats", "gt", json!([50]), json!({"seats": 51})));
    assert!(!is("seats", "gt", json!([50]), json!({"seats": 50})));
    assert!(is("seats", "gte", json!([50]), json!({"seats": "50"})));
    assert!(is("seats", "lt", json!(["50"]), json!({"seats": 49.5})));
    assert!(is("seats", "lte", json!([50]), json!({"seats": 50})));
    assert_eq!(
        check(cond("seats", "gt", json!([50])), json!({"seats": "many"})),
        (false, Reason::NotANumber)
    );
    assert_eq!(
        check(cond("seats", "gt", json!([50])), json!({"seats": true})),
        (false, Reason::NotANumber)
    );
}

// Row 6: matches is an unanchored regex search; an invalid pattern is a validation error.
#[test]
fn row6_regex() {
    assert!(is(
        "email",
        "matches",
        json!(["acme\\.(com|io)$"]),
        json!({"email": "a@acme.io"})
    ));
    assert!(!is(
        "email",
        "matches",
        json!(["^acme"]),
        json!({"email": "a@acme.io"})
    ));
    assert!(is(
        "email",
        "regex",
        json!(["^zz", "io$"]),
        json!({"email": "a@acme.io"})
    ));
    let err =
        parse_segment(&json!({"key": "s", "rules": [cond("e", "matches", json!(["(unclosed"]))]}))
            .unwrap_err();
    assert_eq!(err.issues[0].path, "rules[0].values[0]");
    assert_eq!(err.issues[0].code, IssueCode::InvalidRegex);
    let huge = parse_segment(
        &json!({"key": "s", "rules": [cond("e", "matches", json!(["\\w{1000}{1000}"]))]}),
    );
    assert!(huge.is_err(), "size limits refuse an exploding regex");
}

// Row 7: exists means present and not null; an empty string exists.
#[test]
fn row7_exists() {
    assert!(is("a", "exists", json!([]), json!({"a": ""})));
    assert!(is("a", "exists", json!([]), json!({"a": []})));
    assert!(!is("a", "exists", json!([]), json!({"a": null})));
    assert!(!is("a", "exists", json!([]), json!({})));
    assert!(is("a", "not_exists", json!([]), json!({"a": null})));
}

// Row 8: semver precedence, leading v, padding, build metadata ignored, unparsable no match.
#[test]
fn row8_semver() {
    assert!(is(
        "v",
        "semver_gte",
        json!(["1.4"]),
        json!({"v": "v1.4.0"})
    ));
    assert!(is(
        "v",
        "semver_eq",
        json!(["1.4.0"]),
        json!({"v": "1.4+build.9"})
    ));
    assert!(is(
        "v",
        "semver_lt",
        json!(["1.0.0"]),
        json!({"v": "1.0.0-rc.1"})
    ));
    assert!(is(
        "v",
        "semver_gt",
        json!(["1.9.9"]),
        json!({"v": "1.10.0"})
    ));
    assert!(is("v", "semver_lte", json!(["2"]), json!({"v": 2})));
    assert!(is(
        "v",
        "semver_neq",
        json!(["2.0.0"]),
        json!({"v": "2.0.1"})
    ));
    assert_eq!(
        check(
            cond("v", "semver_gt", json!(["1.0.0"])),
            json!({"v": "latest"})
        ),
        (false, Reason::NotASemver)
    );
    assert!(
        parse_segment(&json!({"key": "s", "rules": [cond("v", "semver_gt", json!(["one"]))]}))
            .is_err()
    );
}

// Row 9: before/after on RFC 3339 or dates (midnight UTC), as instants; unparsable no match.
#[test]
fn row9_dates() {
    assert!(is(
        "at",
        "after",
        json!(["2026-01-01"]),
        json!({"at": "2026-01-01T00:00:01Z"})
    ));
    assert!(!is(
        "at",
        "after",
        json!(["2026-01-01"]),
        json!({"at": "2026-01-01"})
    ));
    assert!(is(
        "at",
        "before",
        json!(["2026-01-01T00:00:00Z"]),
        json!({"at": "2026-01-01T00:30:00+01:00"})
    ));
    assert_eq!(
        check(
            cond("at", "before", json!(["2026-01-01"])),
            json!({"at": "soon"})
        ),
        (false, Reason::NotADate)
    );
    assert_eq!(
        check(
            cond("at", "before", json!(["2026-01-01"])),
            json!({"at": 1_700_000_000})
        ),
        (false, Reason::NotADate)
    );
}

// Row 10: in_segment matches when the context is in any named segment; unknown keys and
// cycles are validation errors.
#[test]
fn row10_segment_references() {
    let segments: Vec<_> = [
        json!({"key": "pro", "rules": [cond("plan", "eq", json!(["pro"]))]}),
        json!({"key": "us", "rules": [cond("country", "eq", json!(["US"]))]}),
        json!({"key": "pro-or-us", "rules": [cond("segment", "in_segment", json!(["pro", "us"]))]}),
        json!({"key": "not-pro", "rules": [cond("segment", "not_in_segment", json!(["pro"]))]}),
    ]
    .iter()
    .map(|v| parse_segment(v).unwrap())
    .collect();
    let set = CompiledSet::compile(&segments).unwrap();
    let mut scratch = set.scratch();
    let eval = |key: &str, context: Value, scratch: &mut _| {
        set.evaluate(set.id(key).unwrap(), &context, scratch)
    };
    assert!(eval("pro-or-us", json!({"country": "US"}), &mut scratch));
    assert!(!eval("pro-or-us", json!({"country": "DE"}), &mut scratch));
    assert!(eval("not-pro", json!({"plan": "free"}), &mut scratch));
    assert!(!eval("not-pro", json!({"plan": "pro"}), &mut scratch));

    let unknown = CompiledSet::compile(&segments[2..3]).unwrap_err();
    assert_eq!(unknown.issues[0].code, IssueCode::UnknownSegment);
    assert_eq!(unknown.issues[0].path, "rules[0].values[0]");

    let cycle: Vec<_> = [
        json!({"key": "a", "rules": [cond("segment", "in_segment", json!(["b"]))]}),
        json!({"key": "b", "rules": [cond("segment", "in_segment", json!(["a"]))]}),
    ]
    .iter()
    .map(|v| parse_segment(v).unwrap())
    .collect();
    let err = CompiledSet::compile(&cycle).unwrap_err();
    assert!(
        err.issues
            .iter()
            .all(|i| i.code == IssueCode::ReferenceCycle)
    );
    assert!(err.to_string().contains("a → b → a"), "{err}");
    let itself =
        parse_segment(&json!({"key": "a", "rules": [cond("s", "in_segment", json!(["a"]))]}))
            .unwrap();
    assert_eq!(
        CompiledSet::compile(&[itself]).unwrap_err().first_code(),
        Some(IssueCode::ReferenceCycle)
    );
}

// Row 11: dotted attribute names address nested objects unless they are a literal key.
#[test]
fn row11_dotted_attributes() {
    assert!(is(
        "address.country",
        "eq",
        json!(["US"]),
        json!({"address": {"country": "US"}})
    ));
    assert!(is(
        "address.country",
        "eq",
        json!(["US"]),
        json!({"address.country": "US", "address": {"country": "DE"}})
    ));
    assert!(!is(
        "address.country",
        "eq",
        json!(["US"]),
        json!({"address": "US"})
    ));
    assert!(is(
        "a.b.c",
        "exists",
        json!([]),
        json!({"a": {"b": {"c": 0}}})
    ));
}

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
