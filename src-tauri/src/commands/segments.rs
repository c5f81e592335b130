//! Segment list and editor commands.

use segments_core::store::Revision;
use segments_core::studio::{self, SegmentSummary};
use segments_engine::{Segment, ValidationIssue};
use serde_json::Value;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// The segment list.
#[tauri::command]
pub async fn list_segments(state: State<'_, AppState>) -> Result<Vec<SegmentSummary>, IpcError> {
    state.with_store(|store| studio::summaries(store))
}

/// One segment.
#[tauri::command]
pub async fn get_segment(state: State<'_, AppState>, key: String) -> Result<Segment, IpcError> {
    state.with_store(|store| Ok(store.get_segment(&key)?.segment))
}

/// Creates a segment from a draft.
#[tauri::command]
pub async fn create_segment(state: State<'_, AppState>, draft: Value) -> Result<Segment, IpcError> {
    state.with_store(|store| studio::create_from_draft(store, &draft))
}

/// Saves a draft over segment `key`.
#[tauri::command]
pub async fn update_segment(
    state: State<'_, AppState>,
    key: String,
    draft: Value,
) -> Result<Segment, IpcError> {
    state.with_store(|store| studio::replace_from_draft(store, &key, &draft))
}

/// Deletes a segment, returning the revision that undoes it.
#[tauri::command]
pub async fn delete_segment(state: State<'_, AppState>, key: String) -> Result<Revision, IpcError> {
    state.with_store(|store| store.delete_segment(&key))
}

/// Copies a segment under a new key.
#[tauri::command]
pub async fn duplicate_segment(
    state: State<'_, AppState>,
    key: String,
    new_key: String,
) -> Result<Segment, IpcError> {
    state.with_store(|store| studio::duplicate(store, &key, &new_key))
}

/// Every problem with a draft, for inline errors; empty when it could be saved.
#[tauri::command]
pub async fn validate_segment(
    state: State<'_, AppState>,
    draft: Value,
) -> Result<Vec<ValidationIssue>, IpcError> {
    state.with_store(|store| studio::validate_draft(store, &draft))
}
