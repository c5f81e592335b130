//! Compiles segments into SQL that a warehouse runs with exactly the engine's semantics.
//!
//! A segment becomes a `WHERE` predicate over one table, one column per attribute. Every
//! condition compiles to a two-valued boolean (never SQL `NULL`), so a negation is exactly
//! the negation of its positive, as in the engine: a missing attribute matches `neq`. What a
//! dialect cannot express exactly is refused for that segment, naming the construct and the
//! dialect; nothing is approximated.
//!
//! ```
//! use segments_engine::parse_segment_text;
//! use segments_sql::{Dialect, Schema, compile};
//!
//! let pro = parse_segment_text(r#"{"key": "pro", "rules": [
//!     {"attribute": "plan", "operator": "eq", "values": ["pro"]}]}"#).unwrap();
//! let out = compile(&[pro], &[], Dialect::Postgres, "users", &Schema::all_text()).unwrap();
//! assert_eq!(out.segments[0].count, r#"SELECT count(*) FROM "users" WHERE COALESCE("plan" IS NOT NULL AND "plan" = 'pro', FALSE)"#);
//! ```

mod condition;
mod dialect;
mod instant;
mod json;
mod number;
mod regex;
mod schema;
mod semver;

use std::collections::HashMap;

use segments_engine::{MatchType, Operator, Rule, Segment};
use serde::Serialize;

pub use dialect::Dialect;
pub use schema::{ColumnType, Schema};

/// Why nothing could be compiled at all (a refusal of one segment is data, see [`Output`]).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SqlError {
    /// The table name is empty or has an empty or NUL-holding part.
    #[error("table name {0:?} is not usable: give NAME or SCHEMA.NAME, without empty parts")]
    BadTable(String),
    /// A requested key names no segment.
    #[error("no segment has the key {0:?}")]
    UnknownSegment(String),
    /// The schema document is malformed.
    #[error("schema: {0}")]
    BadSchema(String),
}

/// One compiled segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompiledSql {
    /// The segment's key.
    pub key: String,
    /// The predicate, for a `WHERE` clause.
    pub r#where: String,
    /// `SELECT count(*) FROM table WHERE predicate`.
    pub count: String,
}

/// A segment the dialect cannot express exactly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refused {
    /// The segment's key.
    pub key: String,
    /// The construct and the dialect, in words.
    pub reason: String,
}

/// What `segments sql` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Output {
    /// The dialect's name.
    pub dialect: &'static str,
    /// The table as given.
    pub table: String,
    /// The segments compiled, in the order asked.
    pub segments: Vec<CompiledSql>,
    /// The segments refused, with the reason.
    pub refused: Vec<Refused>,
}

/// Compiles `keys` (every segment when empty) of `segments`, which must hold everything
/// they reference (the store's validation guarantees there is no cycle).
pub fn compile(
    segments: &[Segment],
    keys: &[String],
    dialect: Dialect,
    table: &str,
    schema: &Schema,
) -> Result<Output, SqlError> {
    let table_sql = dialect.table(table)?;
    let by_key: HashMap<&str, &Segment> = segments.iter().map(|s| (s.key.as_str(), s)).collect();
    let wanted: Vec<&Segment> = if keys.is_empty() {
        segments.iter().collect()
    } else {
        keys.iter()
            .map(|k| {
                by_key
                    .get(k.as_str())
                    .copied()
                    .ok_or_else(|| SqlError::UnknownSegment(k.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    let mut out = Output {
        dialect: dialect.name(),
        table: table.to_owned(),
        segments: Vec::new(),
        refused: Vec::new(),
    };
    for segment in wanted {
        let compiler = Compiler {
            dialect,
            schema,
            by_key: &by_key,
        };
        match compiler.segment(segment, 0) {
            Ok(predicate) => out.segments.push(CompiledSql {
                key: segment.key.clone(),
                count: format!("SELECT count(*) FROM {table_sql} WHERE {predicate}"),
                r#where: predicate,
            }),
            Err(reason) => out.refused.push(Refused {
                key: segment.key.clone(),
                reason,
            }),
        }
    }
    Ok(out)
}

/// The reference chain is validated on save; this bound only keeps a corrupt input from
/// recursing without end.
const MAX_REFERENCE_DEPTH: usize = 64;

struct Compiler<'a> {
    dialect: Dialect,
    schema: &'a Schema,
    by_key: &'a HashMap<&'a str, &'a Segment>,
}

impl Compiler<'_> {
    fn segment(&self, segment: &Segment, depth: usize) -> Result<String, String> {
        if depth > MAX_REFERENCE_DEPTH {
            return Err(format!(
                "segment {:?} references segments more than {MAX_REFERENCE_DEPTH} deep",
                segment.key
            ));
        }
        self.rules(segment.match_type, &segment.rules, depth)
    }

    fn rules(&self, match_type: MatchType, rules: &[Rule], depth: usize) -> Result<String, String> {
        let parts = rules
            .iter()
            .map(|rule| match rule {
                Rule::Condition(c) if c.operator.positive().0 == Operator::InSegment => {
                    self.reference(c, depth)
                }
                Rule::Condition(c) => condition::compile(self.dialect, self.schema, c),
                Rule::Group(g) => self.rules(g.match_type, &g.rules, depth),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(match match_type {
            MatchType::All => join(&parts, " AND "),
            MatchType::Any => join(&parts, " OR "),
            MatchType::None => format!("NOT ({})", parts.join(" OR ")),
        })
    }

    /// `in_segment` is the referenced segments' predicates inlined, OR-ed.
    fn reference(&self, c: &segments_engine::Condition, depth: usize) -> Result<String, String> {
        let mut parts = Vec::new();
        for value in &c.values {
            let key = value.as_str().unwrap_or_default();
            let referenced = self.by_key.get(key).ok_or_else(|| {
                format!("references segment {key:?}, which was not given to the compiler")
            })?;
            parts.push(self.segment(referenced, depth + 1)?);
        }
        let any = format!("({})", parts.join(" OR "));
        Ok(if c.operator.positive().1 {
            format!("NOT {any}")
        } else {
            any
        })
    }
}

fn join(parts: &[String], glue: &str) -> String {
    if parts.len() == 1 {
        parts[0].clone()
    } else {
        format!("({})", parts.join(glue))
    }
}
