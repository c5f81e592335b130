//! The remotes this database syncs with, and the lease that lets one sync run per remote.

use rusqlite::{OptionalExtension, params};

use crate::clock::Timestamp;
use crate::dialect::Dialect;
use crate::{Store, StoreError};

/// A remote as stored (its credential lives elsewhere, under `credential_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRecord {
    /// Unique name chosen by the user.
    pub name: String,
    /// Which API it speaks.
    pub dialect: Dialect,
    /// Base URL of the API.
    pub base_url: String,
    /// Project id, for the dialects that need one.
    pub project_id: Option<String>,
    /// Where the credential is filed in the keyring or credentials folder.
    pub credential_id: String,
    /// When it was added.
    pub created_at: Timestamp,
}

impl Store {
    /// Adds a remote and queues every existing segment for it, so the first push publishes
    /// them (a pull first binds those the remote already has).
    #[tracing::instrument(level = "debug", skip_all, fields(name = %remote.name), err(Display))]
    pub fn add_remote(&mut self, remote: &RemoteRecord) -> Result<(), StoreError> {
        let tx = self.write()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM remotes WHERE name = ?1)",
            [&remote.name],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::RemoteExists(remote.name.clone()));
        }
        tx.execute(
            "INSERT INTO remotes (name, dialect, base_url, project_id, credential_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                remote.name,
                remote.dialect.as_str(),
                remote.base_url,
                remote.project_id,
                remote.credential_id,
                remote.created_at
            ],
        )?;
        let now = Timestamp::now();
        tx.execute(
            "INSERT INTO outbox (remote, segment_key, created_at)
             SELECT ?1, key, ?2 FROM segments ORDER BY created_at, key",
            params![remote.name, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every remote, by name.
    pub fn remotes(&self) -> Result<Vec<RemoteRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT name, dialect, base_url, project_id, credential_id, created_at
             FROM remotes ORDER BY name",
        )?;
        let rows = statement.query_map([], remote_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One remote.
    pub fn remote(&self, name: &str) -> Result<RemoteRecord, StoreError> {
        self.conn
            .query_row(
                "SELECT name, dialect, base_url, project_id, credential_id, created_at
                 FROM remotes WHERE name = ?1",
                [name],
                remote_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::RemoteNotFound(name.to_owned()))
    }

    /// Removes a remote with its bindings, outbox and conflicts; local segments stay.
    #[tracing::instrument(level = "debug", skip(self), err(Display))]
    pub fn remove_remote(&mut self, name: &str) -> Result<RemoteRecord, StoreError> {
        let remote = self.remote(name)?;
        let tx = self.write()?;
        tx.execute("DELETE FROM remotes WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(remote)
    }

    /// Takes (or renews) the right to sync with `remote` for `owner` until `until`; `false`
    /// when another owner holds it and it has not expired.
    pub fn lease_sync(
        &mut self,
        remote: &str,
        owner: &str,
        until: Timestamp,
    ) -> Result<bool, StoreError> {
        self.remote(remote)?;
        let taken = self.conn.execute(
            "UPDATE remotes SET sync_owner = ?2, sync_until = ?3
             WHERE name = ?1 AND (sync_owner IS NULL OR sync_owner = ?2 OR sync_until < ?4)",
            params![remote, owner, until, Timestamp::now()],
        )?;
        if taken == 1 {
            self.leases.insert(remote.to_owned(), owner.to_owned());
        }
        Ok(taken == 1)
    }

    /// Gives the right to sync with `remote` back, if `owner` holds it.
    pub fn release_sync(&mut self, remote: &str, owner: &str) -> Result<(), StoreError> {
        if self.leases.get(remote).is_some_and(|held| held == owner) {
            self.leases.remove(remote);
        }
        self.conn.execute(
            "UPDATE remotes SET sync_owner = NULL, sync_until = NULL
             WHERE name = ?1 AND sync_owner = ?2",
            params![remote, owner],
        )?;
        Ok(())
    }
}

fn remote_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RemoteRecord> {
    Ok(RemoteRecord {
        name: r.get(0)?,
        dialect: {
            let name: String = r.get(1)?;
            Dialect::from_name(&name).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("unknown dialect \"{name}\"").into(),
                )
            })?
        },
        base_url: r.get(2)?,
        project_id: r.get(3)?,
        credential_id: r.get(4)?,
        created_at: r.get(5)?,
    })
}
