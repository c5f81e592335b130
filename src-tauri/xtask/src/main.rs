//! Project automation, so a fresh Debian/Ubuntu machine needs two commands:
//! `cargo xtask run` (set up and launch the app on its database, demo data on first launch)
//! and `cargo xtask test` (everything CI checks). Each installs what it needs and is
//! missing, and nothing else.

mod boundaries;
mod clippy;
mod fuzz;
mod measure;
mod soak;
mod warehouse;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::OnceLock;
use std::time::Instant;

/// Debian packages the build needs: a C toolchain (SQLite), and the WebKitGTK stack of Tauri.
const BUILD_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "librsvg2-dev",
];

/// What the end-to-end tests add: a virtual display, the WebKit WebDriver, screenshots.
const E2E_PACKAGES: &[&str] = &["xvfb", "xauth", "webkit2gtk-driver", "imagemagick"];
/// A session bus and a Secret Service, to test that remote tokens really go to the keyring.
const KEYRING_PACKAGES: &[&str] = &["dbus", "gnome-keyring"];
/// A real PostgreSQL server for the warehouse SQL tests (a throwaway cluster per test).
const WAREHOUSE_PACKAGES: &[&str] = &["postgresql"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(),
        Some("bench") => bench(&args[1..]),
        Some("build") => build(),
        Some("bindings") => bindings(),
        Some("cli-demo") => cli_demo(),
        Some("measure-app") => measure::measure_app(),
        Some("boundaries") => boundaries::check(),
        Some("soak") => soak::soak(&args[1..]),
        Some("warehouse-bench") => warehouse::bench(&args[1..]),
        Some("warehouse-python") => warehouse::python().map(|p| {
            println!("export {}={}", warehouse::PYTHON_VAR, p.display());
        }),
        Some("fuzz") => fuzz::seconds(args.get(1)).and_then(fuzz::soak),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <run|test|build|bindings|bench|cli-demo|soak>
  run       install what is missing, build the UI and the app, launch it (demo data on first launch)
  test      formatting, lints, UI checks, every Rust test and the end-to-end tests (what CI runs)
  build     the UI and a release app at target/release/segment-studio (UI embedded)
  bindings  regenerate ui/src/lib/backend/bindings.ts (IPC types, command map, Backend) from Rust
  bench     benchmarks: the engine's, then ours vs Unleash's yggdrasil and bulk files (issue #9)
  cli-demo  the `segments` CLI on a seeded demo database
  measure-app  start-up time and idle memory of the release app (median of 5 runs, under Xvfb)
  boundaries   check on the dependency graph that every crate keeps to its boundary
  fuzz [SECONDS]  every fuzz target (src-tauri/fuzz) for SECONDS each, 600 by default
  warehouse-bench [ROWS]  generated vs hand-written SQL on a throwaway PostgreSQL, 1M rows by default
  warehouse-python  the venv with DuckDB and pyspark for the warehouse parity tests; prints its export line
  soak [MIN]   the long runs: crash loop (5,000 kills), sync soak MIN minutes per dialect (default 20), fuzzing 10 min a target";

type Outcome = Result<(), String>;

fn root() -> PathBuf {
    // xtask lives at src-tauri/xtask.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Prints a step's title with the minutes since the first step, so a CI log shows where
/// the time goes.
fn step(title: &str) {
    static STARTED: OnceLock<Instant> = OnceLock::new();
    let elapsed = STARTED.get_or_init(Instant::now).elapsed().as_secs();
    println!("\n==> [{:02}:{:02}] {title}", elapsed / 60, elapsed % 60);
}

/// Runs a command in `dir`, failing with its name when it fails.
fn sh(dir: &Path, program: &str, args: &[&str]) -> Outcome {
    sh_env(dir, program, args, &[])
}

/// [`sh`] with extra environment variables.
fn sh_env(dir: &Path, program: &str, args: &[&str], env: &[(&str, OsString)]) -> Outcome {
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn cargo(args: &[&str]) -> Outcome {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    sh(&root(), &cargo, args)
}

fn has(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs the Debian packages that `dpkg-query` says are missing (only on Debian-like
/// systems; elsewhere it says what it needs and goes on).
fn ensure_packages(packages: &[&str]) -> Outcome {
    if !has("dpkg-query") {
        println!(
            "not a Debian-like system: make sure these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            !Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", p])
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("installing {}", missing.join(" ")));
    let sudo: &[&str] = if has("sudo") && !is_root() {
        &["sudo"]
    } else {
        &[]
    };
    let run = |args: &[&str]| {
        let mut full: Vec<&str> = sudo.to_vec();
        full.extend_from_slice(args);
        sh(&root(), full[0], &full[1..])
    };
    run(&["apt-get", "update", "-q"])?;
    let mut install = vec![
        "env",
        "DEBIAN_FRONTEND=noninteractive",
        "apt-get",
        "install",
        "-y",
        "-q",
    ];
    install.extend(missing);
    run(&install)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn run() -> Outcome {
    build()?;
    let app = root().join("target/release/segment-studio");
    step(&format!(
        "launching {} on {}",
        app.display(),
        std::env::var("SEGMENTS_DB")
            .unwrap_or_else(|_| "the app's data file (demo data on first launch)".into())
    ));
    sh(&root(), &app.to_string_lossy(), &[])
}

fn build() -> Outcome {
    ensure_packages(BUILD_PACKAGES)?;
    ui_install()?;
    step("ui: npm run build");
    sh(&root().join("ui"), "npm", &["run", "build"])?;
    step("building the release app");
    cargo(&[
        "build",
        "--release",
        "--locked",
        "-p",
        "segment-studio",
        "--bin",
        "segment-studio",
    ])
}

fn bindings() -> Outcome {
    step("regenerating what the UI takes from Rust: bindings.ts");
    let cargo_bin = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo_bin)
        .args(["test", "-p", "segment-studio", "--lib", "are_fresh"])
        .env("UPDATE_BINDINGS", "1")
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("regenerating the bindings failed".into())
    }
}

fn cli_demo() -> Outcome {
    ensure_packages(BUILD_PACKAGES)?;
    step("building the segments CLI");
    cargo(&["build", "--release", "--bin", "segments"])?;
    let root = root();
    let db = std::env::var_os("SEGMENTS_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/demo/segments.sqlite3"));
    let segments = root.join("target/release/segments");
    let segments = segments.to_string_lossy();
    let db_arg = db.to_string_lossy();
    let cli = |args: &[&str]| {
        let mut full = vec!["--db", &db_arg];
        full.extend_from_slice(args);
        sh(&root, &segments, &full)
    };
    step(&format!(
        "seeding the demo database {db_arg} (left alone if it has segments)"
    ));
    cli(&["demo", "seed"])?;
    step("the segments");
    cli(&["segment", "list", "--json"])?;
    let context = root.join("target/demo/enterprise-admin.json");
    std::fs::create_dir_all(root.join("target/demo"))
        .map_err(|e| format!("cannot create target/demo: {e}"))?;
    std::fs::write(
        &context,
        r#"{"plan": "enterprise", "seats": 12, "email": "ada@ACME.com", "address": {"country": "US"},
 "platform": "ios", "app_version": "2.3.1", "signed_up_at": "2026-03-04T09:00:00Z", "beta_optin": true}"#,
    )
    .map_err(|e| format!("cannot write {}: {e}", context.display()))?;
    step("which segments an enterprise admin in the US is in");
    cli(&["eval", "--context", &context.to_string_lossy()])?;
    step("why (explain trace of enterprise-users)");
    cli(&[
        "eval",
        "--context",
        &context.to_string_lossy(),
        "--segment",
        "enterprise-users",
        "--explain",
    ])?;
    println!(
        "\nTry it yourself:\n  export SEGMENTS_DB={db_arg}\n  {segments} --help\n  {segments} segment get enterprise-users"
    );
    Ok(())
}

fn test() -> Outcome {
    ensure_packages(BUILD_PACKAGES)?;
    ensure_packages(E2E_PACKAGES)?;
    ensure_packages(KEYRING_PACKAGES)?;
    ensure_packages(WAREHOUSE_PACKAGES)?;
    let warehouse_python = warehouse::python()?;
    ensure_tauri_driver()?;
    step("rustfmt");
    cargo(&["fmt", "--all", "--check"])?;
    step("crate boundaries (cargo tree)");
    boundaries::check()?;
    // The UI's static checks and build first: the app crate embeds ui/dist.
    ui_static_checks()?;
    let lint = clippy::Lint::deny_warnings()?;
    step("building the app, the bridge, the CLI and a fake remote (debug; clippy -D warnings)");
    lint.cargo(&[
        "build",
        "--locked",
        "-p",
        "segment-studio",
        "-p",
        "segments-cli",
        "-p",
        "fake-remotes",
        "-p",
        "xtask",
        "--bins",
    ])?;
    // Every test target now, so a lint or a compile error shows before the slow steps.
    step("compiling every test and benchmark (clippy -D warnings)");
    lint.cargo(&[
        "test",
        "--workspace",
        "--all-targets",
        "--locked",
        "--no-run",
    ])?;
    // Vitest drives the UI on the real core: through segments-bridge, with fake-remote
    // servers for sync.
    step("ui: npm test (Vitest on the real core through segments-bridge)");
    sh(&root().join("ui"), "npm", &["test"])?;
    e2e()?;
    fuzz::smoke()?;
    // Last, so the run's closing lines are cargo test's summary.
    rust_tests(&lint, &warehouse_python)
}

/// Every Rust test (the IPC bindings freshness check included), on a private session bus
/// with an unlocked gnome-keyring whose files live in a temp folder, never the user's own
/// keyring. So the one test that needs a Secret Service, ignored elsewhere, runs in the same
/// build as the rest instead of compiling the workspace a second way.
fn rust_tests(lint: &clippy::Lint, warehouse_python: &Path) -> Outcome {
    step(
        "cargo test, with a real Secret Service (gnome-keyring on a private bus) for the keyring test",
    );
    let data = std::env::temp_dir().join(format!("segments-keyring-{}", std::process::id()));
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let script = format!(
        "printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
         {cargo} test --workspace --locked -- --include-ignored"
    );
    let status = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", &script])
        // The same wrapper as the builds before, so cargo test reuses what they compiled.
        .envs(lint.env())
        .env("XDG_DATA_HOME", &data)
        // DuckDB and Spark SQL for the warehouse parity tests.
        .env(warehouse::PYTHON_VAR, warehouse_python)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start dbus-run-session: {e}"))?;
    if let Err(e) = std::fs::remove_dir_all(&data) {
        eprintln!("xtask: could not remove {}: {e}", data.display());
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test failed ({status})"))
    }
}

fn ui_install() -> Outcome {
    if !has("npm") {
        ensure_packages(&["nodejs", "npm"])?;
    }
    step("ui: npm ci");
    sh(
        &root().join("ui"),
        "npm",
        &["ci", "--no-audit", "--no-fund"],
    )
}

/// TypeScript type check, eslint and a production build of the UI (Vitest runs later, once
/// the bridge it talks to is built).
fn ui_static_checks() -> Outcome {
    ui_install()?;
    let ui = root().join("ui");
    for script in ["typecheck", "lint", "build"] {
        step(&format!("ui: npm run {script}"));
        sh(&ui, "npm", &["run", script])?;
    }
    Ok(())
}

fn ensure_tauri_driver() -> Outcome {
    let installed = dirs_home().join(".cargo/bin/tauri-driver");
    if installed.exists() || has("tauri-driver") {
        return Ok(());
    }
    step("installing tauri-driver");
    cargo(&["install", "tauri-driver", "--locked"])
}

fn dirs_home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// The real app under Xvfb through tauri-driver and WebKitWebDriver (tests/e2e).
fn e2e() -> Outcome {
    let dir = root().join("tests/e2e");
    step("e2e: npm ci");
    sh(&dir, "npm", &["ci", "--no-audit", "--no-fund"])?;
    step("e2e: the real app under Xvfb (screenshots in tests/output/e2e)");
    sh(&dir, "npm", &["test"])
}

/// The engine's criterion benchmarks, then the figures of issue #9 from
/// src-tauri/crates/bench (outside the workspace, so `test` never builds Unleash's
/// yggdrasil): ours vs yggdrasil under criterion and callgrind, allocations, and the bulk
/// table and peak memory over seeded 1M-row files written to target/bench-data.
fn bench(extra: &[String]) -> Outcome {
    let mut args = vec!["bench", "-p", "segments-engine", "--bench", "engine", "--"];
    args.extend(extra.iter().map(String::as_str));
    cargo(&args)?;
    let manifest = root().join("src-tauri/crates/bench/Cargo.toml");
    let manifest = manifest.to_string_lossy().into_owned();
    let data = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("bench-data");
    let data = data.to_string_lossy().into_owned();
    step("ours vs yggdrasil: criterion");
    let mut args = vec![
        "bench",
        "--manifest-path",
        &manifest,
        "--bench",
        "compare",
        "--",
    ];
    args.extend(extra.iter().map(String::as_str));
    cargo(&args)?;
    let run = |what: &[&str]| {
        let mut args = vec!["run", "--release", "--quiet", "--manifest-path", &manifest];
        args.extend_from_slice(what);
        cargo(&args)
    };
    step("seeded populations (1M users; kept between runs)");
    run(&["--bin", "segments-bench", "--", "generate", &data])?;
    if has("valgrind") {
        step("ours vs yggdrasil: instructions per evaluation (callgrind)");
        run(&["--bin", "segments-bench", "--", "calls"])?;
    }
    step("heap allocations per evaluation (dhat)");
    run(&["--bin", "allocs"])?;
    step("bulk: medians of 5 runs");
    run(&["--bin", "segments-bench", "--", "bulk-table", &data])?;
    step("bulk: peak memory");
    run(&["--bin", "segments-bench", "--", "memory", &data])
}
