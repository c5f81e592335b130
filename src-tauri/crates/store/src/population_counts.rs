//! The exact counts made over populations, kept per population and segment revision so
//! nothing is counted twice: the revision ([`Store::segment_count_revision`]) changes
//! whenever what the segment means changes, including through a segment it references.

use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError};

impl Store {
    /// The count made over a population for a segment at `revision`
    /// ([`Store::segment_count_revision`]): `(matched, rows)`, or `None` when it was not
    /// counted at that revision.
    pub fn cached_count(
        &self,
        population_id: &str,
        segment_key: &str,
        revision: i64,
    ) -> Result<Option<(u64, u64)>, StoreError> {
        let counts: Option<(i64, i64)> = self
            .conn
            .prepare_cached(
                "SELECT matched, rows FROM population_counts
                 WHERE population_id = ?1 AND segment_key = ?2 AND revision = ?3",
            )?
            .query_row(params![population_id, segment_key, revision], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        counts
            .map(|(matched, rows)| {
                let damaged = || StoreError::PopulationDamaged {
                    id: population_id.to_owned(),
                    reason: format!("a count of \"{segment_key}\" is below zero"),
                };
                Ok((
                    u64::try_from(matched).map_err(|_| damaged())?,
                    u64::try_from(rows).map_err(|_| damaged())?,
                ))
            })
            .transpose()
    }

    /// Keeps a count made over a population for a segment at `revision`. Counts of earlier
    /// revisions of the segment go: revisions only grow, so they are never asked for again.
    pub fn save_count(
        &mut self,
        population_id: &str,
        segment_key: &str,
        revision: i64,
        matched: u64,
        rows: u64,
    ) -> Result<(), StoreError> {
        let tx = self.write()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM populations WHERE id = ?1)",
            [population_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::PopulationNotFound(population_id.to_owned()));
        }
        tx.execute(
            "DELETE FROM population_counts
             WHERE population_id = ?1 AND segment_key = ?2 AND revision < ?3",
            params![population_id, segment_key, revision],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO population_counts
                 (population_id, segment_key, revision, matched, rows)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![population_id, segment_key, revision, matched, rows],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The revision a count of `key` is kept under: the highest revision id over the
    /// segment and every segment it reaches through references. Revision ids only grow and
    /// every change to what a segment means writes one (to it or to a segment it
    /// references, and changing its references is a change to it), so this changes exactly
    /// when a count could. One statement, so it reads one consistent state.
    ///
    /// Read it *before* loading the segments to count: a count saved under an older
    /// revision is never asked for, but one made from older segments under a newer revision
    /// would be wrong.
    pub fn segment_count_revision(&self, key: &str) -> Result<i64, StoreError> {
        let (exists, revision): (bool, Option<i64>) = self
            .conn
            .prepare_cached(
                "WITH RECURSIVE closure (key) AS (
                     SELECT key FROM segments WHERE key = ?1
                     UNION
                     SELECT r.to_key FROM segment_references r JOIN closure c ON r.from_key = c.key
                 )
                 SELECT EXISTS (SELECT 1 FROM segments WHERE key = ?1),
                        (SELECT MAX(v.id) FROM closure c JOIN revisions v ON v.segment_key = c.key)",
            )?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))?;
        match (exists, revision) {
            (true, Some(revision)) => Ok(revision),
            // Every write of a segment records a revision, so an existing segment without
            // one was written outside the app; 0 still works as a key until it changes.
            (true, None) => Ok(0),
            (false, _) => Err(StoreError::NotFound(key.to_owned())),
        }
    }
}
