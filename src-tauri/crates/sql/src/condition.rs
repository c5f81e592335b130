//! One condition → a two-valued SQL boolean with the engine's meaning.

use crate::dialect::{Dialect, ELEMENT};
use crate::instant::{self, Direction};
use crate::number::{
    canonical_double, canonical_integer, double_compare, double_literal, integer_compare,
    text_compare,
};
use crate::schema::{ColumnType, Schema};
use crate::{json, regex, semver};
use segments_engine::{Condition, Operator, as_num, canonical_string};

/// The condition's SQL, or why the dialect cannot express it exactly.
pub(crate) fn compile(dialect: Dialect, schema: &Schema, c: &Condition) -> Result<String, String> {
    let (positive, negated) = c.operator.positive();
    let (name, kind, path) = schema.column(&c.attribute)?;
    let column = dialect.ident(name);
    let refuse = |why: &str| {
        format!(
            "\"{} {}\" ({} column) can't be written as exact {} SQL: {why}",
            c.attribute,
            c.operator.label(),
            kind.name(),
            dialect.title()
        )
    };
    let holds = match kind {
        ColumnType::Text | ColumnType::Integer | ColumnType::Double | ColumnType::Boolean => {
            let value = Value {
                dialect,
                kind,
                sql: column.clone(),
            };
            format!(
                "{column} IS NOT NULL AND {}",
                value.predicate(positive, c).map_err(|w| refuse(&w))?
            )
        }
        ColumnType::TextArray if positive == Operator::Exists => format!("{column} IS NOT NULL"),
        ColumnType::TextArray => {
            let element = Value {
                dialect,
                kind: ColumnType::Text,
                sql: ELEMENT.to_owned(),
            };
            let p = element.predicate(positive, c).map_err(|w| refuse(&w))?;
            let some = dialect
                .some_element(&column, &format!("{ELEMENT} IS NOT NULL AND {p}"))
                .ok_or_else(|| refuse("arrays are not compiled for this dialect"))?;
            format!("{column} IS NOT NULL AND {some}")
        }
        ColumnType::Timestamp => match positive {
            Operator::Exists => format!("{column} IS NOT NULL"),
            Operator::Before | Operator::After => format!(
                "{column} IS NOT NULL AND {}",
                instant::compare_timestamp(dialect, &column, direction(positive), &c.values)
                    .map_err(|w| refuse(&w))?
            ),
            _ => {
                return Err(refuse(
                    "a timestamp column is compared with dates (before, after) or tested for a \
                     value (is set); its text form is not the warehouse's",
                ));
            }
        },
        ColumnType::Json => {
            json::holds(dialect, &column, &path, positive, c).map_err(|w| refuse(&w))?
        }
    };
    let holds = format!("COALESCE({holds}, FALSE)");
    Ok(if negated {
        format!("NOT {holds}")
    } else {
        holds
    })
}

/// A non-null value of a known column type, as SQL.
pub(crate) struct Value {
    pub(crate) dialect: Dialect,
    pub(crate) kind: ColumnType,
    pub(crate) sql: String,
}

impl Value {
    /// The positive operator's test of this value against the condition's values.
    pub(crate) fn predicate(&self, op: Operator, c: &Condition) -> Result<String, String> {
        let d = self.dialect;
        match op {
            Operator::Exists => Ok("TRUE".to_owned()),
            Operator::Eq | Operator::In => self.equals(c),
            Operator::Contains | Operator::StartsWith | Operator::EndsWith => {
                let text = self.text()?;
                let (text, needles) = if c.case_insensitive {
                    (
                        fold(&text),
                        ascii_lowered(c, "contains, starts_with and ends_with")?,
                    )
                } else {
                    (text, strings(c))
                };
                let (prefix, suffix) = match op {
                    Operator::Contains => ("%", "%"),
                    Operator::StartsWith => ("", "%"),
                    _ => ("%", ""),
                };
                Ok(any(needles
                    .iter()
                    .map(|n| d.like(&text, prefix, n, suffix))))
            }
            Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => {
                let sign = match op {
                    Operator::Gt => ">",
                    Operator::Gte => ">=",
                    Operator::Lt => "<",
                    _ => "<=",
                };
                let numbers = c.values.iter().filter_map(as_num);
                Ok(any(numbers.map(|n| self.compare(sign, n))))
            }
            Operator::Matches => {
                let flavor = d.regex_flavor().ok_or_else(|| {
                    format!(
                        "{}'s regular expressions are not checked against the engine's here",
                        d.title()
                    )
                })?;
                let pattern = regex::translate(&strings(c), c.case_insensitive, flavor)?;
                Ok(d.regex_search(&self.text()?, &pattern))
            }
            Operator::SemverEq
            | Operator::SemverGt
            | Operator::SemverGte
            | Operator::SemverLt
            | Operator::SemverLte => {
                let sign = match op {
                    Operator::SemverEq => "=",
                    Operator::SemverGt => ">",
                    Operator::SemverGte => ">=",
                    Operator::SemverLt => "<",
                    _ => "<=",
                };
                match self.kind {
                    ColumnType::Boolean => Ok("FALSE".to_owned()),
                    _ => semver::compare(d, &self.text()?, sign, &c.values),
                }
            }
            Operator::Before | Operator::After => match self.kind {
                // The engine reads instants from strings only.
                ColumnType::Text => instant::compare_text(d, &self.sql, direction(op), &c.values),
                _ => Ok("FALSE".to_owned()),
            },
            // References are inlined by the caller before conditions are compiled.
            Operator::InSegment => Err("a segment reference in an unexpected place".to_owned()),
            other => Err(format!("`{}` has no SQL form", other.as_str())),
        }
    }

    fn compare(&self, sign: &str, n: segments_engine::Num) -> String {
        match self.kind {
            ColumnType::Integer => integer_compare(self.dialect, &self.sql, sign, n),
            ColumnType::Double => double_compare(self.dialect, &self.sql, sign, n),
            ColumnType::Boolean => "FALSE".to_owned(),
            _ => text_compare(self.dialect, &self.sql, sign, n),
        }
    }

    /// `eq` / `in`: numbers numerically, everything else as canonical strings.
    fn equals(&self, c: &Condition) -> Result<String, String> {
        let d = self.dialect;
        let mut parts: Vec<String> = c
            .values
            .iter()
            .filter(|v| v.is_number())
            .filter_map(as_num)
            .map(|n| self.compare("=", n))
            .collect();
        let texts: Vec<String> = c
            .values
            .iter()
            .filter(|v| !v.is_number())
            .filter_map(canonical_string)
            .collect();
        if !texts.is_empty() {
            let texts = if c.case_insensitive {
                ascii_only(&texts, "eq and in")?
            } else {
                texts
            };
            parts.push(match self.kind {
                ColumnType::Integer => {
                    let ints: Vec<String> = texts
                        .iter()
                        .filter_map(|t| canonical_integer(t))
                        .map(|i| i.to_string())
                        .collect();
                    in_list(&self.sql, &ints)
                }
                ColumnType::Double => {
                    let doubles: Vec<String> = texts
                        .iter()
                        .filter_map(|t| canonical_double(t))
                        .map(|f| double_literal(d, f))
                        .collect();
                    in_list(&self.sql, &doubles)
                }
                ColumnType::Boolean => {
                    let t = texts.iter().any(|t| t == "true");
                    let f = texts.iter().any(|t| t == "false");
                    match (t, f) {
                        (true, true) => "TRUE".to_owned(),
                        (true, false) => self.sql.clone(),
                        (false, true) => format!("NOT {}", self.sql),
                        (false, false) => "FALSE".to_owned(),
                    }
                }
                _ => {
                    let value = if c.case_insensitive {
                        lowered(&self.sql)
                    } else {
                        self.sql.clone()
                    };
                    let literals: Vec<String> = texts.iter().map(|t| d.string(t)).collect();
                    in_list(&value, &literals)
                }
            });
        }
        Ok(any(parts.into_iter()))
    }

    /// The value's canonical string as SQL text.
    fn text(&self) -> Result<String, String> {
        Ok(match self.kind {
            ColumnType::Integer => format!("CAST({} AS {})", self.sql, self.dialect.text()),
            ColumnType::Boolean => format!("CASE WHEN {} THEN 'true' ELSE 'false' END", self.sql),
            ColumnType::Double => {
                return Err(
                    "the canonical string of a double (shortest round-trip form) \
                            is not the warehouse's"
                        .to_owned(),
                );
            }
            _ => self.sql.clone(),
        })
    }
}

fn direction(positive: Operator) -> Direction {
    if positive == Operator::Before {
        Direction::Before
    } else {
        Direction::After
    }
}

/// The canonical strings of the condition's values.
fn strings(c: &Condition) -> Vec<String> {
    c.values.iter().filter_map(canonical_string).collect()
}

/// Lowercase values, for case-insensitive tests; only ASCII ones compare exactly across
/// warehouses, whose lowercase and case-folding tables differ from Rust's beyond ASCII.
fn ascii_lowered(c: &Condition, what: &str) -> Result<Vec<String>, String> {
    ascii_only(&strings(c), what)
}

fn ascii_only(values: &[String], what: &str) -> Result<Vec<String>, String> {
    if let Some(odd) = values.iter().find(|v| !v.is_ascii()) {
        return Err(format!(
            "case-insensitive {what} with non-ASCII text ({odd:?}): warehouses' Unicode case \
             tables differ from the engine's"
        ));
    }
    Ok(values.iter().map(|v| v.to_ascii_lowercase()).collect())
}

/// The engine's lowercase, as far as an ASCII value can tell: the Kelvin sign lowercases to
/// `k`, and `İ` to `i̇` in Rust but to `i` in some warehouses, so it is set apart first.
fn lowered(value: &str) -> String {
    format!("lower(replace(replace({value}, 'İ', 'ı'), 'K', 'k'))")
}

/// The engine's case folding (Unicode simple folding), for an ASCII needle: the long `ſ`
/// also folds to `s`.
fn fold(value: &str) -> String {
    format!("lower(replace(replace(replace({value}, 'İ', 'ı'), 'ſ', 's'), 'K', 'k'))")
}

fn in_list(value: &str, literals: &[String]) -> String {
    match literals {
        [] => "FALSE".to_owned(),
        [one] => format!("{value} = {one}"),
        many => format!("{value} IN ({})", many.join(", ")),
    }
}

fn any(parts: impl Iterator<Item = String>) -> String {
    let parts: Vec<String> = parts.collect();
    match parts.as_slice() {
        [] => "FALSE".to_owned(),
        [one] => one.clone(),
        many => format!("({})", many.join(" OR ")),
    }
}
