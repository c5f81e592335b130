//! Saved test contexts.

use segments_core::store::Persona;
use serde_json::Value;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// Every persona.
#[tauri::command]
pub async fn list_personas(state: State<'_, AppState>) -> Result<Vec<Persona>, IpcError> {
    state.with_store(|store| store.list_personas())
}

/// Saves a persona (replacing one with the same name).
#[tauri::command]
pub async fn save_persona(
    state: State<'_, AppState>,
    name: String,
    context: Value,
) -> Result<Persona, IpcError> {
    state.with_store(|store| store.save_persona(&name, &context))
}

/// Deletes a persona.
#[tauri::command]
pub async fn delete_persona(state: State<'_, AppState>, id: i64) -> Result<(), IpcError> {
    state.with_store(|store| store.delete_persona(id))
}
