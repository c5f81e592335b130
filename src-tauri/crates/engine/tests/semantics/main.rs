//! One test per row of the README's evaluation-semantics table, and every operator on a
//! hit, a miss, a missing attribute and a type mismatch.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod inputs;
mod rows;

use segments_engine::{
    CompiledSet, IssueCode, Reason, TraceNode, is_valid_key, key_from_name, parse_segment,
    parse_segment_text,
};
use serde_json::{Value, json};

/// Evaluates one condition against a context, checking that `evaluate` and `explain` agree.
pub(crate) fn check(condition: Value, context: Value) -> (bool, Reason) {
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

pub(crate) fn cond(attribute: &str, operator: &str, values: Value) -> Value {
    json!({"attribute": attribute, "operator": operator, "values": values})
}

pub(crate) fn is(attribute: &str, operator: &str, values: Value, context: Value) -> bool {
    check(cond(attribute, operator, values), context).0
}
