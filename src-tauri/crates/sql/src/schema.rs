//! What each attribute is in the table: its column and SQL type.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::SqlError;

/// The SQL type of an attribute's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text (what a CSV load gives).
    Text,
    /// A 64-bit integer.
    Integer,
    /// A double.
    Double,
    /// A boolean.
    Boolean,
    /// An instant (`before`, `after` and `exists` only).
    Timestamp,
    /// An array of text.
    TextArray,
    /// JSON: dotted attributes read paths into it.
    Json,
}

impl ColumnType {
    /// The name used in schema files.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Integer => "integer",
            ColumnType::Double => "double",
            ColumnType::Boolean => "boolean",
            ColumnType::Timestamp => "timestamp",
            ColumnType::TextArray => "text_array",
            ColumnType::Json => "json",
        }
    }

    fn from_name(name: &str) -> Option<ColumnType> {
        Some(match name {
            "text" | "string" | "varchar" => ColumnType::Text,
            "integer" | "bigint" | "int" => ColumnType::Integer,
            "double" | "float" => ColumnType::Double,
            "boolean" | "bool" => ColumnType::Boolean,
            "timestamp" => ColumnType::Timestamp,
            "text_array" | "text[]" => ColumnType::TextArray,
            "json" | "jsonb" => ColumnType::Json,
            _ => return None,
        })
    }
}

/// Attribute → column type. Without a schema every attribute is a text column of its own
/// name; with one, an attribute the schema does not list is refused (not guessed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    columns: Option<BTreeMap<String, ColumnType>>,
}

impl Schema {
    /// Every attribute a text column.
    pub fn all_text() -> Schema {
        Schema { columns: None }
    }

    /// A schema from pairs.
    pub fn from_columns(columns: impl IntoIterator<Item = (String, ColumnType)>) -> Schema {
        Schema {
            columns: Some(columns.into_iter().collect()),
        }
    }

    /// Parses `{"seats": "integer", "verified": "boolean"}`.
    pub fn from_json_text(text: &str) -> Result<Schema, SqlError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| SqlError::BadSchema(format!("not valid JSON: {e}")))?;
        let Value::Object(map) = value else {
            return Err(SqlError::BadSchema(
                "must be an object of attribute to type, e.g. {\"seats\": \"integer\"}".into(),
            ));
        };
        let mut columns = BTreeMap::new();
        for (attribute, kind) in map {
            let kind = kind
                .as_str()
                .and_then(ColumnType::from_name)
                .ok_or_else(|| {
                    SqlError::BadSchema(format!(
                        "{attribute:?} has type {kind}; use one of text, integer, double, \
                         boolean, timestamp, text_array, json"
                    ))
                })?;
            columns.insert(attribute, kind);
        }
        Ok(Schema {
            columns: Some(columns),
        })
    }

    /// The listed columns and their types, `None` for the all-text default.
    pub fn columns(&self) -> Option<impl Iterator<Item = (&str, ColumnType)>> {
        self.columns
            .as_ref()
            .map(|columns| columns.iter().map(|(name, kind)| (name.as_str(), *kind)))
    }

    /// The column that holds `attribute`, its type, and the path into it when the column is
    /// JSON (`address.country` read from the `address` column), or why there is none. As in
    /// the engine, a column named like the whole attribute comes before a path into another.
    pub(crate) fn column<'a>(
        &self,
        attribute: &'a str,
    ) -> Result<(&'a str, ColumnType, Vec<&'a str>), String> {
        let Some(columns) = &self.columns else {
            return Ok((attribute, ColumnType::Text, Vec::new()));
        };
        if let Some(kind) = columns.get(attribute) {
            return Ok((attribute, *kind, Vec::new()));
        }
        let parts: Vec<&str> = attribute.split('.').collect();
        for cut in (1..parts.len()).rev() {
            let prefix_len = parts[..cut].iter().map(|p| p.len() + 1).sum::<usize>() - 1;
            let prefix = &attribute[..prefix_len];
            if columns.get(prefix) == Some(&ColumnType::Json) {
                return Ok((prefix, ColumnType::Json, parts[cut..].to_vec()));
            }
        }
        Err(format!(
            "attribute {attribute:?} is not in the schema: add its column and type"
        ))
    }
}
