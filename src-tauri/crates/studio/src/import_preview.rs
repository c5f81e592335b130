//! What an import file would do, item by item, before anything is written: the import
//! dialog shows it, marks the items it refuses, and imports only once the user agrees.

use std::sync::{Mutex, PoisonError};

use segments_engine::{Segment, ValidationIssue, parse_json_text};
use segments_store::{Store, StoreError};
use serde::Serialize;

use crate::documents::{MAX_IMPORT_BYTES, import_items, parse_items};

/// What the import would do with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum ImportAction {
    /// A new key: the segment is created.
    Create,
    /// An existing key with other content: the segment is replaced (its history keeps the
    /// previous version).
    Update,
    /// An existing key with the same content: nothing changes.
    Unchanged,
    /// The item has problems: the import as a whole would be refused.
    Refuse,
}

/// One item of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ImportItem {
    /// Its place in the file, counting from 1.
    pub position: usize,
    /// Its key, when it has one (a refused item may not).
    #[cfg_attr(feature = "typescript", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its name ("" when it has none).
    pub name: String,
    /// What the import would do with it.
    pub action: ImportAction,
    /// Why it is refused; paths are within the item (`rules[0].values`).
    pub issues: Vec<ValidationIssue>,
}

/// Every item of an import file and what the import would do with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ImportPreview {
    /// In file order.
    pub items: Vec<ImportItem>,
    /// Problems of the file's segments together that no single item owns.
    pub problems: Vec<ValidationIssue>,
}

impl ImportPreview {
    /// Whether the import would land (it is all or nothing).
    pub fn importable(&self) -> bool {
        self.problems.is_empty() && self.items.iter().all(|i| i.action != ImportAction::Refuse)
    }
}

/// What importing `text` would do, writing nothing. A file that is not JSON, or not a
/// segment or a list of them, is refused as a whole; otherwise every item is listed, with
/// the problems of each refused one.
pub fn preview_import_text(store: &Mutex<Store>, text: &str) -> Result<ImportPreview, StoreError> {
    let value = parse_json_text(text, MAX_IMPORT_BYTES, "import file")?;
    let parsed = parse_items(import_items(&value)?);
    let valid: Vec<Segment> = parsed
        .iter()
        .filter_map(|p| p.as_ref().ok().cloned())
        .collect();
    let store = store.lock().unwrap_or_else(PoisonError::into_inner);
    // The store's own checks (references, cycles, compiling together) on the items that
    // parsed; their problems name the segment they are in.
    let (report, set_issues) = match store.preview_import(&valid) {
        Ok(report) => (Some(report), Vec::new()),
        Err(StoreError::Invalid(e)) => (None, e.issues),
        Err(e) => return Err(e),
    };
    let action_of = |key: &str| {
        let report = report.as_ref()?;
        let has = |keys: &[String]| keys.iter().any(|k| k == key);
        Some(if has(&report.created) {
            ImportAction::Create
        } else if has(&report.updated) {
            ImportAction::Update
        } else {
            ImportAction::Unchanged
        })
    };
    let items = parsed
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Ok(segment) => {
                let issues: Vec<ValidationIssue> = set_issues
                    .iter()
                    .filter(|issue| issue.segment.as_deref() == Some(segment.key.as_str()))
                    .cloned()
                    .collect();
                // Without a report, some item broke the set; the others would still land.
                let action = match action_of(&segment.key) {
                    Some(action) if issues.is_empty() => action,
                    _ if issues.is_empty() => unblocked_action(&store, &segment)?,
                    _ => ImportAction::Refuse,
                };
                Ok(ImportItem {
                    position: i + 1,
                    key: Some(segment.key),
                    name: segment.name,
                    action,
                    issues,
                })
            }
            Err(issues) => Ok(ImportItem {
                position: i + 1,
                key: stated(&value, i, "key"),
                name: stated(&value, i, "name").unwrap_or_default(),
                action: ImportAction::Refuse,
                issues,
            }),
        })
        .collect::<Result<Vec<ImportItem>, StoreError>>()?;
    let problems = set_issues
        .into_iter()
        .filter(|issue| {
            !items
                .iter()
                .any(|item| item.key.is_some() && issue.segment == item.key)
        })
        .collect();
    Ok(ImportPreview { items, problems })
}

/// What the import would do with a sound segment once the file's refused items are fixed.
fn unblocked_action(store: &Store, segment: &Segment) -> Result<ImportAction, StoreError> {
    Ok(match store.get_segment(&segment.key) {
        Ok(stored) if stored.segment == *segment => ImportAction::Unchanged,
        Ok(_) => ImportAction::Update,
        Err(StoreError::NotFound(_)) => ImportAction::Create,
        Err(e) => return Err(e),
    })
}

/// A text field (`key`, `name`) of an item that did not parse, so the dialog can name it.
fn stated(value: &serde_json::Value, i: usize, field: &str) -> Option<String> {
    let item = import_items(value).ok()?.get(i)?;
    item.get(field)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
}
