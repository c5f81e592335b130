//! Entry points for the fuzz targets (src-tauri/fuzz) into the crate's private response
//! handling.
//!
//! Hidden and not part of the sync API: these functions are private because only the HTTP
//! client calls them, but what a remote answers is the least trusted input the app reads,
//! so the fuzzer feeds them arbitrary bytes without a server in between.

use std::time::Duration;

use segments_engine::key_from_name;
use serde_json::Value;

use crate::Dialect;

/// One segment of a response as the client reads it: its remote identity, its remote key
/// (none on Krafter), and the local key a pull gives it.
#[derive(Debug)]
pub struct ListedSegment {
    /// The remote's identity.
    pub id: String,
    /// The remote's key, if it has one.
    pub key: Option<String>,
    /// The key a pull would store it under when no binding or remote key says otherwise:
    /// the first candidate derived from the name.
    pub derived_key: String,
    /// The object as received.
    pub object: Value,
}

/// The message shown for an error response's body.
pub fn server_message(bytes: &[u8]) -> String {
    crate::http::server_message(bytes)
}

/// A `Retry-After` header value.
pub fn retry_after(value: &str) -> Option<Duration> {
    crate::retry_after::parse(value)
}

/// A successful response body as the client decodes it (an empty body is JSON null).
pub fn response_body(bytes: &[u8]) -> Result<Value, String> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

/// The segments of one page of a listing.
pub fn list_page(dialect: Dialect, body: &Value) -> Result<Vec<ListedSegment>, String> {
    let items = crate::api::list_items(body).map_err(|e| e.to_string())?;
    items.iter().map(|item| listed(dialect, item)).collect()
}

/// The segment of a one-segment response (a get, a create or an update).
pub fn one_segment(dialect: Dialect, body: &Value) -> Result<ListedSegment, String> {
    let item = crate::api::one_item(body).map_err(|e| e.to_string())?;
    listed(dialect, item)
}

/// The `n`th key a pull tries for a Krafter segment named `name` (1 is the plain stem).
pub fn numbered_key(name: &str, n: u32) -> String {
    crate::pull::numbered_key(&key_from_name(name), n)
}

fn listed(dialect: Dialect, item: &Value) -> Result<ListedSegment, String> {
    let segment = crate::api::remote_segment(dialect, item, None).map_err(|e| e.to_string())?;
    Ok(ListedSegment {
        derived_key: key_from_name(&segment.name),
        id: segment.id,
        key: segment.key,
        object: segment.object,
    })
}
