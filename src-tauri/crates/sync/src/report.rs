//! What a sync run reports: progress as it goes, and what it did.

use serde::Serialize;

/// What a change to a remote does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    /// The segment is new to the remote.
    Create,
    /// The remote's copy changes.
    Update,
    /// The remote's copy goes away.
    Delete,
}

/// A segment and what happened to it, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct KeyMessage {
    /// The segment.
    pub key: String,
    /// What happened and what to do.
    pub message: String,
}

/// How far a sync run is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SyncProgress {
    /// Items handled so far.
    pub done: u32,
    /// Items to handle.
    pub total: u32,
    /// The segment being handled.
    pub key: Option<String>,
    /// Of those done, how many the remote's dialect refused (they wait for an edit).
    pub refused: u32,
    /// Of those done, how many failed (a retry may help).
    pub failed: u32,
    /// Of those done, how many wait for a conflict to be resolved.
    pub conflicts: u32,
}

/// What a pull or push did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SyncReport {
    /// The remote.
    pub remote: String,
    /// Segments created (locally by a pull, remotely by a push).
    pub created: Vec<String>,
    /// Segments updated.
    pub updated: Vec<String>,
    /// Segments deleted.
    pub deleted: Vec<String>,
    /// Segments found equal on both sides and linked, with nothing to send.
    pub linked: Vec<String>,
    /// Segments changed on both sides whose changes merged without overlapping.
    pub merged: Vec<String>,
    /// Segments that now wait for the user to resolve a conflict.
    pub conflicts: Vec<String>,
    /// Segments one side cannot express, with the construct named.
    pub refused: Vec<KeyMessage>,
    /// Segments whose exchange failed, with the reason.
    pub failed: Vec<KeyMessage>,
    /// Segments bound to the remote that its listing no longer has (kept locally: absence
    /// from a listing is not evidence enough to delete).
    pub missing_on_remote: Vec<String>,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Requests repeated after a 5xx, 429, timeout or lost connection.
    pub retries: u64,
}

impl SyncReport {
    /// Whether everything went through with nothing left for the user.
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty() && self.refused.is_empty() && self.failed.is_empty()
    }
}
