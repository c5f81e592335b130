//! What-if evaluation commands.

use segments_core::evaluation::SegmentMatch;
use segments_core::studio;
use segments_engine::{Explanation, OperatorInfo, operator_catalog};
use serde_json::Value;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// Evaluates an unsaved draft against a context, with its trace.
#[tauri::command]
pub async fn explain_draft(
    state: State<'_, AppState>,
    draft: Value,
    context: Value,
) -> Result<Explanation, IpcError> {
    state.with_store(|store| studio::explain_draft(store, &draft, &context))
}

/// Evaluates a context against every saved segment.
#[tauri::command]
pub async fn evaluate_all(
    state: State<'_, AppState>,
    context: Value,
) -> Result<Vec<SegmentMatch>, IpcError> {
    state.with_store(|store| studio::evaluate_all(store, &context))
}

/// The operators, for the rule builder. (It takes the state like every command, so the
/// command list in `ipc.rs` has one shape.)
#[tauri::command]
pub async fn list_operators(_state: State<'_, AppState>) -> Result<Vec<OperatorInfo>, IpcError> {
    Ok(operator_catalog())
}
