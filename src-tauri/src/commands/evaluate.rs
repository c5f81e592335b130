//! What-if evaluation commands.

use segments_engine::{Explanation, OperatorInfo, operator_catalog, parse_context_text};
use segments_studio as studio;
use segments_studio::evaluation::SegmentMatch;
use serde_json::Value;

use crate::error::IpcError;
use crate::state::AppState;

/// Evaluates an unsaved draft against a context, with its trace.
pub async fn explain_draft(
    state: &AppState,
    draft: Value,
    context: Value,
) -> Result<Explanation, IpcError> {
    state
        .blocking(move |store| studio::explain_draft(store, &draft, &context))
        .await
}

/// Evaluates a context against every saved segment.
pub async fn evaluate_all(state: &AppState, context: Value) -> Result<Vec<SegmentMatch>, IpcError> {
    state
        .blocking(move |store| studio::evaluate_all(store, &context))
        .await
}

/// The operators, for the rule builder. (It takes the state like every command, so the
/// command list in `ipc.rs` has one shape.)
pub async fn list_operators(_state: &AppState) -> Result<Vec<OperatorInfo>, IpcError> {
    Ok(operator_catalog())
}

/// Parses the text of a what-if context: the engine's own JSON reading, whose refusals say
/// at which line and column the text goes wrong.
pub async fn parse_context(_state: &AppState, text: String) -> Result<Value, IpcError> {
    Ok(parse_context_text(&text)?)
}
