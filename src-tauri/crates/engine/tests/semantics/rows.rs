//! The README's evaluation-semantics table, one test per row (`rowN_…`).

use crate::*;

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

/// Outcomes remembered per distinct value belong to one compiled set: a row of slots
/// reused with another set (its condition 0 tests something else) gets that set's answers.
#[test]
fn remembered_outcomes_never_cross_sets() {
    use segments_engine::{CompiledSet, Slots, parse_segment};
    let pro = CompiledSet::compile(&[parse_segment(&serde_json::json!({"key": "s", "rules": [
        {"attribute": "plan", "operator": "eq", "values": ["pro"]}]}))
    .unwrap()])
    .unwrap();
    let not_pro =
        CompiledSet::compile(&[parse_segment(&serde_json::json!({"key": "s", "rules": [
        {"attribute": "plan", "operator": "neq", "values": ["pro"]}]}))
        .unwrap()])
        .unwrap();
    let id = pro.id("s").unwrap();
    let mut slots = Slots::new(1);
    let (mut a, mut b) = (pro.scratch(), not_pro.scratch());
    for round in 0..3 {
        for (plan, is_pro) in [("pro", true), ("free", false), ("pro", true)] {
            slots.clear();
            slots.set_str(0, plan);
            assert_eq!(
                pro.evaluate_slots(id, &slots, &mut a),
                is_pro,
                "round {round}: {plan}"
            );
            assert_eq!(
                not_pro.evaluate_slots(id, &slots, &mut b),
                !is_pro,
                "round {round}: {plan}"
            );
        }
    }
}

// Row 12: a condition needs at least one value (only `exists` / `not_exists` take none). An
// empty list is refused on save instead of read as "never" (`in []`) or "always" (`not_in []`).
#[test]
fn row12_a_condition_needs_a_value() {
    for operator in ["in", "not_in", "eq", "semver_gte", "in_segment"] {
        let doc = json!({"key": "s", "rules": [cond("plan", operator, json!([]))]});
        let refused = parse_segment(&doc).unwrap_err();
        assert_eq!(refused.issues[0].code, IssueCode::ValueCount, "{operator}");
        assert_eq!(refused.issues[0].path, "rules[0].values", "{operator}");
        assert_eq!(refused.issues[0].message, "needs at least one value");
    }
    let exists = json!({"key": "s", "rules": [cond("plan", "exists", json!([]))]});
    assert!(parse_segment(&exists).is_ok());
}
