//! Explain traces: the same evaluation, reported per condition with the actual value and
//! the reason, so a person can see which condition failed and why.

use serde::Serialize;
use serde_json::Value;

use crate::compile::{CompiledGroup, CompiledRule, CompiledSet, SegmentId};
use crate::did_you_mean::similar_attribute;
use crate::evaluate::{Reason, Scratch};
use crate::model::{Condition, MatchType, Rule};
use crate::operator::Operator;

/// The explained result of one segment for one context.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Explanation {
    /// The segment's key.
    pub key: String,
    /// Whether the context is in the segment.
    pub matched: bool,
    /// The root group's trace (path "").
    pub trace: TraceNode,
}

/// One node of a trace, mirroring the segment's rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TraceNode {
    /// A group of rules (the segment itself is the root group).
    Group {
        /// Where the group is: "" for the root, `rules[1]` for a nested one.
        path: String,
        /// How its rules combine.
        match_type: MatchType,
        /// Whether it matched.
        matched: bool,
        /// Its rules' traces; every rule is evaluated here, not short-circuited.
        children: Vec<TraceNode>,
    },
    /// One condition.
    Condition {
        /// Where the condition is, such as `rules[1].rules[0]`.
        path: String,
        /// The attribute tested.
        attribute: String,
        /// The operator.
        operator: Operator,
        /// The condition's values.
        values: Vec<Value>,
        /// The context's value, or null when missing.
        actual: Option<Value>,
        /// Whether the attribute was present in the context.
        present: bool,
        /// Whether the condition matched.
        matched: bool,
        /// Why.
        reason: Reason,
        /// The reason in words.
        message: String,
        /// For a missing attribute, a similar one the context has (`address.country` for
        /// `country`), also named in `message`.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "typescript", ts(optional))]
        did_you_mean: Option<String>,
    },
}

impl TraceNode {
    /// Whether this node matched.
    pub fn matched(&self) -> bool {
        match self {
            TraceNode::Group { matched, .. } | TraceNode::Condition { matched, .. } => *matched,
        }
    }
}

impl CompiledSet {
    /// Evaluates segment `id` against `context` and reports every condition.
    pub fn explain(&self, id: SegmentId, context: &Value) -> Explanation {
        let mut scratch = self.scratch();
        let segment = &self.segments[id.0];
        let trace = self.explain_group(
            &segment.root,
            &segment.source.rules,
            "",
            context,
            &mut scratch,
        );
        Explanation {
            key: segment.source.key.clone(),
            matched: trace.matched(),
            trace,
        }
    }

    fn explain_group(
        &self,
        group: &CompiledGroup,
        rules: &[Rule],
        path: &str,
        context: &Value,
        scratch: &mut Scratch,
    ) -> TraceNode {
        let children: Vec<TraceNode> = group
            .rules
            .iter()
            .zip(rules)
            .enumerate()
            .map(|(i, (compiled, source))| {
                let at = if path.is_empty() {
                    format!("rules[{i}]")
                } else {
                    format!("{path}.rules[{i}]")
                };
                match (compiled, source) {
                    (CompiledRule::Group(g), Rule::Group(s)) => {
                        self.explain_group(g, &s.rules, &at, context, scratch)
                    }
                    (CompiledRule::Condition(c), Rule::Condition(s)) => {
                        let outcome = self.condition_outcome(c, context, scratch);
                        let is_reference = s.operator.positive().0 == Operator::InSegment;
                        let actual = if is_reference {
                            None
                        } else {
                            c.attribute.lookup(context).map(echoed)
                        };
                        let did_you_mean = match outcome.reason {
                            Reason::AttributeMissing if !is_reference => {
                                similar_attribute(&s.attribute, context)
                            }
                            _ => None,
                        };
                        let mut message = describe(s, actual.as_ref(), outcome.reason);
                        if let Some((attribute, value)) = &did_you_mean {
                            message.push_str(&format!(
                                "; did you mean {attribute} (= {})?",
                                echoed(value)
                            ));
                        }
                        TraceNode::Condition {
                            message,
                            did_you_mean: did_you_mean.map(|(attribute, _)| attribute),
                            path: at,
                            attribute: s.attribute.clone(),
                            operator: s.operator,
                            values: s.values.clone(),
                            present: actual.is_some(),
                            actual,
                            matched: outcome.matched,
                            reason: outcome.reason,
                        }
                    }
                    // Compiled from the same source, so the shapes always agree.
                    _ => unreachable_shape(&at),
                }
            })
            .collect();
        let mut results = children.iter().map(TraceNode::matched);
        let matched = match group.match_type {
            MatchType::All => results.all(|m| m),
            MatchType::Any => results.any(|m| m),
            MatchType::None => !results.any(|m| m),
        };
        TraceNode::Group {
            path: path.to_owned(),
            match_type: group.match_type,
            matched,
            children,
        }
    }
}

fn unreachable_shape(path: &str) -> TraceNode {
    TraceNode::Group {
        path: path.to_owned(),
        match_type: MatchType::All,
        matched: false,
        children: Vec::new(),
    }
}

/// Longest text of a context value a trace echoes back, in characters.
pub const MAX_ECHO_CHARS: usize = 200;

/// A context value as a trace shows it: whole when short, else cut to
/// [`MAX_ECHO_CHARS`] with an ellipsis (a long string stays a string; a large array or
/// object becomes the start of its JSON text). A 1 MiB context value must not come back
/// once per condition that reads it.
fn echoed(value: &Value) -> Value {
    let cut = |text: &str| {
        let mut cut: String = text.chars().take(MAX_ECHO_CHARS).collect();
        cut.push('…');
        Value::String(cut)
    };
    match value {
        Value::String(text) if text.chars().count() > MAX_ECHO_CHARS => cut(text),
        Value::Array(_) | Value::Object(_) => {
            let text = value.to_string();
            if text.chars().count() > MAX_ECHO_CHARS {
                cut(&text)
            } else {
                value.clone()
            }
        }
        _ => value.clone(),
    }
}

fn list(values: &[Value]) -> String {
    let shown: Vec<String> = values.iter().take(5).map(Value::to_string).collect();
    let more = values.len().saturating_sub(5);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The reason in words a product manager reads.
fn describe(c: &Condition, actual: Option<&Value>, reason: Reason) -> String {
    let attribute = &c.attribute;
    let (positive, negated) = c.operator.positive();
    let values = list(&c.values);
    let actual = actual.map(Value::to_string).unwrap_or_default();
    if positive == Operator::InSegment {
        return match (reason, negated) {
            (Reason::Matched, _) => format!("the context is in segment {values}"),
            (Reason::Negated, _) => {
                format!("the context is in segment {values}, which is excluded")
            }
            _ => format!("the context is in none of the segments {values}"),
        };
    }
    let folding = if c.case_insensitive {
        " (ignoring case)"
    } else {
        ""
    };
    let test = format!("{} {values}{folding}", positive.label());
    match reason {
        Reason::Matched if positive == Operator::Exists => format!("{attribute} is set ({actual})"),
        Reason::Matched => format!("{attribute} is {actual}, which {test}"),
        Reason::Negated if positive == Operator::Exists => {
            format!("{attribute} is set ({actual}) but must not be")
        }
        Reason::Negated => format!(
            "{attribute} is {actual}, which {test}, so \"{}\" fails",
            c.operator.label()
        ),
        Reason::NoValueMatched => {
            format!("{attribute} is {actual}, which does not satisfy: {test}")
        }
        Reason::AttributeMissing => format!("attribute missing: the context has no {attribute}"),
        Reason::AttributeNull => format!("{attribute} is null"),
        Reason::NotANumber => format!("{attribute} is {actual}, which is not a number"),
        Reason::NotASemver => format!("{attribute} is {actual}, which is not a semantic version"),
        Reason::NotADate => format!("{attribute} is {actual}, which is not a date or timestamp"),
        Reason::TypeMismatch => {
            format!("{attribute} is {actual}, which is not a string, number or boolean")
        }
    }
}
