//! Request bodies: the content type, JSON syntax, and the field checks all three dialects share.
//! Field checks return a message; each dialect turns it into its own validation status.

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Map, Value};

use crate::errors::ApiError;

/// The body as a JSON object: 415 without a JSON content type, 400 for malformed JSON, and
/// `invalid` (the dialect's validation status) for valid JSON that is not an object.
pub(crate) fn parse_object(
    headers: &HeaderMap,
    body: &[u8],
    invalid: StatusCode,
) -> Result<Map<String, Value>, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("Content-Type must be application/json, got {content_type:?}"),
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|error| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("request body is not valid JSON: {error}"),
        )
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(ApiError::invalid(
            invalid,
            format!(
                "request body must be a JSON object, got {}",
                type_name(&other)
            ),
        )),
    }
}

/// Refuses fields outside `allowed`, naming server-managed ones as read-only. A misspelt field
/// silently ignored would hide a client bug, so unknown fields are errors.
pub(crate) fn reject_unknown(
    object: &Map<String, Value>,
    allowed: &[&str],
    read_only: &[&str],
    context: &str,
) -> Result<(), String> {
    for name in object.keys() {
        if allowed.contains(&name.as_str()) {
            continue;
        }
        if read_only.contains(&name.as_str()) {
            return Err(format!("{context}field \"{name}\" is read-only"));
        }
        return Err(format!(
            "{context}unknown field \"{name}\" (allowed: {})",
            allowed.join(", ")
        ));
    }
    Ok(())
}

/// A required, non-empty string field.
pub(crate) fn required_string(
    object: &Map<String, Value>,
    name: &str,
    context: &str,
) -> Result<String, String> {
    match optional_string(object, name, context)? {
        None => Err(format!("{context}missing required field \"{name}\"")),
        Some(text) if text.trim().is_empty() => {
            Err(format!("{context}field \"{name}\" must not be empty"))
        }
        Some(text) => Ok(text),
    }
}

/// An optional string field; `null` is a wrong type, not an omission.
pub(crate) fn optional_string(
    object: &Map<String, Value>,
    name: &str,
    context: &str,
) -> Result<Option<String>, String> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(other) => Err(format!(
            "{context}field \"{name}\" must be a string, got {}",
            type_name(other)
        )),
    }
}

/// An optional `match_type`: `"all"` or `"any"`.
pub(crate) fn optional_match_type(object: &Map<String, Value>) -> Result<Option<String>, String> {
    match optional_string(object, "match_type", "")? {
        None => Ok(None),
        Some(kind) if kind == "all" || kind == "any" => Ok(Some(kind)),
        Some(kind) => Err(format!(
            "field \"match_type\" must be \"all\" or \"any\", got {kind:?}"
        )),
    }
}

/// An optional array field.
pub(crate) fn optional_array<'a>(
    object: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a Vec<Value>>, String> {
    match object.get(name) {
        None => Ok(None),
        Some(Value::Array(items)) => Ok(Some(items)),
        Some(other) => Err(format!(
            "field \"{name}\" must be an array, got {}",
            type_name(other)
        )),
    }
}

/// A condition of `field[index]` as an object, for the per-dialect rule checks.
pub(crate) fn condition_object<'a>(
    item: &'a Value,
    context: &str,
) -> Result<&'a Map<String, Value>, String> {
    item.as_object()
        .ok_or_else(|| format!("{}must be an object, got {}", context, type_name(item)))
}

/// The operator of a condition, which must be one of `operators` (all if `None`).
pub(crate) fn operator(
    object: &Map<String, Value>,
    operators: Option<&[&str]>,
    context: &str,
) -> Result<String, String> {
    let operator = required_string(object, "operator", context)?;
    match operators {
        Some(known) if !known.contains(&operator.as_str()) => Err(format!(
            "{context}unsupported operator {operator:?} (supported: {})",
            known.join(", ")
        )),
        _ => Ok(operator),
    }
}

/// The condition's `value`, which must be present and, for `in` / `not_in`, an array.
pub(crate) fn condition_value(
    object: &Map<String, Value>,
    operator: &str,
    context: &str,
) -> Result<(), String> {
    match object.get("value") {
        None => Err(format!("{context}missing required field \"value\"")),
        Some(Value::Array(_)) => Ok(()),
        Some(other) if operator == "in" || operator == "not_in" => Err(format!(
            "{context}field \"value\" must be an array for operator {operator:?}, got {}",
            type_name(other)
        )),
        Some(_) => Ok(()),
    }
}

/// The JSON type of a value, for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
