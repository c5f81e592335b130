//! IPC commands, one file per feature, free of Tauri: both the app's handlers and the bridge
//! (`ipc.rs`) call these same functions. Each takes state, converts its arguments, calls one
//! core function and maps the result; branches belong in the core.

pub mod evaluate;
pub mod history;
pub mod personas;
pub mod populations;
pub mod remotes;
pub mod segments;
pub mod sync;
pub mod transfer;
pub mod warehouse;

use std::sync::Arc;

use segments_sync::SyncProgress;
use serde_json::Value;

/// Where a long command reports progress of type `T` (a sync's steps, a file read's rows):
/// a Tauri channel to the webview in the app, JSON lines on stdout in the bridge.
pub struct Progress<T = SyncProgress>(Arc<dyn Fn(T) + Send + Sync>);

// Not derived: a derive would ask `T: Clone`, and only the sink is cloned.
impl<T> Clone for Progress<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> Progress<T> {
    /// Progress that goes to `sink`.
    pub fn new(sink: impl Fn(T) + Send + Sync + 'static) -> Self {
        Self(Arc::new(sink))
    }

    /// Reports one step.
    pub fn report(&self, progress: T) {
        (self.0)(progress);
    }
}

/// The bridge's progress: any command's steps, as the JSON that goes out on its lines.
pub type JsonProgress = Progress<Value>;
