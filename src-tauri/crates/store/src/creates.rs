//! Creates in flight: a create is recorded, with the document sent, before its request
//! goes out, so a crash before its answer is recorded can be recovered without a second
//! copy on a remote that has no unique key (Krafter matches segments by name).

use rusqlite::{OptionalExtension, params};
use segments_engine::{Segment, parse_segment};

use crate::clock::Timestamp;
use crate::{Store, StoreError, check_lease};

impl Store {
    /// Records that a create of `key` with the document `sent` is about to go to `remote`.
    /// It stays until a binding for `key` on `remote` is set or removed.
    pub fn note_create_sent(
        &mut self,
        remote: &str,
        key: &str,
        sent: &Segment,
    ) -> Result<(), StoreError> {
        let owner = self.leases.get(remote).cloned();
        let tx = self.write()?;
        check_lease(&tx, remote, owner.as_deref())?;
        tx.execute(
            "INSERT OR REPLACE INTO creates_in_flight (remote, segment_key, name, document, sent_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![remote, key, sent.name, sent.to_json().to_string(), Timestamp::now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The document of a create of `key` sent to `remote` whose answer was never recorded.
    pub fn create_in_flight(&self, remote: &str, key: &str) -> Result<Option<Segment>, StoreError> {
        let document: Option<String> = self
            .conn
            .query_row(
                "SELECT document FROM creates_in_flight WHERE remote = ?1 AND segment_key = ?2",
                params![remote, key],
                |r| r.get(0),
            )
            .optional()?;
        document.map(|text| decode(key, &text)).transpose()
    }

    /// Every create in flight to `remote`, as (key, document sent).
    pub fn creates_in_flight(&self, remote: &str) -> Result<Vec<(String, Segment)>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT segment_key, document FROM creates_in_flight WHERE remote = ?1 ORDER BY sent_at",
        )?;
        let rows = statement.query_map([remote], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (key, text) = row?;
            let sent = decode(&key, &text)?;
            Ok((key, sent))
        })
        .collect()
    }
}

fn decode(key: &str, text: &str) -> Result<Segment, StoreError> {
    let corrupt = |source| StoreError::Corrupt {
        key: key.to_owned(),
        source,
    };
    let value = serde_json::from_str(text).map_err(|e| {
        corrupt(segments_engine::ValidationError::single(
            "",
            segments_engine::IssueCode::InvalidJson,
            format!("its create in flight is not JSON ({e})"),
        ))
    })?;
    parse_segment(&value).map_err(corrupt)
}
