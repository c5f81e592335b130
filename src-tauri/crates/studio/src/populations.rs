//! TEMPORARY STUB of the lead's populations use-cases (dropped when the core lands).
#![allow(missing_docs, clippy::missing_errors_doc, clippy::needless_pass_by_value)]

use std::path::Path;
use std::sync::Mutex;

use segments_engine::Segment;
use segments_population::{AttributeProfile, Control, FileKind, Stamp};
use segments_store::{Store, Timestamp};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PopulationInfo {
    pub id: String,
    pub name: String,
    pub path: String,
    pub kind: FileKind,
    pub stamp: Stamp,
    pub rows: u64,
    pub invalid: u64,
    pub attributes: Vec<AttributeProfile>,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub added_at: Timestamp,
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub read_at: Timestamp,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SegmentAudience {
    pub key: String,
    pub name: String,
    pub matched: u64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PairOverlap {
    pub a: String,
    pub b: String,
    pub both: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Audience {
    pub population: PopulationInfo,
    pub rows: u64,
    pub invalid: u64,
    pub segments: Vec<SegmentAudience>,
    pub overlaps: Vec<PairOverlap>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct DraftImpact {
    pub rows: u64,
    pub before: u64,
    pub after: u64,
    pub gained: u64,
    pub lost: u64,
    pub estimate: bool,
    pub margin: u64,
    pub sample_rows: u64,
    pub gained_examples: Vec<Value>,
    pub lost_examples: Vec<Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum PopulationsError {
    #[error("not yet")]
    NotYet,
}

impl PopulationsError {
    pub fn code(&self) -> &'static str {
        "population_invalid"
    }
}

pub fn list(_store: &Mutex<Store>) -> Result<Vec<PopulationInfo>, PopulationsError> {
    Ok(Vec::new())
}
pub fn add(_s: &Mutex<Store>, _p: &Path, _n: Option<&str>, _c: &Control<'_>) -> Result<PopulationInfo, PopulationsError> {
    Err(PopulationsError::NotYet)
}
pub fn remove(_s: &Mutex<Store>, _id: &str) -> Result<PopulationInfo, PopulationsError> {
    Err(PopulationsError::NotYet)
}
pub fn audience(_s: &Mutex<Store>, _id: &str, _k: &[String], _o: bool, _c: &Control<'_>) -> Result<Audience, PopulationsError> {
    Err(PopulationsError::NotYet)
}
pub fn draft_impact(_s: &Mutex<Store>, _id: &str, _k: Option<&str>, _d: &Segment, _e: bool, _c: &Control<'_>) -> Result<DraftImpact, PopulationsError> {
    Err(PopulationsError::NotYet)
}
