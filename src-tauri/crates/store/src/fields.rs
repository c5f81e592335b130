//! The parts of a segment that sync compares, merges and reports, and why a segment can be
//! left waiting for the user.

use segments_engine::Segment;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A field that sync compares and merges. The key is the identity and never differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The display name.
    Name,
    /// The description.
    Description,
    /// `all`, `any` or `none`.
    MatchType,
    /// The rules.
    Rules,
}

impl Field {
    /// Every field, in the order the UI and reports list them.
    pub const ALL: [Field; 4] = [
        Field::Name,
        Field::Description,
        Field::MatchType,
        Field::Rules,
    ];

    /// The field's name in segment documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Description => "description",
            Field::MatchType => "match_type",
            Field::Rules => "rules",
        }
    }

    /// The field's value in a segment's document (`Segment::to_json`), null when absent.
    /// Callers serialize a segment once and read every field from that document.
    pub fn value(self, document: &Value) -> &Value {
        document.get(self.as_str()).unwrap_or(&Value::Null)
    }

    /// Copies this field from `from` into `into`.
    pub fn copy(self, from: &Segment, into: &mut Segment) {
        match self {
            Field::Name => into.name.clone_from(&from.name),
            Field::Description => into.description.clone_from(&from.description),
            Field::MatchType => into.match_type = from.match_type,
            Field::Rules => into.rules.clone_from(&from.rules),
        }
    }
}

/// Why a segment waits for the user instead of syncing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConflictKind {
    /// Both sides changed these fields differently (or both created the segment with
    /// different content: then every field that differs).
    Fields(Vec<Field>),
    /// Deleted here, changed on the remote.
    DeletedHere,
    /// Changed here, deleted on the remote.
    DeletedThere,
}

impl ConflictKind {
    /// The fields the two sides disagree on (none for a delete against an edit).
    pub fn fields(&self) -> &[Field] {
        match self {
            ConflictKind::Fields(fields) => fields,
            ConflictKind::DeletedHere | ConflictKind::DeletedThere => &[],
        }
    }

    /// Which side deleted the segment, if one did.
    pub fn deleted(&self) -> Option<Side> {
        match self {
            ConflictKind::Fields(_) => None,
            ConflictKind::DeletedHere => Some(Side::Here),
            ConflictKind::DeletedThere => Some(Side::There),
        }
    }
}

/// This database, or the remote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// This database.
    Here,
    /// The remote.
    There,
}
