//! Errors as data: every refusal names the field path and what to fix.

use serde::Serialize;

/// What kind of problem a [`ValidationIssue`] reports; clients branch on this, never on text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is named for the problem it reports
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum IssueCode {
    InvalidJson,
    WrongType,
    MissingField,
    UnknownField,
    InvalidKey,
    UnknownOperator,
    InvalidMatchType,
    EmptyRules,
    InvalidValue,
    ValueCount,
    InvalidRegex,
    UnknownSegment,
    ReferenceCycle,
    TooDeep,
    TooLarge,
    KeyChanged,
    Conflict,
}

/// One problem found in an input document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ValidationIssue {
    /// The segment the issue is in, when a set of segments was checked together.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub segment: Option<String>,
    /// Where: `key`, `rules[1].rules[0].values[2]`, or "" for the whole document.
    pub path: String,
    /// What kind of problem.
    pub code: IssueCode,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl ValidationIssue {
    /// The same issue, attributed to `segment`.
    pub fn in_segment(mut self, segment: &str) -> Self {
        self.segment = Some(segment.to_owned());
        self
    }

    /// Builds an issue.
    pub fn new(path: impl Into<String>, code: IssueCode, message: impl Into<String>) -> Self {
        Self {
            segment: None,
            path: path.into(),
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(segment) = &self.segment {
            write!(f, "segment \"{segment}\": ")?;
        }
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// A refused document: one or more issues, all reported at once so an editor can show each
/// at its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.issues))]
pub struct ValidationError {
    /// The problems, in document order.
    pub issues: Vec<ValidationIssue>,
}

fn render(issues: &[ValidationIssue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ValidationError {
    /// A refusal with a single issue.
    pub fn single(path: impl Into<String>, code: IssueCode, message: impl Into<String>) -> Self {
        Self {
            issues: vec![ValidationIssue::new(path, code, message)],
        }
    }

    /// The code of the first issue, for callers that need a single classification.
    pub fn first_code(&self) -> Option<IssueCode> {
        self.issues.first().map(|i| i.code)
    }
}

impl From<Vec<ValidationIssue>> for ValidationError {
    fn from(issues: Vec<ValidationIssue>) -> Self {
        Self { issues }
    }
}
