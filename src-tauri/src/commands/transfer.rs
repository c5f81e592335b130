//! Import and export of segment files.

use segments_store::ImportReport;
use segments_studio as studio;
use segments_studio::import_preview::{ImportPreview, preview_import_text};

use crate::error::IpcError;
use crate::state::AppState;

/// Imports the text of a JSON file (any accepted format), all or nothing.
pub async fn import_segments(state: &AppState, text: String) -> Result<ImportReport, IpcError> {
    state
        .blocking_shared(move |store| studio::import_text(store, &text))
        .await
}

/// What importing the text would do with each item, writing nothing.
pub async fn preview_import(state: &AppState, text: String) -> Result<ImportPreview, IpcError> {
    state
        .blocking_shared(move |store| preview_import_text(store, &text))
        .await
}

/// Writes all segments to a new file in the exports folder (the downloads folder) and
/// returns its path.
pub async fn save_export(state: &AppState) -> Result<String, IpcError> {
    let dir = state.export_dir.clone();
    state
        .blocking(move |store| studio::export_to_dir(store, &dir).map(|p| p.display().to_string()))
        .await
}

/// All segments as export-file text.
pub async fn export_segments(state: &AppState) -> Result<String, IpcError> {
    state.blocking(|store| studio::export_text(store)).await
}
