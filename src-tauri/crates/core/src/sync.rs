//! Sync with the hosted segments APIs: remotes, pull, push through the outbox, conflicts
//! with a per-field three-way merge, and the dry-run preview.
//!
//! The store is shared behind a `Mutex` that is only ever held between two requests, never
//! across one, so the app stays usable while a sync runs.

mod api;
mod dialect;
mod http;
mod merge;
mod preview;
mod pull;
mod push;
mod remotes;
mod review;

use serde::Serialize;
use serde_json::Value;

pub use dialect::Dialect;
pub use http::{MAX_RESPONSE_BYTES, RetryPolicy};
pub use preview::{preview, preview_remote};
pub use remotes::{
    NewRemote, RemoteInfo, add_remote, list_remotes, remove_remote, replace_token, test_connection,
};
pub use review::{conflict, resolve, status};

use crate::credentials::CredentialError;
use crate::store::StoreError;

/// How a sync run behaves.
#[derive(Clone, Default)]
pub struct SyncOptions {
    /// Retries and time limits.
    pub policy: RetryPolicy,
    /// A token to use instead of the stored one (`--token-env`).
    pub token: Option<String>,
}

// Written by hand so a token never reaches a log through `{:?}`.
impl std::fmt::Debug for SyncOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncOptions")
            .field("policy", &self.policy)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// Pulls every segment of the remote `name` into the local store.
pub async fn pull(
    store: &std::sync::Mutex<crate::store::Store>,
    credentials: &crate::credentials::Credentials,
    name: &str,
    options: &SyncOptions,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    run(Direction::Pull, store, credentials, name, options, progress).await
}

/// Sends the outbox of the remote `name`, in order.
pub async fn push(
    store: &std::sync::Mutex<crate::store::Store>,
    credentials: &crate::credentials::Credentials,
    name: &str,
    options: &SyncOptions,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    run(Direction::Push, store, credentials, name, options, progress).await
}

enum Direction {
    Pull,
    Push,
}

/// Connects, holds the remote's lease for the run (renewed as it progresses) and runs it.
async fn run(
    direction: Direction,
    store: &std::sync::Mutex<crate::store::Store>,
    credentials: &crate::credentials::Credentials,
    name: &str,
    options: &SyncOptions,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    let api = remotes::connect(store, credentials, name, options)?;
    let lease = Lease::take(store, name)?;
    let report = |p| {
        lease.renew();
        progress(p);
    };
    match direction {
        Direction::Pull => pull::pull(store, &api, name, &report).await,
        Direction::Push => push::push(store, &api, name, &report).await,
    }
}

/// The right to sync with one remote, held for the length of a run so two runs (two
/// windows, the app and the CLI) never send the same outbox twice. It lasts a few minutes
/// at a time and is renewed as the run makes progress, so a crashed run frees it soon.
struct Lease<'a> {
    store: &'a std::sync::Mutex<crate::store::Store>,
    remote: String,
    owner: String,
}

impl<'a> Lease<'a> {
    const LENGTH: std::time::Duration = std::time::Duration::from_secs(5 * 60);

    fn take(
        store: &'a std::sync::Mutex<crate::store::Store>,
        remote: &str,
    ) -> Result<Self, SyncError> {
        let owner = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let until = crate::clock::rfc3339_in(Self::LENGTH);
        if !pull::lock(store).lease_sync(remote, &owner, &until)? {
            return Err(SyncError::Busy {
                remote: remote.to_owned(),
            });
        }
        Ok(Self {
            store,
            remote: remote.to_owned(),
            owner,
        })
    }

    fn renew(&self) {
        let until = crate::clock::rfc3339_in(Self::LENGTH);
        // Progress may be reported while the run holds the store (a pull applies its
        // listing in one go): then skip, as failing to renew only shortens the lease.
        let mut store = match self.store.try_lock() {
            Ok(store) => store,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return,
        };
        let _ = store.lease_sync(&self.remote, &self.owner, &until);
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let _ = pull::lock(self.store).release_sync(&self.remote, &self.owner);
    }
}

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

/// Why a sync operation failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The remote's settings are unusable.
    #[error("{detail}")]
    InvalidRemote {
        /// What to fix.
        detail: String,
    },
    /// The token could not be stored or read.
    #[error("{0}")]
    Credential(#[from] CredentialError),
    /// 401.
    #[error(
        "the remote \"{remote}\" refused the token (401 Unauthorized: {detail}); it is wrong, expired or revoked. Store a new one with `segments remote token {remote} --token-env VAR` or with \"Replace token\" on the Remotes page"
    )]
    Unauthorized {
        /// The remote.
        remote: String,
        /// The server's message.
        detail: String,
    },
    /// 403.
    #[error(
        "the token of \"{remote}\" is not allowed to do this (403 Forbidden: {detail}); it {needs}. Ask an admin for that access, then store the new token"
    )]
    Forbidden {
        /// The remote.
        remote: String,
        /// What it needs ("needs flags:write").
        needs: &'static str,
        /// The server's message.
        detail: String,
    },
    /// 404 on the collection.
    #[error(
        "the remote \"{remote}\" has no such segments collection (404 Not Found: {detail}); check its URL and project id with `segments remote list`"
    )]
    NotFound {
        /// The remote.
        remote: String,
        /// The server's message.
        detail: String,
    },
    /// 400, 409, 412, 415 or 422 for one segment.
    #[error("the remote \"{remote}\" refused segment \"{key}\" ({status}: {detail})")]
    Rejected {
        /// The remote.
        remote: String,
        /// The segment.
        key: String,
        /// The status.
        status: u16,
        /// The server's message.
        detail: String,
    },
    /// Another status.
    #[error("the remote answered {status}: {detail}")]
    Status {
        /// The status.
        status: u16,
        /// The server's message.
        detail: String,
    },
    /// 429 until the retries ran out, or a wait longer than we hold on.
    #[error(
        "the remote is rate limiting (429) after {attempts} attempt(s); wait {retry_after_secs} s and sync again"
    )]
    RateLimited {
        /// The wait it asked for.
        retry_after_secs: u64,
        /// Attempts made.
        attempts: u32,
    },
    /// 5xx until the retries ran out.
    #[error(
        "the remote failed with {status} on {attempts} attempt(s) ({detail}); it may be down, so try again later"
    )]
    Server {
        /// The last status.
        status: u16,
        /// Attempts made.
        attempts: u32,
        /// The server's message.
        detail: String,
    },
    /// No answer in time.
    #[error(
        "{url} did not answer in time on {attempts} attempt(s); check the network and try again"
    )]
    Timeout {
        /// The URL.
        url: String,
        /// Attempts made.
        attempts: u32,
    },
    /// Nothing listens at the URL.
    #[error(
        "nothing answers at {url} (connection refused); check the remote's URL and that the server is running"
    )]
    ConnectionRefused {
        /// The URL.
        url: String,
    },
    /// Another network failure.
    #[error("cannot reach {url}: {detail}")]
    Network {
        /// The URL.
        url: String,
        /// What failed.
        detail: String,
    },
    /// TLS failed.
    #[error(
        "the secure connection to {url} failed ({detail}); check that the URL is right and its certificate is valid (or use http:// for a local server)"
    )]
    Tls {
        /// The URL.
        url: String,
        /// What failed.
        detail: String,
    },
    /// A response that is not what the API documents.
    #[error("the remote's response is not what its API documents: {detail}")]
    Malformed {
        /// What was received.
        detail: String,
    },
    /// A response over the size cap.
    #[error("the response of {url} is larger than {limit} bytes; refusing to read it")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// The local store failed or refused.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// Another run is syncing with this remote.
    #[error(
        "a sync with \"{remote}\" is already running (in another window or a `segments` command); wait for it to finish and try again"
    )]
    Busy {
        /// The remote.
        remote: String,
    },
    /// No conflict on that segment.
    #[error(
        "segment \"{key}\" has no conflict with \"{remote}\"; `segments sync status {remote}` lists the conflicts"
    )]
    NoConflict {
        /// The remote.
        remote: String,
        /// The segment.
        key: String,
    },
}

impl SyncError {
    /// The error with the number of attempts made, for the retryable kinds.
    fn after_attempts(self, attempts: u32) -> Self {
        match self {
            SyncError::RateLimited {
                retry_after_secs, ..
            } => SyncError::RateLimited {
                retry_after_secs,
                attempts,
            },
            SyncError::Server { status, detail, .. } => SyncError::Server {
                status,
                attempts,
                detail,
            },
            SyncError::Timeout { url, .. } => SyncError::Timeout { url, attempts },
            other => other,
        }
    }

    /// Whether the failure concerns the whole remote (its token, role or address, or a
    /// remote still failing after every retry), so a run stops at once instead of failing
    /// every segment the same way; what was done so far is kept and the rest stays queued.
    pub fn is_remote_wide(&self) -> bool {
        matches!(
            self,
            SyncError::Unauthorized { .. }
                | SyncError::Forbidden { .. }
                | SyncError::NotFound { .. }
                | SyncError::ConnectionRefused { .. }
                | SyncError::Tls { .. }
                | SyncError::Network { .. }
                | SyncError::Timeout { .. }
                | SyncError::RateLimited { .. }
                | SyncError::Server { .. }
                | SyncError::Credential(_)
        )
    }
}

/// The documents of a segment's three versions, for the conflict view.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ConflictView {
    /// The remote.
    pub remote: String,
    /// The segment.
    pub key: String,
    /// The fields both sides changed differently.
    pub fields: Vec<String>,
    /// The last agreed version (none when both sides created it independently).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub base: Option<Value>,
    /// This database's version (none when deleted here).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub mine: Option<Value>,
    /// The remote's version (none when deleted there).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub theirs: Option<Value>,
}

/// How to resolve a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Take {
    /// Keep the local version; the next push sends it over the remote's.
    Mine,
    /// Take the remote's version locally.
    Theirs,
}

/// A segment's state against one remote, as its badge shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SyncBadge {
    /// Both sides hold the same segment.
    InSync,
    /// Local changes wait for a push.
    LocalChanges,
    /// Changed on both sides; waits for the user.
    Conflict,
    /// The remote does not have it yet.
    NotOnRemote,
}

/// One segment's badge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SegmentBadge {
    /// The segment.
    pub key: String,
    /// Its state.
    pub state: SyncBadge,
}

/// A change waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PendingChange {
    /// The segment.
    pub key: String,
    /// What a push would do (none: nothing left to send, the entry is dropped).
    pub op: Option<ChangeOp>,
    /// Failed attempts since the last change.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

/// A conflict, briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ConflictSummary {
    /// The segment.
    pub key: String,
    /// The fields both sides changed.
    pub fields: Vec<String>,
}

/// Where a remote stands (`segments sync status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SyncStatus {
    /// The remote.
    pub remote: String,
    /// Local changes not yet pushed, in outbox order.
    pub pending: Vec<PendingChange>,
    /// Conflicts by key.
    pub conflicts: Vec<ConflictSummary>,
    /// Every local segment's badge.
    pub segments: Vec<SegmentBadge>,
}

/// One field that a change sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct FieldDiff {
    /// `name`, `description`, `match_type` or `rules`.
    pub field: String,
    /// The remote's value as last synced (null for a create).
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub before: Value,
    /// The value to send (null for a delete).
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub after: Value,
}

/// A change a push would send.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PlannedChange {
    /// The segment.
    pub key: String,
    /// Create, update or delete.
    pub op: ChangeOp,
    /// The fields that change.
    pub diffs: Vec<FieldDiff>,
    /// The request: method and path.
    pub request: String,
    /// The exact body sent (none for a delete).
    #[cfg_attr(feature = "typescript", ts(type = "unknown"))]
    pub body: Option<Value>,
    /// The remote changed other fields since the last sync: the body is the merge of both
    /// sides, which is also saved locally.
    pub merged: bool,
}

/// What a push would do (`push --dry-run`), worked out from the outbox and, when
/// `checked_remote`, the remote's current listing; nothing is written anywhere.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PushPreview {
    /// The remote.
    pub remote: String,
    /// Whether the remote's current copies were read (else the diffs are against the last
    /// synced versions, and remote edits since then show up only when the push runs).
    pub checked_remote: bool,
    /// Segments the remote already holds exactly: the push only links them.
    pub linked: Vec<String>,
    /// The changes, in the order they would be sent.
    pub changes: Vec<PlannedChange>,
    /// Segments the remote's dialect cannot express, with the construct named.
    pub refused: Vec<KeyMessage>,
    /// Segments held back by a conflict.
    pub conflicts: Vec<String>,
}
