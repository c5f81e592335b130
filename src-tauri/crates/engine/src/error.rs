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
#[error("{}", render(.issues, *.omitted))]
pub struct ValidationError {
    /// The problems, in document order: the first [`MAX_ISSUES`].
    pub issues: Vec<ValidationIssue>,
    /// How many more problems were found and left out: a broken 50,000-item import must
    /// not become a message of megabytes.
    pub omitted: usize,
}

/// Most issues one error carries; the rest are counted in [`ValidationError::omitted`].
pub const MAX_ISSUES: usize = 200;

fn render(issues: &[ValidationIssue], omitted: usize) -> String {
    let mut text = issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if omitted > 0 {
        text.push_str(&format!(
            "; and {omitted} more problem{} (fix these first)",
            if omitted == 1 { "" } else { "s" }
        ));
    }
    text
}

impl ValidationError {
    /// A refusal with a single issue.
    pub fn single(path: impl Into<String>, code: IssueCode, message: impl Into<String>) -> Self {
        Self {
            issues: vec![ValidationIssue::new(path, code, message)],
            omitted: 0,
        }
    }

    /// The code of the first issue, for callers that need a single classification.
    pub fn first_code(&self) -> Option<IssueCode> {
        self.issues.first().map(|i| i.code)
    }
}

impl From<Vec<ValidationIssue>> for ValidationError {
    fn from(mut issues: Vec<ValidationIssue>) -> Self {
        let omitted = issues.len().saturating_sub(MAX_ISSUES);
        issues.truncate(MAX_ISSUES);
        Self { issues, omitted }
    }
}

/// Refuses `value` when its compact JSON text is over `limit` bytes (`what` names it in
/// the message). A document that arrived as a `Value` (an import's items, a remote's
/// objects) is held to the same limit as one read from text.
pub fn check_json_size(
    value: &serde_json::Value,
    limit: usize,
    what: &str,
) -> Result<(), ValidationError> {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // The counter never fails a write, and a `Value` always serializes; if either ever did,
    // the document is refused rather than let through uncounted.
    let counted = serde_json::to_writer(&mut counter, value).map(|()| counter.0);
    match counted {
        Ok(bytes) if bytes <= limit => Ok(()),
        counted => Err(ValidationError::single(
            "",
            IssueCode::TooLarge,
            format!(
                "the {what} is {} bytes; the limit is {limit} bytes",
                counted.map_or_else(|_| "too many".to_owned(), |b| b.to_string())
            ),
        )),
    }
}
