//! `semver_*`: SemVer 2.0 precedence as the engine reads versions, in SQL.
//!
//! A value is a version when it matches the engine's grammar exactly (a leading `v`, missing
//! minor and patch read as 0, no leading zeros, build metadata ignored, core numbers within
//! `u64`). The row's version is compared with each rule version known at compile time, so
//! the comparison unrolls into a fixed `CASE`: the core numbers as zero-padded digits, then the
//! pre-release identifiers one by one (numeric ones by length, then digits; others by bytes;
//! numeric before alphanumeric; a shorter list first when all its identifiers are equal).

use std::cmp::Ordering;

use segments_engine::{version_parts, version_precedence};

use crate::dialect::Dialect;

/// A numeric part: no leading zeros.
const NUMBER: &str = "(0|[1-9][0-9]*)";
/// A pre-release identifier: a number without leading zeros, or alphanumerics and hyphens
/// with at least one non-digit.
const IDENTIFIER: &str = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";
/// `u64::MAX`, the largest core number the engine reads.
const U64_MAX: &str = "18446744073709551615";

/// The engine's version grammar; groups: 1 major, 2 minor, 3 patch, 4 pre-release.
fn pattern() -> String {
    format!(
        "^v?{NUMBER}(?:\\.{NUMBER})?(?:\\.{NUMBER})?(?:-({IDENTIFIER}(?:\\.{IDENTIFIER})*))?\
         (?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$"
    )
}

/// A rule version, parsed at compile time.
struct RuleVersion {
    /// Major, minor and patch, each as 20 digits (`u64::MAX` has 20), so their order is
    /// the order of the text.
    core: String,
    pre: Vec<String>,
}

impl RuleVersion {
    fn parse(text: &str) -> Option<RuleVersion> {
        let (major, minor, patch, pre) = version_parts(text)?;
        Some(RuleVersion {
            core: format!("{major:020}{minor:020}{patch:020}"),
            pre: if pre.is_empty() {
                Vec::new()
            } else {
                pre.split('.').map(str::to_owned).collect()
            },
        })
    }
}

/// `value` (a non-null text expression) compared with the rule versions: `sign` is the SQL
/// comparison of the precedence with 0 (`=`, `>`, `>=`, `<`, `<=`).
pub(crate) fn compare(
    dialect: Dialect,
    value: &str,
    sign: &str,
    rule_values: &[serde_json::Value],
) -> Result<String, String> {
    if dialect == Dialect::Snowflake {
        return Err(
            "Snowflake's regular expressions have no non-capturing groups, which reading a \
             version needs"
                .to_owned(),
        );
    }
    let mut texts: Vec<&str> = rule_values
        .iter()
        .filter_map(serde_json::Value::as_str)
        .filter(|t| version_parts(t).is_some())
        .collect();
    // "Greater than any of them" is greater than the lowest, "less than any" less than the
    // highest: one comparison, in the engine's own precedence.
    let by_precedence = |a: &&str, b: &&str| version_precedence(a, b).unwrap_or(Ordering::Equal);
    if sign.starts_with('>') {
        texts = texts
            .into_iter()
            .min_by(by_precedence)
            .into_iter()
            .collect();
    } else if sign.starts_with('<') {
        texts = texts
            .into_iter()
            .max_by(by_precedence)
            .into_iter()
            .collect();
    }
    let versions: Vec<RuleVersion> = texts.into_iter().filter_map(RuleVersion::parse).collect();
    if versions.is_empty() {
        return Ok("FALSE".to_owned());
    }
    let pattern = pattern();
    let part = |group: usize| dialect.capture(value, &pattern, group);
    let padded =
        |text: &str| format!("lpad(CASE WHEN {text} = '' THEN '0' ELSE {text} END, 20, '0')");
    let parts = [part(1), part(2), part(3)];
    let core = dialect.binary(&format!(
        "{} || {} || {}",
        padded(&parts[0]),
        padded(&parts[1]),
        padded(&parts[2])
    ));
    // The engine reads core numbers as `u64`; a bigger one is not a version.
    let within_u64 = parts
        .iter()
        .map(|text| {
            format!(
                "{} <= 20 AND {} <= '{U64_MAX}'",
                dialect.length(text),
                dialect.binary(&padded(text))
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let pre = part(4);
    let tests: Vec<String> = versions
        .iter()
        .map(|v| format!("{} {sign} 0", precedence(dialect, &core, &pre, v)))
        .collect();
    let any = if tests.len() == 1 {
        tests[0].clone()
    } else {
        format!("({})", tests.join(" OR "))
    };
    // Nested CASEs: the parts are read only once the value is known to be a version.
    Ok(format!(
        "CASE WHEN {} THEN CASE WHEN {within_u64} THEN {any} ELSE FALSE END ELSE FALSE END",
        dialect.full_match(value, &pattern)
    ))
}

/// -1, 0 or 1: the row's version against `v`.
fn precedence(dialect: Dialect, core: &str, pre: &str, v: &RuleVersion) -> String {
    let rule_core = dialect.string(&v.core);
    let mut out =
        format!("CASE WHEN {core} < {rule_core} THEN -1 WHEN {core} > {rule_core} THEN 1");
    if v.pre.is_empty() {
        out.push_str(&format!(" WHEN {pre} = '' THEN 0 ELSE -1 END"));
        return out;
    }
    out.push_str(&format!(" WHEN {pre} = '' THEN 1"));
    for (i, identifier) in v.pre.iter().enumerate() {
        let row = dialect.split_part(pre, '.', i + 1);
        if i > 0 {
            out.push_str(&format!(" WHEN {row} = '' THEN -1"));
        }
        out.push_str(&format!(
            " WHEN {} <> {} THEN {}",
            dialect.binary(&row),
            dialect.string(identifier),
            identifier_order(dialect, &row, identifier)
        ));
    }
    let next = dialect.split_part(pre, '.', v.pre.len() + 1);
    out.push_str(&format!(" WHEN {next} <> '' THEN 1 ELSE 0 END"));
    out
}
/// -1 or 1: a row identifier known to differ from `rule`.
fn identifier_order(dialect: Dialect, row: &str, rule: &str) -> String {
    let numeric = dialect.full_match(row, "^[0-9]+$");
    let rule_literal = dialect.string(rule);
    if rule.bytes().all(|b| b.is_ascii_digit()) {
        // Neither has leading zeros, so the longer number is the greater.
        format!(
            "CASE WHEN NOT ({numeric}) THEN 1 WHEN {len} <> {} THEN CASE WHEN {len} < {} THEN -1 \
             ELSE 1 END WHEN {} < {rule_literal} THEN -1 ELSE 1 END",
            rule.len(),
            rule.len(),
            dialect.binary(row),
            len = dialect.length(row),
        )
    } else {
        format!(
            "CASE WHEN {numeric} THEN -1 WHEN {} < {rule_literal} THEN -1 ELSE 1 END",
            dialect.binary(row)
        )
    }
}
