//! `cargo xtask soak [MINUTES]`: the long runs of what CI runs short. The sync soak
//! (`segments-cli`'s `cli_soak` test) for MINUTES per dialect (default 20) instead of
//! CI's 40 seconds, figures in `tests/output/sync-soak.json`; the SIGKILL crash loop for
//! 5,000 iterations instead of 200, figures in `tests/output/crash-loop.json`; then every
//! fuzz target for 10 minutes instead of CI's share of 3.

use crate::{Outcome, step};

pub(crate) fn soak(extra: &[String]) -> Outcome {
    let minutes: u64 = match extra.first() {
        None => 20,
        Some(text) => text
            .parse()
            .map_err(|_| format!("soak: minutes per dialect, got {text:?}"))?,
    };
    step("crash loop: 5,000 iterations of SIGKILL");
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .current_dir(crate::root())
            .env("SEGMENTS_CRASH_ITERATIONS", "5000")
            .args([
                "test",
                "-p",
                "segments-cli",
                "--test",
                "crash_loop",
                "--",
                "--nocapture",
            ])
            .status()
            .map_err(|e| format!("soak: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the crash loop found violations ({status}); see tests/output/crash-loop.json"
        ));
    }
    step(&format!("sync soak: {minutes} min per dialect"));
    // The variable reaches the test through cargo, which passes its environment on.
    let secs = (minutes * 60).to_string();
    let status =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .current_dir(crate::root())
            .env("SEGMENTS_SOAK_SECS", &secs)
            .args([
                "test",
                "-p",
                "segments-cli",
                "--test",
                "cli_soak",
                "--",
                "--nocapture",
            ])
            .status()
            .map_err(|e| format!("soak: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the soak found violations ({status}); see tests/output/sync-soak.json"
        ));
    }
    crate::fuzz::soak(600)
}
