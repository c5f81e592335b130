//! The one error the UI sees: `{code, message, details}`. The UI branches on `code`, never
//! on the message, which is written for people.

use segments_core::store::StoreError;
use segments_engine::{IssueCode, ValidationError, ValidationIssue};
use serde::Serialize;

/// An IPC failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    /// `validation`, `invalid_json`, `too_large`, `not_found`, `conflict`, `reference`,
    /// `file` or `storage`.
    pub code: &'static str,
    /// What went wrong and what to do, in words.
    pub message: String,
    /// For `validation`: each problem with its field path.
    pub details: Vec<ValidationIssue>,
}

impl IpcError {
    fn new(code: &'static str, message: String) -> Self {
        Self {
            code,
            message,
            details: Vec::new(),
        }
    }
}

impl From<ValidationError> for IpcError {
    fn from(e: ValidationError) -> Self {
        let code = match e.first_code() {
            Some(IssueCode::InvalidJson) => "invalid_json",
            Some(IssueCode::TooLarge) => "too_large",
            _ => "validation",
        };
        Self {
            code,
            message: e.to_string(),
            details: e.issues,
        }
    }
}

impl From<StoreError> for IpcError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::Invalid(_) => {
                if let StoreError::Invalid(invalid) = e {
                    return invalid.into();
                }
                "validation"
            }
            StoreError::InvalidPersona(_) => "validation",
            StoreError::NotFound(_)
            | StoreError::RevisionNotFound { .. }
            | StoreError::PersonaNotFound(_) => "not_found",
            StoreError::Duplicate(_) => "conflict",
            StoreError::Referenced { .. } => "reference",
            StoreError::File { .. } => "file",
            StoreError::Corrupt { .. } | StoreError::Open { .. } | StoreError::Sqlite(_) => {
                "storage"
            }
        };
        Self::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_error_kind() {
        let invalid = ValidationError::single("rules", IssueCode::EmptyRules, "needs a rule");
        let e = IpcError::from(StoreError::Invalid(invalid));
        assert_eq!((e.code, e.details.len()), ("validation", 1));
        assert_eq!(
            IpcError::from(StoreError::NotFound("x".into())).code,
            "not_found"
        );
        assert_eq!(
            IpcError::from(StoreError::Duplicate("x".into())).code,
            "conflict"
        );
        let json = ValidationError::single("", IssueCode::InvalidJson, "bad");
        assert_eq!(IpcError::from(json).code, "invalid_json");
    }
}
