//! Where the database lives by default.

use std::path::PathBuf;

/// The app's identifier; the desktop app keeps its data under this folder name too.
pub const APP_IDENTIFIER: &str = "dev.segmentstudio.app";

/// Environment variable that overrides the database path (tests point it at a temp file).
pub const DB_ENV: &str = "SEGMENTS_DB";

/// Environment variable that overrides where exports are written (tests use a temp dir).
pub const EXPORT_DIR_ENV: &str = "SEGMENTS_EXPORT_DIR";

/// Where exports go: `$SEGMENTS_EXPORT_DIR` when set, else the user's downloads folder
/// (else the home folder).
pub fn export_dir() -> PathBuf {
    std::env::var_os(EXPORT_DIR_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::download_dir)
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Environment variable that overrides where the app writes its logs (tests use a temp dir).
pub const LOG_DIR_ENV: &str = "SEGMENTS_LOG_DIR";

/// Where the app writes its logs: `$SEGMENTS_LOG_DIR`, else the platform log folder
/// (`~/.local/share/dev.segmentstudio.app/logs` on Linux, as Tauri places it;
/// `~/Library/Logs/dev.segmentstudio.app` on macOS).
pub fn log_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(dir);
    }
    if cfg!(target_os = "macos") {
        return dirs::home_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("Library/Logs")
            .join(APP_IDENTIFIER);
    }
    dirs::data_local_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(APP_IDENTIFIER)
        .join("logs")
}

/// The default database file: `<platform data dir>/dev.segmentstudio.app/segments.sqlite3`
/// (on Linux `~/.local/share/...`).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(APP_IDENTIFIER)
        .join("segments.sqlite3")
}
