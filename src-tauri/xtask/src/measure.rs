//! `cargo xtask measure-app`: start-up time and idle memory of the release app.

use std::process::Command;

use crate::{Outcome, ensure_packages, root};

/// Start-up and idle memory of the release app: for each of 5 runs on a new demo database,
/// the time from spawning the process to its window being mapped (xdotool), and the
/// proportional memory (PSS) of the app and its WebKit helper processes after 5 s idle. Prints the medians.
pub(crate) fn measure_app() -> Outcome {
    ensure_packages(&["xvfb", "xdotool"])?;
    let app = root().join("target/release/segment-studio");
    if !app.exists() {
        return Err("build the release app first: cargo xtask build".into());
    }
    let display = ":77";
    let mut xvfb = Command::new("Xvfb")
        .args([display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .spawn()
        .map_err(|e| format!("cannot start Xvfb: {e}"))?;
    std::thread::sleep(std::time::Duration::from_secs(1));
    let result = (|| {
        let mut starts = Vec::new();
        let mut memories = Vec::new();
        for run in 0..5 {
            let dir = root().join(format!("target/measure/run-{run}"));
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
            }
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let started = std::time::Instant::now();
            let mut child = Command::new(&app)
                .env("DISPLAY", display)
                .env("SEGMENTS_DB", dir.join("segments.sqlite3"))
                .spawn()
                .map_err(|e| format!("cannot start the app: {e}"))?;
            let found = Command::new("xdotool")
                .args([
                    "search",
                    "--sync",
                    "--onlyvisible",
                    "--name",
                    "Segment Studio",
                ])
                .env("DISPLAY", display)
                .output();
            let elapsed = started.elapsed();
            std::thread::sleep(std::time::Duration::from_secs(5));
            let pss = tree_pss_kib(child.id());
            stop(&mut child, "the app");
            found.map_err(|e| format!("xdotool failed: {e}"))?;
            println!(
                "run {run}: window after {} ms, idle memory {} MiB",
                elapsed.as_millis(),
                pss / 1024
            );
            starts.push(elapsed.as_millis());
            memories.push(pss / 1024);
        }
        starts.sort_unstable();
        memories.sort_unstable();
        println!(
            "median: window after {} ms, idle memory {} MiB (PSS of the app and its WebKit processes)",
            starts[2], memories[2]
        );
        Ok(())
    })();
    stop(&mut xvfb, "Xvfb");
    result
}

/// Proportional set size of a process and all its descendants, in KiB, from /proc.
fn tree_pss_kib(pid: u32) -> u64 {
    let read = |path: String| std::fs::read_to_string(path).unwrap_or_default();
    let mut total = 0;
    let mut pending = vec![pid];
    while let Some(p) = pending.pop() {
        // PSS, not RSS: the app and its WebKit processes share libraries, and RSS would count
        // each shared page once per process.
        total += read(format!("/proc/{p}/smaps_rollup"))
            .lines()
            .find_map(|l| l.strip_prefix("Pss:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        for task in std::fs::read_dir(format!("/proc/{p}/task"))
            .into_iter()
            .flatten()
            .flatten()
        {
            let children = read(format!("{}/children", task.path().display()));
            pending.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    total
}

/// Stops a child process; one that already exited is fine, anything else is said.
fn stop(child: &mut std::process::Child, what: &str) {
    if let Err(e) = child.kill().and_then(|()| child.wait().map(drop))
        && e.kind() != std::io::ErrorKind::InvalidInput
    {
        eprintln!("xtask: could not stop {what}: {e}");
    }
}
