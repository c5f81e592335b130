//! Timestamps as stored: RFC 3339 in UTC with milliseconds, so they sort as text. They are
//! typed at the row boundary: a row with a timestamp that does not parse is refused as
//! damaged instead of travelling on as a string.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// A point in time, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Now.
    pub fn now() -> Self {
        Self::from_now(std::time::Duration::ZERO)
    }

    /// `later` from now.
    pub fn from_now(later: std::time::Duration) -> Self {
        let now = OffsetDateTime::now_utc() + later;
        // Milliseconds are what is stored; dropping the rest keeps a value equal to itself
        // after a round trip through the database.
        let millis = now.unix_timestamp_nanos() / 1_000_000;
        Self(OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000).unwrap_or(now))
    }

    /// Parses an RFC 3339 timestamp.
    pub fn parse(text: &str) -> Option<Self> {
        OffsetDateTime::parse(text, &Rfc3339)
            .ok()
            .map(|t| Self(t.to_offset(time::UtcOffset::UTC)))
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let format = format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
        );
        match self.0.format(format) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(std::fmt::Error),
        }
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl ToSql for Timestamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Timestamp {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        Timestamp::parse(text).ok_or_else(|| {
            FromSqlError::Other(format!("\"{text}\" is not an RFC 3339 timestamp").into())
        })
    }
}

/// Today's date in UTC, as `2026-11-21`.
pub fn today() -> String {
    let format = format_description!("[year]-[month]-[day]");
    OffsetDateTime::now_utc()
        .format(format)
        .unwrap_or_else(|_| "1970-01-01".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_reads_back_as_it_was_written() {
        let now = Timestamp::now();
        assert_eq!(Timestamp::parse(&now.to_string()), Some(now));
        assert_eq!(
            Timestamp::parse("2026-11-21T10:00:00.123Z").map(|t| t.to_string()),
            Some("2026-11-21T10:00:00.123Z".to_owned())
        );
        assert_eq!(Timestamp::parse("yesterday"), None);
    }
}
