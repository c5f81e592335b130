//! The compiled SQL, run on real engines (PostgreSQL, DuckDB, Spark SQL), counts exactly
//! what `eval-bulk` counts on the same rows: the edge population loaded as all-text
//! columns (a CSV load) and as typed columns.
//!
//! DuckDB and Spark run from their PyPI packages in the Python that `cargo xtask test`
//! prepares (`SEGMENTS_WAREHOUSE_PYTHON`); see `python.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod cases;
mod duckdb;
mod postgres;
mod python;
mod spark;
mod values;
