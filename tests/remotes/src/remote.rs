//! [`FakeRemote`]: one running server and the test's handle on it.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use serde_json::{Map, Value};
use tokio::sync::oneshot;

use crate::auth::Grant;
use crate::faults::{Faults, Stats};
use crate::random::SplitMix64;
use crate::server;
use crate::state::{Shared, State};
use crate::{Dialect, ResponseShape};

/// Servers started by this process, so each gets its own ids and tokens: two fakes in one test
/// never hand out the same segment id by accident, which could hide a client mixing them up.
static STARTED: AtomicU64 = AtomicU64::new(0);

/// A fake remote segments server listening on `127.0.0.1`, with the test's handle on its state.
/// Dropping it (or [`FakeRemote::stop`]) shuts the server down.
pub struct FakeRemote {
    dialect: Dialect,
    address: SocketAddr,
    project_id: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeRemote {
    /// Starts a server for `dialect` on `127.0.0.1` and a free port, on its own thread and
    /// runtime, so it serves sync and async clients alike. Panics if no port can be bound.
    pub fn start(dialect: Dialect) -> FakeRemote {
        let instance = STARTED.fetch_add(1, Ordering::Relaxed);
        let id_seed = SplitMix64::new(instance ^ (u64::from(std::process::id()) << 20)).next_u64();
        let state = State::new(dialect, id_seed);
        let project_id = state.project_id.clone();
        let shared = Arc::new(Shared::new(state));

        let listener =
            TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0 for a fake remote");
        let address = listener
            .local_addr()
            .expect("the fake remote's bound address");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener for tokio");
        let router = server::router(dialect, shared.clone());
        let (shutdown, shutdown_signal) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(format!("fake-remote-{}", dialect.name()))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime for the fake remote");
                runtime.block_on(server::serve(listener, router, shutdown_signal));
            })
            .expect("spawn the fake remote's thread");
        FakeRemote {
            dialect,
            address,
            project_id,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// The dialect this server speaks.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The address it listens on (what a [`crate::FaultProxy`] relays to).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The base URL a user would configure: the server root for projects and EdgeFlags, the
    /// root plus `/api/v1` for krafter (its page documents `https://app.krafter.dev/api/v1`).
    pub fn base_url(&self) -> String {
        match self.dialect {
            Dialect::Krafter => format!("{}/api/v1", self.root_url()),
            Dialect::Projects | Dialect::Edgeflags => self.root_url(),
        }
    }

    /// The one project this server has (a UUID). EdgeFlags has no projects; it has one anyway,
    /// unused.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// A bearer credential with the rights of `grant` (see [`Grant`]); the same string each time
    /// for the same rights. Panics on a grant the dialect does not have (a role outside projects,
    /// scopes outside krafter).
    pub fn token(&self, grant: Grant) -> String {
        self.shared.lock().issue(&grant)
    }

    /// Replaces the faults in force and restarts their pseudo-random sequence from `faults.seed`.
    pub fn set_faults(&self, faults: Faults) {
        let mut state = self.shared.lock();
        state.fault_rng = SplitMix64::new(faults.seed);
        state.faults = faults;
    }

    /// Sets how EdgeFlags wraps its response bodies (its page shows none); ignored by the other
    /// dialects, whose shapes are documented.
    pub fn set_response_shape(&self, shape: ResponseShape) {
        self.shared.lock().shape = shape;
    }

    /// Requests, applied writes, statuses and injected faults so far.
    pub fn stats(&self) -> Stats {
        self.shared.lock().stats.clone()
    }

    /// Every segment, as the API returns them (bare objects, in list order).
    pub fn segments(&self) -> Vec<Value> {
        let state = self.shared.lock();
        state
            .listed()
            .iter()
            .map(|segment| Value::Object(segment.body.clone()))
            .collect()
    }

    /// One segment by its URL identity (`key`, or krafter's `id`), as the API returns it.
    pub fn segment(&self, key_or_id: &str) -> Option<Value> {
        let state = self.shared.lock();
        state
            .find(key_or_id)
            .map(|segment| Value::Object(segment.body.clone()))
    }

    /// The current ETag of a segment (meaningful for EdgeFlags, which sends it).
    pub fn etag(&self, key_or_id: &str) -> Option<String> {
        self.shared
            .lock()
            .find(key_or_id)
            .map(|segment| segment.etag())
    }

    /// Seeds a segment without going through the API and returns it as stored. Missing
    /// server-managed fields (ids, timestamps) and documented defaults are filled in; nothing
    /// else is validated, so a test can seed what the API itself would refuse (an unknown
    /// operator, a nested group) to see how a client copes. Panics without a `key` for projects
    /// and EdgeFlags, or when the key or id is taken.
    pub fn insert(&self, segment: Value) -> Value {
        let Value::Object(given) = segment else {
            panic!("insert needs a JSON object, got {segment}");
        };
        let mut state = self.shared.lock();
        let seeded = with_defaults(&mut state, given);
        let identity = state.identity_field();
        let ident = seeded
            .get(identity)
            .and_then(Value::as_str)
            .unwrap_or_else(|| {
                panic!(
                    "a seeded {:?} segment needs a string {identity:?}",
                    self.dialect
                )
            })
            .to_owned();
        assert!(
            state.find(&ident).is_none(),
            "a segment with {identity} {ident:?} already exists"
        );
        Value::Object(state.add(seeded).body)
    }

    /// Simulates another user's edit: merges `patch` into the segment (top-level fields; `null`
    /// removes one), stamps a new `updated_at` unless the patch sets one, and changes the ETag.
    /// Returns the edited segment. Panics if there is no such segment or the patch changes its
    /// identity.
    pub fn edit_remotely(&self, key_or_id: &str, patch: Value) -> Value {
        let Value::Object(patch) = patch else {
            panic!("edit_remotely needs a JSON object patch, got {patch}");
        };
        let mut state = self.shared.lock();
        let identity = state.identity_field();
        assert!(
            !patch.contains_key(identity),
            "edit_remotely cannot change a segment's {identity}"
        );
        let now = state.now();
        let edited = state.modify(key_or_id, |segment| {
            segment.insert("updated_at".into(), now.into());
            for (field, value) in patch {
                if value.is_null() {
                    segment.remove(&field);
                } else {
                    segment.insert(field, value);
                }
            }
        });
        let edited = edited.unwrap_or_else(|| panic!("no segment {key_or_id:?} to edit"));
        Value::Object(edited.body)
    }

    /// Simulates another user's delete; `false` if there was no such segment.
    pub fn delete_remotely(&self, key_or_id: &str) -> bool {
        self.shared.lock().remove(key_or_id)
    }

    /// Shuts the server down and waits for its thread; open connections are closed.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for FakeRemote {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already be gone; then there is nobody to tell.
            if shutdown.send(()).is_err() {
                eprintln!("fake remote: the server had already stopped");
            }
        }
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread has already been printed; do not panic in drop.
            if thread.join().is_err() {
                eprintln!("fake remote: the server thread panicked");
            }
        }
    }
}

/// The seeded object in the dialect's field order, with server-managed fields and documented
/// defaults filled in; fields the dialect does not know are kept, after the known ones.
fn with_defaults(state: &mut State, mut given: Map<String, Value>) -> Map<String, Value> {
    let now = Value::from(state.now());
    let empty = || Value::Array(Vec::new());
    let defaults: Vec<(&str, Option<Value>)> = match state.dialect {
        Dialect::Projects => {
            let key = given.get("key").cloned();
            vec![
                ("id", Some(state.new_uuid().into())),
                ("key", None),
                ("name", key),
                ("description", Some("".into())),
                ("match_type", Some("all".into())),
                ("rules", Some(empty())),
                ("created_at", Some(now.clone())),
                ("updated_at", Some(now)),
            ]
        }
        Dialect::Krafter => vec![
            ("id", Some(state.new_uuid().into())),
            ("name", Some("".into())),
            ("description", Some("".into())),
            ("rules", Some(empty())),
            ("match_type", Some("all".into())),
            ("created_at", Some(now.clone())),
            ("updated_at", Some(now)),
        ],
        Dialect::Edgeflags => vec![
            ("key", None),
            ("name", None),
            ("description", None),
            ("conditions", Some(empty())),
            ("created_at", Some(now.clone())),
            ("updated_at", Some(now)),
        ],
    };
    let mut seeded = Map::new();
    for (field, default) in defaults {
        if let Some(value) = given.remove(field).or(default) {
            seeded.insert(field.into(), value);
        }
    }
    seeded.extend(given);
    seeded
}
