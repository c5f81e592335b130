//! Revision history commands.

use segments_core::store::Revision;
use segments_engine::Segment;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// A segment's revisions, newest first.
#[tauri::command]
pub async fn list_revisions(
    state: State<'_, AppState>,
    key: String,
) -> Result<Vec<Revision>, IpcError> {
    state.with_store(|store| store.history(&key))
}

/// Restores the state a revision left the segment in.
#[tauri::command]
pub async fn restore_revision(
    state: State<'_, AppState>,
    key: String,
    revision_id: i64,
) -> Result<Segment, IpcError> {
    state.with_store(|store| Ok(store.restore_revision(&key, revision_id)?.segment))
}
