//! Files of segments: what `import` reads and `export` writes.

use std::collections::HashSet;

use segments_engine::limits::MAX_DOCUMENT_BYTES;
use segments_engine::{
    IssueCode, Segment, ValidationError, ValidationIssue, check_json_size, parse_segment,
};
use serde_json::Value;

/// Largest accepted import file, in bytes.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Reads segments from an import document: an array of segments, an object with a
/// `segments` array (our export) or a `data` array (a vendor's list response), or one
/// segment. Every segment may be in any accepted format; every problem is reported, each
/// path prefixed with the segment's position (`[3].rules[0].operator`).
pub fn parse_segment_documents(value: &Value) -> Result<Vec<Segment>, ValidationError> {
    let mut segments = Vec::new();
    let mut issues = Vec::new();
    for (i, item) in parse_items(import_items(value)?).into_iter().enumerate() {
        match item {
            Ok(segment) => segments.push(segment),
            Err(item_issues) => issues.extend(item_issues.into_iter().map(|mut issue| {
                issue.path = if issue.path.is_empty() {
                    format!("[{i}]")
                } else {
                    format!("[{i}].{}", issue.path)
                };
                issue
            })),
        }
    }
    if issues.is_empty() {
        Ok(segments)
    } else {
        Err(ValidationError::from(issues))
    }
}

/// The items of an import document, each meant to be one segment.
pub(crate) fn import_items(value: &Value) -> Result<&[Value], ValidationError> {
    match value {
        Value::Array(items) => Ok(items.as_slice()),
        Value::Object(object) => match (object.get("segments"), object.get("data")) {
            (Some(Value::Array(items)), _) | (None, Some(Value::Array(items))) => {
                Ok(items.as_slice())
            }
            _ => Ok(std::slice::from_ref(value)),
        },
        _ => Err(ValidationError::single(
            "",
            IssueCode::WrongType,
            "expected a segment, an array of segments, or {\"segments\": [...]}",
        )),
    }
}

/// Each item as a segment, or its problems (paths within the item).
pub(crate) fn parse_items(items: &[Value]) -> Vec<Result<Segment, Vec<ValidationIssue>>> {
    let mut keys = HashSet::with_capacity(items.len());
    items
        .iter()
        .map(|item| {
            // Each item is held to the limit of one document, as if it came on its own.
            let segment = check_json_size(item, MAX_DOCUMENT_BYTES, "segment")
                .and_then(|()| parse_segment(item))
                .map_err(|e| e.issues)?;
            // Two entries can share a key without writing it: Krafter keys derive from names.
            if keys.insert(segment.key.clone()) {
                Ok(segment)
            } else {
                Err(vec![ValidationIssue::new(
                    "key",
                    IssueCode::Conflict,
                    format!("the key \"{}\" appears more than once in this file; give each segment its own key", segment.key),
                )])
            }
        })
        .collect()
}

/// The export document: a JSON array of canonical segments, in the order given (the store
/// lists them by key). `import` reads it back.
pub fn export_document(segments: &[Segment]) -> Value {
    Value::Array(segments.iter().map(Segment::to_json).collect())
}
