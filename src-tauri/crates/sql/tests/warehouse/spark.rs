//! Spark SQL (pyspark from PyPI in local mode, run by `engines.py`) counts what `eval-bulk`
//! counts. One test, so one JVM per test run: every table and query goes in one job.

use segments_sql::Dialect;

use crate::python;

/// Segments the Spark dialect refuses, as (table, key): paths into JSON columns (Spark keeps
/// JSON as text, and `get_json_object` does not say a value's JSON type).
const REFUSED: &[(&str, &str)] = &[
    ("odd_json", "j-country-eq"),
    ("odd_json", "j-country-neq"),
    ("odd_json", "j-country-eq-ci"),
    ("odd_json", "j-country-in"),
    ("odd_json", "j-country-exists"),
    ("odd_json", "j-country-not-exists"),
    ("odd_json", "j-seats-gte"),
    ("odd_json", "j-seats-eq"),
    ("odd_json", "j-seats-lt"),
    ("odd_json", "j-deep-eq"),
    ("odd_json", "j-deep-contains"),
    ("odd_json", "j-mid-exists"),
    ("odd_json", "j-index-key"),
    ("odd_json", "j-version"),
    ("odd_json", "j-before"),
    ("odd_json", "j-beta-true"),
    ("odd_json", "j-beta-not-false"),
    ("odd_json", "j-whole-exists"),
];

#[test]
fn spark_counts_equal_eval_bulk_on_text_typed_and_integer_columns() {
    python::counts_equal_eval_bulk("spark", Dialect::Spark, REFUSED);
}
