//! One dialect's soak world: a fake server behind the fault proxy, the redirect trap, one
//! SQLite database shared by the app's store (in-process) and the `segments` CLI, the ledger
//! of every edit and whether it was acknowledged, and the tally of what happened.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use fake_remotes::{FakeRemote, FaultProxy, Grant, RedirectTrap};
use segments_store::Store;
use segments_sync::credentials::Credentials;
use segments_sync::{self as sync, Dialect, NewRemote};

pub const REMOTE: &str = "hosted";

/// Which field a writer owns: each field has one writer, so "the last acknowledged edit
/// wins" is well defined per field even while the writers race.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// The app edits the first rule's value.
    Rules,
    /// The CLI edits the description.
    Description,
    /// The server's other user edits the name.
    Name,
    /// A segment was created (the marker is its key, or the remote id for the server's).
    Created,
}

/// One edit attempt. `key` is the local key, or the remote identity for the server's edits.
#[derive(Clone, Debug)]
pub struct Edit {
    pub key: String,
    pub field: Field,
    pub marker: String,
    /// The write call returned Ok, or the CLI exited 0.
    pub acknowledged: bool,
    pub on_server: bool,
}

/// Counts by name, for the figures.
#[derive(Default, Debug)]
pub struct Tally(pub BTreeMap<String, u64>);

impl Tally {
    pub fn add(&mut self, what: &str) {
        *self.0.entry(what.to_owned()).or_default() += 1;
    }
}

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub struct World {
    pub dialect: Dialect,
    pub fake: FakeRemote,
    pub proxy: FaultProxy,
    pub trap: RedirectTrap,
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    pub store: Mutex<Store>,
    pub credentials: Credentials,
    pub token: String,
    pub ledger: Mutex<Vec<Edit>>,
    pub tally: Mutex<Tally>,
    /// Token sightings in CLI output (the bytes are never kept).
    pub leaks: Mutex<Vec<String>>,
    pub cli_peak_kib: Mutex<u64>,
}

fn fake_dialect(dialect: Dialect) -> fake_remotes::Dialect {
    match dialect {
        Dialect::Projects => fake_remotes::Dialect::Projects,
        Dialect::Krafter => fake_remotes::Dialect::Krafter,
        Dialect::Edgeflags => fake_remotes::Dialect::Edgeflags,
    }
}

/// A segment as the server's other user creates it, in the dialect's own shape, with one
/// rule (a local segment needs at least one).
pub fn server_segment(dialect: Dialect, name: &str) -> serde_json::Value {
    match dialect {
        Dialect::Krafter => serde_json::json!({"name": name,
            "rules": [{"key": "plan", "operator": "eq", "value": "v0"}]}),
        Dialect::Projects => serde_json::json!({"key": name, "name": name,
            "rules": [{"attribute": "plan", "operator": "eq", "values": ["v0"]}]}),
        Dialect::Edgeflags => serde_json::json!({"key": name, "name": name,
            "conditions": [{"property": "plan", "operator": "equals", "value": "v0"}]}),
    }
}

/// A rule whose value carries the app's marker.
pub fn rules(marker: &str) -> serde_json::Value {
    serde_json::json!([{"attribute": "plan", "operator": "eq", "values": [marker]}])
}

impl World {
    pub fn new(dialect: Dialect) -> World {
        let fake = FakeRemote::start(fake_dialect(dialect));
        let trap = RedirectTrap::start();
        let proxy = FaultProxy::start(fake_dialect(dialect), fake.address(), trap.port());
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("segments.sqlite3");
        let mut store = Store::open(&db).unwrap();
        let credentials = Credentials::files_in(&dir.path().join("credentials"));
        for n in 0..12 {
            let key = format!("seg-{n:02}");
            let document = serde_json::json!({"key": key, "name": key, "rules": rules("v0")});
            store
                .create_segment(&segments_engine::parse_segment(&document).unwrap())
                .unwrap();
        }
        let token = fake.token(Grant::Full);
        // The server's own faults behind the proxy: 500s and writes applied whose answer is
        // lost at the source, where a retried create is most likely to duplicate.
        fake.set_faults(fake_remotes::Faults {
            error_rate: 0.03,
            drop_after_write_rate: 0.1,
            retry_after_secs: 0,
            seed: 7,
            ..fake_remotes::Faults::none()
        });
        let remote = NewRemote {
            name: REMOTE.into(),
            dialect,
            base_url: proxy.base_url(),
            project_id: dialect
                .needs_project()
                .then(|| fake.project_id().to_owned()),
            token: token.clone().into(),
        };
        let store = Mutex::new(store);
        sync::add_remote(&store, &credentials, &remote).unwrap();
        for n in 0..4 {
            fake.insert(server_segment(dialect, &format!("server-{n:02}")));
        }
        World {
            dialect,
            fake,
            proxy,
            trap,
            dir,
            db,
            store,
            credentials,
            token,
            ledger: Mutex::new(Vec::new()),
            tally: Mutex::new(Tally::default()),
            leaks: Mutex::new(Vec::new()),
            cli_peak_kib: Mutex::new(0),
        }
    }

    pub fn record(&self, edit: Edit) {
        lock(&self.ledger).push(edit);
    }

    pub fn count(&self, what: &str) {
        lock(&self.tally).add(what);
    }

    /// Runs the CLI with `args`; with `kill_after`, SIGKILLs it if it is still running then.
    /// Returns whether it exited 0 (`None` when killed). Its output is searched for the token
    /// and its memory peak is kept.
    pub fn cli(&self, args: &[&str], stdin: &str, kill_after: Option<Duration>) -> Option<bool> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_segments"))
            .arg("-vv")
            .args(args)
            .env("SEGMENTS_DB", &self.db)
            .env("SEGMENTS_CREDENTIALS", "file")
            .env(
                "SEGMENTS_CREDENTIALS_DIR",
                self.dir.path().join("credentials"),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let pid = child.id();
        if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
            assert_eq!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe,
                "cannot feed the CLI"
            );
        }
        // Pipes drained on their own threads, so a chatty CLI never blocks on a full pipe.
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).map(|_| bytes)
            })
        };
        let stdout = drain(Box::new(child.stdout.take().unwrap()));
        let stderr = drain(Box::new(child.stderr.take().unwrap()));
        let started = Instant::now();
        let mut killed = false;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            self.note_cli_memory(pid);
            if kill_after.is_some_and(|after| started.elapsed() >= after) && !killed {
                // Child::kill is SIGKILL on Unix: no destructor, no lease release.
                child.kill().unwrap();
                killed = true;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        for output in [stdout, stderr] {
            let bytes = output.join().unwrap().unwrap();
            if contains(&bytes, self.token.as_bytes()) {
                lock(&self.leaks).push(format!("CLI output of {args:?}"));
            }
        }
        if killed {
            self.count("cli_killed");
            self.release_dead_lease(pid);
            return None;
        }
        Some(status.success())
    }

    fn note_cli_memory(&self, pid: u32) {
        if let Some(kib) = vm_hwm_kib(&format!("/proc/{pid}/status")) {
            let mut peak = lock(&self.cli_peak_kib);
            *peak = (*peak).max(kib);
        }
    }

    /// A SIGKILLed run keeps the remote's sync lease for its full length (minutes), so every
    /// later run would be refused as busy: free a lease held by the dead pid, as a user would
    /// have to wait out. Counted, and reported as a finding.
    fn release_dead_lease(&self, pid: u32) {
        let connection = rusqlite::Connection::open(&self.db).unwrap();
        connection.busy_timeout(Duration::from_secs(5)).unwrap();
        let freed = connection
            .execute(
                "UPDATE remotes SET sync_owner = NULL, sync_until = NULL WHERE sync_owner LIKE ?1",
                [format!("{pid}-%")],
            )
            .unwrap();
        if freed > 0 {
            self.count("dead_leases_freed");
        }
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The peak resident set (`VmHWM`) of a `/proc/…/status`, in KiB.
pub fn vm_hwm_kib(path: &str) -> Option<u64> {
    let status = std::fs::read_to_string(path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Every log line of this test process, searched for the token as it is written and then
/// dropped, so a 20-minute soak does not keep them all.
#[derive(Default)]
pub struct LogScan {
    pub token: Option<Vec<u8>>,
    pub bytes: u64,
    pub sightings: u64,
    pub lines_with_requests: u64,
}

pub static LOG: OnceLock<Arc<Mutex<LogScan>>> = OnceLock::new();

#[derive(Clone)]
struct Scanner(Arc<Mutex<LogScan>>);

impl Write for Scanner {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut scan = lock(&self.0);
        scan.bytes += bytes.len() as u64;
        // fmt writes one event per call, so a token cannot straddle two writes.
        if scan.token.as_deref().is_some_and(|t| contains(bytes, t)) {
            scan.sightings += 1;
        }
        if contains(bytes, b"request") {
            scan.lines_with_requests += 1;
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Logs everything this process does at the most detailed level into the scanner.
pub fn capture_logs() -> Arc<Mutex<LogScan>> {
    LOG.get_or_init(|| {
        let scan = Arc::new(Mutex::new(LogScan::default()));
        let writer = Scanner(Arc::clone(&scan));
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .init();
        scan
    })
    .clone()
}
