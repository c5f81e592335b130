//! The app's state, built completely at start-up (by Tauri's `setup`, or by the bridge) and
//! shared by every command.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use segments_store::Store;
use segments_sync::credentials::Credentials;

use crate::error::IpcError;

/// Everything the commands share.
pub struct AppState {
    /// One connection for reads and writes. A std mutex, never held across an `.await`:
    /// every store call is synchronous and runs on a blocking thread.
    store: Arc<Mutex<Store>>,
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
            store: Arc::new(Mutex::new(store)),
            db_path,
            export_dir,
            credentials,
        }
    }

    /// The store's mutex, for sync runs that lock it only between requests.
    pub fn store(&self) -> &Mutex<Store> {
        &self.store
    }

    /// Runs `f` with the store on a blocking thread (SQLite and the keyring block), so the
    /// async runtime that serves the other commands never waits on the disk.
    pub async fn blocking<T, E>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    ) -> Result<T, IpcError>
    where
        T: Send + 'static,
        E: Send + 'static,
        IpcError: From<E>,
    {
        let store = Arc::clone(&self.store);
        let joined = tokio::task::spawn_blocking(move || f(&mut lock(&store))).await;
        match joined {
            Ok(result) => result.map_err(IpcError::from),
            Err(e) => Err(IpcError::internal(format!("the command stopped: {e}"))),
        }
    }
}

/// The store, locked. A panic while holding the lock cannot leave a half-written
/// transaction behind (SQLite rolls it back), so a poisoned lock is safe to keep using.
fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}
