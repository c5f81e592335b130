//! Property tests: no input panics the engine, and parse → canonical → parse round-trips.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use proptest::prelude::*;
use segments_engine::{CompiledSet, Operator, ValueKind, parse_segment, parse_segment_text};
use serde_json::{Value, json};

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-z0-9 .@_-]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("1.2.3"),
            Just("2026-01-01"),
            Just("^a.*"),
            Just("v2"),
            Just("(")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("key".to_owned()),
                    Just("rules".to_owned()),
                    Just("attribute".to_owned()),
                    Just("operator".to_owned()),
                    Just("values".to_owned()),
                    Just("value".to_owned()),
                    Just("match_type".to_owned()),
                    Just("conditions".to_owned()),
                    Just("property".to_owned()),
                    Just("a".to_owned()),
                    Just("b.c".to_owned())
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn value_for(kind: ValueKind) -> BoxedStrategy<Value> {
    match kind {
        ValueKind::None => Just(Value::Null).boxed(),
        ValueKind::Scalar => prop_oneof![
            "[a-zA-Z0-9]{0,6}".prop_map(Value::String),
            any::<i32>().prop_map(|n| json!(n)),
            any::<bool>().prop_map(Value::Bool)
        ]
        .boxed(),
        ValueKind::String => "[a-zA-Z0-9@.]{0,6}".prop_map(Value::String).boxed(),
        ValueKind::Number => prop_oneof![
            any::<i32>().prop_map(|n| json!(n)),
            (-1e9f64..1e9).prop_map(|f| json!(f))
        ]
        .boxed(),
        ValueKind::Regex => prop_oneof![Just("^a"), Just("b+$"), Just("[0-9]{2}")]
            .prop_map(|s| json!(s))
            .boxed(),
        ValueKind::Semver => (0u8..5, 0u8..5, 0u8..5)
            .prop_map(|(a, b, c)| json!(format!("{a}.{b}.{c}")))
            .boxed(),
        ValueKind::Date => (2000u16..2030, 1u8..13, 1u8..29)
            .prop_map(|(y, m, d)| json!(format!("{y}-{m:02}-{d:02}")))
            .boxed(),
        ValueKind::Segment => Just(json!("base")).boxed(),
    }
}

fn condition() -> impl Strategy<Value = Value> {
    (
        0..Operator::ALL.len(),
        "[a-z]{1,3}(\\.[a-z]{1,3})?",
        any::<bool>(),
    )
        .prop_flat_map(|(i, attribute, ci)| {
            let op = Operator::ALL[i];
            let count = if op.value_kind() == ValueKind::None {
                0..1
            } else {
                1..4
            };
            prop::collection::vec(value_for(op.value_kind()), count).prop_map(move |values| {
                let mut c =
                    json!({"attribute": attribute, "operator": op.as_str(), "values": values});
                if ci && op.accepts_case_insensitive() {
                    c["case_insensitive"] = json!(true);
                }
                c
            })
        })
}

fn rules() -> impl Strategy<Value = Vec<Value>> {
    let rule = condition().prop_recursive(3, 24, 4, |inner| {
        (
            prop_oneof![Just("all"), Just("any"), Just("none")],
            prop::collection::vec(inner, 1..4),
        )
            .prop_map(|(m, rules)| json!({"match_type": m, "rules": rules}))
    });
    prop::collection::vec(rule, 1..5)
}

fn base() -> segments_engine::Segment {
    parse_segment(&json!({"key": "base", "rules": [{"attribute": "plan", "operator": "exists"}]}))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_documents_never_panic(doc in arbitrary_json()) {
        // Refused or not, every outcome is an answer; a refusal always says what to fix.
        if let Err(e) = parse_segment(&doc) {
            prop_assert!(!e.to_string().is_empty());
        }
        if let Err(e) = parse_segment_text(&doc.to_string()) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        if let Err(e) = parse_segment_text(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn valid_segments_round_trip_and_evaluate_any_context(
        rules in rules(),
        match_type in prop_oneof![Just("all"), Just("any"), Just("none")],
        context in arbitrary_json(),
    ) {
        let doc = json!({"key": "s", "match_type": match_type, "rules": rules});
        let segment = parse_segment(&doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let canonical = segment.to_json();
        let again = parse_segment_text(&canonical.to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&again, &segment);
        prop_assert_eq!(again.to_json(), canonical);

        let set = CompiledSet::compile(&[base(), segment]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let id = set.id("s").unwrap();
        let matched = set.evaluate(id, &context, &mut set.scratch());
        prop_assert_eq!(set.explain(id, &context).matched, matched);
    }
}
