//! Remotes: the hosted segments APIs this database syncs with. Tokens go in, never out.

use segments_core::sync::{self, NewRemote, RemoteInfo};
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// Every remote, with where its token is kept.
#[tauri::command]
pub async fn list_remotes(state: State<'_, AppState>) -> Result<Vec<RemoteInfo>, IpcError> {
    let store = state.lock_store();
    Ok(sync::list_remotes(&store, &state.credentials)?)
}

/// Adds a remote; its token goes to the keyring (or a user-only file, as the result says).
#[tauri::command]
pub async fn add_remote(
    state: State<'_, AppState>,
    remote: NewRemote,
) -> Result<RemoteInfo, IpcError> {
    let mut store = state.lock_store();
    Ok(sync::add_remote(&mut store, &state.credentials, &remote)?)
}

/// Removes a remote with its sync records and token; local segments stay.
#[tauri::command]
pub async fn remove_remote(
    state: State<'_, AppState>,
    name: String,
) -> Result<RemoteInfo, IpcError> {
    let mut store = state.lock_store();
    Ok(sync::remove_remote(&mut store, &state.credentials, &name)?)
}

/// Replaces a remote's token (after a 401, or a rotated key).
#[tauri::command]
pub async fn replace_token(
    state: State<'_, AppState>,
    name: String,
    token: String,
) -> Result<RemoteInfo, IpcError> {
    let store = state.lock_store();
    Ok(sync::replace_token(
        &store,
        &state.credentials,
        &name,
        &token,
    )?)
}

/// Lists the remote's segments once to prove the URL, project and token; returns how many
/// it has.
#[tauri::command]
pub async fn test_remote(state: State<'_, AppState>, name: String) -> Result<u32, IpcError> {
    let count = sync::test_connection(state.store(), &state.credentials, &name).await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}
