//! The records the store hands out.

use segments_engine::Segment;
use serde::Serialize;
use serde_json::Value;

/// A segment as stored, with its timestamps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSegment {
    /// The canonical segment.
    #[serde(flatten)]
    pub segment: Segment,
    /// When it was first created (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// What a revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RevisionAction {
    /// The segment was created.
    Create,
    /// The segment was edited.
    Update,
    /// The segment was deleted.
    Delete,
    /// An earlier revision was restored.
    Restore,
    /// An import created or changed the segment.
    Import,
}

impl RevisionAction {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            RevisionAction::Create => "create",
            RevisionAction::Update => "update",
            RevisionAction::Delete => "delete",
            RevisionAction::Restore => "restore",
            RevisionAction::Import => "import",
        }
    }

    pub(super) fn from_str(s: &str) -> Option<Self> {
        [
            RevisionAction::Create,
            RevisionAction::Update,
            RevisionAction::Delete,
            RevisionAction::Restore,
            RevisionAction::Import,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One entry of a segment's history: the full document before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Revision {
    /// Increasing id.
    pub id: i64,
    /// The segment's key.
    pub segment_key: String,
    /// What happened.
    pub action: RevisionAction,
    /// Who did it ("local" for this app).
    pub author: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// The document before (none for a create).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub previous: Option<Value>,
    /// The document after (none for a delete).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub current: Option<Value>,
}

/// A saved test context.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Persona {
    /// Id.
    pub id: i64,
    /// Unique name, such as "Enterprise admin in Germany".
    pub name: String,
    /// The context: a JSON object.
    pub context: Value,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// What an import did, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ImportReport {
    /// Segments that did not exist.
    pub created: Vec<String>,
    /// Segments that existed and changed.
    pub updated: Vec<String>,
    /// Segments that existed with exactly this content.
    pub unchanged: Vec<String>,
}
