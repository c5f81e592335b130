//! Import files: what the documents parser accepts and refuses before anything is stored.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use segments_engine::IssueCode;
use serde_json::json;

#[test]
fn an_import_file_with_a_key_twice_is_refused_at_the_second() {
    let value = json!([
        {"name": "Pro Users", "rules": [{"key": "plan", "operator": "equals", "value": "pro"}]},
        {"name": "pro users", "rules": [{"key": "plan", "operator": "equals", "value": "team"}]}
    ]);
    let err = segments_studio::documents::parse_segment_documents(&value).unwrap_err();
    assert_eq!(err.issues[0].path, "[1].key");
    assert_eq!(err.issues[0].code, IssueCode::Conflict);
}

/// Each item is held to the 1 MiB of a single document, even in a file under 64 MiB.
#[test]
fn an_oversize_item_is_refused_at_its_position() {
    let big = "x".repeat(segments_engine::limits::MAX_DOCUMENT_BYTES);
    let value = json!([
        {"key": "fine", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]},
        {"key": "big", "description": big, "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}
    ]);
    let err = segments_studio::documents::parse_segment_documents(&value).unwrap_err();
    assert_eq!(err.issues.len(), 1, "{err}");
    assert_eq!(err.issues[0].path, "[1]");
    assert_eq!(err.issues[0].code, IssueCode::TooLarge);
}

/// A file of 1,000 broken items reports the first 200 and counts the rest, instead of a
/// message of every problem joined together.
#[test]
fn the_issues_shown_are_capped() {
    let items: Vec<_> = (0..1_000)
        .map(|i| json!({"key": format!("s{i}"), "rules": []}))
        .collect();
    let err = segments_studio::documents::parse_segment_documents(&json!(items)).unwrap_err();
    assert_eq!(err.issues.len(), segments_engine::MAX_ISSUES);
    assert_eq!(err.omitted, 800);
    assert!(
        err.to_string()
            .ends_with("and 800 more problems (fix these first)"),
        "{err}"
    );
    assert_eq!(err.issues[199].path, "[199].rules");
}

/// Many distinct keys parse with one lookup each (a hash set), and every one arrives.
#[test]
fn a_large_import_keeps_every_item() {
    let items: Vec<_> = (0..20_000)
        .map(|i| json!({"key": format!("s{i}"), "rules": [{"attribute": "n", "operator": "eq", "values": [i]}]}))
        .collect();
    let segments = segments_studio::documents::parse_segment_documents(&json!(items)).unwrap();
    assert_eq!(segments.len(), 20_000);
    assert_eq!(segments[19_999].key, "s19999");
}
