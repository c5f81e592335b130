//! Timestamps for `before` / `after`: RFC 3339 or `YYYY-MM-DD` (midnight UTC).

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Parses a timestamp into Unix nanoseconds; `None` when it is neither accepted form.
/// `time`'s parse errors are plain enums, so a failed parse allocates nothing either.
pub fn parse_instant(s: &str) -> Option<i128> {
    if let Ok(at) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(at.unix_timestamp_nanos());
    }
    let date = Date::parse(s, format_description!("[year]-[month]-[day]")).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp_nanos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(parse_instant("1970-01-01"), Some(0));
        assert_eq!(parse_instant("1970-01-01T00:00:01Z"), Some(1_000_000_000));
        assert_eq!(parse_instant("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_instant("2026-02-30"), None);
        assert_eq!(parse_instant("yesterday"), None);
        assert_eq!(parse_instant("2026-01-01 10:00"), None);
    }
}
