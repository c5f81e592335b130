//! Sync with one remote: status, the push preview, pull and push with progress, and
//! conflicts.

use segments_sync::{
    self as sync, ConflictView, PushPreview, RemoteReadiness, SyncOptions, SyncReport, SyncStatus,
    Take,
};
use serde_json::Value;

use segments_studio as studio;

use crate::commands::Progress;
use crate::error::IpcError;
use crate::state::AppState;

/// The outbox, the conflicts and every segment's badge.
pub async fn sync_status(state: &AppState, remote: String) -> Result<SyncStatus, IpcError> {
    state
        .blocking(move |store| sync::status(store, &remote))
        .await
}

/// Whether a draft can be pushed to each remote, and why not, in words.
pub async fn sync_readiness(
    state: &AppState,
    draft: Value,
) -> Result<Vec<RemoteReadiness>, IpcError> {
    state
        .blocking(move |store| sync::draft_readiness(store, &draft))
        .await
}

/// What a push would send, with per-field diffs against the remote's current copies (read,
/// never written); sends nothing.
pub async fn preview_push(state: &AppState, remote: String) -> Result<PushPreview, IpcError> {
    state
        .on_sync_thread(move |store, credentials| async move {
            let options = SyncOptions::default();
            sync::preview_remote(&store, &credentials, &remote, &options).await
        })
        .await
}

/// Pulls the remote's segments, reporting progress as it goes.
pub async fn pull_remote(
    state: &AppState,
    remote: String,
    progress: Progress,
) -> Result<SyncReport, IpcError> {
    state
        .on_sync_thread(move |store, credentials| async move {
            let report = |p| progress.report(p);
            sync::pull(
                &store,
                &credentials,
                &remote,
                &SyncOptions::default(),
                &report,
            )
            .await
        })
        .await
}

/// Pushes the outbox, reporting progress as it goes.
pub async fn push_remote(
    state: &AppState,
    remote: String,
    progress: Progress,
) -> Result<SyncReport, IpcError> {
    state
        .on_sync_thread(move |store, credentials| async move {
            let report = |p| progress.report(p);
            sync::push(
                &store,
                &credentials,
                &remote,
                &SyncOptions::default(),
                &report,
            )
            .await
        })
        .await
}

/// The base, local and remote versions of a conflicted segment.
pub async fn get_conflict(
    state: &AppState,
    remote: String,
    key: String,
) -> Result<ConflictView, IpcError> {
    state
        .blocking(move |store| sync::conflict(store, &remote, &key))
        .await
}

/// Resolves a conflict: keep mine, take theirs, or (with `edited`) save an edited version
/// and keep it.
pub async fn resolve_conflict(
    state: &AppState,
    remote: String,
    key: String,
    take: Take,
    edited: Option<Value>,
) -> Result<(), IpcError> {
    state
        .blocking(move |store| {
            let edited = edited.as_ref().map(studio::parse_draft).transpose()?;
            Ok::<_, IpcError>(sync::resolve(store, &remote, &key, take, edited.as_ref())?)
        })
        .await
}
