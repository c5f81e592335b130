//! Sync with the hosted segments APIs: remotes, pull, push through the outbox, conflicts
//! with a per-field three-way merge, and the dry-run preview.
//!
//! The store is shared behind a `Mutex` that is only ever held between two requests, never
//! across one, so the app stays usable while a sync runs.

mod api;
mod dialect;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod lease;
mod merge;
mod plan;
mod preview;
mod pull;
mod push;
mod readiness;
mod remotes;
mod report;
mod retry_after;
mod review;

pub use dialect::{Dialect, Wire};
pub use error::SyncError;
pub use http::{MAX_RESPONSE_BYTES, RetryPolicy};
pub use preview::{FieldDiff, PlannedChange, PushPreview};
pub use preview::{preview, preview_remote};
pub use readiness::{RemoteReadiness, draft_readiness, readiness};
pub use remotes::{
    NewRemote, RemoteInfo, add_remote, list_remotes, remove_remote, replace_token, test_connection,
};
pub use report::{ChangeOp, KeyMessage, SyncProgress, SyncReport};
pub use review::{
    ConflictSummary, ConflictView, PendingChange, SegmentBadge, SyncBadge, SyncStatus, Take,
    conflict, resolve, status,
};
/// The credential store, shared with the warehouse client (`segments_sync::credentials`
/// stays the path the app and the CLI use).
pub use segments_credentials as credentials;
pub use segments_credentials::Sensitive;

use lease::{Direction, run};

/// How a sync run behaves.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Retries and time limits.
    pub policy: RetryPolicy,
    /// A token to use instead of the stored one (`--token-env`).
    pub token: Option<Sensitive<String>>,
    /// How long the run's lease on the remote lasts between renewals; a crashed run frees
    /// the remote this long after its last renewal.
    pub lease: std::time::Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            policy: RetryPolicy::default(),
            token: None,
            lease: std::time::Duration::from_secs(60),
        }
    }
}

/// Pulls every segment of the remote `name` into the local store.
pub async fn pull(
    store: &std::sync::Mutex<segments_store::Store>,
    credentials: &crate::credentials::Credentials,
    name: &str,
    options: &SyncOptions,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    run(Direction::Pull, store, credentials, name, options, progress).await
}

/// Sends the outbox of the remote `name`, in order.
pub async fn push(
    store: &std::sync::Mutex<segments_store::Store>,
    credentials: &crate::credentials::Credentials,
    name: &str,
    options: &SyncOptions,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    run(Direction::Push, store, credentials, name, options, progress).await
}
