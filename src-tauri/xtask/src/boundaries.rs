//! The crate boundaries, checked on the dependency graph rather than trusted: the engine
//! does no I/O, populations (file readers) know no database and no HTTP, the store knows no
//! HTTP, the SQL compiler is pure code, only the warehouse crate talks to a warehouse (the
//! engine and the compiler never reach it), only the CLI links clap, only the shell links
//! Tauri.

use std::process::Command;

use crate::{Outcome, root};

/// Each crate, and the packages it must never depend on (directly or not).
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "segments-engine",
        &[
            "rusqlite",
            "reqwest",
            "tokio",
            "clap",
            "tauri",
            "segments-warehouse",
        ],
    ),
    (
        "segments-population",
        &["rusqlite", "reqwest", "tokio", "clap", "tauri"],
    ),
    (
        "segments-sql",
        &[
            "rusqlite",
            "reqwest",
            "tokio",
            "clap",
            "tauri",
            "segments-store",
            "segments-warehouse",
        ],
    ),
    ("segments-store", &["reqwest", "tokio", "clap", "tauri"]),
    // Secrets only: no HTTP, no warehouse client, no async runtime.
    (
        "segments-credentials",
        &["reqwest", "tokio", "tokio-postgres", "clap", "tauri"],
    ),
    // The only crate that talks to a warehouse: no HTTP client, no app or CLI.
    ("segments-warehouse", &["reqwest", "clap", "tauri"]),
    // The use-cases reach tokio only through the warehouse client (the counts are async);
    // HTTP stays in sync.
    ("segments-studio", &["reqwest", "clap", "tauri"]),
    ("segments-sync", &["tokio-postgres", "clap", "tauri"]),
    ("segments-cli", &["tauri"]),
    ("segment-studio", &["clap"]),
];

/// Fails naming every crate that reaches a package it must not.
pub fn check() -> Outcome {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut broken = Vec::new();
    for (krate, forbidden) in FORBIDDEN {
        let output = Command::new(&cargo)
            .args([
                "tree", "--locked", "-p", krate, "-e", "normal", "--prefix", "none",
            ])
            .current_dir(root())
            .output()
            .map_err(|e| format!("cannot run cargo tree: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo tree -p {krate} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        for package in *forbidden {
            let reached = tree
                .lines()
                .any(|line| line.split_whitespace().next() == Some(package));
            if reached {
                broken.push(format!("{krate} depends on {package}"));
            }
        }
    }
    if broken.is_empty() {
        println!("every crate keeps to its boundary");
        Ok(())
    } else {
        Err(format!("crate boundaries broken: {}", broken.join("; ")))
    }
}
