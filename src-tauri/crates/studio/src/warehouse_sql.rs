//! "Copy SQL": the count query of an editor draft in a warehouse's dialect, compiled by
//! `segments-sql` with the stored segments it references, or the compiler's reason when that
//! dialect cannot express the draft exactly.

use segments_engine::{IssueCode, ValidationError};
use segments_sql::{Dialect, Schema, SqlError};
use segments_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::parse_draft;

/// A warehouse's SQL dialect, as the app offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum WarehouseDialect {
    /// PostgreSQL 12 and later.
    Postgres,
    /// DuckDB.
    Duckdb,
    /// Spark SQL 3.4 and later.
    Spark,
    /// Trino.
    Trino,
    /// BigQuery (GoogleSQL).
    Bigquery,
    /// Snowflake.
    Snowflake,
}

impl From<WarehouseDialect> for Dialect {
    fn from(dialect: WarehouseDialect) -> Self {
        match dialect {
            WarehouseDialect::Postgres => Dialect::Postgres,
            WarehouseDialect::Duckdb => Dialect::Duckdb,
            WarehouseDialect::Spark => Dialect::Spark,
            WarehouseDialect::Trino => Dialect::Trino,
            WarehouseDialect::Bigquery => Dialect::Bigquery,
            WarehouseDialect::Snowflake => Dialect::Snowflake,
        }
    }
}

/// The draft's count query in one dialect, or why that dialect cannot have it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum WarehouseSql {
    /// The query, exact in the engine's semantics.
    Count {
        /// `SELECT count(*) FROM table WHERE predicate`.
        query: String,
        /// The predicate alone, for a `WHERE` clause of one's own.
        predicate: String,
    },
    /// The dialect cannot express some construct of the draft exactly.
    Refused {
        /// The construct and the dialect, in the compiler's words.
        reason: String,
    },
}

/// The count query of `draft` (an editor draft, saved or not) over `table` in `dialect`,
/// every attribute a text column of its own name (what a CSV load gives). The segments the
/// draft references are the stored ones; a reference to a missing segment, a draft with
/// problems or an unusable table name is refused as a validation error, at its field.
pub fn warehouse_sql(
    store: &Store,
    draft: &Value,
    dialect: WarehouseDialect,
    table: &str,
) -> Result<WarehouseSql, StoreError> {
    let segment = parse_draft(draft)?;
    store.check_references(&segment)?;
    let segments = store.with_references(&segment)?;
    let keys = [segment.key.clone()];
    let output = segments_sql::compile(
        &segments,
        &keys,
        dialect.into(),
        table.trim(),
        &Schema::all_text(),
    )
    .map_err(|e| match e {
        SqlError::BadTable(_) => StoreError::Invalid(ValidationError::single(
            "table",
            IssueCode::InvalidValue,
            "give the table as NAME or SCHEMA.NAME, such as users or analytics.users",
        )),
        other => StoreError::Invalid(ValidationError::single(
            "",
            IssueCode::InvalidValue,
            other.to_string(),
        )),
    })?;
    if let Some(refused) = output.refused.into_iter().next() {
        return Ok(WarehouseSql::Refused {
            reason: refused.reason,
        });
    }
    match output.segments.into_iter().next() {
        Some(compiled) => Ok(WarehouseSql::Count {
            query: compiled.count,
            predicate: compiled.r#where,
        }),
        None => Err(StoreError::NotFound(segment.key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use serde_json::json;

    fn store() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        demo::seed_if_empty(&mut store).unwrap();
        store
    }

    fn query(result: WarehouseSql) -> String {
        match result {
            WarehouseSql::Count { query, .. } => query,
            WarehouseSql::Refused { reason } => panic!("refused: {reason}"),
        }
    }

    #[test]
    fn the_query_follows_the_dialect_and_inlines_stored_references() {
        let store = store();
        let draft = json!({"key": "draft", "rules": [
            {"attribute": "plan", "operator": "eq", "values": ["pro"]},
            {"attribute": "s", "operator": "in_segment", "values": ["north-america"]}]});
        let postgres =
            query(warehouse_sql(&store, &draft, WarehouseDialect::Postgres, "users").unwrap());
        let spark =
            query(warehouse_sql(&store, &draft, WarehouseDialect::Spark, " users ").unwrap());
        assert!(
            postgres.starts_with("SELECT count(*) FROM \"users\" WHERE "),
            "{postgres}"
        );
        assert!(
            spark.starts_with("SELECT count(*) FROM `users` WHERE "),
            "{spark}"
        );
        // north-america tests the country: its rules are inlined, not referenced by key
        assert!(postgres.contains("country"), "{postgres}");
        assert!(!postgres.contains("north-america"), "{postgres}");
    }

    #[test]
    fn a_construct_the_dialect_lacks_is_refused_with_the_compilers_reason() {
        let store = store();
        let draft = json!({"key": "draft", "rules": [
            {"attribute": "app_version", "operator": "semver_gte", "values": ["2.0.0"]}]});
        let result = warehouse_sql(&store, &draft, WarehouseDialect::Snowflake, "users").unwrap();
        let WarehouseSql::Refused { reason } = result else {
            panic!("expected a refusal, got {result:?}");
        };
        assert!(reason.to_lowercase().contains("snowflake"), "{reason}");
    }

    #[test]
    fn bad_tables_drafts_and_references_are_validation_errors_at_their_field() {
        let store = store();
        let ok = json!({"key": "draft", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]});
        let issue_path = |e: StoreError| match e {
            StoreError::Invalid(invalid) => invalid.issues[0].path.clone(),
            other => panic!("expected a validation error, got {other}"),
        };
        let table = warehouse_sql(&store, &ok, WarehouseDialect::Postgres, "a..b").unwrap_err();
        assert_eq!(issue_path(table), "table");
        let empty = warehouse_sql(&store, &ok, WarehouseDialect::Postgres, "  ").unwrap_err();
        assert_eq!(issue_path(empty), "table");
        let dangling = json!({"key": "draft", "rules": [{"attribute": "s", "operator": "in_segment", "values": ["ghost"]}]});
        let ghost =
            warehouse_sql(&store, &dangling, WarehouseDialect::Postgres, "users").unwrap_err();
        assert_eq!(issue_path(ghost), "rules[0].values[0]");
        let broken = json!({"key": "draft", "rules": []});
        assert!(warehouse_sql(&store, &broken, WarehouseDialect::Postgres, "users").is_err());
    }
}
