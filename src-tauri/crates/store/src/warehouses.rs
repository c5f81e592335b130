//! The warehouses counts run on: by canonical URL (which never holds a password), the users
//! table the app counts in, and where the password is filed (the keyring or a user-only
//! file, never this database).

use rusqlite::{OptionalExtension, params};

use crate::clock::Timestamp;
use crate::{Store, StoreError};

/// A warehouse as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarehouseRecord {
    /// The canonical URL, `postgres://USER@HOST:PORT/DB`.
    pub url: String,
    /// The users table the app counts in; `None` when only a password was stored (the CLI
    /// names its table on each run).
    pub table: Option<String>,
    /// Where the password is filed; `None` when the server needs none.
    pub credential_id: Option<String>,
    /// When it was last saved: the app's warehouse is the one saved last with a table.
    pub saved_at: Timestamp,
}

impl Store {
    /// The warehouse at `url`, if one is stored.
    pub fn warehouse(&self, url: &str) -> Result<Option<WarehouseRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT url, table_name, credential_id, saved_at FROM warehouses WHERE url = ?1",
                [url],
                warehouse_row,
            )
            .optional()?)
    }

    /// The app's warehouse: the one saved last with a table.
    pub fn current_warehouse(&self) -> Result<Option<WarehouseRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT url, table_name, credential_id, saved_at FROM warehouses
                 WHERE table_name IS NOT NULL ORDER BY saved_at DESC, rowid DESC LIMIT 1",
                [],
                warehouse_row,
            )
            .optional()?)
    }

    /// Saves a warehouse (replacing what was stored under its URL).
    #[tracing::instrument(level = "debug", skip_all, fields(url = %warehouse.url), err(Display))]
    pub fn save_warehouse(&mut self, warehouse: &WarehouseRecord) -> Result<(), StoreError> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO warehouses (url, table_name, credential_id, saved_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (url) DO UPDATE SET table_name = excluded.table_name,
                 credential_id = excluded.credential_id, saved_at = excluded.saved_at",
            params![
                warehouse.url,
                warehouse.table,
                warehouse.credential_id,
                warehouse.saved_at
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}

fn warehouse_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WarehouseRecord> {
    Ok(WarehouseRecord {
        url: r.get(0)?,
        table: r.get(1)?,
        credential_id: r.get(2)?,
        saved_at: r.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn record(url: &str, table: Option<&str>, at: &str) -> WarehouseRecord {
        WarehouseRecord {
            url: url.to_owned(),
            table: table.map(str::to_owned),
            credential_id: Some(format!("file:{url}")),
            saved_at: Timestamp::parse(at).unwrap(),
        }
    }

    #[test]
    fn the_apps_warehouse_is_the_one_saved_last_with_a_table() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.current_warehouse().unwrap(), None);
        let a = record(
            "postgres://a@h:5432/d",
            Some("users"),
            "2026-12-01T00:00:00.000Z",
        );
        let b = record("postgres://b@h:5432/d", None, "2026-12-02T00:00:00.000Z");
        store.save_warehouse(&a).unwrap();
        store.save_warehouse(&b).unwrap();
        assert_eq!(store.current_warehouse().unwrap(), Some(a.clone()));
        assert_eq!(store.warehouse(&b.url).unwrap(), Some(b.clone()));
        let b2 = record(&b.url, Some("people"), "2026-12-03T00:00:00.000Z");
        store.save_warehouse(&b2).unwrap();
        assert_eq!(store.current_warehouse().unwrap(), Some(b2));
        assert_eq!(store.warehouse("postgres://c@h:5432/d").unwrap(), None);
    }
}
