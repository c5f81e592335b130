//! Timestamps as stored: RFC 3339 in UTC with milliseconds, so they sort as text.

use time::OffsetDateTime;
use time::macros::format_description;

/// Today's date in UTC, as `2026-11-21`.
pub fn today() -> String {
    let format = format_description!("[year]-[month]-[day]");
    OffsetDateTime::now_utc()
        .format(format)
        .unwrap_or_else(|_| "1970-01-01".to_owned())
}

/// Now, as `2026-11-21T10:00:00.123Z`.
pub fn now_rfc3339() -> String {
    rfc3339_in(std::time::Duration::ZERO)
}

/// `later` from now, in the same form as [`now_rfc3339`].
pub fn rfc3339_in(later: std::time::Duration) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    (OffsetDateTime::now_utc() + later)
        .format(format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00.000Z".to_owned())
}
