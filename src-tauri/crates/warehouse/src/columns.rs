//! The table's columns as the server describes them, turned into the compiler's schema, and
//! a schema file checked against them.

use std::collections::BTreeMap;

use segments_sql::{ColumnType, Schema};

use crate::WarehouseError;

/// One column of the table: its PostgreSQL type, and the compiler's type when counts can use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    /// `pg_type.typname` (`int8`, `_text`, …).
    pub pg_type: String,
    /// What the compiler compares it as, or why it cannot.
    pub kind: Result<ColumnType, &'static str>,
}

/// The compiler's type for a PostgreSQL type, or why counts cannot use the column.
pub(crate) fn column_type(pg_type: &str) -> Result<ColumnType, &'static str> {
    Ok(match pg_type {
        "text" | "varchar" => ColumnType::Text,
        "int2" | "int4" | "int8" => ColumnType::Integer,
        // A float8 is the engine's double. A numeric compares as the double nearest to it:
        // the compiled comparisons are against `double precision` literals, so PostgreSQL
        // casts the numeric (correctly rounded), as the engine reads a number.
        "float8" | "numeric" => ColumnType::Double,
        "bool" => ColumnType::Boolean,
        "timestamptz" | "timestamp" => ColumnType::Timestamp,
        "_text" | "_varchar" => ColumnType::TextArray,
        "json" | "jsonb" => ColumnType::Json,
        // A real widened to double is not the number the user sees (0.1 becomes
        // 0.100000001490116…), so a comparison would disagree with the engine's.
        "float4" => {
            return Err(
                "real (float4) values widen to doubles that are not the numbers shown; \
                 cast the column to double precision in a view",
            );
        }
        // char(n) pads with spaces and compares without them; citext ignores case.
        "bpchar" => {
            return Err("char(n) pads with spaces; cast the column to text in a view");
        }
        _ => {
            return Err(
                "counts use text, varchar, smallint, integer, bigint, double precision, \
                 numeric, boolean, timestamp, text[] and json columns; cast it in a view",
            );
        }
    })
}

/// What `--schema FILE` declares: attribute → type, each attribute a column of its own name.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredSchema {
    columns: BTreeMap<String, ColumnType>,
}

impl DeclaredSchema {
    /// Parses a schema file (`{"seats": "integer", "verified": "boolean"}`) with the
    /// compiler's own rules and type names, so `segments sql` and `segments count` accept the
    /// same files.
    pub fn from_json_text(text: &str) -> Result<DeclaredSchema, WarehouseError> {
        let schema =
            Schema::from_json_text(text).map_err(|e| WarehouseError::BadInput(e.to_string()))?;
        let columns = schema
            .columns()
            .into_iter()
            .flatten()
            .map(|(name, kind)| (name.to_owned(), kind))
            .collect();
        Ok(DeclaredSchema { columns })
    }

    /// The declared columns, by name.
    pub fn columns(&self) -> impl Iterator<Item = (&str, ColumnType)> {
        self.columns.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

/// The schema the compiler gets: the declared one when given (after checking every entry
/// against the table), else every column of a type counts can use.
pub(crate) fn schema_for(
    table: &str,
    columns: &BTreeMap<String, Column>,
    declared: Option<&DeclaredSchema>,
) -> Result<Schema, WarehouseError> {
    let Some(declared) = declared else {
        return Ok(Schema::from_columns(columns.iter().filter_map(
            |(name, c)| c.kind.ok().map(|kind| (name.clone(), kind)),
        )));
    };
    let mut problems = Vec::new();
    for (name, kind) in declared.columns() {
        match columns.get(name) {
            None => problems.push(format!(
                "the schema names column {name:?} ({}), which the table lacks",
                kind.name()
            )),
            Some(column) if column.kind != Ok(kind) => problems.push(format!(
                "the schema says column {name:?} is {}, but the table has it as {}",
                kind.name(),
                describe(column)
            )),
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(Schema::from_columns(
            declared.columns().map(|(k, v)| (k.to_owned(), v)),
        ))
    } else {
        Err(WarehouseError::SchemaMismatch {
            table: table.to_owned(),
            problem: problems.join("; "),
        })
    }
}

/// `int8 (integer)`, or the PostgreSQL type alone when counts cannot use it.
pub(crate) fn describe(column: &Column) -> String {
    match column.kind {
        Ok(kind) => format!("{} ({})", column.pg_type, kind.name()),
        Err(_) => column.pg_type.clone(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn table() -> BTreeMap<String, Column> {
        [("plan", "text"), ("seats", "int8"), ("score", "float4")]
            .map(|(n, t)| {
                (
                    n.to_owned(),
                    Column {
                        pg_type: t.to_owned(),
                        kind: column_type(t),
                    },
                )
            })
            .into_iter()
            .collect()
    }

    #[test]
    fn a_schema_file_parses_with_the_compilers_aliases() {
        let declared =
            DeclaredSchema::from_json_text(r#"{"seats": "bigint", "tags": "text[]"}"#).unwrap();
        let columns: Vec<_> = declared.columns().collect();
        assert_eq!(
            columns,
            [
                ("seats", ColumnType::Integer),
                ("tags", ColumnType::TextArray)
            ]
        );
        assert!(DeclaredSchema::from_json_text(r#"{"seats": "money"}"#).is_err());
        assert!(DeclaredSchema::from_json_text("[1]").is_err());
    }

    #[test]
    fn a_schema_that_disagrees_with_the_table_names_both_sides() {
        let declared = DeclaredSchema::from_json_text(
            r#"{"plan": "text", "seats": "boolean", "country": "text", "score": "double"}"#,
        )
        .unwrap();
        let err = schema_for("users", &table(), Some(&declared))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"country\" (text), which the table lacks"),
            "{err}"
        );
        assert!(
            err.contains("\"seats\" is boolean, but the table has it as int8 (integer)"),
            "{err}"
        );
        assert!(
            err.contains("\"score\" is double, but the table has it as float4"),
            "{err}"
        );
        assert!(!err.contains("\"plan\""), "{err}");
    }

    #[test]
    fn without_a_file_every_usable_column_is_in_the_schema() {
        let schema = schema_for("users", &table(), None).unwrap();
        let expected = Schema::from_columns([
            ("plan".to_owned(), ColumnType::Text),
            ("seats".to_owned(), ColumnType::Integer),
        ]);
        assert_eq!(schema, expected);
    }
}
