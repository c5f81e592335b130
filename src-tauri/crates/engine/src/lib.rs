//! The segment engine: the segment model, parsing of every accepted input format,
//! validation, compile-once / evaluate-many and explain traces.
//!
//! The engine is pure: it does no I/O and depends on nothing of ours, so the store, sync,
//! CLI and app all share one definition of what a segment means.
//!
//! ```
//! use segments_engine::{parse_segment_text, CompiledSet};
//! use serde_json::json;
//!
//! let segment = parse_segment_text(r#"{"key": "pro", "rules": [
//!     {"attribute": "plan", "operator": "eq", "values": ["pro"]}]}"#).unwrap();
//! let set = CompiledSet::compile(&[segment]).unwrap();
//! let mut scratch = set.scratch();
//! let id = set.id("pro").unwrap();
//! assert!(set.evaluate(id, &json!({"plan": "pro"}), &mut scratch));
//! assert!(!set.evaluate(id, &json!({"plan": "free"}), &mut scratch));
//! ```

mod changes;
mod compile;
mod did_you_mean;
mod error;
mod evaluate;
mod explain;
#[doc(hidden)]
pub mod fuzzing;
mod instant;
pub mod limits;
mod model;
mod operator;
mod parse;
mod regex_rule;
mod scalar;
mod semver;
mod slots;

pub use changes::describe_changes;
pub use compile::{CompiledSet, SegmentId};
pub use error::{IssueCode, MAX_ISSUES, ValidationError, ValidationIssue, check_json_size};
pub use evaluate::{Reason, Scratch};
pub use explain::{Explanation, TraceNode};
pub use instant::parse_instant;
pub use model::{Condition, Group, MatchType, Rule, Segment};
pub use operator::{Operator, OperatorInfo, ValueKind, operator_catalog};
pub use parse::{
    SegmentPatch, is_valid_key, key_from_name, parse_json_text, parse_patch, parse_segment,
    parse_segment_text,
};
pub use regex_rule::any_of as regex_any_of;
pub use scalar::{Num, as_num, canonical_string};
pub use semver::{version_parts, version_precedence};
pub use slots::Slots;

/// Parses an evaluation context: a JSON object of at most [`limits::MAX_CONTEXT_BYTES`].
pub fn parse_context_text(text: &str) -> Result<serde_json::Value, ValidationError> {
    let value = parse_json_text(text, limits::MAX_CONTEXT_BYTES, "context")?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(ValidationError::single(
            "",
            IssueCode::WrongType,
            "a context must be a JSON object such as {\"plan\": \"pro\", \"country\": \"US\"}",
        ))
    }
}
