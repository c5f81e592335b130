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

/// The preview lists every item with what the import would do, marks the refused ones
/// with their problems (paths within the item), and writes nothing.
#[test]
fn the_preview_says_what_each_item_would_do_and_writes_nothing() {
    use segments_studio::import_preview::{ImportAction, preview_import_text};
    use std::sync::Mutex;

    let mut store = segments_store::Store::open_in_memory().unwrap();
    let pro = json!({"key": "pro", "name": "Pro", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]});
    store
        .import_segments(&[segments_engine::parse_segment(&pro).unwrap()])
        .unwrap();
    let store = Mutex::new(store);
    let changed = json!({"key": "pro", "name": "Pro (renamed)", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]});
    let file = json!({"segments": [
        pro,
        {"key": "new", "name": "New", "rules": [{"attribute": "a", "operator": "exists"}]},
        {"key": "empty", "name": "Empty", "rules": [{"attribute": "plan", "operator": "in", "values": []}]},
        {"key": "dangling", "name": "Dangling", "rules": [{"attribute": "segment", "operator": "in_segment", "values": ["nowhere"]}]}
    ]});
    let preview = preview_import_text(&store, &file.to_string()).unwrap();
    let actions: Vec<_> = preview
        .items
        .iter()
        .map(|i| (i.position, i.key.as_deref(), i.action))
        .collect();
    assert_eq!(
        actions,
        [
            (1, Some("pro"), ImportAction::Unchanged),
            (2, Some("new"), ImportAction::Create),
            (3, Some("empty"), ImportAction::Refuse),
            (4, Some("dangling"), ImportAction::Refuse),
        ]
    );
    assert_eq!(preview.items[2].issues[0].path, "rules[0].values");
    assert_eq!(preview.items[3].issues[0].code, IssueCode::UnknownSegment);
    assert!(!preview.importable() && preview.problems.is_empty());

    let good = json!([changed, {"key": "uses-pro", "rules": [{"attribute": "segment", "operator": "in_segment", "values": ["pro"]}]}]);
    let preview = preview_import_text(&store, &good.to_string()).unwrap();
    assert!(preview.importable());
    assert_eq!(
        preview.items.iter().map(|i| i.action).collect::<Vec<_>>(),
        [ImportAction::Update, ImportAction::Create]
    );
    // Nothing was written: the store still holds only the original "pro".
    let stored = store.lock().unwrap().list_segments().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].segment.name, "Pro");
    // A file that is not JSON is refused whole, with the line and the column.
    let err = preview_import_text(&store, "[{\"key\": }]").unwrap_err();
    assert!(err.to_string().contains("line 1 column 10"), "{err}");
}
