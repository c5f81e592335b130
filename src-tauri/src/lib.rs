//! Segment Studio's desktop shell: builds the state in `setup`, registers the IPC commands
//! and hosts the web UI. Everything else lives in the Tauri-free core crates.

pub mod bridge;
mod commands;
mod error;
mod ipc;
pub mod logging;
mod state;

include!("command_names.rs");

use std::path::PathBuf;

use segments_store::paths::{DB_ENV, default_db_path, export_dir, log_dir};
use segments_studio::open_app_store;
use segments_sync::credentials::Credentials;
use tauri::Manager;

pub use error::IpcError;
pub use state::AppState;

/// The database file: `$SEGMENTS_DB` when set (tests point it at a temp file, so they never
/// touch a user's data), else the platform data dir, the same file the CLI uses by default.
pub fn database_path() -> PathBuf {
    std::env::var_os(DB_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(default_db_path)
}

/// Sets the app up on the database at `path`, exporting into `export_dir`, keeping remote
/// tokens in `credentials`, with every command registered, on any runtime (the mock one in
/// tests).
pub fn configure<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    path: PathBuf,
    export_dir: PathBuf,
    credentials: Credentials,
) -> tauri::Builder<R> {
    builder.invoke_handler(ipc::handler()).setup(move |app| {
        let store = open_app_store(&path)?;
        app.manage(AppState::new(store, path, export_dir, credentials));
        Ok(())
    })
}

/// Runs the desktop app.
pub fn run() {
    let log_dir = log_dir();
    // The app runs without a log rather than not at all.
    let _log = match logging::to_files(&log_dir) {
        Ok(guard) => Some(guard),
        Err(message) => {
            eprintln!("Segment Studio: {message}");
            None
        }
    };
    tracing::info!(db = %database_path().display(), logs = %log_dir.display(), "starting");
    let builder = tauri::Builder::default();
    if let Err(e) = configure(
        builder,
        database_path(),
        export_dir(),
        Credentials::from_env(),
    )
    .run(tauri::generate_context!())
    {
        tracing::error!(error = %e, "could not start");
        eprintln!("Segment Studio could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
