//! The `projects` dialect: `/v1/projects/{projectID}/segments`, keyed by `key`, JWT roles,
//! `limit`/`offset` pages, `PUT` partial update.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};
use std::sync::MutexGuard;

use crate::Dialect;
use crate::auth::{Principal, authenticate};
use crate::errors::{ApiError, json_response};
use crate::json_body::{
    condition_object, operator, optional_array, optional_match_type, optional_string, parse_object,
    reject_unknown, required_string, type_name,
};
use crate::paging::Page;
use crate::state::{Shared, SharedState, State};

/// Status of a well-formed request whose body the API refuses.
const INVALID: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
const CREATE_FIELDS: &[&str] = &["key", "name", "description", "match_type", "rules"];
const UPDATE_FIELDS: &[&str] = &["name", "description", "match_type", "rules"];
const READ_ONLY: &[&str] = &["id", "key", "created_at", "updated_at"];
const RULE_FIELDS: &[&str] = &["attribute", "operator", "values"];

type ListQuery = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/projects/{project_id}/segments", get(list).post(create))
        .route(
            "/v1/projects/{project_id}/segments/{key}",
            get(read).put(update).delete(remove),
        )
}

/// Authenticates, checks the project and (for writes) the role; returns the locked state.
fn admit<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
    project_id: &str,
    write: bool,
) -> Result<MutexGuard<'a, State>, ApiError> {
    let state = shared.lock();
    let principal = authenticate(&state, headers)?;
    if project_id != state.project_id {
        return Err(ApiError::not_found(format!(
            "project {project_id:?} not found"
        )));
    }
    let Principal::Role(role) = principal else {
        return Err(ApiError::unauthorized("not a projects token"));
    };
    if write && !role.may_write() {
        return Err(ApiError::forbidden(format!(
            "role {role:?} may not modify segments; requires Owner, Admin or Developer"
        )));
    }
    Ok(state)
}

fn respond(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(|error| error.render(Dialect::Projects))
}

async fn list(
    AxumState(shared): SharedState,
    Path(project_id): Path<String>,
    headers: HeaderMap,
    query: ListQuery,
) -> Response {
    respond((|| {
        let state = admit(&shared, &headers, &project_id, false)?;
        let Query(query) =
            query.map_err(|e| ApiError::invalid(StatusCode::BAD_REQUEST, e.body_text()))?;
        let page =
            Page::from_query(&query).map_err(|m| ApiError::invalid(StatusCode::BAD_REQUEST, m))?;
        let listed = state.listed();
        let data: Vec<Value> = page
            .slice(&listed)
            .iter()
            .map(|segment| Value::Object(segment.body.clone()))
            .collect();
        let has_more = page.offset.saturating_add(data.len()) < listed.len();
        Ok(json_response(
            StatusCode::OK,
            &json!({
                "data": data,
                "total": listed.len(),
                "limit": page.limit,
                "offset": page.offset,
                "has_more": has_more,
            }),
        ))
    })())
}

async fn read(
    AxumState(shared): SharedState,
    Path((project_id, key)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    respond((|| {
        let state = admit(&shared, &headers, &project_id, false)?;
        let segment = state.find(&key).ok_or_else(|| missing(&key))?;
        Ok(json_response(
            StatusCode::OK,
            &Value::Object(segment.body.clone()),
        ))
    })())
}

async fn create(
    AxumState(shared): SharedState,
    Path(project_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers, &project_id, true)?;
        let object = parse_object(&headers, &body, INVALID)?;
        let fields = validate_create(&object).map_err(|m| ApiError::invalid(INVALID, m))?;
        let key = fields.key.clone();
        if state.find(&key).is_some() {
            return Err(ApiError::conflict(format!(
                "segment with key {key:?} already exists"
            )));
        }
        let id = state.new_uuid();
        let now = state.now();
        let mut segment = Map::new();
        segment.insert("id".into(), id.into());
        segment.insert("key".into(), key.into());
        segment.insert("name".into(), fields.name.into());
        segment.insert("description".into(), fields.description.into());
        segment.insert("match_type".into(), fields.match_type.into());
        segment.insert("rules".into(), fields.rules);
        segment.insert("created_at".into(), now.clone().into());
        segment.insert("updated_at".into(), now.into());
        let stored = state.add(segment);
        Ok(json_response(
            StatusCode::CREATED,
            &Value::Object(stored.body),
        ))
    })())
}

async fn update(
    AxumState(shared): SharedState,
    Path((project_id, key)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers, &project_id, true)?;
        if state.find(&key).is_none() {
            return Err(missing(&key));
        }
        let object = parse_object(&headers, &body, INVALID)?;
        let changes = validate_update(&object).map_err(|m| ApiError::invalid(INVALID, m))?;
        let now = state.now();
        let stored = state
            .modify(&key, |segment| {
                for (field, value) in changes {
                    segment.insert(field, value);
                }
                segment.insert("updated_at".into(), now.into());
            })
            .ok_or_else(|| missing(&key))?;
        Ok(json_response(StatusCode::OK, &Value::Object(stored.body)))
    })())
}

async fn remove(
    AxumState(shared): SharedState,
    Path((project_id, key)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    respond((|| {
        let mut state = admit(&shared, &headers, &project_id, true)?;
        if !state.remove(&key) {
            return Err(missing(&key));
        }
        Ok(StatusCode::NO_CONTENT.into_response())
    })())
}

fn missing(key: &str) -> ApiError {
    ApiError::not_found(format!("segment {key:?} not found"))
}

/// A valid create body, with the documented defaults filled in.
struct NewSegment {
    key: String,
    name: String,
    description: String,
    match_type: String,
    rules: Value,
}

fn validate_create(object: &Map<String, Value>) -> Result<NewSegment, String> {
    reject_unknown(object, CREATE_FIELDS, READ_ONLY, "")?;
    let key = required_string(object, "key", "")?;
    let name = required_string(object, "name", "")?;
    let description = optional_string(object, "description", "")?.unwrap_or_default();
    let match_type = optional_match_type(object)?.unwrap_or_else(|| "all".to_owned());
    let rules = optional_array(object, "rules")?
        .ok_or_else(|| "missing required field \"rules\"".to_owned())?;
    validate_rules(rules)?;
    Ok(NewSegment {
        key,
        name,
        description,
        match_type,
        rules: Value::Array(rules.clone()),
    })
}

/// The fields a partial update changes, checked.
fn validate_update(object: &Map<String, Value>) -> Result<Vec<(String, Value)>, String> {
    reject_unknown(object, UPDATE_FIELDS, READ_ONLY, "")?;
    if object.contains_key("name") {
        required_string(object, "name", "")?;
    }
    optional_string(object, "description", "")?;
    optional_match_type(object)?;
    if let Some(rules) = optional_array(object, "rules")? {
        validate_rules(rules)?;
    }
    Ok(object.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// Rules are flat `{attribute, operator, values[]}` with string values (the page writes even a
/// boolean as `["true"]`). The page lists no operators, so any non-empty one is accepted.
fn validate_rules(rules: &[Value]) -> Result<(), String> {
    for (index, rule) in rules.iter().enumerate() {
        let context = format!("rules[{index}]: ");
        let rule = condition_object(rule, &context)?;
        reject_unknown(rule, RULE_FIELDS, &[], &context)?;
        required_string(rule, "attribute", &context)?;
        operator(rule, None, &context)?;
        match rule.get("values") {
            None => return Err(format!("{context}missing required field \"values\"")),
            Some(Value::Array(values)) => {
                if let Some(bad) = values.iter().find(|value| !value.is_string()) {
                    return Err(format!(
                        "{context}field \"values\" must hold strings, got {}",
                        type_name(bad)
                    ));
                }
            }
            Some(other) => {
                return Err(format!(
                    "{context}field \"values\" must be an array, got {}",
                    type_name(other)
                ));
            }
        }
    }
    Ok(())
}
