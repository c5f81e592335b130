//! Canonical strings and numbers of JSON scalars, computed without allocating.

use serde_json::{Number, Value};

/// Largest integer magnitude that an `f64` holds exactly; integral floats below it print as
/// integers so `3.0` and `3` have one canonical form.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// A stack buffer big enough for any canonical number (`ryu` and `itoa` need at most 24 and
/// 20 bytes).
pub(crate) struct NumberText {
    buf: [u8; 32],
    len: usize,
}

impl NumberText {
    fn from_str(s: &str) -> Self {
        let mut buf = [0u8; 32];
        let len = s.len().min(buf.len());
        buf[..len].copy_from_slice(&s.as_bytes()[..len]);
        Self { buf, len }
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits, signs, dots and exponents are ever written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }

    pub(crate) fn of(number: &Number) -> Self {
        if let Some(i) = number.as_i64() {
            Self::from_str(itoa::Buffer::new().format(i))
        } else if let Some(u) = number.as_u64() {
            Self::from_str(itoa::Buffer::new().format(u))
        } else {
            Self::of_f64(number.as_f64().unwrap_or(0.0))
        }
    }

    pub(crate) fn of_f64(f: f64) -> Self {
        if f.fract() == 0.0 && f.abs() < EXACT_INTEGER_LIMIT {
            // Exact by the check above; `+ 0.0` turns -0.0 into 0.0.
            #[allow(clippy::cast_possible_truncation)]
            let i = (f + 0.0) as i64;
            Self::from_str(itoa::Buffer::new().format(i))
        } else {
            Self::from_str(ryu::Buffer::new().format(f))
        }
    }
}

/// The canonical string of a scalar, handed to `f` (so numbers can live on the stack).
/// Returns `None` for null, arrays and objects.
pub(crate) fn with_canonical_str<R>(value: &Value, f: impl FnOnce(&str) -> R) -> Option<R> {
    match value {
        Value::String(s) => Some(f(s)),
        Value::Bool(b) => Some(f(if *b { "true" } else { "false" })),
        Value::Number(n) => Some(f(NumberText::of(n).as_str())),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// The canonical string of a scalar as an owned string (compile time only).
pub(crate) fn canonical_string(value: &Value) -> Option<String> {
    with_canonical_str(value, str::to_owned)
}

/// A number from a JSON number or a numeric string; `None` otherwise.
pub(crate) fn as_number(value: &Value) -> Option<f64> {
    match value {
        // `+ 0.0` folds -0.0 into 0.0 so sorted lookups treat them as one number.
        Value::Number(n) => n.as_f64().map(|f| f + 0.0),
        Value::String(s) => parse_numeric_str(s),
        _ => None,
    }
}

/// Parses decimal notation only: Rust's float parser also takes "inf" and "NaN", which are
/// not numbers any of the vendors' APIs would send.
pub(crate) fn parse_numeric_str(s: &str) -> Option<f64> {
    let plausible = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        && s.bytes().any(|b| b.is_ascii_digit());
    if !plausible {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(|f| f + 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(v: Value) -> Option<String> {
        canonical_string(&v)
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canon(json!(true)).as_deref(), Some("true"));
        assert_eq!(canon(json!(false)).as_deref(), Some("false"));
        assert_eq!(canon(json!(3)).as_deref(), Some("3"));
        assert_eq!(canon(json!(3.0)).as_deref(), Some("3"));
        assert_eq!(canon(json!(-0.0)).as_deref(), Some("0"));
        assert_eq!(canon(json!(2.5)).as_deref(), Some("2.5"));
        assert_eq!(
            canon(json!(u64::MAX)).as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(canon(json!(1e300)).as_deref(), Some("1e300"));
        assert_eq!(canon(json!("x")).as_deref(), Some("x"));
        assert_eq!(canon(json!(null)), None);
        assert_eq!(canon(json!([1])), None);
    }

    #[test]
    fn numeric_strings() {
        assert_eq!(parse_numeric_str("42"), Some(42.0));
        assert_eq!(parse_numeric_str("-1.5e2"), Some(-150.0));
        assert_eq!(parse_numeric_str("inf"), None);
        assert_eq!(parse_numeric_str("NaN"), None);
        assert_eq!(parse_numeric_str(""), None);
        assert_eq!(parse_numeric_str("-"), None);
        assert_eq!(parse_numeric_str("1e999"), None);
        assert_eq!(parse_numeric_str("12abc"), None);
    }
}
