//! The app's state, built completely in `setup` and managed once.

use std::path::PathBuf;
use std::sync::Mutex;

use segments_core::credentials::Credentials;
use segments_core::store::{Store, StoreError};

use crate::error::IpcError;

/// Everything the commands share.
pub struct AppState {
    /// One connection for reads and writes. A std mutex, never held across an `.await`:
    /// every store call is synchronous and short.
    store: Mutex<Store>,
    /// Where the database lives.
    pub db_path: PathBuf,
    /// Where exports are written.
    pub export_dir: PathBuf,
    /// Where remote tokens are kept (the keyring, or user-only files).
    pub credentials: Credentials,
}

impl AppState {
    /// Wraps an opened store.
    pub fn new(
        store: Store,
        db_path: PathBuf,
        export_dir: PathBuf,
        credentials: Credentials,
    ) -> Self {
        Self {
            store: Mutex::new(store),
            db_path,
            export_dir,
            credentials,
        }
    }

    /// The store's mutex, for sync runs that lock it only between requests.
    pub fn store(&self) -> &Mutex<Store> {
        &self.store
    }

    /// The store, locked. Callers keep the guard within one synchronous call: it must
    /// never live across an `.await`.
    pub fn lock_store(&self) -> std::sync::MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a half-written transaction behind
        // (SQLite rolls it back), so a poisoned lock is safe to keep using.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` with the store, mapping its error to the IPC error.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, IpcError> {
        // A panic while holding the lock cannot leave a half-written transaction behind
        // (SQLite rolls it back), so a poisoned lock is safe to keep using.
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut store).map_err(IpcError::from)
    }
}
