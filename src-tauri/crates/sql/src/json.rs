//! Dotted attributes read from a JSON column: `address.country` from `address`.
//!
//! The engine walks objects only (a path through an array or a scalar is a missing
//! attribute), then tests the value by its JSON type: a string as text, a boolean as
//! `true`/`false`, a number as a number, an array by its scalar elements, and an object or
//! a null never matches (`exists` aside). The SQL dispatches on the value's JSON type the
//! same way. A number tested as text (`contains`, `matches`, versions) would need the
//! engine's canonical number string, which no warehouse writes: such a row stops the query
//! with an error naming it, rather than being miscounted.

use segments_engine::{Condition, Operator, canonical_string};

use crate::condition::Value;
use crate::dialect::Dialect;
use crate::schema::ColumnType;

/// The element variable of JSON array predicates.
const ELEMENT: &str = "sse_j";

/// The positive operator's test on the value at `path` in the JSON `column`.
pub(crate) fn holds(
    dialect: Dialect,
    column: &str,
    path: &[&str],
    positive: Operator,
    c: &Condition,
) -> Result<String, String> {
    let json = Json::of(dialect)?;
    let node = json.node(column, path);
    let present = format!(
        "{node} IS NOT NULL AND {} <> '{}'",
        json.type_of(&node),
        json.null_type()
    );
    if positive == Operator::Exists {
        return Ok(present);
    }
    if matches!(positive, Operator::Eq | Operator::In)
        && let Some(number) = c
            .values
            .iter()
            .filter(|v| !v.is_number())
            .filter_map(canonical_string)
            .find(|s| s.parse::<f64>().is_ok())
    {
        return Err(format!(
            "the text \"{number}\" would equal a JSON number's canonical form, which no \
             warehouse writes; compare with the number {number} (without quotes) instead"
        ));
    }
    let scalar = |value: &str| json.scalar(value, positive, c);
    let elements = json.some_element(&node, &scalar(ELEMENT)?);
    Ok(format!(
        "{present} AND CASE WHEN {} = 'array' THEN {elements} ELSE {} END",
        json.kind(&node),
        scalar(&node)?
    ))
}

/// How a dialect reads JSON.
struct Json {
    dialect: Dialect,
}

impl Json {
    fn of(dialect: Dialect) -> Result<Json, String> {
        match dialect {
            Dialect::Postgres | Dialect::Duckdb => Ok(Json { dialect }),
            _ => Err(format!(
                "JSON columns are compiled for PostgreSQL and DuckDB only ({} JSON functions \
                 are not checked against the engine here)",
                dialect.title()
            )),
        }
    }

    /// The JSON value at `path`, walking objects only; SQL NULL when absent.
    fn node(&self, column: &str, path: &[&str]) -> String {
        match self.dialect {
            // `->` with a text key reads objects only: on an array or a scalar it is NULL.
            Dialect::Postgres => path
                .iter()
                .fold(format!("CAST({column} AS jsonb)"), |node, part| {
                    format!("({node} -> {})", self.dialect.string(part))
                }),
            _ => {
                let mut json_path = String::from("$");
                for part in path {
                    json_path.push_str(&format!(".\"{}\"", part.replace('"', "\\\"")));
                }
                format!(
                    "json_extract(CAST({column} AS JSON), {})",
                    self.dialect.string(&json_path)
                )
            }
        }
    }

    fn type_of(&self, node: &str) -> String {
        match self.dialect {
            Dialect::Postgres => format!("jsonb_typeof({node})"),
            _ => format!("json_type({node})"),
        }
    }

    fn null_type(&self) -> &'static str {
        match self.dialect {
            Dialect::Postgres => "null",
            _ => "NULL",
        }
    }

    /// The value's kind in one vocabulary: string, number, boolean, array, object, null.
    fn kind(&self, node: &str) -> String {
        match self.dialect {
            Dialect::Postgres => format!("jsonb_typeof({node})"),
            _ => format!(
                "CASE json_type({node}) WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN \
                 'boolean' WHEN 'ARRAY' THEN 'array' WHEN 'OBJECT' THEN 'object' WHEN 'NULL' \
                 THEN 'null' ELSE 'number' END"
            ),
        }
    }

    /// A scalar's text: a string unquoted, a number or boolean as the document wrote it.
    fn text(&self, node: &str) -> String {
        match self.dialect {
            Dialect::Postgres => format!("({node} #>> '{{}}')"),
            _ => format!("json_extract_string({node}, '$')"),
        }
    }

    /// Some element of the array `node` satisfies `predicate` (over [`ELEMENT`]).
    fn some_element(&self, node: &str, predicate: &str) -> String {
        let p = format!("COALESCE({predicate}, FALSE)");
        match self.dialect {
            Dialect::Postgres => format!(
                "EXISTS (SELECT 1 FROM jsonb_array_elements({node}) AS sse_a({ELEMENT}) WHERE \
                 {p})"
            ),
            _ => format!("len(list_filter(CAST({node} AS JSON[]), {ELEMENT} -> {p})) > 0"),
        }
    }

    /// The test of one scalar (a string, number or boolean; anything else never matches).
    fn scalar(&self, node: &str, op: Operator, c: &Condition) -> Result<String, String> {
        let d = self.dialect;
        let text = self.text(node);
        let as_text = Value {
            dialect: d,
            kind: ColumnType::Text,
            sql: text.clone(),
        };
        let as_boolean = Value {
            dialect: d,
            kind: ColumnType::Boolean,
            sql: format!("({text} = 'true')"),
        };
        let number = match op {
            // JSON's number syntax is within the engine's, so the text path reads it as
            // the engine does.
            Operator::Gt
            | Operator::Gte
            | Operator::Lt
            | Operator::Lte
            | Operator::Eq
            | Operator::In => as_text.predicate(op, c)?,
            Operator::Before | Operator::After => "FALSE".to_owned(),
            _ => d.fail(
                &text,
                ": a number in a JSON column tested as text, which Segment Studio's SQL does \
                 not compare (the engine would)",
            ),
        };
        Ok(format!(
            "CASE {} WHEN 'string' THEN {} WHEN 'boolean' THEN {} WHEN 'number' THEN {number} \
             ELSE FALSE END",
            self.kind(node),
            as_text.predicate(op, c)?,
            as_boolean.predicate(op, c)?,
        ))
    }
}
