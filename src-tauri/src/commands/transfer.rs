//! Import and export of segment files.

use segments_core::store::ImportReport;
use segments_core::studio;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// Imports the text of a JSON file (any accepted format), all or nothing.
#[tauri::command]
pub async fn import_segments(
    state: State<'_, AppState>,
    text: String,
) -> Result<ImportReport, IpcError> {
    state.with_store(|store| studio::import_text(store, &text))
}

/// Writes all segments to a new file in the exports folder (the downloads folder) and
/// returns its path.
#[tauri::command]
pub async fn save_export(state: State<'_, AppState>) -> Result<String, IpcError> {
    state.with_store(|store| {
        studio::export_to_dir(store, &state.export_dir).map(|p| p.display().to_string())
    })
}

/// All segments as export-file text.
#[tauri::command]
pub async fn export_segments(state: State<'_, AppState>) -> Result<String, IpcError> {
    state.with_store(|store| studio::export_text(store))
}
