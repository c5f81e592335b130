//! The `edgeflags` dialect: `/api/v1/segments`, keyed by a patterned `key`, AND-only
//! `conditions`, `PUT` full update with `If-Match`, `limit`/`offset` lists, one bearer token.

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use crate::auth::authenticate;
use crate::errors::{ApiError, json_response};
use crate::json_body::{
    condition_object, condition_value, operator, optional_array, optional_string, parse_object,
    reject_unknown, required_string,
};
use crate::paging::Page;
use crate::state::{Shared, SharedState, State, StoredSegment};
use crate::{Dialect, ResponseShape};

/// Status of a well-formed request whose body or query the API refuses.
const INVALID: StatusCode = StatusCode::BAD_REQUEST;
const FIELDS: &[&str] = &["key", "name", "description", "conditions"];
const READ_ONLY: &[&str] = &["created_at", "updated_at"];
const CONDITION_FIELDS: &[&str] = &["property", "operator", "value"];
/// The operators of the examples plus those of the vendor's targeting docs.
pub(crate) const OPERATORS: &[&str] = &[
    "equals",
    "not_equals",
    "contains",
    "in",
    "not_in",
    "starts_with",
    "ends_with",
    "gt",
    "gte",
    "lt",
    "lte",
    "regex",
];

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v1/segments", get(list).post(create))
        .route(
            "/api/v1/segments/{key}",
            get(read).put(replace).delete(remove),
        )
}

fn admit<'a>(shared: &'a Shared, headers: &HeaderMap) -> Result<MutexGuard<'a, State>, ApiError> {
    let state = shared.lock();
    authenticate(&state, headers)?;
    Ok(state)
}

fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(|error| error.render(Dialect::Edgeflags))
}

/// One segment in the configured shape, with its ETag.
fn single(state: &State, status: StatusCode, segment: &StoredSegment) -> Response {
    let object = Value::Object(segment.body.clone());
    let body = match state.shape {
        ResponseShape::Bare => object,
        ResponseShape::Data | ResponseShape::DataWithTotal => json!({ "data": object }),
        ResponseShape::Unrecognized => json!({ "segment": object }),
    };
    let mut response = json_response(status, &body);
    if let Ok(etag) = HeaderValue::from_str(&segment.etag()) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

async fn list(
    AxumState(shared): SharedState,
    headers: HeaderMap,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    respond((|| {
        let state = admit(&shared, &headers)?;
        let Query(query) = query.map_err(|e| ApiError::invalid(INVALID, e.body_text()))?;
        let page = Page::from_query(&query).map_err(|m| ApiError::invalid(INVALID, m))?;
        let listed = state.listed();
        let data: Vec<Value> = page
            .slice(&listed)
            .iter()
            .map(|segment| Value::Object(segment.body.clone()))
            .collect();
        let body = match state.shape {
            ResponseShape::Bare => Value::Array(data),
            ResponseShape::Data => json!({ "data": data }),
            ResponseShape::DataWithTotal => json!({
                "data": data,
                "total": listed.len(),
                "limit": page.limit,
                "offset": page.offset,
            }),
            ResponseShape::Unrecognized => json!({ "segments": data }),
        };
        Ok(json_response(StatusCode::OK, &body))
    })())
}

async fn read(
    AxumState(shared): SharedState,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    respond((|| {
        let state = admit(&shared, &headers)?;
        let segment = state.find(&key).ok_or_else(|| missing(&key))?;
        Ok(single(&state, StatusCode::OK, segment))
    })())
}

async fn create(AxumState(shared): SharedState, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers)?;
        let object = parse_object(&headers, &body, INVALID)?;
        let key = validate(&object).map_err(|m| ApiError::invalid(INVALID, m))?;
        if state.find(&key).is_some() {
            return Err(ApiError::conflict(format!(
                "segment {key:?} already exists"
            )));
        }
        let now = state.now();
        let mut segment = canonical(&object);
        segment.insert("created_at".into(), now.clone().into());
        segment.insert("updated_at".into(), now.into());
        let stored = state.add(segment);
        Ok(single(&state, StatusCode::CREATED, &stored))
    })())
}

/// Full replacement. Preconditions are evaluated before the body, as RFC 9110 §13.2.1 orders.
async fn replace(
    AxumState(shared): SharedState,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers)?;
        let current = state.find(&key).ok_or_else(|| missing(&key))?;
        if let Some(if_match) = headers.get(header::IF_MATCH)
            && !etag_matches(if_match, &current.etag())
        {
            return Err(ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                format!(
                    "segment {key:?} has changed: If-Match {:?} does not match the current ETag {}",
                    if_match.to_str().unwrap_or("<not text>"),
                    current.etag()
                ),
            ));
        }
        let created_at = current.body.get("created_at").cloned();
        let mut object = parse_object(&headers, &body, INVALID)?;
        match object.get("key") {
            None => {
                object.insert("key".into(), key.clone().into());
            }
            Some(Value::String(body_key)) if *body_key == key => {}
            Some(other) => {
                return Err(ApiError::invalid(
                    INVALID,
                    format!(
                        "field \"key\" is {other} but the URL names segment {key:?}; keys cannot change"
                    ),
                ));
            }
        }
        validate(&object).map_err(|m| ApiError::invalid(INVALID, m))?;
        let now = state.now();
        let mut replacement = canonical(&object);
        replacement.insert(
            "created_at".into(),
            created_at.unwrap_or_else(|| now.clone().into()),
        );
        replacement.insert("updated_at".into(), now.into());
        let stored = state
            .modify(&key, |segment| *segment = replacement)
            .ok_or_else(|| missing(&key))?;
        Ok(single(&state, StatusCode::OK, &stored))
    })())
}

async fn remove(
    AxumState(shared): SharedState,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers)?;
        if !state.remove(&key) {
            return Err(missing(&key));
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

fn missing(key: &str) -> ApiError {
    ApiError::not_found(format!("segment {key:?} not found"))
}

/// `If-Match: *` or a list of strong ETags; weak ETags never match (strong comparison).
fn etag_matches(if_match: &HeaderValue, current: &str) -> bool {
    let Ok(text) = if_match.to_str() else {
        return false;
    };
    text.trim() == "*" || text.split(',').any(|tag| tag.trim() == current)
}

/// The stored object in a fixed field order; optional fields only when given.
fn canonical(object: &Map<String, Value>) -> Map<String, Value> {
    let mut segment = Map::new();
    for field in FIELDS {
        if let Some(value) = object.get(*field) {
            segment.insert((*field).into(), value.clone());
        }
    }
    segment
}

/// Checks a create or replace body; returns the key.
fn validate(object: &Map<String, Value>) -> Result<String, String> {
    reject_unknown(object, FIELDS, READ_ONLY, "")?;
    let key = required_string(object, "key", "")?;
    if !key_is_valid(&key) {
        return Err(format!(
            "field \"key\" {key:?} does not match the pattern [a-z0-9][a-z0-9._-]{{0,127}}"
        ));
    }
    optional_string(object, "name", "")?;
    optional_string(object, "description", "")?;
    let conditions = optional_array(object, "conditions")?
        .ok_or_else(|| "missing required field \"conditions\"".to_owned())?;
    for (index, condition) in conditions.iter().enumerate() {
        let context = format!("conditions[{index}]: ");
        let condition = condition_object(condition, &context)?;
        reject_unknown(condition, CONDITION_FIELDS, &[], &context)?;
        required_string(condition, "property", &context)?;
        let operator = operator(condition, Some(OPERATORS), &context)?;
        condition_value(condition, &operator, &context)?;
    }
    Ok(key)
}

/// `[a-z0-9][a-z0-9._-]{0,127}`, anchored.
pub(crate) fn key_is_valid(key: &str) -> bool {
    let bytes = key.as_bytes();
    let Some((first, rest)) = bytes.split_first() else {
        return false;
    };
    let plain = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    plain(first) && rest.len() <= 127 && rest.iter().all(|b| plain(b) || b".-_".contains(b))
}

#[cfg(test)]
mod tests {
    use super::key_is_valid;

    #[test]
    fn key_pattern_is_anchored_and_bounded() {
        assert!(key_is_valid("beta_users"));
        assert!(key_is_valid("0.a-b_c"));
        assert!(key_is_valid(&"a".repeat(128)));
        assert!(!key_is_valid(&"a".repeat(129)));
        assert!(!key_is_valid(""));
        assert!(!key_is_valid("_beta"));
        assert!(!key_is_valid("Beta"));
        assert!(!key_is_valid("beta users"));
        assert!(!key_is_valid("beta/users"));
    }
}
