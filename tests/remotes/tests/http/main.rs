//! The fake remotes driven over real HTTP with reqwest, one module per dialect plus faults.

mod edgeflags;
mod faults;
mod krafter;
mod projects;
mod proxy;

use std::time::Duration;

use reqwest::{Client, RequestBuilder, Response};
use serde_json::Value;

/// A client that never waits long: a hung server fails the test instead of stalling the run.
fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("a reqwest client")
}

/// Sends the request; panics on a transport error (tests that expect one call `send` directly).
async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("the fake remote answers")
}

/// The status and JSON body of a response (`Value::Null` for an empty body).
async fn status_and_json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a readable body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}"))
    };
    (status, body)
}
