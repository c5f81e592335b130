//! Revision history commands.

use segments_engine::Segment;
use segments_store::Revision;

use crate::error::IpcError;
use crate::state::AppState;

/// A segment's revisions, newest first.
pub async fn list_revisions(state: &AppState, key: String) -> Result<Vec<Revision>, IpcError> {
    state.blocking(move |store| store.history(&key)).await
}

/// Restores the state a revision left the segment in.
pub async fn restore_revision(
    state: &AppState,
    key: String,
    revision_id: i64,
) -> Result<Segment, IpcError> {
    state
        .blocking(move |store| {
            Ok::<_, IpcError>(store.restore_revision(&key, revision_id)?.segment)
        })
        .await
}

/// Deleted segments, newest first, each with the delete revision that restores it.
pub async fn deleted_segments(state: &AppState) -> Result<Vec<Revision>, IpcError> {
    state.blocking(|store| store.deleted_segments()).await
}
