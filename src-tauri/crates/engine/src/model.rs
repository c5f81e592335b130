//! The canonical segment model. Everything that enters the engine, in any of the accepted
//! formats, is turned into these types; everything that leaves it is serialized from them.

use serde::Serialize;
use serde_json::Value;

use crate::operator::Operator;

/// How the rules of a segment or group combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    /// Every rule matches.
    #[default]
    All,
    /// At least one rule matches.
    Any,
    /// No rule matches.
    None,
}

impl MatchType {
    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::All => "all",
            MatchType::Any => "any",
            MatchType::None => "none",
        }
    }

    /// Parses a canonical name.
    pub fn from_name(name: &str) -> Option<MatchType> {
        match name {
            "all" => Some(MatchType::All),
            "any" => Some(MatchType::Any),
            "none" => Some(MatchType::None),
            _ => None,
        }
    }
}

/// A reusable audience: a key, a display name and rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Segment {
    /// Unique key matching `[a-z0-9][a-z0-9._-]{0,127}`.
    pub key: String,
    /// Display name; defaults to the key.
    pub name: String,
    /// Free text; defaults to "".
    pub description: String,
    /// How the top-level rules combine.
    pub match_type: MatchType,
    /// At least one rule.
    pub rules: Vec<Rule>,
}

/// A rule: a single condition or a nested group of rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum Rule {
    /// One attribute test.
    Condition(Condition),
    /// Nested rules with their own match type.
    Group(Group),
}

/// A nested group of rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Group {
    /// How the rules combine.
    pub match_type: MatchType,
    /// At least one rule.
    pub rules: Vec<Rule>,
}

/// One attribute test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Condition {
    /// Context attribute; dots address nested objects when not a literal key.
    pub attribute: String,
    /// The comparison.
    pub operator: Operator,
    /// The values compared against; the condition matches when some value satisfies it.
    pub values: Vec<Value>,
    /// Compare strings ignoring case (`eq`, `in`, `contains`, `starts_with`, `ends_with`,
    /// `matches` and their negations).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<bool>", optional))]
    pub case_insensitive: bool,
}

impl Segment {
    /// The canonical JSON document of this segment.
    pub fn to_json(&self) -> Value {
        // Serializing plain data into a Value cannot fail: every map key is a string.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Keys of the segments this one references through `in_segment` / `not_in_segment`,
    /// sorted and without repeats.
    pub fn referenced_keys(&self) -> Vec<&str> {
        let mut keys = Vec::new();
        self.visit_conditions(&mut |c| {
            if c.operator.positive().0 == Operator::InSegment {
                keys.extend(c.values.iter().filter_map(Value::as_str));
            }
        });
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Distinct attribute names used by the segment's conditions, sorted.
    pub fn attributes(&self) -> Vec<&str> {
        let mut names = Vec::new();
        self.visit_conditions(&mut |c| {
            if c.operator.positive().0 != Operator::InSegment {
                names.push(c.attribute.as_str());
            }
        });
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Number of conditions at any depth.
    pub fn condition_count(&self) -> usize {
        let mut count = 0;
        self.visit_conditions(&mut |_| count += 1);
        count
    }

    /// Calls `f` for every condition at any depth, in document order.
    pub fn visit_conditions<'a>(&'a self, f: &mut dyn FnMut(&'a Condition)) {
        fn walk<'a>(rules: &'a [Rule], f: &mut dyn FnMut(&'a Condition)) {
            for rule in rules {
                match rule {
                    Rule::Condition(c) => f(c),
                    Rule::Group(g) => walk(&g.rules, f),
                }
            }
        }
        walk(&self.rules, f);
    }
}
