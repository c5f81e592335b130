//! Populations: files of users the app keeps a reference to (never a copy), with what was
//! read from them when they were last read. The counts made over them are in
//! `population_counts`.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use segments_population::{AttributeProfile, FileKind, Format, Profile, Stamp};
use serde::Serialize;
use serde_json::Value;

use crate::clock::Timestamp;
use crate::{Store, StoreError};

/// A population as stored: the file it refers to, and what was read from it when its
/// stamp was taken. The sample is left out (it can be a megabyte); see
/// [`Store::population_sample`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct StoredPopulation {
    /// A UUID, chosen by the store.
    pub id: String,
    /// The name shown.
    pub name: String,
    /// The file, absolute.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub path: PathBuf,
    /// Format and compression.
    pub kind: FileKind,
    /// Size and modification time when read; a file that no longer has them changed.
    pub stamp: Stamp,
    /// Users read.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    /// Rows that could not be read.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub invalid: u64,
    /// The attributes, by name.
    pub attributes: Vec<AttributeProfile>,
    /// When it was added (RFC 3339, UTC).
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub added_at: Timestamp,
    /// When the file was last read (RFC 3339, UTC).
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub read_at: Timestamp,
}

const COLUMNS: &str =
    "id, name, path, format, gzip, size, modified_ms, rows, invalid, attributes, added_at, read_at";

impl Store {
    /// Adds the file at `path` (absolute: the app and the CLI run from different folders)
    /// as read into `profile`. One entry per file.
    #[tracing::instrument(level = "debug", skip(self, profile), err(Display))]
    pub fn add_population(
        &mut self,
        name: &str,
        path: &Path,
        profile: &Profile,
    ) -> Result<StoredPopulation, StoreError> {
        let name = checked_name(name)?;
        let path = checked_path(path)?;
        let encoded = Encoded::of(profile)?;
        let now = Timestamp::now();
        let tx = self.write()?;
        let existing: Option<String> = tx
            .query_row(
                "SELECT name FROM populations WHERE path = ?1",
                [path],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(existing) = existing {
            return Err(StoreError::PopulationExists(existing));
        }
        let id = uuid::Uuid::new_v4().to_string();
        tx.execute(
            "INSERT INTO populations (id, name, path, format, gzip, size, modified_ms, rows,
                                      invalid, attributes, sample, added_at, read_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                id,
                name,
                path,
                profile.kind.format.as_str(),
                profile.kind.gzip,
                profile.stamp.size,
                profile.stamp.modified_ms,
                profile.rows,
                profile.invalid,
                encoded.attributes,
                encoded.sample,
                now
            ],
        )?;
        let stored = population(&tx, &id)?;
        tx.commit()?;
        Ok(stored)
    }

    /// Replaces what was read from a population's file (it changed and was read again) and
    /// forgets its counts, which described the old content. Every column read from the file
    /// is rewritten, so this also repairs a damaged entry.
    #[tracing::instrument(level = "debug", skip(self, profile), err(Display))]
    pub fn refresh_population(
        &mut self,
        id: &str,
        profile: &Profile,
    ) -> Result<StoredPopulation, StoreError> {
        let encoded = Encoded::of(profile)?;
        let now = Timestamp::now();
        let tx = self.write()?;
        let updated = tx.execute(
            "UPDATE populations SET format = ?2, gzip = ?3, size = ?4, modified_ms = ?5,
                 rows = ?6, invalid = ?7, attributes = ?8, sample = ?9, read_at = ?10
             WHERE id = ?1",
            params![
                id,
                profile.kind.format.as_str(),
                profile.kind.gzip,
                profile.stamp.size,
                profile.stamp.modified_ms,
                profile.rows,
                profile.invalid,
                encoded.attributes,
                encoded.sample,
                now
            ],
        )?;
        if updated == 0 {
            return Err(StoreError::PopulationNotFound(id.to_owned()));
        }
        tx.execute(
            "DELETE FROM population_counts WHERE population_id = ?1",
            [id],
        )?;
        let stored = population(&tx, id)?;
        tx.commit()?;
        Ok(stored)
    }

    /// Every population, by name, without samples.
    pub fn list_populations(&self) -> Result<Vec<StoredPopulation>, StoreError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM populations ORDER BY name, id"
        ))?;
        let rows = statement.query_map([], raw_row)?;
        rows.map(|row| row.map_err(StoreError::from).and_then(decode))
            .collect()
    }

    /// One population, without its sample.
    pub fn get_population(&self, id: &str) -> Result<StoredPopulation, StoreError> {
        population(&self.conn, id)
    }

    /// The uniform sample of a population's rows kept for instant estimates, as JSON
    /// contexts.
    pub fn population_sample(&self, id: &str) -> Result<Vec<Value>, StoreError> {
        let text: String = self
            .conn
            .query_row("SELECT sample FROM populations WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::PopulationNotFound(id.to_owned()))?;
        serde_json::from_str(&text).map_err(|e| StoreError::PopulationDamaged {
            id: id.to_owned(),
            reason: format!("its sample is not a JSON array of rows: {e}"),
        })
    }

    /// Forgets a population and its counts; the file itself is left alone. A damaged entry
    /// is removed too (it is the way out when its file is gone), and the error then says
    /// what was wrong with it.
    #[tracing::instrument(level = "debug", skip(self), err(Display))]
    pub fn remove_population(&mut self, id: &str) -> Result<StoredPopulation, StoreError> {
        let tx = self.write()?;
        let row = tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM populations WHERE id = ?1"),
                [id],
                raw_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::PopulationNotFound(id.to_owned()))?;
        tx.execute("DELETE FROM populations WHERE id = ?1", [id])?;
        tx.commit()?;
        decode(row)
    }
}

/// A population name, trimmed.
fn checked_name(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(StoreError::InvalidPopulation(
            "a population needs a name of 1 to 200 characters".into(),
        ));
    }
    Ok(name)
}

/// The path as stored text: absolute (a relative one would mean another file to the CLI
/// than to the app) and UTF-8 (it is shown and sent to the UI as a string).
fn checked_path(path: &Path) -> Result<&str, StoreError> {
    if !path.is_absolute() {
        return Err(StoreError::InvalidPopulation(format!(
            "the population file {} must be given by its absolute path",
            path.display()
        )));
    }
    path.to_str().ok_or_else(|| {
        StoreError::InvalidPopulation(format!(
            "the path {} is not valid UTF-8; rename the file or its folder",
            path.display()
        ))
    })
}

/// The JSON columns of a profile.
struct Encoded {
    attributes: String,
    sample: String,
}

impl Encoded {
    fn of(profile: &Profile) -> Result<Encoded, StoreError> {
        // JSON has no NaN: serde_json would write null, and the row would not read back.
        if let Some(bad) = profile
            .attributes
            .iter()
            .find(|a| !a.missing_share.is_finite())
        {
            return Err(StoreError::InvalidPopulation(format!(
                "the attribute \"{}\" has a missing share that is not a number",
                bad.name
            )));
        }
        let json = |e: serde_json::Error| {
            StoreError::InvalidPopulation(format!("the profile does not encode as JSON: {e}"))
        };
        Ok(Encoded {
            attributes: serde_json::to_string(&profile.attributes).map_err(json)?,
            sample: serde_json::to_string(&profile.sample).map_err(json)?,
        })
    }
}

fn population(conn: &Connection, id: &str) -> Result<StoredPopulation, StoreError> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM populations WHERE id = ?1"))?
        .query_row([id], raw_row)
        .optional()?
        .map(decode)
        .ok_or_else(|| StoreError::PopulationNotFound(id.to_owned()))?
}

/// A row as SQLite holds it; [`decode`] types it.
struct Row {
    id: String,
    name: String,
    path: String,
    format: String,
    gzip: i64,
    size: i64,
    modified_ms: i64,
    rows: i64,
    invalid: i64,
    attributes: String,
    added_at: String,
    read_at: String,
}

fn raw_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        name: r.get(1)?,
        path: r.get(2)?,
        format: r.get(3)?,
        gzip: r.get(4)?,
        size: r.get(5)?,
        modified_ms: r.get(6)?,
        rows: r.get(7)?,
        invalid: r.get(8)?,
        attributes: r.get(9)?,
        added_at: r.get(10)?,
        read_at: r.get(11)?,
    })
}

/// Types a row; anything the schema lets through but this version cannot read is damage,
/// reported with the population's id rather than trusted.
fn decode(row: Row) -> Result<StoredPopulation, StoreError> {
    let id = row.id;
    let damaged = |reason: String| StoreError::PopulationDamaged {
        id: id.clone(),
        reason,
    };
    let format = Format::parse(&row.format)
        .ok_or_else(|| damaged(format!("its format \"{}\" is unknown", row.format)))?;
    let gzip = match row.gzip {
        0 => false,
        1 => true,
        other => return Err(damaged(format!("its gzip flag is {other}, not 0 or 1"))),
    };
    let count = |what: &str, value: i64| {
        u64::try_from(value).map_err(|_| damaged(format!("its {what} is {value}, below zero")))
    };
    let timestamp = |what: &str, text: &str| {
        Timestamp::parse(text).ok_or_else(|| {
            damaged(format!(
                "its {what} \"{text}\" is not an RFC 3339 timestamp"
            ))
        })
    };
    let attributes: Vec<AttributeProfile> = serde_json::from_str(&row.attributes)
        .map_err(|e| damaged(format!("its attributes do not decode: {e}")))?;
    let stored = StoredPopulation {
        name: row.name,
        path: PathBuf::from(row.path),
        kind: FileKind { format, gzip },
        stamp: Stamp {
            size: count("size", row.size)?,
            modified_ms: row.modified_ms,
        },
        rows: count("row count", row.rows)?,
        invalid: count("invalid row count", row.invalid)?,
        attributes,
        added_at: timestamp("added_at", &row.added_at)?,
        read_at: timestamp("read_at", &row.read_at)?,
        id,
    };
    Ok(stored)
}
