//! Runs one fake remote for tests outside Rust (the app's end-to-end suite): prints one JSON
//! line `{"dialect", "base_url", "project_id", "token"}` and serves until stdin closes or
//! the process is terminated.
//!
//! Usage: `fake-remote projects|krafter|edgeflags`

use std::io::Read;

use fake_remotes::{Dialect, FakeRemote, Grant};

fn main() -> std::process::ExitCode {
    let dialect = match std::env::args().nth(1).as_deref() {
        Some("projects") => Dialect::Projects,
        Some("krafter") => Dialect::Krafter,
        Some("edgeflags") => Dialect::Edgeflags,
        other => {
            eprintln!(
                "usage: fake-remote projects|krafter|edgeflags (got {})",
                other.unwrap_or("nothing")
            );
            return std::process::ExitCode::from(2);
        }
    };
    let remote = FakeRemote::start(dialect);
    let line = serde_json::json!({
        "dialect": dialect.name(),
        "base_url": remote.base_url(),
        "project_id": remote.project_id(),
        "token": remote.token(Grant::Full),
    });
    println!("{line}");
    // Serve until the parent closes our stdin (or terminates us).
    if let Err(e) = std::io::stdin().read_to_end(&mut Vec::new()) {
        eprintln!("fake-remote: stdin failed ({e}); stopping");
    }
    std::process::ExitCode::SUCCESS
}
