//! Segment counts on the user's PostgreSQL warehouse, with the engine's exact semantics.
//!
//! The table's columns and types come from the server itself; segments compile with
//! `segments-sql` against them; every count runs in a read-only session under a statement
//! timeout. All or nothing: an error anywhere means no counts at all, never a partial list.
//! The password is handed in (from the keyring), never read from the URL, and never appears
//! in an error.

mod columns;
mod connect;
mod error;
mod url;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use segments_credentials::Sensitive;
use segments_engine::{Operator, Segment};
use segments_sql::{Dialect, SqlError};
use serde::Serialize;
use tokio_postgres::Client;

pub use columns::DeclaredSchema;
pub use error::WarehouseError;
pub use url::{TlsMode, WarehouseUrl};

use columns::Column;
use connect::Step;

/// How long a statement may run when the caller does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// One segment counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct WarehouseCount {
    /// The segment's key.
    pub key: String,
    /// Rows the segment matches.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub matched: u64,
    /// The query that counted them, as run.
    pub query: String,
    /// How long the query took, in milliseconds.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub duration_ms: u64,
}

/// A segment not counted, and why (a construct PostgreSQL cannot express exactly, a column
/// the table lacks or whose type counts cannot use).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RefusedCount {
    /// The segment's key.
    pub key: String,
    /// Why, naming the construct or the column.
    pub reason: String,
}

/// Counts on one table: `eval-bulk`'s shape, plus the queries that ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct WarehouseCounts {
    /// Rows in the table.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    pub rows: u64,
    /// Each segment counted, in the order asked.
    pub segments: Vec<WarehouseCount>,
    /// The segments refused, with the reason.
    pub refused: Vec<RefusedCount>,
}

/// Counts `keys` of `segments` (every segment when `keys` is empty) in `table` on the
/// warehouse at `url`. `segments` must hold every segment the counted ones reference.
/// `declared` is a schema file, checked against the table's columns; without it every
/// column of a usable type is in the schema. `timeout` bounds the login and each statement.
pub async fn count(
    url: &WarehouseUrl,
    password: Option<&Sensitive<String>>,
    table: &str,
    declared: Option<&DeclaredSchema>,
    segments: &[Segment],
    keys: &[String],
    timeout: Duration,
) -> Result<WarehouseCounts, WarehouseError> {
    let relation = relation(table)?;
    let wanted = wanted(segments, keys)?;
    let client = connect::connect(url, password, timeout).await?;
    let columns = table_columns(&client, url, table, &relation, timeout).await?;
    let schema = columns::schema_for(table, &columns, declared)?;

    let by_key: HashMap<&str, &Segment> = segments.iter().map(|s| (s.key.as_str(), s)).collect();
    let mut refused = Vec::new();
    let mut compilable = Vec::new();
    for key in wanted {
        match column_problem(&by_key, key, &columns, declared) {
            Some(reason) => refused.push(RefusedCount {
                key: key.to_owned(),
                reason,
            }),
            None => compilable.push(key.to_owned()),
        }
    }
    let compiled = if compilable.is_empty() {
        Vec::new()
    } else {
        let out = segments_sql::compile(segments, &compilable, Dialect::Postgres, table, &schema)
            .map_err(|e| WarehouseError::BadInput(e.to_string()))?;
        refused.extend(out.refused.into_iter().map(|r| RefusedCount {
            key: r.key,
            reason: r.reason,
        }));
        out.segments
    };

    let rows_query = format!("SELECT count(*) FROM {relation}");
    let (rows, _) = run_count(&client, url, &rows_query, "the table's rows", timeout).await?;
    let mut counted = Vec::with_capacity(compiled.len());
    for sql in compiled {
        let (matched, duration_ms) = run_count(&client, url, &sql.count, &sql.key, timeout).await?;
        counted.push(WarehouseCount {
            key: sql.key,
            matched,
            query: sql.count,
            duration_ms,
        });
    }
    // Refusals in the order asked, like the counts.
    let order: HashMap<&str, usize> = segments_order(segments, keys);
    refused.sort_by_key(|r| order.get(r.key.as_str()).copied().unwrap_or(usize::MAX));
    Ok(WarehouseCounts {
        rows,
        segments: counted,
        refused,
    })
}

/// The table, quoted as the compiler quotes it (`"NAME"` or `"SCHEMA"."NAME"`), after the
/// compiler's own check of the name.
fn relation(table: &str) -> Result<String, WarehouseError> {
    segments_sql::compile(
        &[],
        &[],
        Dialect::Postgres,
        table,
        &segments_sql::Schema::all_text(),
    )
    .map_err(|e| match e {
        SqlError::BadTable(_) => WarehouseError::BadInput(format!(
            "table name {table:?} is not usable: give NAME or SCHEMA.NAME"
        )),
        other => WarehouseError::BadInput(other.to_string()),
    })?;
    Ok(table
        .split('.')
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join("."))
}

/// The keys to count, checked before anything is sent.
fn wanted<'a>(segments: &'a [Segment], keys: &'a [String]) -> Result<Vec<&'a str>, WarehouseError> {
    if keys.is_empty() {
        return Ok(segments.iter().map(|s| s.key.as_str()).collect());
    }
    let known: BTreeSet<&str> = segments.iter().map(|s| s.key.as_str()).collect();
    keys.iter()
        .map(|k| {
            known
                .get(k.as_str())
                .copied()
                .ok_or_else(|| WarehouseError::BadInput(format!("no segment has the key {k:?}")))
        })
        .collect()
}

fn segments_order<'a>(segments: &'a [Segment], keys: &'a [String]) -> HashMap<&'a str, usize> {
    if keys.is_empty() {
        segments
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.as_str(), i))
            .collect()
    } else {
        keys.iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect()
    }
}

/// The table's columns, by name, as the count query will see them: `to_regclass` resolves
/// the name through the search path exactly as `FROM` does.
async fn table_columns(
    client: &Client,
    url: &WarehouseUrl,
    table: &str,
    relation: &str,
    timeout: Duration,
) -> Result<BTreeMap<String, Column>, WarehouseError> {
    let step = Step::Count("the table's columns");
    let classify = |e: tokio_postgres::Error| connect::classify(&e, url, &step, timeout);
    let found = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&relation])
        .await
        .map_err(classify)?;
    if !found.try_get::<_, bool>(0).map_err(classify)? {
        return Err(WarehouseError::MissingTable(table.to_owned()));
    }
    let rows = client
        .query(
            "SELECT a.attname::text, CASE WHEN t.typtype = 'd' THEN 'domain ' || t.typname \
             ELSE t.typname::text END \
             FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
             WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attnum",
            &[&relation],
        )
        .await
        .map_err(classify)?;
    let mut columns = BTreeMap::new();
    for row in rows {
        let name: String = row.try_get(0).map_err(classify)?;
        let pg_type: String = row.try_get(1).map_err(classify)?;
        let kind = columns::column_type(&pg_type);
        columns.insert(name, Column { pg_type, kind });
    }
    Ok(columns)
}

/// Why `key` cannot be counted on these columns, naming the first attribute (its own or a
/// referenced segment's) that is not a usable column; `None` leaves the rest to the compiler.
fn column_problem(
    by_key: &HashMap<&str, &Segment>,
    key: &str,
    columns: &BTreeMap<String, Column>,
    declared: Option<&DeclaredSchema>,
) -> Option<String> {
    let mut seen = BTreeSet::new();
    let mut queue = vec![key];
    let mut attributes = BTreeSet::new();
    while let Some(next) = queue.pop() {
        let Some(segment) = by_key.get(next) else {
            continue;
        };
        if !seen.insert(next) {
            continue;
        }
        segment.visit_conditions(&mut |c| {
            if c.operator.positive().0 == Operator::InSegment {
                queue.extend(c.values.iter().filter_map(|v| v.as_str()));
            } else {
                attributes.insert(c.attribute.as_str());
            }
        });
    }
    let declared_names: Option<BTreeSet<&str>> =
        declared.map(|d| d.columns().map(|(name, _)| name).collect());
    attributes
        .into_iter()
        .find_map(|attribute| match column_of(columns, attribute) {
            None => Some(format!("the table has no column {attribute:?}")),
            Some((name, column)) => match &column.kind {
                Err(why) => Some(format!(
                    "column {name:?} is of type {}: {why}",
                    column.pg_type
                )),
                Ok(_) if declared_names.as_ref().is_some_and(|d| !d.contains(name)) => Some(
                    format!("column {name:?} is not in the schema file: add it with its type"),
                ),
                Ok(_) => None,
            },
        })
}

/// The column that holds `attribute`: its own, or else a JSON column it is a dotted path
/// into (`address.country` in `address`), the longest such prefix first, as the compiler
/// reads it.
fn column_of<'a, 'c>(
    columns: &'c BTreeMap<String, Column>,
    attribute: &'a str,
) -> Option<(&'a str, &'c Column)> {
    if let Some(column) = columns.get(attribute) {
        return Some((attribute, column));
    }
    let mut end = attribute.len();
    while let Some(dot) = attribute[..end].rfind('.') {
        let prefix = &attribute[..dot];
        if let Some(column) = columns.get(prefix)
            && column.kind == Ok(segments_sql::ColumnType::Json)
        {
            return Some((prefix, column));
        }
        end = dot;
    }
    None
}

/// Runs one `SELECT count(*)`, returning the count and how long it took.
async fn run_count(
    client: &Client,
    url: &WarehouseUrl,
    query: &str,
    what: &str,
    timeout: Duration,
) -> Result<(u64, u64), WarehouseError> {
    let step = Step::Count(what);
    let classify = |e: tokio_postgres::Error| connect::classify(&e, url, &step, timeout);
    let started = Instant::now();
    // The simple protocol: the query has no parameters, and it runs exactly as printed.
    let messages = client.simple_query(query).await.map_err(classify)?;
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let value = messages.iter().find_map(|m| match m {
        tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
        _ => None,
    });
    let count = value
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or_else(|| WarehouseError::Query {
            what: what.to_owned(),
            message: "the server answered the count with no number".to_owned(),
        })?;
    Ok((count, duration_ms))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn columns() -> BTreeMap<String, Column> {
        [
            ("plan", "text"),
            ("address", "jsonb"),
            ("meta", "text"),
            ("device", "uuid"),
        ]
        .map(|(name, pg_type)| {
            let column = Column {
                pg_type: pg_type.to_owned(),
                kind: columns::column_type(pg_type),
            };
            (name.to_owned(), column)
        })
        .into_iter()
        .collect()
    }

    fn problem(attribute: &str, declared: Option<&str>) -> Option<String> {
        let segment = segments_engine::parse_segment(&serde_json::json!({"key": "s", "rules": [
            {"attribute": attribute, "operator": "exists"}]}))
        .unwrap();
        let by_key = HashMap::from([("s", &segment)]);
        let declared = declared.map(|d| DeclaredSchema::from_json_text(d).unwrap());
        column_problem(&by_key, "s", &columns(), declared.as_ref())
    }

    #[test]
    fn a_dotted_attribute_reads_a_path_of_a_json_column_only() {
        assert_eq!(problem("address.geo.country", None), None);
        assert_eq!(
            problem("meta.source", None).unwrap(),
            "the table has no column \"meta.source\""
        );
        assert!(
            problem("device", None)
                .unwrap()
                .starts_with("column \"device\" is of type uuid: ")
        );
        assert_eq!(
            problem("address.country", Some(r#"{"plan": "text"}"#)).unwrap(),
            "column \"address\" is not in the schema file: add it with its type"
        );
    }
}
