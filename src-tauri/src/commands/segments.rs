//! Segment list and editor commands.

use segments_engine::{Segment, ValidationIssue};
use segments_store::Revision;
use segments_studio::{self as studio, SegmentSummary};
use serde_json::Value;

use crate::error::IpcError;
use crate::state::AppState;

/// The segment list.
pub async fn list_segments(state: &AppState) -> Result<Vec<SegmentSummary>, IpcError> {
    state.blocking(|store| studio::summaries(store)).await
}

/// One segment.
pub async fn get_segment(state: &AppState, key: String) -> Result<Segment, IpcError> {
    state
        .blocking(move |store| Ok::<_, IpcError>(store.get_segment(&key)?.segment))
        .await
}

/// Creates a segment from a draft.
pub async fn create_segment(state: &AppState, draft: Value) -> Result<Segment, IpcError> {
    state
        .blocking(move |store| studio::create_from_draft(store, &draft))
        .await
}

/// Saves a draft over segment `key`.
pub async fn update_segment(
    state: &AppState,
    key: String,
    draft: Value,
) -> Result<Segment, IpcError> {
    state
        .blocking(move |store| studio::replace_from_draft(store, &key, &draft))
        .await
}

/// Deletes a segment, returning the revision that undoes it.
pub async fn delete_segment(state: &AppState, key: String) -> Result<Revision, IpcError> {
    state
        .blocking(move |store| store.delete_segment(&key))
        .await
}

/// Copies a segment under a new key.
pub async fn duplicate_segment(
    state: &AppState,
    key: String,
    new_key: String,
) -> Result<Segment, IpcError> {
    state
        .blocking(move |store| studio::duplicate(store, &key, &new_key))
        .await
}

/// A draft typed as JSON, read by the engine into the canonical segment (vendor formats
/// included), for the JSON view; an error says what to fix.
pub async fn parse_draft(_state: &AppState, text: String) -> Result<Segment, IpcError> {
    Ok(studio::parse_draft_text(&text)?)
}

/// The segments that use `key`: a delete waits until they no longer do.
pub async fn segment_referrers(state: &AppState, key: String) -> Result<Vec<String>, IpcError> {
    state.blocking(move |store| store.referrers(&key)).await
}

/// Every problem with a draft, for inline errors; empty when it could be saved.
pub async fn validate_segment(
    state: &AppState,
    draft: Value,
) -> Result<Vec<ValidationIssue>, IpcError> {
    state
        .blocking(move |store| studio::validate_draft(store, &draft))
        .await
}

/// The key a new segment gets from its name until the key is typed by hand (the engine's
/// derivation, which a pull uses too). An empty name gives an empty key, not a placeholder.
pub async fn key_from_name(_state: &AppState, name: String) -> Result<String, IpcError> {
    Ok(if name.trim().is_empty() {
        String::new()
    } else {
        segments_engine::key_from_name(&name)
    })
}
