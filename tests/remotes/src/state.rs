//! The server's state: its segments, clock, id source, faults, statistics and issued credentials,
//! behind one lock shared by the HTTP handlers and the test's [`crate::FakeRemote`] handle.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

use crate::auth::Principal;
use crate::faults::{Faults, Stats};
use crate::random::SplitMix64;
use crate::{Dialect, ResponseShape};

/// RFC 3339 in UTC with milliseconds, so two edits within one second still get different
/// `updated_at` values (a sync client may compare them to detect remote edits).
const TIMESTAMP: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// One stored segment: the object exactly as the API returns it, plus the server revision of its
/// last write (the EdgeFlags ETag is derived from it).
#[derive(Clone, Debug)]
pub(crate) struct StoredSegment {
    pub(crate) body: Map<String, Value>,
    pub(crate) revision: u64,
}

impl StoredSegment {
    /// The strong ETag of this version. A server-wide revision, not a per-segment counter, so a
    /// deleted and re-created segment never matches an ETag taken before the delete.
    pub(crate) fn etag(&self) -> String {
        format!("\"r{}\"", self.revision)
    }
}

/// Everything mutable about one fake server.
pub(crate) struct State {
    pub(crate) dialect: Dialect,
    pub(crate) project_id: String,
    segments: Vec<StoredSegment>,
    revision: u64,
    last_millis: i128,
    ids: SplitMix64,
    pub(crate) faults: Faults,
    pub(crate) fault_rng: SplitMix64,
    pub(crate) stats: Stats,
    pub(crate) tokens: HashMap<String, Principal>,
    pub(crate) issued: HashMap<Principal, String>,
    pub(crate) shape: ResponseShape,
}

impl State {
    pub(crate) fn new(dialect: Dialect, id_seed: u64) -> State {
        let ids = SplitMix64::new(id_seed);
        let project_id = uuid::Uuid::new_v4().to_string();
        State {
            dialect,
            project_id,
            segments: Vec::new(),
            revision: 0,
            last_millis: 0,
            ids,
            faults: Faults::none(),
            fault_rng: SplitMix64::new(0),
            stats: Stats::default(),
            tokens: HashMap::new(),
            issued: HashMap::new(),
            shape: ResponseShape::default(),
        }
    }

    /// A fresh random UUID (version 4), as the real servers mint ids.
    pub(crate) fn new_uuid(&mut self) -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// A fresh 64-bit value for credentials.
    pub(crate) fn next_random(&mut self) -> u64 {
        self.ids.next_u64()
    }

    /// The current time as an API timestamp, strictly later than any earlier one of this server.
    pub(crate) fn now(&mut self) -> String {
        let now = OffsetDateTime::now_utc();
        let millis = (now.unix_timestamp_nanos() / 1_000_000).max(self.last_millis + 1);
        self.last_millis = millis;
        OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000)
            .ok()
            .and_then(|at| at.format(TIMESTAMP).ok())
            .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".to_owned())
    }

    /// The field that identifies a segment in this dialect's URLs.
    pub(crate) fn identity_field(&self) -> &'static str {
        match self.dialect {
            Dialect::Krafter => "id",
            Dialect::Projects | Dialect::Edgeflags => "key",
        }
    }

    pub(crate) fn find(&self, ident: &str) -> Option<&StoredSegment> {
        let field = self.identity_field();
        self.segments
            .iter()
            .find(|segment| segment.body.get(field).and_then(Value::as_str) == Some(ident))
    }

    /// Stores a new segment (the caller has checked that its identity is free).
    pub(crate) fn add(&mut self, body: Map<String, Value>) -> StoredSegment {
        self.revision += 1;
        let stored = StoredSegment {
            body,
            revision: self.revision,
        };
        self.segments.push(stored.clone());
        stored
    }

    /// Replaces a segment's object with what `edit` makes of it and bumps its revision.
    /// Returns `None` when there is no such segment.
    pub(crate) fn modify(
        &mut self,
        ident: &str,
        edit: impl FnOnce(&mut Map<String, Value>),
    ) -> Option<StoredSegment> {
        let field = self.identity_field();
        let index = self
            .segments
            .iter()
            .position(|segment| segment.body.get(field).and_then(Value::as_str) == Some(ident))?;
        self.revision += 1;
        let segment = &mut self.segments[index];
        edit(&mut segment.body);
        segment.revision = self.revision;
        Some(segment.clone())
    }

    /// Removes a segment; `false` when there was none.
    pub(crate) fn remove(&mut self, ident: &str) -> bool {
        let field = self.identity_field();
        let before = self.segments.len();
        self.segments
            .retain(|segment| segment.body.get(field).and_then(Value::as_str) != Some(ident));
        if self.segments.len() == before {
            return false;
        }
        self.revision += 1;
        true
    }

    /// All segments in the order the dialect's list endpoint returns them: creation order for
    /// projects and krafter (stable while pages are fetched), key order for EdgeFlags (a KV
    /// store lists its keys sorted).
    pub(crate) fn listed(&self) -> Vec<&StoredSegment> {
        let mut listed: Vec<&StoredSegment> = self.segments.iter().collect();
        if self.dialect == Dialect::Edgeflags {
            listed.sort_by(|a, b| {
                let key = |s: &StoredSegment| {
                    s.body.get("key").and_then(Value::as_str).map(str::to_owned)
                };
                key(a).cmp(&key(b))
            });
        }
        listed
    }
}

/// How handlers receive the shared state.
pub(crate) type SharedState = axum::extract::State<std::sync::Arc<Shared>>;

/// The lock around [`State`]. A panic while it was held (a bug in a handler) must not hide every
/// later request behind a poisoned lock, so poisoning is ignored.
pub(crate) struct Shared(Mutex<State>);

impl Shared {
    pub(crate) fn new(state: State) -> Shared {
        Shared(Mutex::new(state))
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
