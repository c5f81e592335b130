//! `semver_*`: SemVer 2.0 precedence as the engine reads versions, in SQL.
//!
//! A value is a version when it matches the engine's grammar exactly (a leading `v`, missing
//! minor and patch read as 0, no leading zeros, build metadata ignored, core numbers within
//! `u64`). The row's version is compared with each rule version known at compile time, so
//! the comparison unrolls into a fixed `CASE`: the core numbers as exact decimals, then the
//! pre-release identifiers one by one (numeric ones by length, then digits; others by bytes;
//! numeric before alphanumeric; a shorter list first when all its identifiers are equal).

use segments_engine::version_parts;

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
    core: [u64; 3],
    pre: Vec<String>,
}

/// `value` (a non-null text expression) compared with the rule versions: `sign` is the SQL
/// comparison of the precedence with 0 (`=`, `>`, `>=`, `<`, `<=`). `None` when no rule value
/// is a version (the condition then never matches, as in the engine).
pub(crate) fn compare(
    dialect: Dialect,
    value: &str,
    sign: &str,
    rule_values: &[serde_json::Value],
) -> Result<String, String> {
    if dialect == Dialect::Snowflake {
        return Err(
            "Snowflake's regular expressions have no non-capturing groups, which reading \
                    a version needs"
                .to_owned(),
        );
    }
    let versions: Vec<RuleVersion> = rule_values
        .iter()
        .filter_map(serde_json::Value::as_str)
        .filter_map(version_parts)
        .map(|(major, minor, patch, pre)| RuleVersion {
            core: [major, minor, patch],
            pre: if pre.is_empty() {
                Vec::new()
            } else {
                pre.split('.').map(str::to_owned).collect()
            },
        })
        .collect();
    if versions.is_empty() {
        return Ok("FALSE".to_owned());
    }
    let pattern = pattern();
    let part = |group: usize| dialect.capture(value, &pattern, group);
    let number = |group: usize| {
        let text = part(group);
        format!(
            "CAST(CASE WHEN {text} = '' THEN '0' ELSE {text} END AS {})",
            dialect.wide_integer()
        )
    };
    let core = [number(1), number(2), number(3)];
    let within_u64 = (1..=3)
        .map(|g| {
            let text = part(g);
            format!(
                "({len} <= 19 OR ({len} = 20 AND {} <= '{U64_MAX}'))",
                dialect.binary(&text),
                len = dialect.length(&text)
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
    Ok(format!(
        "CASE WHEN {} AND {within_u64} THEN {any} ELSE FALSE END",
        dialect.full_match(value, &pattern)
    ))
}

/// -1, 0 or 1: the row's version against `v`.
fn precedence(dialect: Dialect, core: &[String; 3], pre: &str, v: &RuleVersion) -> String {
    let mut out = String::from("CASE");
    for (row, rule) in core.iter().zip(v.core) {
        out.push_str(&format!(
            " WHEN {row} <> {rule} THEN CASE WHEN {row} < {rule} THEN -1 ELSE 1 END"
        ));
    }
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
