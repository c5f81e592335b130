//! The crash loop's world: one database with the three fake remotes as its remotes, and
//! `segments` processes that are killed with SIGKILL at a chosen moment.

#![allow(dead_code)] // the crash loop and its checks' test each use part of it

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_remotes::{Dialect, FakeRemote, Faults, Grant};
use serde_json::Value;

/// How one run of the CLI ended.
#[derive(Debug)]
pub enum Ended {
    /// Exited 0 and printed its JSON answer: the operation is acknowledged.
    Acked(Value),
    /// Killed before it said anything.
    Killed,
    /// Ended on its own without acknowledging (a non-zero exit, or no answer).
    Failed(String),
}

pub struct World {
    dir: tempfile::TempDir,
    pub db: PathBuf,
    env: Vec<(String, String)>,
    /// (remote name, its fake server), by name.
    pub remotes: Vec<(String, FakeRemote)>,
}

impl World {
    /// A database with a projects, a krafter and an edgeflags remote.
    pub fn new() -> World {
        let dir = tempfile::tempdir().expect("a temp folder");
        let db = dir.path().join("segments.sqlite3");
        // Tokens go to files in the temp folder, never to the keyring of whoever runs this.
        let env = vec![
            ("SEGMENTS_CREDENTIALS".to_owned(), "file".to_owned()),
            (
                "SEGMENTS_CREDENTIALS_DIR".to_owned(),
                dir.path().join("credentials").display().to_string(),
            ),
        ];
        let mut world = World {
            dir,
            db,
            env,
            remotes: Vec::new(),
        };
        for dialect in [Dialect::Edgeflags, Dialect::Krafter, Dialect::Projects] {
            let fake = FakeRemote::start(dialect);
            let name = dialect.name().to_owned();
            let variable = format!("TOKEN_{}", name.to_uppercase());
            world.env.push((variable.clone(), fake.token(Grant::Full)));
            let mut args = vec![
                "remote".to_owned(),
                "add".to_owned(),
                name.clone(),
                "--dialect".to_owned(),
                name.clone(),
                "--url".to_owned(),
                fake.base_url(),
                "--token-env".to_owned(),
                variable,
            ];
            if dialect != Dialect::Edgeflags {
                args.extend(["--project".to_owned(), fake.project_id().to_owned()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            match world.run(&args, None) {
                (Ended::Acked(_), _) => {}
                (other, _) => panic!("cannot add the {name} remote: {other:?}"),
            }
            world.remotes.push((name, fake));
        }
        world
    }

    /// A file in the world's folder holding `value`, for `--file`/`--context`.
    pub fn input(&self, name: &str, value: &Value) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, value.to_string()).expect("write an input file");
        path.display().to_string()
    }

    /// Runs `segments args`; with `kill_after`, sends SIGKILL then if it is still running.
    /// Returns how it ended and how long it ran.
    pub fn run(&self, args: &[&str], kill_after: Option<Duration>) -> (Ended, Duration) {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_segments"))
            .args(args)
            .env("SEGMENTS_DB", &self.db)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start segments");
        let mut killed = false;
        if let Some(delay) = kill_after {
            // Sleep in short steps so a process that ends early is not left waiting for.
            let deadline = started + delay;
            loop {
                if child.try_wait().expect("poll segments").is_some() {
                    break;
                }
                let now = Instant::now();
                if now >= deadline {
                    // `Child::kill` is SIGKILL on Unix: no destructor, no rollback, no flush.
                    child.kill().expect("SIGKILL segments");
                    killed = true;
                    break;
                }
                std::thread::sleep((deadline - now).min(Duration::from_millis(2)));
            }
        }
        let output = child.wait_with_output().expect("wait for segments");
        let took = started.elapsed();
        // A process that exited 0 just before the signal landed has still acknowledged.
        if output.status.success() {
            return match serde_json::from_slice(&output.stdout) {
                Ok(answer) => (Ended::Acked(answer), took),
                Err(e) => (Ended::Failed(format!("exit 0 without JSON: {e}")), took),
            };
        }
        if killed {
            return (Ended::Killed, took);
        }
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (Ended::Failed(stderr), took)
    }

    /// The fake server behind the remote `name`.
    pub fn remote(&self, name: &str) -> &FakeRemote {
        let found = self.remotes.iter().find(|(n, _)| n == name);
        &found.expect("a remote of the loop").1
    }

    pub fn set_faults(&self, faults: &Faults) {
        for (_, fake) in &self.remotes {
            fake.set_faults(faults.clone());
        }
    }

    /// Lets a killed run's lease lapse now. Its owner is dead, but the lease would hold the
    /// remote for its full length (minutes), which this loop cannot wait out: the one write
    /// the test makes to the database, and only to the lease's expiry.
    pub fn lapse_lease(&self, remote: &str) {
        let conn = rusqlite::Connection::open(&self.db).expect("open the database to lapse");
        conn.busy_timeout(Duration::from_secs(5))
            .expect("set a busy timeout");
        conn.execute(
            "UPDATE remotes SET sync_until = '1970-01-01T00:00:00.000Z' WHERE name = ?1",
            [remote],
        )
        .expect("lapse the lease");
    }
}

/// One remote's copies in a dialect-neutral form: identity (key, or Krafter's name) to
/// (name, description, the first rule's value), and the identities seen more than once.
pub fn remote_view(fake: &FakeRemote) -> (BTreeMap<String, Value>, Vec<String>) {
    let mut view = BTreeMap::new();
    let mut duplicates = Vec::new();
    for segment in fake.segments() {
        let (identity, value) = match fake.dialect() {
            // Krafter has no unique key: its segments are told apart by name.
            Dialect::Krafter => (&segment["name"], &segment["rules"][0]["value"]),
            Dialect::Projects => (&segment["key"], &segment["rules"][0]["values"][0]),
            Dialect::Edgeflags => (&segment["key"], &segment["conditions"][0]["value"]),
        };
        let identity = identity.as_str().unwrap_or("").to_owned();
        let copy = serde_json::json!([segment["name"], segment["description"], value]);
        if view.insert(identity.clone(), copy).is_some() {
            duplicates.push(identity);
        }
    }
    (view, duplicates)
}

/// The local segments in [`remote_view`]'s form for `dialect` (by name for Krafter), and
/// the identities more than one local segment has.
pub fn local_view(
    segments: &BTreeMap<String, Value>,
    dialect: Dialect,
) -> (BTreeMap<String, Value>, Vec<String>) {
    let mut view = BTreeMap::new();
    let mut duplicates = Vec::new();
    for (key, s) in segments {
        let identity = match dialect {
            Dialect::Krafter => s["name"].as_str().unwrap_or("").to_owned(),
            Dialect::Projects | Dialect::Edgeflags => key.clone(),
        };
        let copy = serde_json::json!([s["name"], s["description"], s["rules"][0]["values"][0]]);
        if view.insert(identity.clone(), copy).is_some() {
            duplicates.push(identity);
        }
    }
    (view, duplicates)
}

/// Where the figures go: `tests/output/` at the repository root (ignored by git).
pub fn figures_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/crash-loop.json")
}
