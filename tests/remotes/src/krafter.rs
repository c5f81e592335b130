//! The `krafter` dialect: `/api/v1/flags/segments`, server-assigned UUID ids, API keys with
//! `flags:read` / `flags:write`, every body wrapped in `{"data": …}`, `PATCH` partial update.

use std::collections::HashMap;
use std::sync::{Arc, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use serde_json::{Map, Value, json};

use crate::Dialect;
use crate::auth::{Principal, authenticate};
use crate::errors::{ApiError, json_response};
use crate::json_body::{
    condition_object, condition_value, operator, optional_array, optional_match_type,
    optional_string, parse_object, reject_unknown, required_string,
};
use crate::state::{Shared, SharedState, State};

/// Status of a well-formed request whose body or query the API refuses.
const INVALID: StatusCode = StatusCode::BAD_REQUEST;
const CREATE_FIELDS: &[&str] = &["project_id", "name", "description", "rules", "match_type"];
const UPDATE_FIELDS: &[&str] = &["name", "description", "rules", "match_type"];
const READ_ONLY: &[&str] = &["id", "project_id", "created_at", "updated_at"];
const RULE_FIELDS: &[&str] = &["key", "operator", "value"];
/// The page's complete operator list.
pub(crate) const OPERATORS: &[&str] = &[
    "equals",
    "not_equals",
    "contains",
    "not_contains",
    "in",
    "not_in",
    "greater_than",
    "less_than",
];

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v1/flags/segments", get(list).post(create))
        .route(
            "/api/v1/flags/segments/{segment_id}",
            patch(update).delete(remove),
        )
}

/// Authenticates and checks the scope the endpoint requires; returns the locked state.
fn admit<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
    write: bool,
) -> Result<MutexGuard<'a, State>, ApiError> {
    let state = shared.lock();
    let principal = authenticate(&state, headers)?;
    let Principal::Scopes {
        read,
        write: may_write,
    } = principal
    else {
        return Err(ApiError::unauthorized("not a krafter API key"));
    };
    let (granted, scope) = if write {
        (may_write, "flags:write")
    } else {
        (read, "flags:read")
    };
    if !granted {
        return Err(ApiError::forbidden(format!(
            "API key is missing the required scope {scope}"
        )));
    }
    Ok(state)
}

fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(|error| error.render(Dialect::Krafter))
}

fn check_project(state: &State, project_id: &str) -> Result<(), ApiError> {
    if project_id == state.project_id {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "project {project_id:?} not found"
        )))
    }
}

async fn list(
    AxumState(shared): SharedState,
    headers: HeaderMap,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Response {
    respond((|| {
        let state = admit(&shared, &headers, false)?;
        let Query(query) = query.map_err(|e| ApiError::invalid(INVALID, e.body_text()))?;
        let project_id = query.get("project_id").ok_or_else(|| {
            ApiError::invalid(INVALID, "missing required query parameter \"project_id\"")
        })?;
        check_project(&state, project_id)?;
        let data: Vec<Value> = state
            .listed()
            .iter()
            .map(|segment| Value::Object(segment.body.clone()))
            .collect();
        Ok(json_response(StatusCode::OK, &json!({ "data": data })))
    })())
}

async fn create(AxumState(shared): SharedState, headers: HeaderMap, body: Bytes) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers, true)?;
        let object = parse_object(&headers, &body, INVALID)?;
        validate(&object, CREATE_FIELDS).map_err(|m| ApiError::invalid(INVALID, m))?;
        let required = |field: &str| {
            if object.contains_key(field) {
                Ok(())
            } else {
                Err(ApiError::invalid(
                    INVALID,
                    format!("missing required field \"{field}\""),
                ))
            }
        };
        required("project_id")?;
        required("name")?;
        required("rules")?;
        required("match_type")?;
        let project_id = required_string(&object, "project_id", "")
            .map_err(|m| ApiError::invalid(INVALID, m))?;
        check_project(&state, &project_id)?;
        let id = state.new_uuid();
        let now = state.now();
        let mut segment = Map::new();
        segment.insert("id".into(), id.into());
        for field in ["name", "description", "rules", "match_type"] {
            let value = object.get(field).cloned().unwrap_or_else(|| "".into());
            segment.insert(field.into(), value);
        }
        segment.insert("created_at".into(), now.clone().into());
        segment.insert("updated_at".into(), now.into());
        let stored = state.add(segment);
        Ok(json_response(
            StatusCode::CREATED,
            &json!({ "data": Value::Object(stored.body) }),
        ))
    })())
}

async fn update(
    AxumState(shared): SharedState,
    Path(segment_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers, true)?;
        if state.find(&segment_id).is_none() {
            return Err(missing(&segment_id));
        }
        let object = parse_object(&headers, &body, INVALID)?;
        validate(&object, UPDATE_FIELDS).map_err(|m| ApiError::invalid(INVALID, m))?;
        let now = state.now();
        let stored = state
            .modify(&segment_id, |segment| {
                for (field, value) in object {
                    segment.insert(field, value);
                }
                segment.insert("updated_at".into(), now.into());
            })
            .ok_or_else(|| missing(&segment_id))?;
        Ok(json_response(
            StatusCode::OK,
            &json!({ "data": Value::Object(stored.body) }),
        ))
    })())
}

async fn remove(
    AxumState(shared): SharedState,
    Path(segment_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers, true)?;
        if !state.remove(&segment_id) {
            return Err(missing(&segment_id));
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

fn missing(segment_id: &str) -> ApiError {
    ApiError::not_found(format!("segment {segment_id:?} not found"))
}

/// Checks the fields present (presence of required ones is the caller's concern, as create and
/// update differ there).
fn validate(object: &Map<String, Value>, allowed: &[&str]) -> Result<(), String> {
    reject_unknown(object, allowed, READ_ONLY, "")?;
    if object.contains_key("name") {
        required_string(object, "name", "")?;
    }
    optional_string(object, "description", "")?;
    optional_match_type(object)?;
    if let Some(rules) = optional_array(object, "rules")? {
        for (index, rule) in rules.iter().enumerate() {
            let context = format!("rules[{index}]: ");
            let rule = condition_object(rule, &context)?;
            reject_unknown(rule, RULE_FIELDS, &[], &context)?;
            required_string(rule, "key", &context)?;
            let operator = operator(rule, Some(OPERATORS), &context)?;
            condition_value(rule, &operator, &context)?;
        }
    }
    Ok(())
}
