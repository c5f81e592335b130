//! The Python that runs DuckDB and Spark SQL for the warehouse parity tests
//! (src-tauri/crates/sql/tests/warehouse): a venv under the target dir with the pinned
//! PyPI packages of that folder's requirements.txt, created once and reinstalled only
//! when the pins change.

use std::path::PathBuf;
use std::process::Command;

use crate::{Outcome, WAREHOUSE_PACKAGES, cargo, ensure_packages, has, root, sh, step};

/// The variable the parity tests read the Python's path from.
pub const PYTHON_VAR: &str = "SEGMENTS_WAREHOUSE_PYTHON";

/// The venv's Python, with duckdb and pyspark installed; Java for Spark.
pub fn python() -> Result<PathBuf, String> {
    if !has("java") {
        // pyspark's wheel carries Spark, not the JVM it runs on.
        ensure_packages(&["openjdk-17-jre-headless"])?;
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let venv = target.join("warehouse-python");
    let python = venv.join("bin/python");
    let requirements = root().join("src-tauri/crates/sql/tests/warehouse/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    // A copy of the requirements it was installed from: the pins are what decides.
    let installed = venv.join("installed-requirements.txt");
    if python.exists() && std::fs::read_to_string(&installed).is_ok_and(|t| t == wanted) {
        return Ok(python);
    }
    step(&format!(
        "warehouse engines: DuckDB and pyspark into {}",
        venv.display()
    ));
    if !python.exists() && create_venv(&venv).is_err() {
        // Debian's python3 has no venv module without python3-venv.
        ensure_packages(&["python3-venv"])?;
        create_venv(&venv)?;
    }
    let python_arg = python.to_string_lossy();
    let requirements_arg = requirements.to_string_lossy();
    sh(
        &root(),
        &python_arg,
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            &requirements_arg,
        ],
    )?;
    std::fs::write(&installed, wanted)
        .map_err(|e| format!("cannot write {}: {e}", installed.display()))?;
    Ok(python)
}

fn create_venv(venv: &std::path::Path) -> Outcome {
    // A half-made venv from a failed attempt would make the next one fail too.
    if venv.exists() {
        std::fs::remove_dir_all(venv)
            .map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
    }
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv)
        .status()
        .map_err(|e| format!("cannot start python3 (install Python 3): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`python3 -m venv {}` failed ({status})",
            venv.display()
        ))
    }
}

/// The PostgreSQL speed benchmark (src-tauri/crates/sql/benches/postgres_speed.rs). Built
/// in the dev profile, which `cargo test` has already built: what it times is PostgreSQL,
/// the Rust side only writes the rows, and a release build of the Parquet stack would cost
/// more than the run.
pub fn bench(extra: &[String]) -> Outcome {
    ensure_packages(WAREHOUSE_PACKAGES)?;
    step("warehouse SQL speed: generated vs hand-written queries on PostgreSQL");
    let mut args = vec![
        "bench",
        "--profile",
        "dev",
        "-p",
        "segments-sql",
        "--bench",
        "postgres_speed",
        "--",
    ];
    args.extend(extra.iter().map(String::as_str));
    cargo(&args)
}
