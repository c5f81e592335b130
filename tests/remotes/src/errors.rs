//! Error responses, one body shape per dialect (none of the three pages documents one; the
//! shapes are listed in the crate documentation).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::Dialect;

/// A refused request: the status, a short machine-readable code and a human message.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    /// A body or query the dialect refuses; `status` is the dialect's validation status.
    pub(crate) fn invalid(status: StatusCode, message: impl Into<String>) -> Self {
        Self::new(status, "validation_failed", message)
    }

    /// The response in `dialect`'s error shape.
    pub(crate) fn render(self, dialect: Dialect) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut response = (
            self.status,
            json_body(&error_body(dialect, self.code, &self.message)),
        )
            .into_response();
        if unauthorized {
            // RFC 6750: a bearer-protected resource names its scheme on 401.
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// The error body of each dialect.
fn error_body(dialect: Dialect, code: &str, message: &str) -> Value {
    match dialect {
        Dialect::Projects => json!({ "error": code, "message": message }),
        Dialect::Krafter => json!({ "error": { "code": code, "message": message } }),
        Dialect::Edgeflags => json!({ "error": message }),
    }
}

/// A JSON body with its content type. Serialising a `Value` cannot fail.
pub(crate) fn json_body(value: &Value) -> ([(header::HeaderName, &'static str); 1], String) {
    (
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
}

/// `200`/`201` with a JSON body.
pub(crate) fn json_response(status: StatusCode, value: &Value) -> Response {
    (status, json_body(value)).into_response()
}
