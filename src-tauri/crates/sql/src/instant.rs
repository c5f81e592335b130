//! `before` / `after`: instants as the engine reads them, in SQL.
//!
//! A text value is an instant when the engine's parser takes it: RFC 3339 as the `time`
//! crate reads it (any single ASCII character between date and time, any number of
//! fraction digits of which the first nine count, `Z` or `z`, offsets up to ±23:59, a leap
//! second only where it can fall: 23:59:60 UTC on a month's last day, read as
//! 23:59:59.999999999), or a date `[+-]YYYY-MM-DD` at midnight UTC. The database's own
//! timestamp parsing differs on each of these points, so the instant is worked out with
//! integer arithmetic from its digits: Unix seconds from the civil date (Howard
//! Hinnant's `days_from_civil`) and the fraction as nine digits, compared with the rule
//! instant as the pair (seconds, fraction).

use segments_engine::parse_instant;

use crate::dialect::Dialect;

/// The shape of an RFC 3339 timestamp; past it, every part sits at a fixed place from the
/// start (date and time) or the end (offset), so it is read with `substr`, not a regex.
const RFC3339: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[\\x00-\\x7f][0-9]{2}:[0-9]{2}:[0-9]{2}\
                       (?:[.][0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$";
/// The shape of a date, with an optional sign.
const DATE: &str = "^[+-]?[0-9]{4}-[0-9]{2}-[0-9]{2}$";

const NANOS: i128 = 1_000_000_000;

/// Whether `positive` is `before` (the row's instant is earlier).
#[derive(Clone, Copy)]
pub(crate) enum Direction {
    Before,
    After,
}

/// `value` (a non-null text expression) before or after any of the rule instants.
pub(crate) fn compare_text(
    dialect: Dialect,
    value: &str,
    direction: Direction,
    rule_values: &[serde_json::Value],
) -> Result<String, String> {
    if dialect == Dialect::Snowflake {
        return Err(
            "Snowflake's regular expressions have no non-capturing groups, which reading \
                    an RFC 3339 timestamp needs"
                .to_owned(),
        );
    }
    let instants = rule_instants(rule_values);
    if instants.is_empty() {
        return Ok("FALSE".to_owned());
    }
    let d = dialect;
    let part = |start: usize, len: usize| d.integer(&format!("substr({value}, {start}, {len})"));
    let length = d.length(value);
    let from_end =
        |back: usize, len: usize| d.integer(&format!("substr({value}, {length} - {back}, {len})"));
    // RFC 3339.
    let (year, month, day) = (part(1, 4), part(6, 2), part(9, 2));
    let (hour, minute, second) = (part(12, 2), part(15, 2), part(18, 2));
    let zulu = format!("substr({value}, {length}, 1) IN ('Z', 'z')");
    let (offset_hours, offset_minutes) = (from_end(4, 2), from_end(1, 2));
    let offset = format!(
        "CASE WHEN {zulu} THEN 0 ELSE CASE WHEN substr({value}, {length} - 5, 1) = '-' THEN -1 \
         ELSE 1 END * ({offset_hours} * 3600 + {offset_minutes} * 60) END"
    );
    let fraction = format!(
        "CASE WHEN substr({value}, 20, 1) = '.' THEN substr({value}, 21, {length} - 20 - CASE \
         WHEN {zulu} THEN 1 ELSE 6 END) ELSE '' END"
    );
    let leap = format!("{second} = 60");
    // The time of day in UTC, a leap second read as :59 (its fraction is set apart below).
    let utc_of_day = format!(
        "({hour} * 3600 + {minute} * 60 + CASE WHEN {leap} THEN 59 ELSE {second} END - \
         ({offset}))"
    );
    let days = days_from_civil(d, &year, &month, &day);
    let seconds = format!("({days} * 86400 + {utc_of_day})");
    let nines = format!(
        "CASE WHEN {leap} THEN '999999999' ELSE {} END",
        d.pad_fraction(&fraction)
    );
    let month_days = month_length(d, &year, &month);
    // A leap second is 23:59:60 UTC on the last day of a month: the local date is that day,
    // the day before it (east of UTC) or the first of the next month (west of UTC).
    let leap_valid = format!(
        "({utc_of_day} = 86399 AND {day} = {month_days}) OR ({utc_of_day} = 172799 AND {day} + 1 \
         = {month_days}) OR ({utc_of_day} = -1 AND {day} = 1)"
    );
    let rfc_valid = format!(
        "{month} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {month_days} AND {hour} <= 23 AND \
         {minute} <= 59 AND ({second} <= 59 OR ({leap} AND ({leap_valid}))) AND (({zulu}) OR \
         ({offset_hours} <= 23 AND {offset_minutes} <= 59))"
    );
    // A date: midnight UTC; the sign, if any, is the first character.
    let signed_year = format!(
        "CASE WHEN substr({value}, 1, 1) = '-' THEN -1 ELSE 1 END * {}",
        from_end(9, 4)
    );
    let (date_month, date_day) = (from_end(4, 2), from_end(1, 2));
    let date_length = month_length(d, &signed_year, &date_month);
    let date_valid =
        format!("{date_month} BETWEEN 1 AND 12 AND {date_day} BETWEEN 1 AND {date_length}");
    let date_seconds = format!(
        "({} * 86400)",
        days_from_civil(d, &signed_year, &date_month, &date_day)
    );
    // "Before any of them" is before the latest, "after any" after the earliest; the row's
    // instant in nanoseconds needs more than 64 bits, so it is an exact decimal.
    let (op, bound) = match direction {
        Direction::Before => ("<", instants.iter().max()),
        Direction::After => (">", instants.iter().min()),
    };
    let bound = bound.copied().unwrap_or_default();
    let wide = d.wide_integer();
    let test = |secs: &str, frac: &str| {
        format!("CAST({secs} AS {wide}) * {NANOS} + CAST({frac} AS {wide}) {op} {bound}")
    };
    // Nested CASEs: the digits are cast only once the value is known to have that shape.
    Ok(format!(
        "CASE WHEN {} THEN CASE WHEN {rfc_valid} THEN {} ELSE FALSE END WHEN {} THEN CASE WHEN \
         {date_valid} THEN {} ELSE FALSE END ELSE FALSE END",
        d.full_match(value, RFC3339),
        test(&seconds, &nines),
        d.full_match(value, DATE),
        test(&date_seconds, "0")
    ))
}

/// A timestamp column (an instant, microseconds) before or after the rule instants.
pub(crate) fn compare_timestamp(
    dialect: Dialect,
    column: &str,
    direction: Direction,
    rule_values: &[serde_json::Value],
) -> Result<String, String> {
    let instants = rule_instants(rule_values);
    // The column holds whole microseconds, so `col < at` is `col < ceil(at)` and
    // `col > at` is `col > floor(at)` in microseconds; "any of them" is the latest or the
    // earliest.
    let (op, micros) = match direction {
        Direction::Before => (
            "<",
            instants
                .iter()
                .max()
                .map(|at| at.div_euclid(1000) + i128::from(at.rem_euclid(1000) != 0)),
        ),
        Direction::After => (">", instants.iter().min().map(|at| at.div_euclid(1000))),
    };
    let Some(micros) = micros else {
        return Ok("FALSE".to_owned());
    };
    let literal = dialect.timestamp_literal(micros).ok_or_else(|| {
        "a rule date outside the years 0001–9999, which warehouse timestamps hold".to_owned()
    })?;
    Ok(format!("{column} {op} {literal}"))
}

fn rule_instants(rule_values: &[serde_json::Value]) -> Vec<i128> {
    rule_values
        .iter()
        .filter_map(serde_json::Value::as_str)
        .filter_map(parse_instant)
        .collect()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, its eras folded into the leap-year terms); the year is shifted by
/// 10,000 (25 whole 400-year cycles) so every division is of a non-negative number.
fn days_from_civil(d: Dialect, year: &str, month: &str, day: &str) -> String {
    let y = format!("({year} + 10000 - CASE WHEN {month} <= 2 THEN 1 ELSE 0 END)");
    let shifted_month = format!("CASE WHEN {month} > 2 THEN {month} - 3 ELSE {month} + 9 END");
    format!(
        "(365 * {y} + {} - {} + {} + {} + {day} - 1 - 719468 - 3652425)",
        d.div(&y, 4),
        d.div(&y, 100),
        d.div(&y, 400),
        d.div(&format!("(153 * ({shifted_month}) + 2)"), 5)
    )
}

fn month_length(d: Dialect, year: &str, month: &str) -> String {
    let leap = format!(
        "({} = 0 AND ({} <> 0 OR {} = 0))",
        d.modulo(year, 4),
        d.modulo(year, 100),
        d.modulo(year, 400)
    );
    format!(
        "CASE WHEN {month} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END WHEN {month} IN (4, 6, 9, \
         11) THEN 30 ELSE 31 END"
    )
}
