//! Adding, listing and removing remotes, and connecting to one.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::Sensitive;
use crate::api::Api;
use crate::credentials::{CredentialLocation, Credentials};
use crate::http::Http;
use crate::pull::lock;
use crate::{Dialect, SyncError, SyncOptions};
use segments_store::Timestamp;
use segments_store::{RemoteRecord, Store};

/// A remote to add. The token goes to the keyring (or the credentials file), never to the
/// database.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewRemote {
    /// A short name: letters, digits, `.`, `_`, `-`.
    pub name: String,
    /// Which API the remote speaks.
    pub dialect: Dialect,
    /// The API's base URL (`http://` or `https://`).
    pub base_url: String,
    /// The project id (projects and Krafter).
    pub project_id: Option<String>,
    /// The bearer token or API key.
    #[cfg_attr(feature = "typescript", ts(type = "string"))]
    pub token: Sensitive<String>,
}

/// A remote as the user sees it (never with its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RemoteInfo {
    /// Its name.
    pub name: String,
    /// Its dialect.
    pub dialect: Dialect,
    /// Its base URL.
    pub base_url: String,
    /// Its project id.
    pub project_id: Option<String>,
    /// Where its token is kept.
    pub credential: CredentialLocation,
    /// The same, in words ("in the OS keyring", "in the file … because no keyring service
    /// is running").
    pub credential_note: String,
}

/// Checks the settings, stores the token and records the remote. Every existing segment
/// is queued for it. The store is locked only to check the name and to record the
/// remote, never around the keyring, which can wait on an unlock prompt.
pub fn add_remote(
    store: &Mutex<Store>,
    credentials: &Credentials,
    remote: &NewRemote,
) -> Result<RemoteInfo, SyncError> {
    let (base_url, project_id) = check(remote)?;
    // Refuse a taken name before the token is stored anywhere.
    if lock(store).remote(&remote.name).is_ok() {
        return Err(segments_store::StoreError::RemoteExists(remote.name.clone()).into());
    }
    let credential_id = credentials.store(remote.token.expose().trim())?;
    let record = RemoteRecord {
        name: remote.name.clone(),
        dialect: remote.dialect,
        base_url,
        project_id,
        credential_id,
        created_at: Timestamp::now(),
    };
    let added = lock(store).add_remote(&record);
    if let Err(e) = added {
        // The remote was not added, so its token must not linger; if it does, say where.
        if let Err(cleanup) = credentials.delete(&record.credential_id) {
            tracing::warn!(remote = %record.name, error = %cleanup, "a token stored for a remote that could not be added was not removed");
        }
        return Err(e.into());
    }
    info(credentials, record)
}

/// Every remote.
pub fn list_remotes(
    store: &Store,
    credentials: &Credentials,
) -> Result<Vec<RemoteInfo>, SyncError> {
    store
        .remotes()?
        .into_iter()
        .map(|r| info(credentials, r))
        .collect()
}

/// Removes a remote, its sync records and its token. Local segments stay. The token
/// goes first: if the keyring refuses, the remote stays listed and can be removed again,
/// instead of a token left behind that nothing names any more.
pub fn remove_remote(
    store: &Mutex<Store>,
    credentials: &Credentials,
    name: &str,
) -> Result<RemoteInfo, SyncError> {
    let record = lock(store).remote(name)?;
    credentials.delete(&record.credential_id)?;
    let record = lock(store).remove_remote(name)?;
    info(credentials, record)
}

/// Replaces a remote's token.
pub fn replace_token(
    store: &Mutex<Store>,
    credentials: &Credentials,
    name: &str,
    token: &str,
) -> Result<RemoteInfo, SyncError> {
    let record = lock(store).remote(name)?;
    credentials.replace(&record.credential_id, token.trim())?;
    info(credentials, record)
}

/// Lists the remote's segments once, to prove the URL, project and token work; returns
/// how many it has. It gives up sooner than a sync: someone is waiting for the answer.
pub async fn test_connection(
    store: &Mutex<Store>,
    credentials: &Credentials,
    name: &str,
) -> Result<usize, SyncError> {
    let options = SyncOptions {
        policy: super::RetryPolicy {
            max_attempts: 2,
            timeout: std::time::Duration::from_secs(10),
            ..super::RetryPolicy::default()
        },
        ..SyncOptions::default()
    };
    let api = connect(store, credentials, name, &options)?;
    Ok(api.list().await?.len())
}

/// A client for the remote `name`, with its token.
pub(crate) fn connect(
    store: &Mutex<Store>,
    credentials: &Credentials,
    name: &str,
    options: &SyncOptions,
) -> Result<Api, SyncError> {
    let record = lock(store).remote(name)?;
    let dialect = record.dialect;
    let token = match &options.token {
        Some(token) => {
            crate::credentials::check_token(token.expose())?;
            token.expose().clone()
        }
        None => credentials.load(&record.credential_id)?,
    };
    let http = Http::new(token, options.policy.clone())?;
    Api::new(name, http, dialect, &record.base_url, record.project_id)
}

fn info(credentials: &Credentials, record: RemoteRecord) -> Result<RemoteInfo, SyncError> {
    let (credential, credential_note) = credentials.describe(&record.credential_id);
    Ok(RemoteInfo {
        dialect: record.dialect,
        name: record.name,
        base_url: record.base_url,
        project_id: record.project_id,
        credential,
        credential_note,
    })
}

fn check(remote: &NewRemote) -> Result<(String, Option<String>), SyncError> {
    let invalid = |detail: String| Err(SyncError::InvalidRemote { detail });
    let name = &remote.name;
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return invalid(format!(
            "the remote name \"{name}\" must be 1 to 64 letters, digits, '.', '_' or '-'"
        ));
    }
    let url = remote.base_url.trim();
    let parsed = match reqwest::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(e) => {
            return invalid(format!(
                "the URL \"{url}\" is not valid ({e}); write it like https://api.example.com"
            ));
        }
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return invalid(format!(
            "the URL \"{url}\" must start with http:// or https://"
        ));
    }
    crate::api::check_transport(&parsed)?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return invalid(format!(
            "the URL \"{url}\" contains credentials; give the token separately so it stays out of the database"
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return invalid(format!(
            "the URL \"{url}\" has a query or fragment; give only the base URL"
        ));
    }
    let project = remote
        .project_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let project = match (remote.dialect.needs_project(), project) {
        (true, None) => {
            return invalid(format!(
                "a {} remote needs a project id (--project ID)",
                remote.dialect.as_str()
            ));
        }
        (false, Some(_)) => {
            return invalid("an edgeflags remote takes no project id; remove --project".into());
        }
        (_, Some(p)) if p.len() > 200 || p.contains(['/', '?', '#']) => {
            return invalid(format!(
                "the project id \"{p}\" is not valid: at most 200 characters, without / ? #"
            ));
        }
        (_, project) => project.map(str::to_owned),
    };
    Ok((url.trim_end_matches('/').to_owned(), project))
}
