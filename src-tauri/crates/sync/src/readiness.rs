//! Whether a segment can go to a remote, and why not: what the remote's dialect cannot
//! express, and references to segments that cannot go there either. Push, its preview, the
//! status badges and the editor all ask here, so they refuse for the same reasons.

use std::collections::{HashMap, HashSet};

use segments_engine::limits::MAX_DOCUMENT_BYTES;
use segments_engine::{Segment, check_json_size, parse_segment};
use segments_store::{Store, StoreError};
use serde::Serialize;
use serde_json::Value;

use crate::SyncError;
use crate::dialect::{Dialect, Wire, vendor};

/// Whether a segment (saved or a draft) can be pushed to one remote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RemoteReadiness {
    /// The remote's name.
    pub remote: String,
    /// Its dialect.
    pub dialect: Dialect,
    /// The vendor's name for the dialect ("EdgeFlags").
    pub vendor: String,
    /// Why it cannot be pushed, in words; empty when it can.
    pub problems: Vec<String>,
    /// One sentence for the editor: "Can't sync to staging (EdgeFlags): …", or that it can.
    pub summary: String,
}

/// The segment against every remote: what the editor shows beside a draft.
pub fn readiness(store: &Store, segment: &Segment) -> Result<Vec<RemoteReadiness>, SyncError> {
    let mut all = Vec::new();
    for remote in store.remotes()? {
        let problems = Checker::new(store, remote.dialect).problems(segment)?;
        let summary = summary(&remote.name, remote.dialect, &problems);
        all.push(RemoteReadiness {
            vendor: vendor(remote.dialect).to_owned(),
            remote: remote.name,
            dialect: remote.dialect,
            problems,
            summary,
        });
    }
    Ok(all)
}

/// An editor draft against every remote; nothing for a draft that does not parse (the
/// editor shows its validation issues instead).
pub fn draft_readiness(store: &Store, draft: &Value) -> Result<Vec<RemoteReadiness>, SyncError> {
    let parsed =
        check_json_size(draft, MAX_DOCUMENT_BYTES, "segment").and_then(|()| parse_segment(draft));
    match parsed {
        Ok(segment) => readiness(store, &segment),
        Err(_) => Ok(Vec::new()),
    }
}

/// "Can't sync to staging (EdgeFlags): …; change it, or keep it local", or "Can sync to …".
pub(crate) fn summary(remote: &str, dialect: Dialect, problems: &[String]) -> String {
    if problems.is_empty() {
        format!("Can sync to {remote} ({})", vendor(dialect))
    } else {
        format!(
            "Can't sync to {remote} ({}): {}",
            vendor(dialect),
            problems.join("; ")
        )
    }
}

/// Works out refusals for one dialect, remembering the segments it has looked at.
pub(crate) struct Checker<'a> {
    store: &'a Store,
    dialect: Dialect,
    /// Referenced segments already checked: whether each can go to the remote.
    known: HashMap<String, bool>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(store: &'a Store, dialect: Dialect) -> Self {
        Self {
            store,
            dialect,
            known: HashMap::new(),
        }
    }

    /// Why `segment` cannot go to the remote: what the dialect cannot say, then each
    /// referenced segment that cannot go there either (a reference on the remote to a
    /// segment it does not hold would match nobody there).
    pub(crate) fn problems(&mut self, segment: &Segment) -> Result<Vec<String>, StoreError> {
        let mut problems = self
            .dialect
            .encode(segment, Some(""), false)
            .err()
            .unwrap_or_default();
        let mut seen = HashSet::from([segment.key.clone()]);
        for key in segment.referenced_keys() {
            if !self.can_go(key, &mut seen)? {
                problems.push(format!(
                    "it uses the segment \"{key}\", which can't be synced there either"
                ));
            }
        }
        Ok(problems)
    }

    /// Whether the saved segment `key`, and everything it references, can go to the remote.
    /// A segment missing here was deleted meanwhile: its reference is the engine's to
    /// refuse, not the dialect's. `seen` stops a reference cycle (which the engine refuses
    /// on save) from looping.
    fn can_go(&mut self, key: &str, seen: &mut HashSet<String>) -> Result<bool, StoreError> {
        if let Some(&known) = self.known.get(key) {
            return Ok(known);
        }
        if !seen.insert(key.to_owned()) {
            return Ok(true);
        }
        let segment = match self.store.get_segment(key) {
            Ok(stored) => stored.segment,
            Err(StoreError::NotFound(_)) => return Ok(true),
            Err(e) => return Err(e),
        };
        let mut ok = self.dialect.encode(&segment, Some(""), false).is_ok();
        for referenced in segment.referenced_keys() {
            ok &= self.can_go(referenced, seen)?;
        }
        self.known.insert(key.to_owned(), ok);
        Ok(ok)
    }
}
