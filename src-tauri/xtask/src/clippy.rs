//! Clippy inside the build: clippy-driver as cargo's workspace wrapper.
//!
//! `cargo clippy` is `cargo check` with that wrapper, and a check compiles the whole
//! dependency tree a second time, in metadata-only mode that no build can reuse: on 2 cores
//! that was 9 of CI's minutes. With clippy-driver wrapping the workspace crates of the real
//! build, each crate is linted as it is compiled and the dependencies are compiled once.
//! `cargo clippy --workspace --all-targets -- -D warnings` still checks the same by hand.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use crate::{Outcome, root, sh_env};

/// Cargo with every workspace crate linted as it compiles.
pub struct Lint {
    driver: PathBuf,
}

/// What `cargo clippy -- -D warnings` hands clippy-driver: each argument followed by this
/// separator.
const DENY_WARNINGS: &str = "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__";

impl Lint {
    /// Clippy's default lints plus the workspace's `[lints]`, every warning an error (what
    /// CI holds the code to).
    pub fn deny_warnings() -> Result<Self, String> {
        let output = Command::new("rustup")
            .args(["which", "clippy-driver"])
            .output();
        let driver = match output {
            Ok(out) if out.status.success() => {
                PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
            }
            // Without rustup, a toolchain that has clippy has clippy-driver on the PATH.
            _ => PathBuf::from("clippy-driver"),
        };
        let works = Command::new(&driver)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        if !works {
            return Err("clippy is not installed: run `rustup component add clippy`".into());
        }
        Ok(Self { driver })
    }

    /// The environment that makes cargo lint the workspace crates it compiles.
    pub fn env(&self) -> [(&'static str, OsString); 2] {
        [
            (
                "RUSTC_WORKSPACE_WRAPPER",
                self.driver.clone().into_os_string(),
            ),
            ("CLIPPY_ARGS", DENY_WARNINGS.into()),
        ]
    }

    /// Runs cargo at the root with the lint environment.
    pub fn cargo(&self, args: &[&str]) -> Outcome {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        sh_env(&root(), &cargo, args, &self.env())
    }
}
