//! The one error the UI sees: `{code, message, details}`. The UI branches on `code`, never
//! on the message, which is written for people.

use segments_engine::{IssueCode, ValidationError, ValidationIssue};
use segments_store::StoreError;
use segments_studio::populations::PopulationsError;
use segments_studio::warehouse::{WarehouseError, WarehouseUseError};
use segments_sync::SyncError;
use serde::Serialize;

/// What kind of failure an [`IpcError`] is; the UI branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum IpcErrorCode {
    /// The input was refused; `details` has each problem with its path.
    Validation,
    /// The text was not JSON.
    InvalidJson,
    /// The input is over a size limit.
    TooLarge,
    /// No such segment, revision or persona.
    NotFound,
    /// The key is taken.
    Conflict,
    /// Other segments reference this one.
    Reference,
    /// A file could not be written.
    File,
    /// The database failed or is damaged.
    Storage,
    /// The remote refused the token (401).
    Unauthorized,
    /// The token lacks a role or scope (403).
    Forbidden,
    /// The remote could not be reached (refused, timed out, TLS).
    Network,
    /// The remote failed, refused a segment or answered outside its documented API.
    Remote,
    /// A token could not be stored or read.
    Credential,
    /// Another sync with the same remote (or a run with the same id) is running.
    Busy,
    /// Stopped on request (a cancelled run); nothing was stored.
    Cancelled,
    /// A population's file is gone from where it was added.
    PopulationMissing,
    /// A population's file cannot be read as users (format, header, a bad row).
    PopulationInvalid,
    /// A population's file changed since it was read, or while it was being read.
    PopulationChanged,
    /// No warehouse connection is saved yet.
    WarehouseNotConfigured,
    /// The warehouse URL is malformed or holds a password.
    WarehouseBadUrl,
    /// The warehouse could not be reached (refused, unknown host, no answer).
    WarehouseUnreachable,
    /// TLS with the warehouse failed.
    WarehouseTls,
    /// The warehouse refused the login (a wrong or missing password).
    WarehouseAuthentication,
    /// The database named in the URL does not exist.
    WarehouseMissingDatabase,
    /// The table does not exist, or the role may not see it.
    WarehouseMissingTable,
    /// The table's columns do not fit the counts.
    WarehouseSchemaMismatch,
    /// The table name (or a schema) is not usable.
    WarehouseBadInput,
    /// A count ran past the statement timeout; nothing was counted.
    WarehouseTimeout,
    /// The warehouse refused or failed a query.
    WarehouseQuery,
    /// Anything else, such as a malformed IPC call (the UI uses it for those).
    Internal,
}

/// An IPC failure.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{message}")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    /// What kind of failure.
    pub code: IpcErrorCode,
    /// What went wrong and what to do, in words.
    pub message: String,
    /// For `validation`: each problem with its field path.
    pub details: Vec<ValidationIssue>,
}

impl IpcError {
    /// A failure that is not the user's input: a malformed call, a command that stopped.
    pub fn internal(message: String) -> Self {
        Self::new(IpcErrorCode::Internal, message)
    }

    /// Another run is in the way.
    pub fn busy(message: String) -> Self {
        Self::new(IpcErrorCode::Busy, message)
    }

    fn new(code: IpcErrorCode, message: String) -> Self {
        Self {
            code,
            message,
            details: Vec::new(),
        }
    }
}

impl From<ValidationError> for IpcError {
    fn from(e: ValidationError) -> Self {
        let code = match e.first_code() {
            Some(IssueCode::InvalidJson) => IpcErrorCode::InvalidJson,
            Some(IssueCode::TooLarge) => IpcErrorCode::TooLarge,
            _ => IpcErrorCode::Validation,
        };
        Self {
            code,
            message: e.to_string(),
            details: e.issues,
        }
    }
}

impl From<StoreError> for IpcError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::Invalid(_) => {
                if let StoreError::Invalid(invalid) = e {
                    return invalid.into();
                }
                IpcErrorCode::Validation
            }
            StoreError::InvalidPersona(_) | StoreError::InvalidPopulation(_) => {
                IpcErrorCode::Validation
            }
            StoreError::NotFound(_)
            | StoreError::RemoteNotFound(_)
            | StoreError::RevisionNotFound { .. }
            | StoreError::PersonaNotFound(_)
            | StoreError::PopulationNotFound(_) => IpcErrorCode::NotFound,
            StoreError::Duplicate(_)
            | StoreError::RemoteExists(_)
            | StoreError::PopulationExists(_) => IpcErrorCode::Conflict,
            StoreError::Referenced { .. } => IpcErrorCode::Reference,
            StoreError::File { .. } => IpcErrorCode::File,
            StoreError::Busy | StoreError::LeaseLost(_) => IpcErrorCode::Busy,
            StoreError::Corrupt { .. }
            | StoreError::PopulationDamaged { .. }
            | StoreError::Open { .. }
            | StoreError::Sqlite(_) => IpcErrorCode::Storage,
        };
        Self::new(code, e.to_string())
    }
}

impl From<SyncError> for IpcError {
    fn from(e: SyncError) -> Self {
        let code = match &e {
            SyncError::Store(_) => {
                if let SyncError::Store(store) = e {
                    return store.into();
                }
                IpcErrorCode::Storage
            }
            SyncError::InvalidRemote { .. } => IpcErrorCode::Validation,
            SyncError::NoConflict { .. } => IpcErrorCode::NotFound,
            SyncError::ChangedSinceShown { .. } => IpcErrorCode::Conflict,
            SyncError::LeaseLost { .. } => IpcErrorCode::Busy,
            SyncError::Credential(_) => IpcErrorCode::Credential,
            SyncError::Busy { .. } => IpcErrorCode::Busy,
            SyncError::Unauthorized { .. } => IpcErrorCode::Unauthorized,
            SyncError::Forbidden { .. } => IpcErrorCode::Forbidden,
            SyncError::ConnectionRefused { .. }
            | SyncError::Network { .. }
            | SyncError::Tls { .. }
            | SyncError::Timeout { .. } => IpcErrorCode::Network,
            SyncError::NotFound { .. }
            | SyncError::Rejected { .. }
            | SyncError::KeptChanging { .. }
            | SyncError::Status { .. }
            | SyncError::RateLimited { .. }
            | SyncError::Server { .. }
            | SyncError::Malformed { .. }
            | SyncError::Redirected { .. }
            | SyncError::ListingTooLong { .. }
            | SyncError::TooLarge { .. } => IpcErrorCode::Remote,
        };
        Self::new(code, e.to_string())
    }
}

impl From<PopulationsError> for IpcError {
    fn from(e: PopulationsError) -> Self {
        let code = match e.population_code() {
            Some("cancelled") => IpcErrorCode::Cancelled,
            Some("population_missing") => IpcErrorCode::PopulationMissing,
            Some("population_changed") => IpcErrorCode::PopulationChanged,
            Some("population_invalid") => IpcErrorCode::PopulationInvalid,
            Some("population_io") => IpcErrorCode::File,
            Some("not_found") => IpcErrorCode::NotFound,
            Some(_) => IpcErrorCode::Internal,
            // Store and validation errors have codes of their own.
            None => match e {
                PopulationsError::Store(store) => return store.into(),
                PopulationsError::Invalid(invalid) => return invalid.into(),
                _ => IpcErrorCode::Internal,
            },
        };
        Self::new(code, e.to_string())
    }
}

impl From<WarehouseUseError> for IpcError {
    fn from(e: WarehouseUseError) -> Self {
        let code = match &e {
            WarehouseUseError::Warehouse(w) => match w {
                WarehouseError::BadUrl(_) => IpcErrorCode::WarehouseBadUrl,
                WarehouseError::Unreachable { .. } => IpcErrorCode::WarehouseUnreachable,
                WarehouseError::Tls { .. } => IpcErrorCode::WarehouseTls,
                WarehouseError::Authentication { .. } => IpcErrorCode::WarehouseAuthentication,
                WarehouseError::MissingDatabase(_) => IpcErrorCode::WarehouseMissingDatabase,
                WarehouseError::MissingTable(_) => IpcErrorCode::WarehouseMissingTable,
                WarehouseError::SchemaMismatch { .. } => IpcErrorCode::WarehouseSchemaMismatch,
                WarehouseError::BadInput(_) => IpcErrorCode::WarehouseBadInput,
                WarehouseError::Timeout { .. } => IpcErrorCode::WarehouseTimeout,
                WarehouseError::Query { .. } => IpcErrorCode::WarehouseQuery,
            },
            WarehouseUseError::Store(_) => {
                if let WarehouseUseError::Store(store) = e {
                    return store.into();
                }
                IpcErrorCode::Storage
            }
            WarehouseUseError::NotConfigured => IpcErrorCode::WarehouseNotConfigured,
            // At the field they are about, as a save's validation errors are.
            WarehouseUseError::NoTable => {
                return ValidationError::single("table", IssueCode::MissingField, e.to_string())
                    .into();
            }
            WarehouseUseError::InvalidPassword(_) => {
                return ValidationError::single("password", IssueCode::InvalidValue, e.to_string())
                    .into();
            }
            WarehouseUseError::PasswordMissing { .. } | WarehouseUseError::Credential(_) => {
                IpcErrorCode::Credential
            }
        };
        Self::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_error_kind() {
        let invalid = ValidationError::single("rules", IssueCode::EmptyRules, "needs a rule");
        let e = IpcError::from(StoreError::Invalid(invalid));
        assert_eq!((e.code, e.details.len()), (IpcErrorCode::Validation, 1));
        let not_found = IpcError::from(StoreError::NotFound("x".into()));
        assert_eq!(not_found.code, IpcErrorCode::NotFound);
        let taken = IpcError::from(StoreError::Duplicate("x".into()));
        assert_eq!(taken.code, IpcErrorCode::Conflict);
        let json = ValidationError::single("", IssueCode::InvalidJson, "bad");
        assert_eq!(IpcError::from(json).code, IpcErrorCode::InvalidJson);
        let cancelled =
            PopulationsError::Population(segments_population::PopulationError::Cancelled);
        assert_eq!(IpcError::from(cancelled).code, IpcErrorCode::Cancelled);
        let gone = PopulationsError::Store(StoreError::PopulationNotFound("p".into()));
        assert_eq!(IpcError::from(gone).code, IpcErrorCode::NotFound);
        let unreachable = WarehouseUseError::Warehouse(WarehouseError::Unreachable {
            target: "127.0.0.1:1".into(),
            reason: "connection refused".into(),
        });
        assert_eq!(
            IpcError::from(unreachable).code,
            IpcErrorCode::WarehouseUnreachable
        );
        let no_table = IpcError::from(WarehouseUseError::NoTable);
        assert_eq!(
            (no_table.code, no_table.details[0].path.as_str()),
            (IpcErrorCode::Validation, "table")
        );
        assert_eq!(
            IpcError::from(WarehouseUseError::NotConfigured).code,
            IpcErrorCode::WarehouseNotConfigured
        );
    }
}
