//! The user's warehouse: a segment's count query per dialect ("Copy SQL"), the connection
//! settings (the password goes in once, to the keyring, and never comes back), and counts of
//! saved segments on it.

use segments_studio::warehouse::{
    self, WarehouseCounts, WarehouseSettings, WarehouseSettingsInput,
};
use segments_studio::warehouse_sql::{self, WarehouseDialect, WarehouseSql};
use serde_json::Value;

use crate::error::IpcError;
use crate::state::AppState;

/// The count query of an editor draft (saved or not) over `table` in `dialect`, with the
/// stored segments it references inlined, or the compiler's reason for refusing it.
pub async fn warehouse_sql(
    state: &AppState,
    draft: Value,
    dialect: WarehouseDialect,
    table: String,
) -> Result<WarehouseSql, IpcError> {
    state
        .blocking(move |store| warehouse_sql::warehouse_sql(store, &draft, dialect, &table))
        .await
}

/// The warehouse's URL and table, and where its password is kept; none before the first save.
pub async fn warehouse_settings(state: &AppState) -> Result<Option<WarehouseSettings>, IpcError> {
    let credentials = state.credentials.clone();
    state
        .blocking(move |store| warehouse::warehouse_settings(store, &credentials))
        .await
}

/// Checks and saves the warehouse's URL and table; a password, when given, goes to the
/// keyring (or a user-only file, as the answer says).
pub async fn save_warehouse_settings(
    state: &AppState,
    settings: WarehouseSettingsInput,
) -> Result<WarehouseSettings, IpcError> {
    let credentials = state.credentials.clone();
    state
        .blocking_shared(move |store| {
            warehouse::save_warehouse_settings(store, &credentials, &settings)
        })
        .await
}

/// Counts saved segments `keys` (every one when empty) on the saved warehouse: all or
/// nothing, with each query as it ran and its duration.
pub async fn count_in_warehouse(
    state: &AppState,
    keys: Vec<String>,
) -> Result<WarehouseCounts, IpcError> {
    let credentials = state.credentials.clone();
    // Read under the store's lock (segments, settings, the password); counted without it.
    let request = state
        .blocking_shared(move |store| {
            warehouse::prepare_warehouse_count(store, &credentials, &keys)
        })
        .await?;
    Ok(warehouse::count_in_warehouse(request).await?)
}
