//! What differs between warehouses: quoting, literals, casts, regex tests, arrays.

use crate::SqlError;

/// A SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
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

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 6] = [
        Dialect::Postgres,
        Dialect::Duckdb,
        Dialect::Spark,
        Dialect::Trino,
        Dialect::Bigquery,
        Dialect::Snowflake,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Trino => "trino",
            Dialect::Bigquery => "bigquery",
            Dialect::Snowflake => "snowflake",
        }
    }

    /// The dialect named `name`.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// A quoted identifier.
    pub(crate) fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark | Dialect::Bigquery => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// `NAME` or `SCHEMA.NAME`, each part quoted.
    pub(crate) fn table(self, table: &str) -> Result<String, SqlError> {
        let parts: Vec<&str> = table.split('.').collect();
        if parts.iter().any(|p| p.is_empty() || p.contains('\0')) || parts.len() > 3 {
            return Err(SqlError::BadTable(table.to_owned()));
        }
        Ok(parts
            .iter()
            .map(|p| self.ident(p))
            .collect::<Vec<_>>()
            .join("."))
    }

    /// A string literal. Spark, BigQuery and Snowflake read backslash escapes inside
    /// quotes; the others take the text as it is.
    pub(crate) fn string(self, s: &str) -> String {
        match self {
            Dialect::Spark | Dialect::Bigquery => format!(
                "'{}'",
                s.replace('\\', "\\\\")
                    .replace('\'', "\\'")
                    .replace('\n', "\\n")
                    .replace('\r', "\\r")
            ),
            Dialect::Snowflake => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''")),
            _ => format!("'{}'", s.replace('\'', "''")),
        }
    }

    /// The double type's name.
    pub(crate) fn double(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::Bigquery => "FLOAT64",
            _ => "DOUBLE",
        }
    }

    /// The exact integer type wide enough for any 38-digit integer.
    pub(crate) fn wide_integer(self) -> &'static str {
        match self {
            Dialect::Postgres => "NUMERIC(38, 0)",
            Dialect::Bigquery => "BIGNUMERIC",
            _ => "DECIMAL(38, 0)",
        }
    }

    /// The text type's name, for casts.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Dialect::Postgres => "TEXT",
            Dialect::Spark | Dialect::Bigquery => "STRING",
            _ => "VARCHAR",
        }
    }

    /// `value` matches `pattern`, an ASCII regex of our own, anchored with `^` and `$`.
    /// Java's and Ruby's `$` also match before a final newline, so they get `\z`.
    pub(crate) fn full_match(self, value: &str, pattern: &str) -> String {
        let end_anchored = |end: &str| {
            let body = pattern.strip_suffix('$').unwrap_or(pattern);
            format!("{body}{end}")
        };
        match self {
            Dialect::Postgres => format!("{value} ~ {}", self.string(pattern)),
            Dialect::Duckdb => format!("regexp_full_match({value}, {})", self.string(pattern)),
            Dialect::Spark => format!("{value} RLIKE {}", self.string(&end_anchored("\\z"))),
            Dialect::Trino => format!(
                "regexp_like({value}, {})",
                self.string(&end_anchored("\\z"))
            ),
            Dialect::Bigquery => format!("REGEXP_CONTAINS({value}, {})", self.string(pattern)),
            Dialect::Snowflake => format!("REGEXP_LIKE({value}, {})", self.string(pattern)),
        }
    }

    /// Character length.
    pub(crate) fn length(self, value: &str) -> String {
        match self {
            Dialect::Postgres | Dialect::Duckdb | Dialect::Snowflake | Dialect::Trino => {
                format!("length({value})")
            }
            Dialect::Spark => format!("char_length({value})"),
            Dialect::Bigquery => format!("CHAR_LENGTH({value})"),
        }
    }

    /// A boolean that stops the query with `message` (built from the row, so no planner
    /// folds it ahead of time) when it is reached.
    pub(crate) fn fail(self, value: &str, message: &str) -> String {
        let text = format!("{value} || {}", self.string(message));
        match self {
            Dialect::Postgres | Dialect::Snowflake => format!("CAST({text} AS BOOLEAN)"),
            Dialect::Duckdb => format!("CAST(error({text}) AS BOOLEAN)"),
            Dialect::Spark => format!(
                "CAST(raise_error(concat({value}, {})) AS BOOLEAN)",
                self.string(message)
            ),
            Dialect::Trino => format!("CAST(fail({text}) AS BOOLEAN)"),
            Dialect::Bigquery => format!("CAST(ERROR({text}) AS BOOL)"),
        }
    }

    /// `LIKE pattern` with `%`/`_` in `literal` escaped; `prefix`/`suffix` are `%` or "".
    pub(crate) fn like(self, value: &str, prefix: &str, literal: &str, suffix: &str) -> String {
        // BigQuery's LIKE has no ESCAPE clause and escapes with a backslash.
        let escape = if self == Dialect::Bigquery { '\\' } else { '!' };
        let mut pattern = String::from(prefix);
        for ch in literal.chars() {
            if ch == '%' || ch == '_' || ch == escape {
                pattern.push(escape);
            }
            pattern.push(ch);
        }
        pattern.push_str(suffix);
        if self == Dialect::Bigquery {
            format!("{value} LIKE {}", self.string(&pattern))
        } else {
            format!("{value} LIKE {} ESCAPE '!'", self.string(&pattern))
        }
    }

    /// Some element of the array column `column` satisfies `predicate`, written over the
    /// element variable [`ELEMENT`]; `None` when the dialect has no exact form.
    pub(crate) fn some_element(self, column: &str, predicate: &str) -> Option<String> {
        let p = format!("COALESCE({predicate}, FALSE)");
        Some(match self {
            Dialect::Postgres => {
                format!("EXISTS (SELECT 1 FROM unnest({column}) AS sse(sse_v) WHERE {p})")
            }
            Dialect::Duckdb => format!("len(list_filter({column}, {ELEMENT} -> {p})) > 0"),
            Dialect::Spark => format!("exists({column}, {ELEMENT} -> {p})"),
            Dialect::Trino => format!("any_match({column}, {ELEMENT} -> {p})"),
            Dialect::Bigquery => {
                format!("EXISTS (SELECT 1 FROM UNNEST({column}) AS {ELEMENT} WHERE {p})")
            }
            Dialect::Snowflake => return None,
        })
    }
}

/// The element variable of array predicates.
pub(crate) const ELEMENT: &str = "sse_v";
