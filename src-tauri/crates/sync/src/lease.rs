//! One sync run at a time per remote: connect, hold the remote's lease, run.

use std::time::Duration;

use crate::{SyncError, SyncOptions, SyncProgress, SyncReport, pull, push, remotes};

#[derive(Debug)]
pub(crate) enum Direction {
    Pull,
    Push,
}

/// Connects, holds the remote's lease for the run (renewed on a timer) and runs it.
#[tracing::instrument(level = "info", skip_all, fields(remote = %name, ?direction), err(Display))]
pub(crate) async fn run(
    direction: Direction,
    store: &std::sync::Mutex<segments_store::Store>,
    credentials: &crate::credentials::Credentials,
    name: &str,
    options: &SyncOptions,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<SyncReport, SyncError> {
    let api = remotes::connect(store, credentials, name, options)?;
    let lease = Lease::take(store, name, options.lease)?;
    let work = async {
        match direction {
            Direction::Pull => pull::pull(store, &api, name, progress).await,
            Direction::Push => push::push(store, &api, name, progress).await,
        }
    };
    // The run and its lease's renewal side by side: a run that cannot renew stops (the
    // work future is dropped between two requests; every write so far is committed).
    let done = tokio::select! {
        done = work => done?,
        lost = lease.keep() => return Err(lost),
    };
    tracing::info!(
        created = done.created.len(),
        updated = done.updated.len(),
        deleted = done.deleted.len(),
        linked = done.linked.len(),
        merged = done.merged.len(),
        conflicts = done.conflicts.len(),
        refused = done.refused.len(),
        failed = done.failed.len(),
        requests = done.requests,
        retries = done.retries,
        "sync finished"
    );
    Ok(done)
}

/// The right to sync with one remote, held for the length of a run so two runs (two
/// windows, the app and the CLI) never send the same outbox twice. It lasts a few minutes
/// at a time ([`crate::SyncOptions::lease`]) and is renewed on a timer, four times per
/// length, so a long run keeps it and a crashed run frees it soon. The store checks the
/// owner inside every transaction that records the run's outcome.
struct Lease<'a> {
    store: &'a std::sync::Mutex<segments_store::Store>,
    remote: String,
    owner: String,
    length: Duration,
}

impl<'a> Lease<'a> {
    fn take(
        store: &'a std::sync::Mutex<segments_store::Store>,
        remote: &str,
        length: Duration,
    ) -> Result<Self, SyncError> {
        let owner = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let until = segments_store::Timestamp::from_now(length);
        if !pull::lock(store).lease_sync(remote, &owner, until)? {
            return Err(SyncError::Busy {
                remote: remote.to_owned(),
            });
        }
        Ok(Self {
            store,
            remote: remote.to_owned(),
            owner,
            length,
        })
    }

    /// Renews the lease every quarter of its length; returns only when a renewal fails
    /// (another run holds it now, or the database refused), with why.
    async fn keep(&self) -> SyncError {
        let every = (self.length / 4).max(Duration::from_millis(50));
        loop {
            tokio::time::sleep(every).await;
            let until = segments_store::Timestamp::from_now(self.length);
            let renewed = pull::lock(self.store).lease_sync(&self.remote, &self.owner, until);
            let reason = match renewed {
                Ok(true) => continue,
                Ok(false) => "its lease lapsed and another run took it over".to_owned(),
                Err(e) => format!("its lease could not be renewed ({e})"),
            };
            tracing::warn!(remote = %self.remote, %reason, "sync lease lost; stopping the run");
            return SyncError::LeaseLost {
                remote: self.remote.clone(),
                reason,
            };
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Err(e) = pull::lock(self.store).release_sync(&self.remote, &self.owner) {
            tracing::warn!(remote = %self.remote, error = %e, "could not release the sync lease; it lapses within minutes");
        }
    }
}
