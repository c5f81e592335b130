//! Why a sync operation failed as a whole.

use segments_store::StoreError;

use crate::credentials::CredentialError;

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
    /// The remote's copy changed under every attempt to update it (EdgeFlags' `If-Match`
    /// kept failing, or each write was overtaken by another).
    #[error(
        "segment \"{key}\" kept changing on the remote \"{remote}\" while pushing; pull and push again"
    )]
    KeptChanging {
        /// The remote.
        remote: String,
        /// The segment.
        key: String,
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
    /// A redirect, which is never followed: a 302 turns a write into a GET, and following
    /// one would send the token wherever it points.
    #[error(
        "{url} answered {status} and points to {location}; redirects are not followed (a write would become a read, and the token would go along): set the remote's URL to the address the API really answers at"
    )]
    Redirected {
        /// The URL asked.
        url: String,
        /// The status (301, 302, 303, 307, 308).
        status: u16,
        /// Where it pointed (`(none)` without a `Location`).
        location: String,
    },
    /// A listing longer than any real project's, so probably a server that never stops.
    #[error(
        "the listing of \"{remote}\" went past {limit}; Segment Studio stops there instead of reading forever. Check that the URL is the segments API (a server that keeps answering has_more: true never ends)"
    )]
    ListingTooLong {
        /// The remote.
        remote: String,
        /// The limit passed, in words ("50,000 segments").
        limit: String,
    },
    /// The run lost its right to sync with the remote (the lease lapsed or could not be
    /// renewed): another run may have started, so this one stops before writing more.
    #[error(
        "the sync with \"{remote}\" stopped: {reason}. What was sent so far is kept; run it again"
    )]
    LeaseLost {
        /// The remote.
        remote: String,
        /// Why, in words.
        reason: String,
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
    /// "Take theirs" on a conflict whose local side was edited after it was shown.
    #[error(
        "segment \"{key}\" was edited here after its conflict with \"{remote}\" was shown, so the remote's version was not taken (it would overwrite that edit); look at the conflict again and choose"
    )]
    ChangedSinceShown {
        /// The remote.
        remote: String,
        /// The segment.
        key: String,
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
    pub(crate) fn after_attempts(self, attempts: u32) -> Self {
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
                | SyncError::Redirected { .. }
                | SyncError::ListingTooLong { .. }
                | SyncError::LeaseLost { .. }
                | SyncError::Store(StoreError::LeaseLost(_) | StoreError::Busy)
        )
    }
}
