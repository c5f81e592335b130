//! Where log lines go: the app writes a file a day in the platform log folder (the last
//! seven kept), the bridge writes to stderr. `SEGMENTS_LOG` sets the filter
//! (`info`, `debug`, `segments_sync=trace`, …).

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::EnvFilter;

/// The environment variable with the log filter.
pub const LOG_ENV: &str = "SEGMENTS_LOG";

fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new(default))
}

/// Logs to daily files in `dir`. Keep the guard for as long as the app runs: dropping it
/// flushes what is buffered.
pub fn to_files(dir: &Path) -> Result<WorkerGuard, String> {
    // The appender prunes old files when it starts, so the folder must exist by then.
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the log folder {}: {e}", dir.display()))?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("segment-studio")
        .filename_suffix("log")
        .max_log_files(7)
        .build(dir)
        .map_err(|e| format!("cannot write logs in {}: {e}", dir.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tracing_subscriber::fmt()
        .with_env_filter(filter("info"))
        .with_writer(writer)
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))?;
    Ok(guard)
}

/// Logs to stderr, warnings and errors unless `SEGMENTS_LOG` says otherwise.
pub fn to_stderr() -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(filter("warn"))
        .with_writer(std::io::stderr)
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))
}
