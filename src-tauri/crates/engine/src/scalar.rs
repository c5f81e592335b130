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
pub fn canonical_string(value: &Value) -> Option<String> {
    with_canonical_str(value, str::to_owned)
}

/// A number read from JSON or a numeric string. Integers stay exact: IDs above 2^53 are
/// common in contexts and two different ones must never compare equal through `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An integer, or an integral float below 2^53 (so `3.0` and `3` are one number).
    Int(i128),
    /// Anything else, with -0.0 folded into 0.0.
    Float(f64),
}

impl Num {
    fn from_f64(f: f64) -> Num {
        if f.fract() == 0.0 && f.abs() < EXACT_INTEGER_LIMIT {
            // Exact by the check above.
            #[allow(clippy::cast_possible_truncation)]
            Num::Int(f as i128)
        } else {
            Num::Float(f + 0.0)
        }
    }

    /// The value as an `f64`, for comparisons that involve a non-integer.
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// Exact between integers, by `f64` otherwise.
    pub(crate) fn compare(self, other: Num) -> std::cmp::Ordering {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => a.cmp(&b),
            (a, b) => a.as_f64().total_cmp(&b.as_f64()),
        }
    }
}

/// A number from a JSON number or a numeric string; `None` otherwise.
pub fn as_num(value: &Value) -> Option<Num> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .map(|i| Num::Int(i.into()))
            .or_else(|| n.as_u64().map(|u| Num::Int(u.into())))
            .or_else(|| n.as_f64().map(Num::from_f64)),
        Value::String(s) => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            let integral = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            match s.parse::<i128>() {
                Ok(i) if integral => Some(Num::Int(i)),
                _ => parse_numeric_str(s).map(Num::from_f64),
            }
        }
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
    fn integers_stay_exact() {
        let n = |v: Value| as_num(&v).unwrap();
        assert_eq!(
            n(json!(1234567890123456789_u64)),
            Num::Int(1234567890123456789)
        );
        assert_ne!(
            n(json!(1234567890123456789_u64)).compare(n(json!(1234567890123456790_u64))),
            std::cmp::Ordering::Equal
        );
        assert_eq!(n(json!("9007199254740993")), Num::Int(9007199254740993));
        assert_eq!(n(json!(3.0)), Num::Int(3));
        assert_eq!(n(json!("3.0")), Num::Int(3));
        assert_eq!(n(json!(-0.0)), Num::Int(0));
        assert_eq!(n(json!(2.5)), Num::Float(2.5));
        assert_eq!(as_num(&json!("x")), None);
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
