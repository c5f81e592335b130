//! The operators a condition can use, their aliases and what values they take.

use serde::Serialize;

/// A comparison operator of a condition.
///
/// Every negative operator is exactly the negation of a positive one (see
/// [`Operator::positive`]), so a missing attribute matches every negative operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // the names are the documentation; see the README's semantics table
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Operator {
    Eq,
    Neq,
    In,
    NotIn,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    Gt,
    Gte,
    Lt,
    Lte,
    Matches,
    Exists,
    NotExists,
    SemverEq,
    SemverNeq,
    SemverGt,
    SemverGte,
    SemverLt,
    SemverLte,
    Before,
    After,
    InSegment,
    NotInSegment,
}

/// What kind of values an operator takes in a condition's `values`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// No values at all (`exists`, `not_exists`).
    None,
    /// Strings, numbers or booleans, compared as described for `eq`.
    Scalar,
    /// Strings.
    String,
    /// Numbers or numeric strings.
    Number,
    /// Regular expressions in Rust `regex` syntax.
    Regex,
    /// SemVer versions (`1.4`, `v2.0.0-beta.1`).
    Semver,
    /// RFC 3339 timestamps or `YYYY-MM-DD` dates.
    Date,
    /// Segment keys.
    Segment,
}

impl Operator {
    /// Every operator, in the order the UI lists them.
    pub const ALL: [Operator; 25] = [
        Operator::Eq,
        Operator::Neq,
        Operator::In,
        Operator::NotIn,
        Operator::Contains,
        Operator::NotContains,
        Operator::StartsWith,
        Operator::EndsWith,
        Operator::Gt,
        Operator::Gte,
        Operator::Lt,
        Operator::Lte,
        Operator::Matches,
        Operator::Exists,
        Operator::NotExists,
        Operator::SemverEq,
        Operator::SemverNeq,
        Operator::SemverGt,
        Operator::SemverGte,
        Operator::SemverLt,
        Operator::SemverLte,
        Operator::Before,
        Operator::After,
        Operator::InSegment,
        Operator::NotInSegment,
    ];

    /// The canonical name, as stored and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "eq",
            Operator::Neq => "neq",
            Operator::In => "in",
            Operator::NotIn => "not_in",
            Operator::Contains => "contains",
            Operator::NotContains => "not_contains",
            Operator::StartsWith => "starts_with",
            Operator::EndsWith => "ends_with",
            Operator::Gt => "gt",
            Operator::Gte => "gte",
            Operator::Lt => "lt",
            Operator::Lte => "lte",
            Operator::Matches => "matches",
            Operator::Exists => "exists",
            Operator::NotExists => "not_exists",
            Operator::SemverEq => "semver_eq",
            Operator::SemverNeq => "semver_neq",
            Operator::SemverGt => "semver_gt",
            Operator::SemverGte => "semver_gte",
            Operator::SemverLt => "semver_lt",
            Operator::SemverLte => "semver_lte",
            Operator::Before => "before",
            Operator::After => "after",
            Operator::InSegment => "in_segment",
            Operator::NotInSegment => "not_in_segment",
        }
    }

    /// Other names accepted on input (the vendors' spellings).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Operator::Eq => &["equals"],
            Operator::Neq => &["not_equals"],
            Operator::Gt => &["greater_than"],
            Operator::Lt => &["less_than"],
            Operator::Matches => &["regex"],
            _ => &[],
        }
    }

    /// Looks an operator up by its canonical name or an alias.
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::ALL
            .into_iter()
            .find(|op| op.as_str() == name || op.aliases().contains(&name))
    }

    /// The positive operator this one is evaluated through, and whether the result is negated.
    pub fn positive(self) -> (Operator, bool) {
        match self {
            Operator::Neq => (Operator::Eq, true),
            Operator::NotIn => (Operator::In, true),
            Operator::NotContains => (Operator::Contains, true),
            Operator::NotExists => (Operator::Exists, true),
            Operator::SemverNeq => (Operator::SemverEq, true),
            Operator::NotInSegment => (Operator::InSegment, true),
            other => (other, false),
        }
    }

    /// What the condition's `values` hold for this operator.
    pub fn value_kind(self) -> ValueKind {
        match self.positive().0 {
            Operator::Eq | Operator::In => ValueKind::Scalar,
            Operator::Contains | Operator::StartsWith | Operator::EndsWith => ValueKind::String,
            Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => ValueKind::Number,
            Operator::Matches => ValueKind::Regex,
            Operator::Exists => ValueKind::None,
            Operator::SemverEq
            | Operator::SemverGt
            | Operator::SemverGte
            | Operator::SemverLt
            | Operator::SemverLte => ValueKind::Semver,
            Operator::Before | Operator::After => ValueKind::Date,
            _ => ValueKind::Segment,
        }
    }

    /// Whether `case_insensitive: true` means something for this operator.
    pub fn accepts_case_insensitive(self) -> bool {
        matches!(
            self.value_kind(),
            ValueKind::Scalar | ValueKind::String | ValueKind::Regex
        )
    }

    /// Whether the UI should offer several values (chips) rather than one.
    pub fn takes_many_values(self) -> bool {
        matches!(self.positive().0, Operator::In | Operator::InSegment)
    }

    /// A short human label for the rule builder.
    pub fn label(self) -> &'static str {
        match self {
            Operator::Eq => "equals",
            Operator::Neq => "does not equal",
            Operator::In => "is one of",
            Operator::NotIn => "is not one of",
            Operator::Contains => "contains",
            Operator::NotContains => "does not contain",
            Operator::StartsWith => "starts with",
            Operator::EndsWith => "ends with",
            Operator::Gt => "greater than",
            Operator::Gte => "at least",
            Operator::Lt => "less than",
            Operator::Lte => "at most",
            Operator::Matches => "matches regex",
            Operator::Exists => "is set",
            Operator::NotExists => "is not set",
            Operator::SemverEq => "version equals",
            Operator::SemverNeq => "version does not equal",
            Operator::SemverGt => "version newer than",
            Operator::SemverGte => "version at least",
            Operator::SemverLt => "version older than",
            Operator::SemverLte => "version at most",
            Operator::Before => "before",
            Operator::After => "after",
            Operator::InSegment => "in segment",
            Operator::NotInSegment => "not in segment",
        }
    }
}

impl std::fmt::Display for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A description of one operator for clients such as the rule builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OperatorInfo {
    /// The canonical name.
    pub operator: Operator,
    /// A short human label.
    pub label: &'static str,
    /// What its values hold.
    pub value_kind: ValueKind,
    /// Whether several values are usual (chips) rather than one.
    pub multi: bool,
    /// Whether it is the negation of another operator.
    pub negated: bool,
    /// Whether `case_insensitive` applies.
    pub case_insensitive: bool,
    /// Other accepted names.
    #[cfg_attr(feature = "typescript", ts(type = "Array<string>"))]
    pub aliases: &'static [&'static str],
}

/// Describes every operator, in UI order.
pub fn operator_catalog() -> Vec<OperatorInfo> {
    Operator::ALL
        .into_iter()
        .map(|operator| OperatorInfo {
            operator,
            label: operator.label(),
            value_kind: operator.value_kind(),
            multi: operator.takes_many_values(),
            negated: operator.positive().1,
            case_insensitive: operator.accepts_case_insensitive(),
            aliases: operator.aliases(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_round_trip() {
        for op in Operator::ALL {
            assert_eq!(Operator::from_name(op.as_str()), Some(op));
            for alias in op.aliases() {
                assert_eq!(Operator::from_name(alias), Some(op));
            }
        }
        assert_eq!(Operator::from_name("sorta_equals"), None);
        assert_eq!(Operator::from_name("EQ"), None);
    }

    #[test]
    fn negatives_negate_a_positive() {
        let negatives: Vec<_> = Operator::ALL
            .into_iter()
            .filter(|op| op.positive().1)
            .map(Operator::as_str)
            .collect();
        assert_eq!(
            negatives,
            [
                "neq",
                "not_in",
                "not_contains",
                "not_exists",
                "semver_neq",
                "not_in_segment"
            ]
        );
        for op in Operator::ALL {
            assert!(!op.positive().0.positive().1, "{op} positive is positive");
        }
    }
}
