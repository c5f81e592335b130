//! Saved test contexts (personas).

use rusqlite::{OptionalExtension, params};
use segments_engine::limits::MAX_CONTEXT_BYTES;
use serde_json::Value;

use crate::clock::Timestamp;
use crate::records::Persona;
use crate::rows::json_column;
use crate::{Store, StoreError};

impl Store {
    /// Saves a persona, replacing the context of one with the same name.
    pub fn save_persona(&mut self, name: &str, context: &Value) -> Result<Persona, StoreError> {
        let name = checked_persona(name, context)?;
        let now = Timestamp::now();
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

    /// Renames a persona and replaces its context. Unlike [`Store::save_persona`], taking
    /// the name of another persona is refused: a rename must never overwrite a persona.
    pub fn update_persona(
        &mut self,
        id: i64,
        name: &str,
        context: &Value,
    ) -> Result<Persona, StoreError> {
        let name = checked_persona(name, context)?;
        let tx = self.write()?;
        let taken: Option<i64> = tx
            .query_row(
                "SELECT id FROM personas WHERE name = ?1 AND id <> ?2",
                params![name, id],
                |row| row.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::InvalidPersona(format!(
                "another persona is already named \"{name}\": choose a different name"
            )));
        }
        let updated = tx.execute(
            "UPDATE personas SET name = ?1, context = ?2, updated_at = ?3 WHERE id = ?4",
            params![name, context.to_string(), Timestamp::now(), id],
        )?;
        if updated == 0 {
            return Err(StoreError::PersonaNotFound(id));
        }
        let persona = tx.query_row(
            "SELECT id, name, context, updated_at FROM personas WHERE id = ?1",
            [id],
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

/// The trimmed name, once the name and the context are ones a persona can have.
fn checked_persona<'n>(name: &'n str, context: &Value) -> Result<&'n str, StoreError> {
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
    // The limit every evaluation holds a context to: a persona is a saved context.
    segments_engine::check_json_size(context, MAX_CONTEXT_BYTES, "persona's context")
        .map_err(|e| StoreError::InvalidPersona(e.to_string()))?;
    Ok(name)
}

pub(crate) fn persona_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Persona> {
    Ok(Persona {
        id: row.get(0)?,
        name: row.get(1)?,
        context: json_column(row, 2)?.unwrap_or(Value::Null),
        updated_at: row.get(3)?,
    })
}
