//! DuckDB (its PyPI package, run by `engines.py`) counts what `eval-bulk` counts.

use segments_sql::Dialect;

use crate::python;

/// Segments the DuckDB dialect refuses, as (table, key).
const REFUSED: &[(&str, &str)] = &[];

#[test]
fn duckdb_counts_equal_eval_bulk_on_text_typed_and_integer_columns() {
    python::counts_equal_eval_bulk("duckdb", Dialect::Duckdb, REFUSED);
}
