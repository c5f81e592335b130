//! Rules: conditions in every accepted shape, nested groups, operators and values.

use serde_json::{Map, Value};

use super::values::value_problem;
use super::{Parser, join, type_name};
use crate::error::IssueCode;
use crate::limits::{MAX_CONDITIONS, MAX_GROUP_DEPTH, MAX_STRING_BYTES, MAX_VALUES};
use crate::model::{Condition, Group, MatchType, Rule};
use crate::operator::{Operator, ValueKind};

impl Parser {
    pub(super) fn rule_list(
        &mut self,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Option<Vec<Rule>> {
        let Some(items) = value.as_array() else {
            self.issue(
                path,
                IssueCode::WrongType,
                format!("must be an array of rules, not {}", type_name(value)),
            );
            return None;
        };
        if items.is_empty() {
            self.issue(
                path,
                IssueCode::EmptyRules,
                "needs at least one rule: an empty list would match everyone or no one by accident",
            );
            return None;
        }
        let mut rules = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.rule(item, &format!("{path}[{i}]"), depth) {
                Some(rule) => rules.push(rule),
                None => ok = false,
            }
        }
        ok.then_some(rules)
    }

    fn rule(&mut self, value: &Value, path: &str, depth: usize) -> Option<Rule> {
        let object = self.object(value, path)?;
        let is_condition = ["attribute", "property", "key", "operator"]
            .iter()
            .any(|f| object.contains_key(*f));
        if !is_condition && (object.contains_key("rules") || object.contains_key("match_type")) {
            return self.group(object, path, depth).map(Rule::Group);
        }
        if object.contains_key("attribute") {
            self.condition(object, path, "attribute", Shape::Values)
        } else if object.contains_key("property") {
            self.condition(object, path, "property", Shape::Value)
        } else if object.contains_key("key") {
            self.condition(object, path, "key", Shape::Value)
        } else {
            self.issue(
                path,
                IssueCode::MissingField,
                "a rule needs an \"attribute\" (a condition) or \"rules\" (a nested group)",
            );
            None
        }
        .map(Rule::Condition)
    }

    fn group(&mut self, object: &Map<String, Value>, path: &str, depth: usize) -> Option<Group> {
        if depth >= MAX_GROUP_DEPTH {
            self.issue(
                path,
                IssueCode::TooDeep,
                format!("groups nest at most {MAX_GROUP_DEPTH} levels deep; flatten this group"),
            );
            return None;
        }
        for field in object.keys() {
            if field != "rules" && field != "match_type" {
                self.unknown_field(field, path, "match_type and rules in a group");
            }
        }
        let match_type = match object.get("match_type") {
            Some(v) => self.match_type(v, &join(path, "match_type")),
            None => Some(MatchType::All),
        };
        let rules = match object.get("rules") {
            Some(v) => self.rule_list(v, &join(path, "rules"), depth + 1),
            None => {
                self.issue(
                    join(path, "rules"),
                    IssueCode::MissingField,
                    "a group needs \"rules\": a non-empty list",
                );
                None
            }
        };
        Some(Group {
            match_type: match_type?,
            rules: rules?,
        })
    }

    fn condition(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        attribute_field: &str,
        shape: Shape,
    ) -> Option<Condition> {
        self.conditions += 1;
        if self.conditions == MAX_CONDITIONS + 1 {
            self.issue(
                path,
                IssueCode::TooLarge,
                format!("a segment holds at most {MAX_CONDITIONS} conditions; split it into segments referenced with in_segment"),
            );
        }
        let values_field = match shape {
            Shape::Values => "values",
            Shape::Value => "value",
        };
        for field in object.keys() {
            let known = [
                attribute_field,
                "operator",
                values_field,
                "case_insensitive",
            ]
            .contains(&field.as_str());
            if !known {
                self.unknown_field(
                    field,
                    path,
                    &format!("{attribute_field}, operator, {values_field} or case_insensitive"),
                );
            }
        }
        let attribute_path = join(path, attribute_field);
        let attribute = object
            .get(attribute_field)
            .and_then(|v| self.string(v, &attribute_path, MAX_STRING_BYTES));
        if attribute == Some("") {
            self.issue(
                &attribute_path,
                IssueCode::InvalidValue,
                "name the context attribute to test",
            );
        }
        let operator = self.operator(object.get("operator"), path);
        let case_insensitive = match object.get("case_insensitive") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.issue(
                    join(path, "case_insensitive"),
                    IssueCode::WrongType,
                    format!("must be true or false, not {}", type_name(other)),
                );
                false
            }
        };
        let (attribute, mut operator) = (attribute.filter(|a| !a.is_empty())?, operator?);
        // EdgeFlags references segments as `{"property": "segment", "operator": "in"}`.
        if shape == Shape::Value && attribute_field == "property" && attribute == "segment" {
            operator = match operator {
                Operator::In => Operator::InSegment,
                Operator::NotIn => Operator::NotInSegment,
                other => other,
            };
        }
        if case_insensitive && !operator.accepts_case_insensitive() {
            self.issue(
                join(path, "case_insensitive"),
                IssueCode::InvalidValue,
                format!(
                    "ignoring case does not apply to \"{}\"; remove case_insensitive",
                    operator.label()
                ),
            );
        }
        let values = self.values(object.get(values_field), shape, operator, path)?;
        // Name the field the author wrote (`value` in the vendors' formats).
        let values_path = join(path, values_field);
        self.check_values(&values, operator, case_insensitive, &values_path);
        Some(Condition {
            attribute: attribute.to_owned(),
            operator,
            values,
            case_insensitive,
        })
    }

    fn operator(&mut self, value: Option<&Value>, path: &str) -> Option<Operator> {
        let path = join(path, "operator");
        let Some(value) = value else {
            self.issue(
                path,
                IssueCode::MissingField,
                "a condition needs an \"operator\"",
            );
            return None;
        };
        let name = self.string(value, &path, MAX_STRING_BYTES)?;
        let operator = Operator::from_name(name);
        if operator.is_none() {
            let expected: Vec<&str> = Operator::ALL.iter().map(|o| o.as_str()).collect();
            self.issue(
                path,
                IssueCode::UnknownOperator,
                format!(
                    "unknown operator \"{name}\"; expected one of {}",
                    expected.join(", ")
                ),
            );
        }
        operator
    }

    fn values(
        &mut self,
        value: Option<&Value>,
        shape: Shape,
        operator: Operator,
        path: &str,
    ) -> Option<Vec<Value>> {
        match (shape, value) {
            (_, None) => Some(Vec::new()),
            (Shape::Values, Some(Value::Array(items)))
            | (Shape::Value, Some(Value::Array(items))) => Some(items.clone()),
            (Shape::Value, Some(Value::Null)) if operator.value_kind() == ValueKind::None => {
                Some(Vec::new())
            }
            (Shape::Value, Some(scalar)) => Some(vec![scalar.clone()]),
            (Shape::Values, Some(other)) => {
                self.issue(
                    join(path, "values"),
                    IssueCode::WrongType,
                    format!(
                        "must be an array of values, not {}; write [{other}]",
                        type_name(other)
                    ),
                );
                None
            }
        }
    }

    fn check_values(&mut self, values: &[Value], operator: Operator, ci: bool, path: &str) {
        let kind = operator.value_kind();
        if kind == ValueKind::None {
            if !values.is_empty() {
                self.issue(
                    path,
                    IssueCode::ValueCount,
                    format!("\"{}\" takes no values; remove them", operator.label()),
                );
            }
            return;
        }
        if values.is_empty() {
            self.issue(path, IssueCode::ValueCount, "needs at least one value");
            return;
        }
        if values.len() > MAX_VALUES {
            self.issue(
                path,
                IssueCode::ValueCount,
                format!(
                    "{} values given; a condition holds at most {MAX_VALUES}",
                    values.len()
                ),
            );
            return;
        }
        for (i, value) in values.iter().enumerate() {
            let at = format!("{path}[{i}]");
            if let Some(problem) = value_problem(value, kind, ci) {
                let code = if kind == ValueKind::Regex && value.is_string() {
                    IssueCode::InvalidRegex
                } else {
                    IssueCode::InvalidValue
                };
                self.issue(at, code, problem);
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `values: [...]` (canonical, projects).
    Values,
    /// `value: scalar | [...]` (Krafter, EdgeFlags).
    Value,
}
