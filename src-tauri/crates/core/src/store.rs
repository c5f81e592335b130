//! The local SQLite store: segments (latest state), their append-only revision history,
//! the reference graph between segments, and saved test contexts (personas).
//!
//! Every write is one `BEGIN IMMEDIATE` transaction that validates, writes the segment and
//! records its revision together, so a refused or failed write leaves no trace.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use segments_engine::{CompiledSet, Segment, SegmentPatch, ValidationError, parse_segment};
use serde::Serialize;
use serde_json::Value;

use crate::clock::now_rfc3339;
use crate::schema::migrations;

/// Who made a change; sync will record remotes' authors here too.
pub const LOCAL_AUTHOR: &str = "local";

/// Why a store operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The document is not a valid segment (or breaks references); nothing was written.
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    /// No segment with this key.
    #[error("no segment \"{0}\" exists; `segments segment list` shows the keys there are")]
    NotFound(String),
    /// A segment with this key exists already.
    #[error("a segment \"{0}\" already exists; choose another key or update that segment")]
    Duplicate(String),
    /// Other segments reference this one, so deleting it would break them.
    #[error("segment \"{key}\" is referenced by {}; remove those in_segment references first", .referrers.join(", "))]
    Referenced {
        /// The segment that was to be deleted.
        key: String,
        /// The segments that reference it.
        referrers: Vec<String>,
    },
    /// No such revision for this segment.
    #[error("segment \"{key}\" has no revision {id}; `segments segment history {key}` lists them")]
    RevisionNotFound {
        /// The segment.
        key: String,
        /// The revision id asked for.
        id: i64,
    },
    /// No persona with this id.
    #[error("no persona with id {0}")]
    PersonaNotFound(i64),
    /// A persona name that is empty or too long, or a context that is not an object.
    #[error("{0}")]
    InvalidPersona(String),
    /// A stored document no longer parses (edited outside the app).
    #[error("the stored segment \"{key}\" is damaged ({source}); restore it from its history")]
    Corrupt {
        /// The segment.
        key: String,
        /// What is wrong with it.
        source: ValidationError,
    },
    /// The file is not a database this version can use.
    #[error("cannot use the database {path}: {reason}")]
    Open {
        /// The database file.
        path: String,
        /// What went wrong, in words.
        reason: String,
    },
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// A segment as stored, with its timestamps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSegment {
    /// The canonical segment.
    #[serde(flatten)]
    pub segment: Segment,
    /// When it was first created (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// What a revision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RevisionAction {
    /// The segment was created.
    Create,
    /// The segment was edited.
    Update,
    /// The segment was deleted.
    Delete,
    /// An earlier revision was restored.
    Restore,
    /// An import created or changed the segment.
    Import,
}

impl RevisionAction {
    fn as_str(self) -> &'static str {
        match self {
            RevisionAction::Create => "create",
            RevisionAction::Update => "update",
            RevisionAction::Delete => "delete",
            RevisionAction::Restore => "restore",
            RevisionAction::Import => "import",
        }
    }

    fn from_str(s: &str) -> Option<Self> {
        [
            RevisionAction::Create,
            RevisionAction::Update,
            RevisionAction::Delete,
            RevisionAction::Restore,
            RevisionAction::Import,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// One entry of a segment's history: the full document before and after a change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Revision {
    /// Increasing id.
    pub id: i64,
    /// The segment's key.
    pub segment_key: String,
    /// What happened.
    pub action: RevisionAction,
    /// Who did it ("local" for this app).
    pub author: String,
    /// When (RFC 3339, UTC).
    pub created_at: String,
    /// The document before (none for a create).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub previous: Option<Value>,
    /// The document after (none for a delete).
    #[cfg_attr(feature = "typescript", ts(type = "Segment | null"))]
    pub current: Option<Value>,
}

/// A saved test context.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Persona {
    /// Id.
    pub id: i64,
    /// Unique name, such as "Enterprise admin in Germany".
    pub name: String,
    /// The context: a JSON object.
    pub context: Value,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

/// What an import did, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ImportReport {
    /// Segments that did not exist.
    pub created: Vec<String>,
    /// Segments that existed and changed.
    pub updated: Vec<String>,
    /// Segments that existed with exactly this content.
    pub unchanged: Vec<String>,
}

/// The store: one connection, used for reads and writes.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |reason: String| StoreError::Open {
            path: path.display().to_string(),
            reason,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| open_error(format!("cannot create its folder: {e}")))?;
        }
        let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        Self::prepare(conn).map_err(|e| match e {
            StoreError::Sqlite(e) => open_error(describe_open_failure(&e)),
            other => other,
        })
    }

    /// An in-memory store, for tests and dry runs.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Store, StoreError> {
        // WAL lets the app read while the CLI writes; the busy timeout waits out the other
        // writer instead of failing at once.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations().to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sqlite(err),
            other => StoreError::Open {
                path: conn.path().unwrap_or("memory").to_owned(),
                reason: format!("{other} (was it written by a newer Segment Studio?)"),
            },
        })?;
        Ok(Store { conn })
    }

    fn write(&mut self) -> Result<Transaction<'_>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Check references at commit, not per row: an import may write a segment before the
        // one it references. SQLite resets this at the end of the transaction.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        Ok(tx)
    }

    /// Creates a segment; refuses a key that exists.
    pub fn create_segment(&mut self, segment: &Segment) -> Result<StoredSegment, StoreError> {
        let tx = self.write()?;
        if load(&tx, &segment.key)?.is_some() {
            return Err(StoreError::Duplicate(segment.key.clone()));
        }
        check_references(&tx, std::slice::from_ref(segment))?;
        let stored = insert(&tx, segment)?;
        record(
            &tx,
            &segment.key,
            RevisionAction::Create,
            None,
            Some(segment),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Applies a partial update. An update that changes nothing records no revision.
    pub fn update_segment(
        &mut self,
        key: &str,
        patch: &SegmentPatch,
    ) -> Result<StoredSegment, StoreError> {
        let tx = self.write()?;
        let current = load(&tx, key)?.ok_or_else(|| StoreError::NotFound(key.to_owned()))?;
        let next = patch.apply(&current.segment);
        if next == current.segment {
            return Ok(current);
        }
        // Re-validate the whole result: a patch of only `match_type` is checked with the rules.
        let next = parse_segment(&next.to_json())?;
        check_references(&tx, std::slice::from_ref(&next))?;
        let stored = replace(&tx, &next, &current.created_at)?;
        record(
            &tx,
            key,
            RevisionAction::Update,
            Some(&current.segment),
            Some(&next),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Deletes a segment; refuses while other segments reference it.
    pub fn delete_segment(&mut self, key: &str) -> Result<Revision, StoreError> {
        let tx = self.write()?;
        let current = load(&tx, key)?.ok_or_else(|| StoreError::NotFound(key.to_owned()))?;
        let referrers = referrers(&tx, key)?;
        if !referrers.is_empty() {
            return Err(StoreError::Referenced {
                key: key.to_owned(),
                referrers,
            });
        }
        tx.execute("DELETE FROM segments WHERE key = ?1", [key])?;
        let id = record(
            &tx,
            key,
            RevisionAction::Delete,
            Some(&current.segment),
            None,
        )?;
        let revision = revision(&tx, key, id)?;
        tx.commit()?;
        Ok(revision)
    }

    /// Brings a segment back to the state a revision left it in (for a delete revision: the
    /// state before it), whether the segment exists now or was deleted.
    pub fn restore_revision(&mut self, key: &str, id: i64) -> Result<StoredSegment, StoreError> {
        let tx = self.write()?;
        let chosen = revision(&tx, key, id)?;
        let document = chosen
            .current
            .or(chosen.previous)
            .ok_or(StoreError::RevisionNotFound {
                key: key.to_owned(),
                id,
            })?;
        let target = parse_segment(&document).map_err(|source| StoreError::Corrupt {
            key: key.to_owned(),
            source,
        })?;
        check_references(&tx, std::slice::from_ref(&target))?;
        // A damaged current document must not block the repair, so read it leniently.
        let created_at: Option<String> = tx
            .query_row(
                "SELECT created_at FROM segments WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        let current = load(&tx, key).ok().flatten();
        let stored = match &created_at {
            Some(created_at) => replace(&tx, &target, created_at)?,
            None => insert(&tx, &target)?,
        };
        record(
            &tx,
            key,
            RevisionAction::Restore,
            current.as_ref().map(|c| &c.segment),
            Some(&target),
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Creates or updates every segment in one transaction: all of them land, or none.
    pub fn import_segments(&mut self, segments: &[Segment]) -> Result<ImportReport, StoreError> {
        let mut seen = BTreeMap::new();
        for segment in segments {
            if seen.insert(segment.key.as_str(), ()).is_some() {
                return Err(StoreError::Duplicate(segment.key.clone()));
            }
        }
        let tx = self.write()?;
        check_references(&tx, segments)?;
        let mut report = ImportReport::default();
        for segment in segments {
            match load(&tx, &segment.key)? {
                Some(existing) if existing.segment == *segment => {
                    report.unchanged.push(segment.key.clone());
                }
                Some(existing) => {
                    replace(&tx, segment, &existing.created_at)?;
                    record(
                        &tx,
                        &segment.key,
                        RevisionAction::Import,
                        Some(&existing.segment),
                        Some(segment),
                    )?;
                    report.updated.push(segment.key.clone());
                }
                None => {
                    insert(&tx, segment)?;
                    record(
                        &tx,
                        &segment.key,
                        RevisionAction::Import,
                        None,
                        Some(segment),
                    )?;
                    report.created.push(segment.key.clone());
                }
            }
        }
        tx.commit()?;
        Ok(report)
    }

    /// Checks, without writing, that `segment` could be saved as far as references go:
    /// everything it references exists and no cycle forms.
    pub fn check_references(&self, segment: &Segment) -> Result<(), StoreError> {
        check_references(&self.conn, std::slice::from_ref(segment))
    }

    /// `segment` with every stored segment it reaches through references, ready to compile
    /// together (what-if evaluation of an unsaved draft).
    pub fn with_references(&self, segment: &Segment) -> Result<Vec<Segment>, StoreError> {
        reference_closure(&self.conn, std::slice::from_ref(segment))
    }

    /// One segment.
    pub fn get_segment(&self, key: &str) -> Result<StoredSegment, StoreError> {
        load(&self.conn, key)?.ok_or_else(|| StoreError::NotFound(key.to_owned()))
    }

    /// Every segment, by key.
    pub fn list_segments(&self) -> Result<Vec<StoredSegment>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT key, document, created_at, updated_at FROM segments ORDER BY key",
        )?;
        let rows = statement.query_map([], stored_row)?;
        rows.map(|row| row.map_err(StoreError::from).and_then(decode))
            .collect()
    }

    /// A segment's revisions, newest first. History outlives a delete.
    pub fn history(&self, key: &str) -> Result<Vec<Revision>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, segment_key, action, author, created_at, previous, current
             FROM revisions WHERE segment_key = ?1 ORDER BY id DESC",
        )?;
        let revisions = statement
            .query_map([key], revision_row)?
            .collect::<Result<Vec<_>, _>>()?;
        if revisions.is_empty() {
            return Err(StoreError::NotFound(key.to_owned()));
        }
        Ok(revisions)
    }

    /// Saves a persona, replacing the context of one with the same name.
    pub fn save_persona(&mut self, name: &str, context: &Value) -> Result<Persona, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(StoreError::InvalidPersona(
                "a persona needs a name of 1 to 200 characters".into(),
            ));
        }
        if !context.is_object() {
            return Err(StoreError::InvalidPersona(
                "a persona's context must be a JSON object".into(),
            ));
        }
        let now = now_rfc3339();
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO personas (name, context, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             ON CONFLICT (name) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at",
            params![name, context.to_string(), now],
        )?;
        let persona = tx.query_row(
            "SELECT id, name, context, updated_at FROM personas WHERE name = ?1",
            [name],
            persona_row,
        )?;
        tx.commit()?;
        Ok(persona)
    }

    /// Every persona, by name.
    pub fn list_personas(&self) -> Result<Vec<Persona>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT id, name, context, updated_at FROM personas ORDER BY name")?;
        let personas = statement
            .query_map([], persona_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(personas)
    }

    /// Deletes a persona.
    pub fn delete_persona(&mut self, id: i64) -> Result<(), StoreError> {
        let deleted = self
            .conn
            .execute("DELETE FROM personas WHERE id = ?1", [id])?;
        if deleted == 0 {
            return Err(StoreError::PersonaNotFound(id));
        }
        Ok(())
    }
}

fn describe_open_failure(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            "the file is not a SQLite database; point --db (or SEGMENTS_DB) at a Segment Studio database or a new file".into()
        }
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
            format!("{e}; check that the file and its folder are writable")
        }
        _ => e.to_string(),
    }
}

type Row = (String, String, String, String);

fn stored_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn decode((key, document, created_at, updated_at): Row) -> Result<StoredSegment, StoreError> {
    let corrupt = |source| StoreError::Corrupt {
        key: key.clone(),
        source,
    };
    let value = segments_engine::parse_json_text(&document, usize::MAX, "stored segment")
        .map_err(corrupt)?;
    let segment = parse_segment(&value).map_err(corrupt)?;
    Ok(StoredSegment {
        segment,
        created_at,
        updated_at,
    })
}

fn load(conn: &Connection, key: &str) -> Result<Option<StoredSegment>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT key, document, created_at, updated_at FROM segments WHERE key = ?1",
        )?
        .query_row([key], stored_row)
        .optional()?;
    row.map(decode).transpose()
}

fn insert(tx: &Transaction<'_>, segment: &Segment) -> Result<StoredSegment, StoreError> {
    let now = now_rfc3339();
    tx.execute(
        "INSERT INTO segments (key, name, document, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![segment.key, segment.name, segment.to_json().to_string(), now],
    )?;
    write_references(tx, segment)?;
    Ok(StoredSegment {
        segment: segment.clone(),
        created_at: now.clone(),
        updated_at: now,
    })
}

fn replace(
    tx: &Transaction<'_>,
    segment: &Segment,
    created_at: &str,
) -> Result<StoredSegment, StoreError> {
    let now = now_rfc3339();
    tx.execute(
        "UPDATE segments SET name = ?2, document = ?3, updated_at = ?4 WHERE key = ?1",
        params![
            segment.key,
            segment.name,
            segment.to_json().to_string(),
            now
        ],
    )?;
    write_references(tx, segment)?;
    Ok(StoredSegment {
        segment: segment.clone(),
        created_at: created_at.to_owned(),
        updated_at: now,
    })
}

fn write_references(tx: &Transaction<'_>, segment: &Segment) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM segment_references WHERE from_key = ?1",
        [&segment.key],
    )?;
    let mut statement =
        tx.prepare_cached("INSERT INTO segment_references (from_key, to_key) VALUES (?1, ?2)")?;
    for target in segment.referenced_keys() {
        statement.execute([segment.key.as_str(), target])?;
    }
    Ok(())
}

fn referrers(conn: &Connection, key: &str) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT from_key FROM segment_references WHERE to_key = ?1 AND from_key <> ?1 ORDER BY from_key",
    )?;
    let keys = statement
        .query_map([key], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(keys)
}

/// Checks that `changed` (about to be written) reference only segments that exist and form
/// no cycle, by compiling them with everything they reach.
fn check_references(conn: &Connection, changed: &[Segment]) -> Result<(), StoreError> {
    if changed.iter().all(|s| s.referenced_keys().is_empty()) {
        return Ok(());
    }
    CompiledSet::compile(&reference_closure(conn, changed)?)?;
    Ok(())
}

/// `changed` plus every stored segment they reach through references (a changed segment
/// stands in for its stored version). Any cycle through a changed segment is reachable from
/// it, so this forward closure is enough to find it.
fn reference_closure(conn: &Connection, changed: &[Segment]) -> Result<Vec<Segment>, StoreError> {
    let mut closure: BTreeMap<String, Segment> =
        changed.iter().map(|s| (s.key.clone(), s.clone())).collect();
    let mut queue: VecDeque<String> = changed
        .iter()
        .flat_map(|s| s.referenced_keys().into_iter().map(str::to_owned))
        .collect();
    while let Some(key) = queue.pop_front() {
        if closure.contains_key(&key) {
            continue;
        }
        if let Some(stored) = load(conn, &key)? {
            queue.extend(
                stored
                    .segment
                    .referenced_keys()
                    .into_iter()
                    .map(str::to_owned),
            );
            closure.insert(key, stored.segment);
        }
    }
    Ok(closure.into_values().collect())
}

fn record(
    tx: &Transaction<'_>,
    key: &str,
    action: RevisionAction,
    previous: Option<&Segment>,
    current: Option<&Segment>,
) -> Result<i64, StoreError> {
    let document = |s: Option<&Segment>| s.map(|s| s.to_json().to_string());
    tx.execute(
        "INSERT INTO revisions (segment_key, action, author, created_at, previous, current)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            key,
            action.as_str(),
            LOCAL_AUTHOR,
            now_rfc3339(),
            document(previous),
            document(current)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn revision(conn: &Connection, key: &str, id: i64) -> Result<Revision, StoreError> {
    conn.query_row(
        "SELECT id, segment_key, action, author, created_at, previous, current
         FROM revisions WHERE segment_key = ?1 AND id = ?2",
        params![key, id],
        revision_row,
    )
    .optional()?
    .ok_or(StoreError::RevisionNotFound {
        key: key.to_owned(),
        id,
    })
}

fn json_column(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<Value>> {
    let text: Option<String> = row.get(index)?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        })
    })
    .transpose()
}

fn revision_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    let action: String = row.get(2)?;
    Ok(Revision {
        id: row.get(0)?,
        segment_key: row.get(1)?,
        action: RevisionAction::from_str(&action).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                2,
                rusqlite::types::Type::Text,
                format!("unknown revision action {action}").into(),
            )
        })?,
        author: row.get(3)?,
        created_at: row.get(4)?,
        previous: json_column(row, 5)?,
        current: json_column(row, 6)?,
    })
}

fn persona_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Persona> {
    Ok(Persona {
        id: row.get(0)?,
        name: row.get(1)?,
        context: json_column(row, 2)?.unwrap_or(Value::Null),
        updated_at: row.get(3)?,
    })
}
