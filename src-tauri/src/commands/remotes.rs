//! Remotes: the hosted segments APIs this database syncs with. Tokens go in, never out.

use segments_sync::{self as sync, NewRemote, RemoteInfo};

use crate::error::IpcError;
use crate::state::AppState;

/// Every remote, with where its token is kept.
pub async fn list_remotes(state: &AppState) -> Result<Vec<RemoteInfo>, IpcError> {
    let credentials = state.credentials.clone();
    state
        .blocking(move |store| sync::list_remotes(store, &credentials))
        .await
}

/// Adds a remote; its token goes to the keyring (or a user-only file, as the result says).
pub async fn add_remote(state: &AppState, remote: NewRemote) -> Result<RemoteInfo, IpcError> {
    let credentials = state.credentials.clone();
    state
        .blocking_shared(move |store| sync::add_remote(store, &credentials, &remote))
        .await
}

/// Removes a remote with its sync records and token; local segments stay.
pub async fn remove_remote(state: &AppState, name: String) -> Result<RemoteInfo, IpcError> {
    let credentials = state.credentials.clone();
    state
        .blocking_shared(move |store| sync::remove_remote(store, &credentials, &name))
        .await
}

/// Replaces a remote's token (after a 401, or a rotated key).
pub async fn replace_token(
    state: &AppState,
    name: String,
    token: String,
) -> Result<RemoteInfo, IpcError> {
    let credentials = state.credentials.clone();
    state
        .blocking_shared(move |store| sync::replace_token(store, &credentials, &name, &token))
        .await
}

/// Lists the remote's segments once to prove the URL, project and token; returns how many
/// it has.
pub async fn test_remote(state: &AppState, name: String) -> Result<u32, IpcError> {
    let count = state
        .on_sync_thread(move |store, credentials| async move {
            sync::test_connection(&store, &credentials, &name).await
        })
        .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}
