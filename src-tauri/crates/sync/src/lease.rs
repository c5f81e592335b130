//! One sync run at a time per remote: connect, hold the remote's lease, run.

use crate::{SyncError, SyncOptions, SyncProgress, SyncReport, pull, push, remotes};

#[derive(Debug)]
pub(crate) enum Direction {
    Pull,
    Push,
}

/// Connects, holds the remote's lease for the run (renewed as it progresses) and runs it.
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
    let lease = Lease::take(store, name)?;
    let report = |p| {
        lease.renew();
        progress(p);
    };
    let done = match direction {
        Direction::Pull => pull::pull(store, &api, name, &report).await,
        Direction::Push => push::push(store, &api, name, &report).await,
    }?;
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
/// at a time and is renewed as the run makes progress, so a crashed run frees it soon.
struct Lease<'a> {
    store: &'a std::sync::Mutex<segments_store::Store>,
    remote: String,
    owner: String,
}

impl<'a> Lease<'a> {
    const LENGTH: std::time::Duration = std::time::Duration::from_secs(5 * 60);

    fn take(
        store: &'a std::sync::Mutex<segments_store::Store>,
        remote: &str,
    ) -> Result<Self, SyncError> {
        let owner = format!("{}-{:016x}", std::process::id(), fastrand::u64(..));
        let until = segments_store::Timestamp::from_now(Self::LENGTH);
        if !pull::lock(store).lease_sync(remote, &owner, until)? {
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
        let until = segments_store::Timestamp::from_now(Self::LENGTH);
        // Progress may be reported while the run holds the store (a pull applies its
        // listing in one go): then skip, as failing to renew only shortens the lease.
        let mut store = match self.store.try_lock() {
            Ok(store) => store,
            Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return,
        };
        if let Err(e) = store.lease_sync(&self.remote, &self.owner, until) {
            tracing::warn!(remote = %self.remote, error = %e, "could not renew the sync lease; it lapses sooner");
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
