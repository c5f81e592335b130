//! Sync with one remote: status, the push preview, pull and push with progress over a
//! channel, and conflicts.

use segments_core::sync::{
    self, ConflictView, PushPreview, SyncOptions, SyncProgress, SyncReport, SyncStatus, Take,
};
use serde_json::Value;
use tauri::State;
use tauri::ipc::Channel;

use crate::error::IpcError;
use crate::state::AppState;

/// The outbox, the conflicts and every segment's badge.
#[tauri::command]
pub async fn sync_status(
    state: State<'_, AppState>,
    remote: String,
) -> Result<SyncStatus, IpcError> {
    Ok(sync::status(&state.lock_store(), &remote)?)
}

/// What a push would send, with per-field diffs against the remote's current copies (read,
/// never written); sends nothing.
#[tauri::command]
pub async fn preview_push(
    state: State<'_, AppState>,
    remote: String,
) -> Result<PushPreview, IpcError> {
    let options = SyncOptions::default();
    Ok(sync::preview_remote(state.store(), &state.credentials, &remote, &options).await?)
}

/// Pulls the remote's segments, reporting progress on `progress`.
#[tauri::command]
pub async fn pull_remote(
    state: State<'_, AppState>,
    remote: String,
    progress: Channel<SyncProgress>,
) -> Result<SyncReport, IpcError> {
    let options = SyncOptions::default();
    let report = forward(progress);
    Ok(sync::pull(
        state.store(),
        &state.credentials,
        &remote,
        &options,
        &report,
    )
    .await?)
}

/// Pushes the outbox, reporting progress on `progress`.
#[tauri::command]
pub async fn push_remote(
    state: State<'_, AppState>,
    remote: String,
    progress: Channel<SyncProgress>,
) -> Result<SyncReport, IpcError> {
    let options = SyncOptions::default();
    let report = forward(progress);
    Ok(sync::push(
        state.store(),
        &state.credentials,
        &remote,
        &options,
        &report,
    )
    .await?)
}

/// Sends each progress report to the webview.
fn forward(progress: Channel<SyncProgress>) -> impl Fn(SyncProgress) + Send + Sync {
    move |p| {
        // A closed window is no reason to stop a sync.
        let _ = progress.send(p);
    }
}

/// The base, local and remote versions of a conflicted segment.
#[tauri::command]
pub async fn get_conflict(
    state: State<'_, AppState>,
    remote: String,
    key: String,
) -> Result<ConflictView, IpcError> {
    Ok(sync::conflict(&state.lock_store(), &remote, &key)?)
}

/// Resolves a conflict: keep mine, take theirs, or (with `edited`) save an edited version
/// and keep it.
#[tauri::command]
pub async fn resolve_conflict(
    state: State<'_, AppState>,
    remote: String,
    key: String,
    take: Take,
    edited: Option<Value>,
) -> Result<(), IpcError> {
    let mut store = state.lock_store();
    Ok(sync::resolve(
        &mut store,
        &remote,
        &key,
        take,
        edited.as_ref(),
    )?)
}
