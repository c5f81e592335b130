//! Runs the `segments` binary as a real process on a temp database.

#![allow(dead_code)] // each test crate uses part of it

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub struct Cli {
    _dir: tempfile::TempDir,
    /// The database file.
    pub db: PathBuf,
    /// Environment variables for every run.
    pub env: Vec<(String, String)>,
}

impl Cli {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("segments.sqlite3");
        // Tokens go to files in the temp folder, never to the keyring of whoever runs this.
        let env = vec![
            ("SEGMENTS_CREDENTIALS".to_owned(), "file".to_owned()),
            (
                "SEGMENTS_CREDENTIALS_DIR".to_owned(),
                dir.path().join("credentials").display().to_string(),
            ),
        ];
        Self { _dir: dir, db, env }
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_segments"))
            .args(args)
            .env("SEGMENTS_DB", &self.db)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The CLI may stop reading early (an oversize input), closing the pipe; any other
        // failure to feed it is the test's own.
        if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
            assert_eq!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe,
                "cannot feed the CLI: {e}"
            );
        }
        child.wait_with_output().unwrap()
    }

    /// Runs a command that must succeed and returns its JSON output.
    pub fn ok(&self, args: &[&str], stdin: &str) -> Value {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Runs a command that must fail and returns its stderr.
    pub fn fails(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run(args, stdin);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(out.stdout.is_empty(), "nothing on stdout when failing");
        String::from_utf8(out.stderr).unwrap()
    }
}
