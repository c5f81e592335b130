//! IPC commands, one file per feature, free of Tauri: both the app's handlers and the bridge
//! (`ipc.rs`) call these same functions. Each takes state, converts its arguments, calls one
//! core function and maps the result; branches belong in the core.

pub mod evaluate;
pub mod history;
pub mod personas;
pub mod remotes;
pub mod segments;
pub mod sync;
pub mod transfer;

use std::sync::Arc;

use segments_sync::SyncProgress;

/// Where a long command reports progress: a Tauri channel to the webview in the app, JSON
/// lines on stdout in the bridge.
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(SyncProgress) + Send + Sync>);

impl Progress {
    /// Progress that goes to `sink`.
    pub fn new(sink: impl Fn(SyncProgress) + Send + Sync + 'static) -> Self {
        Self(Arc::new(sink))
    }

    /// Reports one step.
    pub fn report(&self, progress: SyncProgress) {
        (self.0)(progress);
    }
}
