//! What each operator accepts as values.

use serde_json::Value;

use super::{is_valid_key, type_name};
use crate::instant::parse_instant;
use crate::limits::MAX_STRING_BYTES;
use crate::operator::ValueKind;
use crate::regex_rule::build_regex;
use crate::scalar::parse_numeric_str;
use crate::semver::Version;

/// Why `value` is not acceptable for an operator of `kind`, or `None` when it is.
pub(super) fn value_problem(
    value: &Value,
    kind: ValueKind,
    case_insensitive: bool,
) -> Option<String> {
    if let Some(s) = value.as_str()
        && s.len() > MAX_STRING_BYTES
    {
        return Some(format!(
            "the value is {} bytes; the limit is {MAX_STRING_BYTES}",
            s.len()
        ));
    }
    let wrong = |expected: &str| Some(format!("expected {expected}, got {}", type_name(value)));
    match kind {
        ValueKind::None => None,
        ValueKind::Scalar => match value {
            Value::String(_) | Value::Number(_) | Value::Bool(_) => None,
            _ => wrong("a string, number or boolean"),
        },
        ValueKind::String => match value {
            Value::String(_) => None,
            _ => wrong("a string"),
        },
        ValueKind::Number => match value {
            Value::Number(_) => None,
            Value::String(s) if parse_numeric_str(s).is_some() => None,
            Value::String(s) => Some(format!(
                "\"{s}\" is not a number; write a number such as 42 or 9.5"
            )),
            _ => wrong("a number"),
        },
        ValueKind::Regex => match value {
            Value::String(s) => build_regex(&[s.as_str()], case_insensitive)
                .err()
                .map(|e| format!("invalid regular expression: {e}")),
            _ => wrong("a regular expression string"),
        },
        ValueKind::Semver => match value {
            Value::String(s) if Version::parse(s).is_some() => None,
            Value::String(s) => Some(format!(
                "\"{s}\" is not a semantic version; write one such as 1.4.2 or 2.0.0-beta.1"
            )),
            _ => wrong("a version string"),
        },
        ValueKind::Date => match value {
            Value::String(s) if parse_instant(s).is_some() => None,
            Value::String(s) => Some(format!(
                "\"{s}\" is not a date; write 2026-03-31 or 2026-03-31T12:00:00Z"
            )),
            _ => wrong("a date string"),
        },
        ValueKind::Segment => match value {
            Value::String(s) if is_valid_key(s) => None,
            Value::String(s) => Some(format!("\"{s}\" is not a valid segment key")),
            _ => wrong("a segment key"),
        },
    }
}
