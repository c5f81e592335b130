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
