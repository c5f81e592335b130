"""Runs count queries on a real DuckDB or Spark SQL, for the warehouse parity tests.

Reads one JSON job on stdin:
  {"engine": "duckdb" | "spark",
   "tables": [{"name": ..., "file": ..., "format": "csv" | "ndjson",
               "columns": [[name, type], ...]}],
   "queries": ["SELECT count(*) ...", ...]}
where type is a segments-sql column type name (text, integer, double, boolean,
timestamp, text_array, json). Prints {"counts": [{"count": N} | {"error": "..."}]}, one per
query in order, or {"error": "..."} when a table cannot be loaded.

A whole job runs in one process: Spark's JVM takes seconds to start, so the Spark test
sends every table and query at once.
"""

import json
import sys


def duckdb_type(kind):
    return {
        "text": "VARCHAR",
        "integer": "BIGINT",
        "double": "DOUBLE",
        "boolean": "BOOLEAN",
        "timestamp": "TIMESTAMPTZ",
        "text_array": "VARCHAR[]",
        "json": "JSON",
    }[kind]


def spark_type(kind):
    return {
        "text": "STRING",
        "integer": "BIGINT",
        "double": "DOUBLE",
        "boolean": "BOOLEAN",
        "timestamp": "TIMESTAMP",
        "text_array": "ARRAY<STRING>",
        # Spark has no JSON type: a JSON column is its text.
        "json": "STRING",
    }[kind]


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def run_duckdb(job):
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET threads TO 2")
    for table in job["tables"]:
        columns = "{" + ", ".join(
            f"{quote(name)}: {quote(duckdb_type(kind))}" for name, kind in table["columns"]
        ) + "}"
        if table["format"] == "csv":
            # Every cell as text, an empty cell as NULL: what a CSV load gives.
            source = (
                f"read_csv({quote(table['file'])}, header = true, columns = {columns}, "
                "auto_detect = false, quote = '\"', escape = '\"')"
            )
        else:
            source = (
                f"read_json({quote(table['file'])}, format = 'newline_delimited', "
                f"columns = {columns})"
            )
        con.execute(f'CREATE TABLE "{table["name"]}" AS SELECT * FROM {source}')
    counts = []
    for sql in job["queries"]:
        try:
            counts.append({"count": con.execute(sql).fetchone()[0]})
        except duckdb.Error as e:
            counts.append({"error": f"{type(e).__name__}: {e}"})
    return counts


def spark_error(e):
    """The root cause of a failed Spark query: a failed task comes back wrapped in a job
    failure whose first line says nothing."""
    java = getattr(e, "java_exception", None)
    if java is None:
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"
    while java.getCause() is not None:
        java = java.getCause()
    return f"{java.getClass().getName()}: {java.getMessage()}"


def run_spark(job):
    import os

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("segments-sql-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        # The session time zone fixes how timestamps without an offset read.
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for table in job["tables"]:
            schema = ", ".join(
                f"`{name}` {spark_type(kind)}" for name, kind in table["columns"]
            )
            if table["format"] == "csv":
                # A quote inside a quoted cell is doubled (RFC 4180), not backslashed.
                frame = spark.read.csv(
                    table["file"], schema=schema, header=True, escape='"', mode="FAILFAST"
                )
            else:
                frame = spark.read.json(table["file"], schema=schema, mode="FAILFAST")
            # Read once: every query would otherwise parse the file again.
            frame.cache().count()
            frame.createOrReplaceTempView(table["name"])
        counts = []
        for sql in job["queries"]:
            try:
                counts.append({"count": spark.sql(sql).collect()[0][0]})
            except Exception as e:  # noqa: BLE001 - Spark raises many kinds, each a result
                counts.append({"error": spark_error(e)})
        return counts
    finally:
        spark.stop()


def main():
    job = json.load(sys.stdin)
    runner = {"duckdb": run_duckdb, "spark": run_spark}.get(job.get("engine"))
    if runner is None:
        print(json.dumps({"error": f"unknown engine {job.get('engine')!r}: duckdb or spark"}))
        return 1
    try:
        counts = runner(job)
    except Exception as e:  # noqa: BLE001 - reported to the Rust test as JSON
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return 1
    print(json.dumps({"counts": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
