//! Numbers as the engine reads them: JSON numbers, and numeric strings in the engine's own
//! syntax (not the database's cast, which accepts spaces, `Infinity` or `1e999`).

use segments_engine::{Num, canonical_string};
use serde_json::Value;

use crate::dialect::Dialect;

/// An integer string the engine reads exactly (an `i128`); 38 digits fit every dialect's
/// widest exact type, and a 39-digit one is ordered the same way as a double.
const INTEGER: &str = "^-?[0-9]{1,38}$";
/// Rust's float syntax with a short exponent: at most 40 characters and a 2-digit exponent
/// stay far from overflow and underflow, so every dialect's cast rounds exactly as Rust's
/// parser does and never fails.
const FLOAT: &str = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,2})?$";
/// Rust's float syntax, any exponent.
const ANY_FLOAT: &str = "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$";
const FLOAT_MAX_CHARS: usize = 40;

/// The literal of a number: exact digits for an integer, the shortest round-trip form
/// (the engine's canonical string) for a double.
fn literal(n: Num) -> String {
    match n {
        Num::Int(i) => i.to_string(),
        Num::Float(f) => float_literal(f),
    }
}

fn float_literal(f: f64) -> String {
    serde_json::Number::from_f64(f)
        .and_then(|n| canonical_string(&Value::Number(n)))
        .unwrap_or_else(|| "0".to_owned())
}

fn as_double(dialect: Dialect, n: Num) -> String {
    format!(
        "CAST({} AS {})",
        float_literal(n.as_f64()),
        dialect.double()
    )
}

/// `value op n` where `value` is a non-null text expression, with the engine's reading of
/// numeric strings; a string outside the exactly compared range stops the query.
pub(crate) fn text_compare(dialect: Dialect, value: &str, op: &str, n: Num) -> String {
    let float_form = format!(
        "{} AND {} <= {FLOAT_MAX_CHARS}",
        dialect.full_match(value, FLOAT),
        dialect.length(value)
    );
    let as_double_text = format!("CAST({value} AS {})", dialect.double());
    let beyond = format!(
        "WHEN {} THEN {}",
        dialect.full_match(value, ANY_FLOAT),
        dialect.fail(
            value,
            ": a numeric string longer than 40 characters or with a 3-digit exponent, \
             which Segment Studio's SQL does not compare (the engine would)",
        )
    );
    match n {
        Num::Int(i) => format!(
            "CASE WHEN {} THEN CAST({value} AS {}) {op} {i} WHEN {float_form} THEN \
             {as_double_text} {op} {} {beyond} ELSE FALSE END",
            dialect.full_match(value, INTEGER),
            dialect.wide_integer(),
            as_double(dialect, n),
        ),
        Num::Float(_) => format!(
            "CASE WHEN {float_form} THEN {as_double_text} {op} {} {beyond} ELSE FALSE END",
            as_double(dialect, n),
        ),
    }
}

/// `column op n` for an integer column.
pub(crate) fn integer_compare(dialect: Dialect, column: &str, op: &str, n: Num) -> String {
    match n {
        Num::Int(i) => format!("{column} {op} {i}"),
        Num::Float(_) => format!(
            "CAST({column} AS {}) {op} {}",
            dialect.double(),
            as_double(dialect, n)
        ),
    }
}

/// `column op n` for a double column: the engine compares a non-integer by `f64`, and an
/// integral double below 2^53 exactly, which is the same order.
pub(crate) fn double_compare(dialect: Dialect, column: &str, op: &str, n: Num) -> String {
    match n {
        Num::Int(_) => format!("{column} {op} {}", as_double(dialect, n)),
        Num::Float(_) => format!("{column} {op} {}", literal_as_double(dialect, n)),
    }
}

fn literal_as_double(dialect: Dialect, n: Num) -> String {
    format!("CAST({} AS {})", literal(n), dialect.double())
}

/// The integer whose canonical string is `s`, if any.
pub(crate) fn canonical_integer(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|i| i.to_string() == s)
}

/// The double whose canonical string is `s`, if any.
pub(crate) fn canonical_double(s: &str) -> Option<f64> {
    let f = s.parse::<f64>().ok().filter(|f| f.is_finite())?;
    (float_literal(f) == s).then_some(f + 0.0)
}

/// A double literal of `f`.
pub(crate) fn double_literal(dialect: Dialect, f: f64) -> String {
    format!("CAST({} AS {})", float_literal(f), dialect.double())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_of_rule_strings() {
        assert_eq!(canonical_integer("42"), Some(42));
        assert_eq!(canonical_integer("042"), None);
        assert_eq!(canonical_integer("-0"), None);
        assert_eq!(canonical_double("2.5"), Some(2.5));
        assert_eq!(canonical_double("3"), Some(3.0));
        assert_eq!(canonical_double("3.0"), None);
        assert_eq!(canonical_double("1e300"), Some(1e300));
        assert_eq!(literal(Num::Float(0.1)), "0.1");
        assert_eq!(literal(Num::Int(-7)), "-7");
    }
}
