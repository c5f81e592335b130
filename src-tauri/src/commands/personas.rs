//! Saved test contexts.

use segments_store::Persona;
use serde_json::Value;

use crate::error::IpcError;
use crate::state::AppState;

/// Every persona.
pub async fn list_personas(state: &AppState) -> Result<Vec<Persona>, IpcError> {
    state.blocking(|store| store.list_personas()).await
}

/// Saves a persona (replacing one with the same name).
pub async fn save_persona(
    state: &AppState,
    name: String,
    context: Value,
) -> Result<Persona, IpcError> {
    state
        .blocking(move |store| store.save_persona(&name, &context))
        .await
}

/// Renames a persona and replaces its context (refusing another persona's name).
pub async fn update_persona(
    state: &AppState,
    id: i64,
    name: String,
    context: Value,
) -> Result<Persona, IpcError> {
    state
        .blocking(move |store| store.update_persona(id, &name, &context))
        .await
}

/// Deletes a persona.
pub async fn delete_persona(state: &AppState, id: i64) -> Result<(), IpcError> {
    state.blocking(move |store| store.delete_persona(id)).await
}
