//! What a population holds, as stored and shown: its attributes with their types, how often
//! each is missing and its most frequent values. The rule builder suggests from these.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kind::{FileKind, Stamp};

/// The JSON type of an attribute's values (an attribute can have several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    /// Text (every CSV cell).
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A list of values.
    Array,
    /// A nested object.
    Object,
    /// An explicit null.
    Null,
}

/// One value and how many users have it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct TopValue {
    /// The value (a string, number or boolean).
    pub value: Value,
    /// Users with this value.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub count: u64,
}

/// One attribute of a population. Nested objects are also described by their dotted paths
/// (`address.country`), which is how conditions name them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct AttributeProfile {
    /// The name a condition uses.
    pub name: String,
    /// The types seen, most frequent first.
    pub types: Vec<AttributeType>,
    /// Users that have the attribute (not missing, not null).
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub present: u64,
    /// Share of users without it (missing or null), 0 to 1.
    pub missing_share: f64,
    /// The most frequent values, most frequent first (at most 10). Empty when nearly every
    /// user has a different value (ids, emails).
    pub top_values: Vec<TopValue>,
    /// Whether the attribute has more distinct values than were tracked.
    pub many_values: bool,
}

/// A population file as read: its stamp, rows and attributes, and a uniform sample of its
/// rows for instant estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Format and compression.
    pub kind: FileKind,
    /// Size and modification time when read.
    pub stamp: Stamp,
    /// Users read.
    pub rows: u64,
    /// Rows that could not be read (only when skipping invalid rows).
    pub invalid: u64,
    /// The attributes, by name.
    pub attributes: Vec<AttributeProfile>,
    /// A uniform random sample of the rows (at most [`SAMPLE_ROWS`]), as JSON contexts.
    pub sample: Vec<Value>,
}

/// How many rows the sample for estimates keeps.
pub const SAMPLE_ROWS: usize = 4096;
