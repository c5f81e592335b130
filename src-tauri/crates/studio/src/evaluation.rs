//! What-if evaluation of contexts against stored segments.

use segments_engine::{CompiledSet, IssueCode, Segment, TraceNode, ValidationError};
use serde::Serialize;
use serde_json::Value;

use segments_store::{Store, StoreError};

/// One segment's result for a context.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SegmentMatch {
    /// The segment's key.
    pub key: String,
    /// Its display name.
    pub name: String,
    /// Whether the context is in it.
    pub matched: bool,
    /// Per-condition trace, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub trace: Option<TraceNode>,
}

/// Compiles every stored segment together (so references resolve).
pub fn compile_stored(store: &Store) -> Result<CompiledSet, StoreError> {
    let segments: Vec<Segment> = store
        .list_segments()?
        .into_iter()
        .map(|s| s.segment)
        .collect();
    Ok(CompiledSet::compile(&segments)?)
}

/// Evaluates `context` against the segments named in `keys` (all when empty), in the order
/// named (or by key).
pub fn evaluate_stored(
    store: &Store,
    keys: &[String],
    context: &Value,
    explain: bool,
) -> Result<Vec<SegmentMatch>, StoreError> {
    if !context.is_object() {
        return Err(ValidationError::single(
            "context",
            IssueCode::WrongType,
            "the context must be a JSON object such as {\"plan\": \"pro\"}",
        )
        .into());
    }
    let set = compile_stored(store)?;
    let ids = if keys.is_empty() {
        set.ids().collect()
    } else {
        keys.iter()
            .map(|k| set.id(k).ok_or_else(|| StoreError::NotFound(k.clone())))
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut matched = Vec::with_capacity(ids.len());
    if !explain {
        set.evaluate_many(&ids, context, &mut set.scratch(), &mut matched);
    }
    Ok(ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let (matched, trace) = if explain {
                let explanation = set.explain(id, context);
                (explanation.matched, Some(explanation.trace))
            } else {
                (matched[i], None)
            };
            SegmentMatch {
                key: set.key(id).to_owned(),
                name: set.segment(id).name.clone(),
                matched,
                trace,
            }
        })
        .collect())
}
