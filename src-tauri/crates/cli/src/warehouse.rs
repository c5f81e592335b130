//! `segments sql`: the stored segments as SQL for a warehouse.

use std::path::Path;

use segments_sql::{Dialect, Schema};

use crate::{CliError, Db, print, read_input};

/// A schema file is a small JSON object; a megabyte is far beyond any real table.
const MAX_SCHEMA_BYTES: usize = 1 << 20;

/// The dialect names, for clap's list of accepted values.
pub(crate) const DIALECTS: [&str; 6] = [
    "postgres",
    "duckdb",
    "spark",
    "trino",
    "bigquery",
    "snowflake",
];

pub(crate) fn sql(
    db: &Db,
    keys: &[String],
    dialect: &str,
    table: &str,
    schema: Option<&Path>,
) -> Result<(), CliError> {
    // clap accepts only the names in DIALECTS, which are exactly the dialects'.
    let dialect = Dialect::from_name(dialect).unwrap_or(Dialect::Postgres);
    let schema = match schema {
        Some(path) => {
            let text = read_input(&path.to_string_lossy(), MAX_SCHEMA_BYTES)?;
            Schema::from_json_text(&text)?
        }
        None => Schema::all_text(),
    };
    let segments: Vec<_> = db
        .existing()?
        .list_segments()?
        .into_iter()
        .map(|s| s.segment)
        .collect();
    print(&segments_sql::compile(
        &segments, keys, dialect, table, &schema,
    )?)
}
