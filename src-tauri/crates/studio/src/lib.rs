//! The desktop app's use-cases: what each IPC command does, written over the store and the
//! engine so the Tauri layer only converts and maps.

pub mod demo;
pub mod documents;
pub mod evaluation;
pub mod import_preview;
pub mod populations;
pub mod warehouse;
pub mod warehouse_sql;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use segments_engine::limits::{MAX_CONTEXT_BYTES, MAX_DOCUMENT_BYTES};
use segments_engine::{
    CompiledSet, Explanation, IssueCode, MatchType, Segment, SegmentPatch, ValidationError,
    ValidationIssue, check_json_size, parse_json_text, parse_segment,
};
use serde::Serialize;
use serde_json::Value;

use crate::documents::{MAX_IMPORT_BYTES, export_document, parse_segment_documents};
use crate::evaluation::{SegmentMatch, evaluate_stored};
use segments_store::{ImportReport, Store, StoreError, Timestamp};

/// A row of the segment list: enough to search by key, name and attribute and to sort.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SegmentSummary {
    /// Key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Top-level match type.
    pub match_type: MatchType,
    /// Conditions at all depths.
    pub condition_count: usize,
    /// Attributes the conditions test, sorted.
    pub attributes: Vec<String>,
    /// Last change (RFC 3339, UTC).
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub updated_at: Timestamp,
}

/// Opens the app's database, seeding the demo data when the file is new, so a first launch
/// shows something real and a user's emptied database is never refilled.
pub fn open_app_store(path: &Path) -> Result<Store, StoreError> {
    let new = !path.exists();
    let mut store = Store::open(path)?;
    if new {
        demo::seed_if_empty(&mut store)?;
    }
    Ok(store)
}

/// The segment list.
pub fn summaries(store: &Store) -> Result<Vec<SegmentSummary>, StoreError> {
    Ok(store
        .list_segments()?
        .into_iter()
        .map(|stored| SegmentSummary {
            condition_count: stored.segment.condition_count(),
            attributes: stored
                .segment
                .attributes()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            key: stored.segment.key,
            name: stored.segment.name,
            description: stored.segment.description,
            match_type: stored.segment.match_type,
            updated_at: stored.updated_at,
        })
        .collect())
}

/// Parses an editor draft within the document size limit.
pub fn parse_draft(draft: &Value) -> Result<Segment, ValidationError> {
    check_json_size(draft, MAX_DOCUMENT_BYTES, "segment")?;
    parse_segment(draft)
}

/// Parses the text of a draft typed as JSON (any accepted format) into the canonical
/// segment, or says what is wrong with it, as saving would.
pub fn parse_draft_text(text: &str) -> Result<Segment, ValidationError> {
    parse_segment(&parse_json_text(text, MAX_DOCUMENT_BYTES, "segment")?)
}

/// Checks an evaluation context: a JSON object within the size limit.
fn check_context(context: &Value) -> Result<(), ValidationError> {
    check_json_size(context, MAX_CONTEXT_BYTES, "context")?;
    if context.is_object() {
        Ok(())
    } else {
        Err(ValidationError::single(
            "context",
            IssueCode::WrongType,
            "the context must be a JSON object such as {\"plan\": \"pro\"}",
        ))
    }
}

/// Creates a segment from an editor draft (any accepted format).
pub fn create_from_draft(store: &mut Store, draft: &Value) -> Result<Segment, StoreError> {
    let segment = parse_draft(draft)?;
    Ok(store.create_segment(&segment)?.segment)
}

/// Parses an editor draft for the segment `key`: the draft's key must be `key`.
pub fn parse_draft_for(draft: &Value, key: &str) -> Result<Segment, ValidationError> {
    let segment = parse_draft(draft)?;
    if segment.key != key {
        return Err(ValidationError::single(
            "key",
            IssueCode::KeyChanged,
            format!(
                "a segment's key cannot change (it is \"{key}\"); duplicate it under the new key instead"
            ),
        ));
    }
    Ok(segment)
}

/// Replaces segment `key` with an editor draft; the draft's key must be `key`.
pub fn replace_from_draft(
    store: &mut Store,
    key: &str,
    draft: &Value,
) -> Result<Segment, StoreError> {
    let segment = parse_draft_for(draft, key)?;
    let patch = SegmentPatch {
        name: Some(segment.name),
        description: Some(segment.description),
        match_type: Some(segment.match_type),
        rules: Some(segment.rules),
    };
    Ok(store.update_segment(key, &patch)?.segment)
}

/// Copies segment `key` under `new_key`, named "<name> (copy)".
pub fn duplicate(store: &mut Store, key: &str, new_key: &str) -> Result<Segment, StoreError> {
    let original = store.get_segment(key)?.segment;
    // Keep the name within the limit once " (copy)" is added.
    let room = segments_engine::limits::MAX_NAME_CHARS - " (copy)".len();
    let name: String = original.name.chars().take(room).collect();
    let mut copy = original.to_json();
    copy["key"] = Value::from(new_key);
    copy["name"] = Value::from(format!("{} (copy)", name.trim_end()));
    create_from_draft(store, &copy)
}

/// Every problem with a draft, each with its path, without saving anything; empty when the
/// draft could be saved (references included).
pub fn validate_draft(store: &Store, draft: &Value) -> Result<Vec<ValidationIssue>, StoreError> {
    let checked = parse_draft(draft)
        .map_err(StoreError::from)
        .and_then(|segment| store.check_references(&segment));
    match checked {
        Ok(()) => Ok(Vec::new()),
        Err(StoreError::Invalid(e)) => Ok(e.issues),
        Err(other) => Err(other),
    }
}

/// Evaluates an unsaved draft against a context, with the stored segments it references.
pub fn explain_draft(
    store: &Store,
    draft: &Value,
    context: &Value,
) -> Result<Explanation, StoreError> {
    check_context(context)?;
    let segment = parse_draft(draft)?;
    let set = CompiledSet::compile(&store.with_references(&segment)?)?;
    let id = set
        .id(&segment.key)
        .ok_or_else(|| StoreError::NotFound(segment.key.clone()))?;
    Ok(set.explain(id, context))
}

/// Evaluates a context against every stored segment.
pub fn evaluate_all(store: &Store, context: &Value) -> Result<Vec<SegmentMatch>, StoreError> {
    check_context(context)?;
    evaluate_stored(store, &[], context, false)
}

/// Imports the text of a JSON file (any accepted format), all or nothing. The file is
/// read and checked before the store is locked: a 64 MiB import must not stall every
/// other command while it parses.
pub fn import_text(store: &Mutex<Store>, text: &str) -> Result<ImportReport, StoreError> {
    let segments = parse_import(text)?;
    store
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .import_segments(&segments)
}

/// The segments of an import file's text, checked as an import checks them.
pub fn parse_import(text: &str) -> Result<Vec<Segment>, ValidationError> {
    parse_segment_documents(&parse_json_text(text, MAX_IMPORT_BYTES, "import file")?)
}

/// All segments as an export document (`{"segments": [...]}`, canonical).
pub fn export(store: &Store) -> Result<Value, StoreError> {
    let segments: Vec<Segment> = store
        .list_segments()?
        .into_iter()
        .map(|s| s.segment)
        .collect();
    Ok(export_document(&segments))
}

/// All segments as the text of an export file.
pub fn export_text(store: &Store) -> Result<String, StoreError> {
    Ok(serde_json::to_string_pretty(&export(store)?).unwrap_or_default())
}

/// Writes all segments to a new file `segments-<date>.json` in `dir` (`-2`, `-3`… when that
/// name is taken: an export never overwrites a file) and returns its path.
pub fn export_to_dir(store: &Store, dir: &Path) -> Result<PathBuf, StoreError> {
    let text = export_text(store)?;
    let date = segments_store::clock::today();
    let file_error = |path: &Path, source| StoreError::File {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| file_error(dir, e))?;
    for n in 1..=1000 {
        let name = if n == 1 {
            format!("segments-{date}.json")
        } else {
            format!("segments-{date}-{n}.json")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())
                    .map_err(|e| file_error(&path, e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(file_error(&path, e)),
        }
    }
    Err(file_error(
        dir,
        std::io::Error::other("1000 exports of today are already there; tidy the folder"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        demo::seed_if_empty(&mut store).unwrap();
        store
    }

    #[test]
    fn drafts_validate_with_paths_and_references() {
        let store = store();
        let ok = json!({"key": "x", "rules": [{"attribute": "s", "operator": "in_segment", "values": ["north-america"]}]});
        assert!(validate_draft(&store, &ok).unwrap().is_empty());
        let bad = json!({"key": "x", "rules": [{"attribute": "s", "operator": "in_segment", "values": ["ghost"]}, {"attribute": "n", "operator": "gt", "values": ["lots"]}]});
        let issues = validate_draft(&store, &bad).unwrap();
        assert_eq!(
            issues.len(),
            1,
            "reference checks wait for a parseable draft"
        );
        assert_eq!(issues[0].path, "rules[1].values[0]");
        let dangling = json!({"key": "x", "rules": [{"attribute": "s", "operator": "in_segment", "values": ["ghost"]}]});
        assert_eq!(
            validate_draft(&store, &dangling).unwrap()[0].code,
            IssueCode::UnknownSegment
        );
    }

    #[test]
    fn explain_an_unsaved_draft_with_stored_references() {
        let store = store();
        let draft = json!({"key": "draft", "rules": [{"attribute": "s", "operator": "in_segment", "values": ["north-america"]},
                                                    {"attribute": "plan", "operator": "eq", "values": ["pro"]}]});
        let explanation = explain_draft(
            &store,
            &draft,
            &json!({"address": {"country": "CA"}, "plan": "free"}),
        )
        .unwrap();
        assert!(!explanation.matched);
        assert!(store.get_segment("draft").is_err(), "nothing saved");
        assert!(explain_draft(&store, &draft, &json!([1])).is_err());
        let huge = json!({"blob": "x".repeat(MAX_CONTEXT_BYTES)});
        let err = explain_draft(&store, &draft, &huge).unwrap_err();
        assert!(err.to_string().contains("the limit is"), "{err}");
        assert!(
            evaluate_all(&store, &json!([])).is_err(),
            "a context must be an object"
        );
    }

    #[test]
    fn replace_keeps_the_key_and_records_a_revision() {
        let mut store = store();
        let mut draft = store
            .get_segment("north-america")
            .unwrap()
            .segment
            .to_json();
        draft["name"] = json!("NA");
        assert_eq!(
            replace_from_draft(&mut store, "north-america", &draft)
                .unwrap()
                .name,
            "NA"
        );
        assert!(replace_from_draft(&mut store, "beta-testers", &draft).is_err());
        let copy = duplicate(&mut store, "north-america", "north-america-2").unwrap();
        assert_eq!(copy.name, "NA (copy)");
        assert_eq!(
            copy.rules,
            store.get_segment("north-america").unwrap().segment.rules
        );
    }

    #[test]
    fn import_and_export_text_round_trip() {
        let source = store();
        let text = export_text(&source).unwrap();
        let target = Mutex::new(Store::open_in_memory().unwrap());
        let report = import_text(&target, &text).unwrap();
        assert_eq!(report.created.len(), source.list_segments().unwrap().len());
        assert_eq!(export_text(&target.lock().unwrap()).unwrap(), text);
        assert!(import_text(&Mutex::new(source), "{oops").is_err());
    }

    #[test]
    fn exports_never_overwrite() {
        let store = store();
        let dir = tempfile::tempdir().unwrap();
        let first = export_to_dir(&store, dir.path()).unwrap();
        let second = export_to_dir(&store, dir.path()).unwrap();
        assert_ne!(first, second);
        let text = std::fs::read_to_string(&second).unwrap();
        assert_eq!(text, export_text(&store).unwrap());
    }
}
