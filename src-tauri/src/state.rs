//! The app's state, built completely at start-up (by Tauri's `setup`, or by the bridge) and
//! shared by every command.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// The cancellable runs in flight, by the id the UI gave each.
    runs: Runs,
}

/// Cancel flags of the runs in flight. A run is in it from its start to its end, whatever the
/// outcome, so cancelling a finished run is a no-op.
#[derive(Default)]
struct Runs(Mutex<HashMap<String, Arc<AtomicBool>>>);

impl Runs {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Arc<AtomicBool>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A registered run: its cancel flag, unregistered when dropped.
pub struct Run<'a> {
    runs: &'a Runs,
    id: String,
    /// Set by [`AppState::cancel_run`].
    pub cancel: Arc<AtomicBool>,
}

impl Drop for Run<'_> {
    fn drop(&mut self) {
        // A command dropped before its work finished stops that work too; after it finished,
        // the flag is read by nobody.
        self.cancel.store(true, Ordering::Relaxed);
        let mut runs = self.runs.lock();
        // Only our own entry: a run that reused the id after us keeps its flag.
        if runs
            .get(&self.id)
            .is_some_and(|flag| Arc::ptr_eq(flag, &self.cancel))
        {
            runs.remove(&self.id);
        }
    }
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
            runs: Runs::default(),
        }
    }

    /// Registers run `id` until the returned guard is dropped. An id still in flight is
    /// refused: its cancel button would stop the wrong run.
    pub fn start_run(&self, id: &str) -> Result<Run<'_>, IpcError> {
        let mut runs = self.runs.lock();
        if runs.contains_key(id) {
            return Err(IpcError::busy(format!(
                "a run with id \"{id}\" is already in progress"
            )));
        }
        let cancel = Arc::new(AtomicBool::new(false));
        runs.insert(id.to_owned(), Arc::clone(&cancel));
        Ok(Run {
            runs: &self.runs,
            id: id.to_owned(),
            cancel,
        })
    }

    /// Asks run `id` to stop; false when no such run is in flight (it finished, or never
    /// started).
    pub fn cancel_run(&self, id: &str) -> bool {
        match self.runs.lock().get(id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// The store's mutex shared, for blocking work that locks it only briefly.
    pub fn shared_store(&self) -> Arc<Mutex<Store>> {
        Arc::clone(&self.store)
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
        let span = tracing::Span::current();
        let joined = tokio::task::spawn_blocking(move || {
            let _command = span.enter();
            f(&mut lock(&store))
        })
        .await;
        match joined {
            Ok(result) => result.map_err(IpcError::from),
            Err(e) => Err(IpcError::internal(format!("the command stopped: {e}"))),
        }
    }
}

impl AppState {
    /// Runs a sync operation on a thread of its own with a single-threaded runtime: its
    /// store writes (each a transaction synced to disk) and keyring reads then block that
    /// thread, never the runtime that serves every other command.
    pub async fn on_sync_thread<T, F>(
        &self,
        work: impl FnOnce(Arc<Mutex<Store>>, Credentials) -> F + Send + 'static,
    ) -> Result<T, IpcError>
    where
        F: std::future::Future<Output = Result<T, segments_sync::SyncError>>,
        T: Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let credentials = self.credentials.clone();
        // The command's span goes along, so the run's log lines still say which command.
        let span = tracing::Span::current();
        let joined = tokio::task::spawn_blocking(move || {
            let _command = span.enter();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| IpcError::internal(format!("cannot start the sync thread: {e}")))?;
            runtime
                .block_on(work(store, credentials))
                .map_err(IpcError::from)
        })
        .await;
        match joined {
            Ok(result) => result,
            Err(e) => Err(IpcError::internal(format!("the command stopped: {e}"))),
        }
    }

    /// Runs `f` on a blocking thread with the store's mutex, for work that must not hold
    /// the lock throughout: parsing an import before it writes, or a keyring call (which
    /// can wait on an unlock prompt) beside a write.
    pub async fn blocking_shared<T, E>(
        &self,
        f: impl FnOnce(&Mutex<Store>) -> Result<T, E> + Send + 'static,
    ) -> Result<T, IpcError>
    where
        T: Send + 'static,
        E: Send + 'static,
        IpcError: From<E>,
    {
        let store = Arc::clone(&self.store);
        let span = tracing::Span::current();
        let work = move || {
            let _command = span.enter();
            f(&store)
        };
        match tokio::task::spawn_blocking(work).await {
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
