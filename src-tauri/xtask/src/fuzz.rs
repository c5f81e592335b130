//! `cargo fuzz` (libFuzzer) over the parsers of untrusted input, in src-tauri/fuzz.
//!
//! It runs on stable Rust: cargo-fuzz passes `-Z` flags, which `RUSTC_BOOTSTRAP=1` allows on
//! a stable toolchain, so CI needs no nightly. `--sanitizer none`: every crate of ours
//! forbids `unsafe`, so AddressSanitizer would find nothing a panic does not, while it
//! roughly doubles the build and slows every execution several times over.
//!
//! New inputs go to a corpus folder under the target directory, never into the committed
//! seed corpus (src-tauri/fuzz/corpus), which only `cargo fuzz cmin` updates.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Outcome, has, root, step};

/// Every fuzz target (src-tauri/fuzz/fuzz_targets).
const TARGETS: &[&str] = &[
    "parse_segment",
    "parse_patch",
    "compile_evaluate",
    "import_export",
    "dialect_roundtrip",
    "remote_responses",
    "semver_order",
    "key_derivation",
    "population_count",
];

/// Each target's time in a soak run.
const SOAK_SECONDS: u64 = 600;
/// The smoke run's time for all targets together, shared equally.
const SMOKE_SECONDS: u64 = 180;
/// Targets fuzzed at once: CI machines have 2 cores, and each libFuzzer run uses one.
///
/// The build is cargo fuzz's own (one codegen unit per crate, full debug info). A quicker
/// build was tried for the smoke run, 16 codegen units and line tables only: on the 2-core
/// machine it built in 441 s instead of 400 s and ran most targets at half the speed.
const PARALLEL: usize = 2;
/// A single input taking longer than this is a hang (libFuzzer's `-timeout`).
const INPUT_TIMEOUT_SECS: u64 = 10;
/// Memory one fuzzing process may use (libFuzzer's `-rss_limit_mb`).
const RSS_LIMIT_MB: u64 = 2048;

/// Builds every target, then fuzzs each one for its share of three minutes (what CI runs).
pub fn smoke() -> Outcome {
    let batches = TARGETS.len().div_ceil(PARALLEL) as u64;
    fuzz_all((SMOKE_SECONDS / batches).max(1))
}

/// Fuzzs each target for `seconds_per_target` (`cargo xtask fuzz [SECONDS]`).
pub fn soak(seconds_per_target: u64) -> Outcome {
    fuzz_all(seconds_per_target)
}

/// The seconds per target of `cargo xtask fuzz [SECONDS]`: ten minutes unless given.
pub fn seconds(arg: Option<&String>) -> Result<u64, String> {
    // libFuzzer reads `-max_total_time=0` as "no limit".
    arg.map_or(Ok(SOAK_SECONDS), |s| match s.parse() {
        Ok(0) | Err(_) => Err(format!("fuzz: not a positive number of seconds: {s}")),
        Ok(seconds) => Ok(seconds),
    })
}

fn fuzz_all(seconds: u64) -> Outcome {
    ensure_cargo_fuzz()?;
    let dir = fuzz_dir();
    step("fuzz: building every target (cargo fuzz build, stable Rust)");
    let started = Instant::now();
    let status = cargo_fuzz(&dir)
        .args(["build", "--sanitizer", "none"])
        .status()
        .map_err(|e| format!("cannot start cargo fuzz: {e}"))?;
    if !status.success() {
        return Err(format!("cargo fuzz build failed ({status})"));
    }
    println!("built in {:.0?}", started.elapsed());
    step(&format!(
        "fuzz: {} targets, {seconds} s each, {PARALLEL} at a time",
        TARGETS.len()
    ));
    let mut failures = Vec::new();
    for batch in TARGETS.chunks(PARALLEL) {
        let running: Vec<_> = batch
            .iter()
            .map(|target| (target, start(&dir, target, seconds)))
            .collect();
        for (target, child) in running {
            match child.and_then(|child| finish(&dir, target, child)) {
                Ok(line) => println!("{target}: {line}"),
                Err(e) => {
                    eprintln!("{target}: {e}");
                    failures.push(e);
                }
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} fuzz target(s) failed:\n{}",
            failures.len(),
            failures.join("\n")
        ))
    }
}

fn fuzz_dir() -> PathBuf {
    root().join("src-tauri/fuzz")
}

/// Where the fuzz build and its runs' outputs go: the same target directory as the rest (the
/// fuzz build is for an explicit `--target`, so it never replaces the workspace's builds).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn cargo_fuzz(dir: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .arg("fuzz")
        .current_dir(dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target_dir());
    command
}

struct Run {
    child: std::process::Child,
    log: PathBuf,
    started: Instant,
}

/// Starts libFuzzer on `target`: new inputs in a scratch corpus, seeds read from the
/// committed one, output to a log that is shown when the target fails.
fn start(dir: &Path, target: &str, seconds: u64) -> Result<Run, String> {
    let out = target_dir().join("fuzz-runs").join(target);
    let corpus = out.join("corpus");
    std::fs::create_dir_all(&corpus)
        .map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    // population_count writes its files to the temp folder: keep them with the run's.
    let tmp = out.join("tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let log = out.join("fuzz.log");
    let file =
        std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let seeds = dir.join("corpus").join(target);
    let mut command = cargo_fuzz(dir);
    command
        .args(["run", "--sanitizer", "none", target])
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECS}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
        .arg("-print_final_stats=1")
        .env("TMPDIR", &tmp);
    if let Some(name) = dictionary(target) {
        let path = dir.join("dictionaries").join(name);
        command.arg(format!("-dict={}", path.display()));
    }
    let child = command
        .stdout(Stdio::from(
            file.try_clone()
                .map_err(|e| format!("cannot share {}: {e}", log.display()))?,
        ))
        .stderr(Stdio::from(file))
        .spawn()
        .map_err(|e| format!("cannot start cargo fuzz run {target}: {e}"))?;
    Ok(Run {
        child,
        log,
        started: Instant::now(),
    })
}

/// The libFuzzer dictionary of a target: JSON field and operator names for every target
/// that reads JSON, SemVer pieces for the versions; names need none.
fn dictionary(target: &str) -> Option<&'static str> {
    match target {
        "semver_order" => Some("semver.dict"),
        "key_derivation" => None,
        _ => Some("segments.dict"),
    }
}

/// Waits for a run; on success, its executions and speed, else where the crashing input is.
fn finish(dir: &Path, target: &str, mut run: Run) -> Result<String, String> {
    let status = run
        .child
        .wait()
        .map_err(|e| format!("cannot wait for cargo fuzz: {e}"))?;
    let elapsed = run.started.elapsed();
    let log = std::fs::read_to_string(&run.log).unwrap_or_default();
    if status.success() {
        return Ok(summary(&log, elapsed));
    }
    let tail: Vec<&str> = log.lines().rev().take(40).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    let input = log
        .lines()
        .find_map(|l| l.split_once("Test unit written to ").map(|(_, p)| p.trim()))
        .map_or_else(
            || format!("no input saved (see {})", run.log.display()),
            |p| dir.join(p).display().to_string(),
        );
    Err(format!(
        "{target} failed ({status}); crashing input: {input}\n  reproduce: cd src-tauri/fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none {target} {input}\n{}",
        tail.join("\n")
    ))
}

/// "N runs in T s (R exec/s)" from libFuzzer's final stats.
fn summary(log: &str, elapsed: Duration) -> String {
    let runs = log
        .lines()
        .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|n| n.trim().parse::<u64>().ok());
    match runs {
        Some(runs) => format!(
            "{runs} runs in {:.0} s ({:.0} exec/s)",
            elapsed.as_secs_f64(),
            runs as f64 / elapsed.as_secs_f64().max(1.0)
        ),
        None => format!("done in {:.0} s", elapsed.as_secs_f64()),
    }
}

fn ensure_cargo_fuzz() -> Outcome {
    if has("cargo-fuzz") {
        return Ok(());
    }
    step("installing cargo-fuzz");
    crate::cargo(&["install", "cargo-fuzz", "--locked"])
}
