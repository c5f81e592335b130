//! The records the store hands out.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use segments_engine::Segment;
use serde::Serialize;
use serde_json::Value;

use crate::clock::Timestamp;

/// A segment as stored, with its timestamps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSegment {
    /// The canonical segment.
    #[serde(flatten)]
    pub segment: Segment,
    /// When it was first created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
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
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RevisionAction::Create => "create",
            RevisionAction::Update => "update",
            RevisionAction::Delete => "delete",
            RevisionAction::Restore => "restore",
            RevisionAction::Import => "import",
        }
    }

    pub(crate) fn from_str(s: &str) -> Option<Self> {
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
    /// Who did it: `local` for this app, `remote:NAME` for a pull from a remote.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub author: Author,
    /// When (RFC 3339, UTC).
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub created_at: Timestamp,
    /// The document before (none for a create).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub previous: Option<Value>,
    /// The document after (none for a delete).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub current: Option<Value>,
    /// What changed, one phrase per change in the rule builder's words ("removed FR from
    /// country"); empty for a create or a delete.
    pub changes: Vec<String>,
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
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub updated_at: Timestamp,
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

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Author {
    /// Someone using this app or the CLI on this database.
    Local,
    /// A pull from the remote of this name.
    Remote(String),
}

impl std::fmt::Display for Author {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Author::Local => f.write_str("local"),
            Author::Remote(name) => write!(f, "remote:{name}"),
        }
    }
}

impl Serialize for Author {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl ToSql for Author {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Author {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "local" => Ok(Author::Local),
            text => match text.strip_prefix("remote:") {
                Some(name) if !name.is_empty() => Ok(Author::Remote(name.to_owned())),
                _ => Err(FromSqlError::Other(
                    format!("unknown author \"{text}\"").into(),
                )),
            },
        }
    }
}
