//! What differs between warehouses: quoting, literals, casts, regex tests, arrays.

use crate::SqlError;
use crate::regex::Flavor;

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

    /// The product's name, for people.
    pub fn title(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::Duckdb => "DuckDB",
            Dialect::Spark => "Spark SQL",
            Dialect::Trino => "Trino",
            Dialect::Bigquery => "BigQuery",
            Dialect::Snowflake => "Snowflake",
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

impl Dialect {
    /// Group `group` of `pattern` (anchored, ASCII, with non-capturing groups elsewhere)
    /// in `value`, or '' when it took no part in the match. The other groups are made
    /// non-capturing first: BigQuery extracts a single group and DuckDB at most nine.
    pub(crate) fn capture(self, value: &str, pattern: &str, group: usize) -> String {
        let p = self.string(&only_group(pattern, group));
        match self {
            Dialect::Postgres => format!("COALESCE((regexp_match({value}, {p}))[1], '')"),
            Dialect::Duckdb | Dialect::Spark => format!("regexp_extract({value}, {p}, 1)"),
            Dialect::Trino => format!("COALESCE(regexp_extract({value}, {p}, 1), '')"),
            Dialect::Bigquery => format!("COALESCE(REGEXP_EXTRACT({value}, {p}), '')"),
            Dialect::Snowflake => {
                format!("COALESCE(REGEXP_SUBSTR({value}, {p}, 1, 1, 'e', 1), '')")
            }
        }
    }

    /// The `index`-th (from 1) `delimiter`-separated part of `value`, '' beyond the last.
    pub(crate) fn split_part(self, value: &str, delimiter: char, index: usize) -> String {
        let d = self.string(&delimiter.to_string());
        match self {
            Dialect::Trino => format!("COALESCE(split_part({value}, {d}, {index}), '')"),
            Dialect::Bigquery => format!(
                "COALESCE(SPLIT({value}, {d})[SAFE_OFFSET({})], '')",
                index - 1
            ),
            _ => format!("split_part({value}, {d}, {index})"),
        }
    }

    /// `value` compared by bytes (code points), whatever the database's collation.
    pub(crate) fn binary(self, value: &str) -> String {
        match self {
            Dialect::Postgres => format!("({value}) COLLATE \"C\""),
            _ => value.to_owned(),
        }
    }

    /// A string of digits as a 64-bit integer.
    pub(crate) fn integer(self, digits: &str) -> String {
        match self {
            Dialect::Bigquery => format!("CAST({digits} AS INT64)"),
            _ => format!("CAST({digits} AS BIGINT)"),
        }
    }

    /// Integer division of a non-negative integer expression.
    pub(crate) fn div(self, value: &str, by: u32) -> String {
        match self {
            Dialect::Postgres => format!("div({value}, {by})"),
            Dialect::Duckdb => format!("({value} // {by})"),
            Dialect::Spark => format!("({value} div {by})"),
            Dialect::Trino => format!("({value} / {by})"),
            Dialect::Bigquery => format!("DIV({value}, {by})"),
            Dialect::Snowflake => format!("TRUNC({value} / {by})"),
        }
    }

    /// The remainder of an integer division (zero exactly when divisible, whatever the sign).
    pub(crate) fn modulo(self, value: &str, by: u32) -> String {
        format!("MOD({value}, {by})")
    }

    /// Fraction digits as exactly nine: the first nine, padded with zeros on the right.
    pub(crate) fn pad_fraction(self, digits: &str) -> String {
        let name = if self == Dialect::Bigquery {
            "RPAD"
        } else {
            "rpad"
        };
        format!("{name}(substr({digits}, 1, 9), 9, '0')")
    }

    /// The instant `micros` microseconds after the Unix epoch as a timestamp literal, or
    /// `None` outside the years 0001–9999.
    pub(crate) fn timestamp_literal(self, micros: i128) -> Option<String> {
        let nanos = micros.checked_mul(1000)?;
        let at = time::OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
        if !(1..=9999).contains(&at.year()) {
            return None;
        }
        let text = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            at.microsecond()
        );
        Some(match self {
            Dialect::Postgres | Dialect::Duckdb => format!("CAST('{text}+00' AS TIMESTAMPTZ)"),
            Dialect::Spark => format!("CAST('{text}Z' AS TIMESTAMP)"),
            Dialect::Trino => format!("TIMESTAMP '{text} UTC'"),
            Dialect::Bigquery => format!("TIMESTAMP '{text}+00'"),
            Dialect::Snowflake => format!("CAST('{text} +00:00' AS TIMESTAMP_TZ)"),
        })
    }

    /// The regex flavor of `matches`, `None` where no flavor is compiled for the dialect.
    pub(crate) fn regex_flavor(self) -> Option<Flavor> {
        match self {
            Dialect::Postgres => Some(Flavor::PostgresAre),
            Dialect::Spark => Some(Flavor::Java),
            Dialect::Duckdb | Dialect::Bigquery => Some(Flavor::Re2),
            Dialect::Trino | Dialect::Snowflake => None,
        }
    }

    /// `value` holds a match of `pattern` (of [`Dialect::regex_flavor`]) somewhere.
    pub(crate) fn regex_search(self, value: &str, pattern: &str) -> String {
        let p = self.string(pattern);
        match self {
            Dialect::Postgres => format!("{value} ~ {p}"),
            Dialect::Duckdb => format!("regexp_matches({value}, {p})"),
            Dialect::Spark => format!("{value} RLIKE {p}"),
            Dialect::Bigquery => format!("REGEXP_CONTAINS({value}, {p})"),
            Dialect::Trino => format!("regexp_like({value}, {p})"),
            Dialect::Snowflake => format!("REGEXP_LIKE({value}, {p})"),
        }
    }
}

/// `pattern` with every capturing group but `group` made non-capturing (ASCII patterns of
/// our own: no classes holding parentheses).
fn only_group(pattern: &str, group: usize) -> String {
    let mut out = String::new();
    let mut seen = 0;
    let mut chars = pattern.chars().peekable();
    while let Some(ch) = chars.next() {
        out.push(ch);
        if ch == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else if ch == '(' && chars.peek() != Some(&'?') {
            seen += 1;
            if seen != group {
                out.push_str("?:");
            }
        }
    }
    out
}

/// The element variable of array predicates.
pub(crate) const ELEMENT: &str = "sse_v";
