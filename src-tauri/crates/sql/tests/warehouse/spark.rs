//! Spark SQL (pyspark from PyPI in local mode, run by `engines.py`) counts what `eval-bulk`
//! counts. One test, so one JVM per test run: every table and query goes in one job.

use segments_sql::Dialect;

use crate::python;

/// Segments the Spark dialect refuses, as (table, key).
const REFUSED: &[(&str, &str)] = &[];

#[test]
fn spark_counts_equal_eval_bulk_on_text_typed_and_integer_columns() {
    python::counts_equal_eval_bulk("spark", Dialect::Spark, REFUSED);
}
