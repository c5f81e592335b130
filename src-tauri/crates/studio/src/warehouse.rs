//! "Count in warehouse": the warehouse's settings (URL, table, password in the keyring) and
//! the counts of stored segments on it, shared by the app and `segments count`.
//!
//! The store is locked only to read or record settings, never around the keyring (which can
//! wait on an unlock prompt) nor around a count (which can take minutes): a count is prepared
//! under the lock, then run without it.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use segments_credentials::{CredentialError, CredentialLocation, Credentials, Sensitive};
use segments_engine::Segment;
use segments_store::{Store, StoreError, Timestamp, WarehouseRecord};
use segments_warehouse::{DeclaredSchema, WarehouseUrl};
use serde::{Deserialize, Serialize};

pub use segments_warehouse::{
    DEFAULT_TIMEOUT, RefusedCount, WarehouseCount, WarehouseCounts, WarehouseError,
};

/// The app's warehouse, as the user sees it (never with its password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct WarehouseSettings {
    /// `postgres://USER@HOST:PORT/DB`, canonical.
    pub url: String,
    /// The users table counts run on (`NAME` or `SCHEMA.NAME`).
    pub table: String,
    /// Where the password is kept; `None` when none is stored.
    pub password: Option<CredentialLocation>,
    /// The same in words ("in the OS keyring", "no password stored: …").
    pub password_note: String,
}

/// New settings from the app. The password goes to the keyring, never to the database;
/// `None` keeps the one stored for this URL.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct WarehouseSettingsInput {
    /// `postgres://USER@HOST:PORT/DB` (no password in it).
    pub url: String,
    /// The users table.
    pub table: String,
    /// A new password, or `None` to keep the stored one.
    #[cfg_attr(feature = "typescript", ts(type = "string | null"))]
    #[serde(default)]
    pub password: Option<Sensitive<String>>,
}

/// Where a password was stored (`segments warehouse password`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct StoredPassword {
    /// The warehouse, canonical.
    pub url: String,
    /// Where the password is kept.
    pub location: CredentialLocation,
    /// The same in words.
    pub note: String,
}

/// Why a warehouse use-case failed.
#[derive(Debug, thiserror::Error)]
pub enum WarehouseUseError {
    /// The warehouse refused, failed or could not be reached; or the URL, table or schema
    /// is wrong.
    #[error(transparent)]
    Warehouse(#[from] WarehouseError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No warehouse is set up in the app yet.
    #[error("no warehouse is set up: enter its URL and table in the warehouse settings first")]
    NotConfigured,
    /// The table name is empty.
    #[error("the table name is empty: give NAME or SCHEMA.NAME")]
    NoTable,
    /// The password is unusable (empty, too long, a pasted line break).
    #[error("the password {0}")]
    InvalidPassword(&'static str),
    /// The keyring or credentials file no longer has the password recorded for this URL.
    #[error(
        "the password for {url} is no longer stored ({place}); store it again with \
         `segments warehouse password {url}` or in the app's warehouse settings"
    )]
    PasswordMissing {
        /// The warehouse.
        url: String,
        /// Where it was looked for.
        place: String,
    },
    /// The keyring or the credentials file failed.
    #[error("the warehouse password could not be stored or read: {0}")]
    Credential(String),
}

impl WarehouseUseError {
    /// A stable snake_case code for the IPC edge (`storage` for database failures, whose
    /// finer codes the store's own error gives).
    pub fn code(&self) -> &'static str {
        match self {
            WarehouseUseError::Warehouse(e) => e.code(),
            WarehouseUseError::Store(_) => "storage",
            WarehouseUseError::NotConfigured => "warehouse_not_configured",
            WarehouseUseError::NoTable | WarehouseUseError::InvalidPassword(_) => "validation",
            WarehouseUseError::PasswordMissing { .. } | WarehouseUseError::Credential(_) => {
                "credential"
            }
        }
    }

    fn credential(e: CredentialError, url: &WarehouseUrl) -> Self {
        match e {
            CredentialError::Invalid(why) => WarehouseUseError::InvalidPassword(why),
            CredentialError::Missing(place) => WarehouseUseError::PasswordMissing {
                url: url.to_string(),
                place,
            },
            other => WarehouseUseError::Credential(other.to_string()),
        }
    }
}

/// The app's warehouse settings, if any are saved.
pub fn warehouse_settings(
    store: &Store,
    credentials: &Credentials,
) -> Result<Option<WarehouseSettings>, WarehouseUseError> {
    Ok(store
        .current_warehouse()?
        .and_then(|record| settings(&record, credentials)))
}

/// Checks and saves the app's warehouse settings; a new password goes to the keyring (or a
/// user-only file, as the answer says) in place of the one stored for this URL.
pub fn save_warehouse_settings(
    store: &Mutex<Store>,
    credentials: &Credentials,
    input: &WarehouseSettingsInput,
) -> Result<WarehouseSettings, WarehouseUseError> {
    let url = WarehouseUrl::parse(&input.url)?;
    let table = input.table.trim();
    if table.is_empty() {
        return Err(WarehouseUseError::NoTable);
    }
    let record = record_with_password(store, credentials, &url, input.password.as_ref(), |_| {
        Some(table.to_owned())
    })?;
    settings(&record, credentials).ok_or(WarehouseUseError::NoTable)
}

/// Stores the password of the warehouse at `url` (its table, if the app has one, stays).
pub fn store_warehouse_password(
    store: &Mutex<Store>,
    credentials: &Credentials,
    url: &str,
    password: &Sensitive<String>,
) -> Result<StoredPassword, WarehouseUseError> {
    let url = WarehouseUrl::parse(url)?;
    let record = record_with_password(store, credentials, &url, Some(password), |old| {
        old.and_then(|r| r.table.clone())
    })?;
    let id = record.credential_id.unwrap_or_default();
    let (location, note) = credentials.describe(&id);
    Ok(StoredPassword {
        url: record.url,
        location,
        note,
    })
}

/// Saves the record of `url`, with `password` stored under its credential id (a new id
/// when it has none yet, or an id the store no longer accepts).
fn record_with_password(
    store: &Mutex<Store>,
    credentials: &Credentials,
    url: &WarehouseUrl,
    password: Option<&Sensitive<String>>,
    table: impl FnOnce(Option<&WarehouseRecord>) -> Option<String>,
) -> Result<WarehouseRecord, WarehouseUseError> {
    let canonical = url.to_string();
    let old = lock(store).warehouse(&canonical)?;
    let mut created = None;
    let credential_id = match (password, old.as_ref().and_then(|r| r.credential_id.clone())) {
        (None, kept) => kept,
        (Some(password), Some(id)) => match credentials.replace_password(&id, password.expose()) {
            Ok(()) => Some(id),
            Err(CredentialError::UnknownId(_)) => {
                let id = credentials
                    .store_password(password.expose())
                    .map_err(|e| WarehouseUseError::credential(e, url))?;
                created = Some(id.clone());
                Some(id)
            }
            Err(e) => return Err(WarehouseUseError::credential(e, url)),
        },
        (Some(password), None) => {
            let id = credentials
                .store_password(password.expose())
                .map_err(|e| WarehouseUseError::credential(e, url))?;
            created = Some(id.clone());
            Some(id)
        }
    };
    let record = WarehouseRecord {
        url: canonical,
        table: table(old.as_ref()),
        credential_id,
        saved_at: Timestamp::now(),
    };
    if let Err(e) = lock(store).save_warehouse(&record) {
        // Not recorded, so a password stored just now must not linger unnamed.
        if let Some(id) = created
            && let Err(cleanup) = credentials.delete(&id)
        {
            tracing::warn!(error = %cleanup, "a warehouse password stored for a failed save stays");
        }
        return Err(e.into());
    }
    Ok(record)
}

fn settings(record: &WarehouseRecord, credentials: &Credentials) -> Option<WarehouseSettings> {
    let table = record.table.clone()?;
    let (password, password_note) = match &record.credential_id {
        Some(id) => {
            let (location, note) = credentials.describe(id);
            (Some(location), note)
        }
        None => (
            None,
            "no password stored: the server must let this user in without one".to_owned(),
        ),
    };
    Some(WarehouseSettings {
        url: record.url.clone(),
        table,
        password,
        password_note,
    })
}

/// Everything a count needs, read from the store and the keyring: run it with
/// [`count_in_warehouse`] once the store is unlocked.
#[derive(Debug, Clone)]
pub struct WarehouseCountRequest {
    url: WarehouseUrl,
    password: Option<Sensitive<String>>,
    table: String,
    schema: Option<DeclaredSchema>,
    segments: Vec<Segment>,
    keys: Vec<String>,
    timeout: Duration,
}

/// The app's count: `keys` (every segment when empty) on its saved warehouse and table.
pub fn prepare_warehouse_count(
    store: &Mutex<Store>,
    credentials: &Credentials,
    keys: &[String],
) -> Result<WarehouseCountRequest, WarehouseUseError> {
    let record = lock(store)
        .current_warehouse()?
        .ok_or(WarehouseUseError::NotConfigured)?;
    let table = record
        .table
        .clone()
        .ok_or(WarehouseUseError::NotConfigured)?;
    prepare(
        store,
        credentials,
        &record.url,
        &table,
        None,
        keys,
        DEFAULT_TIMEOUT,
    )
}

/// The CLI's count: `keys` in `table` on the warehouse at `url`, with the password stored
/// for that URL (none when none is), checked against `schema` when given.
pub fn prepare_count_at(
    store: &Mutex<Store>,
    credentials: &Credentials,
    url: &str,
    table: &str,
    schema: Option<DeclaredSchema>,
    keys: &[String],
    timeout: Duration,
) -> Result<WarehouseCountRequest, WarehouseUseError> {
    prepare(store, credentials, url, table, schema, keys, timeout)
}

fn prepare(
    store: &Mutex<Store>,
    credentials: &Credentials,
    url: &str,
    table: &str,
    schema: Option<DeclaredSchema>,
    keys: &[String],
    timeout: Duration,
) -> Result<WarehouseCountRequest, WarehouseUseError> {
    let url = WarehouseUrl::parse(url)?;
    let (record, segments) = {
        let store = lock(store);
        let segments: Vec<Segment> = store
            .list_segments()?
            .into_iter()
            .map(|s| s.segment)
            .collect();
        (store.warehouse(&url.to_string())?, segments)
    };
    let password = match record.and_then(|r| r.credential_id) {
        Some(id) => Some(Sensitive::new(
            credentials
                .load(&id)
                .map_err(|e| WarehouseUseError::credential(e, &url))?,
        )),
        None => None,
    };
    Ok(WarehouseCountRequest {
        url,
        password,
        table: table.trim().to_owned(),
        schema,
        segments,
        keys: keys.to_vec(),
        timeout,
    })
}

/// Runs a prepared count: all or nothing.
pub async fn count_in_warehouse(
    request: WarehouseCountRequest,
) -> Result<WarehouseCounts, WarehouseUseError> {
    Ok(segments_warehouse::count(
        &request.url,
        request.password.as_ref(),
        &request.table,
        request.schema.as_ref(),
        &request.segments,
        &request.keys,
        request.timeout,
    )
    .await?)
}

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}
