//! The three remote dialects: how a canonical segment is written in each one's format, and
//! read back. What a dialect cannot express is refused, never approximated.

use segments_engine::{Condition, MatchType, Operator, Rule, Segment, parse_segment};
use segments_store::Field;
use serde_json::{Map, Value, json};

pub use segments_store::dialect::Dialect;

/// How a canonical segment is written in a dialect's format and read back.
pub trait Wire {
    /// The segment as this dialect's request body for a create (`update` false) or an
    /// update. Every construct the dialect cannot express is listed in the error.
    fn encode(
        self,
        segment: &Segment,
        project_id: Option<&str>,
        update: bool,
    ) -> Result<Value, Vec<String>>;

    /// The body of an update from what the remote holds now (`current`) to `segment`.
    /// projects and Krafter update partially ("only provided fields are changed"), so only
    /// the fields that differ are sent: a field someone else changes meanwhile is not
    /// overwritten with ours. EdgeFlags' `PUT` replaces the whole segment.
    fn encode_update(self, segment: &Segment, current: &Segment) -> Result<Value, Vec<String>>;

    /// Reads one of the dialect's segment objects as a canonical segment with `key` (the
    /// local key: the remote's own, or one derived for Krafter).
    fn decode(self, object: &Value, key: &str) -> Result<Segment, String>;

    /// The segment as it reads after a round trip through this dialect: what the remote
    /// would hold. Comparing these forms keeps a dialect's spelling (projects writes every
    /// value as a string) from looking like a change.
    fn normalize(self, segment: &Segment) -> Segment;
}

impl Wire for Dialect {
    fn encode(
        self,
        segment: &Segment,
        project_id: Option<&str>,
        update: bool,
    ) -> Result<Value, Vec<String>> {
        let mut problems = Vec::new();
        match (self, segment.match_type) {
            (_, MatchType::None) => problems.push(format!(
                "\"none of\" (matching users who meet none of the rules) isn't something {} can say",
                vendor(self)
            )),
            (Dialect::Edgeflags, MatchType::Any) => problems.push(
                "\"any of\" isn't supported there: EdgeFlags combines rules with AND only"
                    .to_owned(),
            ),
            _ => {}
        }
        let mut rules = Vec::new();
        for (i, rule) in segment.rules.iter().enumerate() {
            match rule {
                Rule::Group(_) => problems.push(format!(
                    "rule {} is a nested group, and {} has no groups",
                    i + 1,
                    vendor(self)
                )),
                Rule::Condition(c) => match condition(self, c) {
                    Ok(rule) => rules.push(rule),
                    Err(problem) => problems.push(format!("rule {} {problem}", i + 1)),
                },
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut body = Map::new();
        match self {
            Dialect::Projects => {
                if !update {
                    body.insert("key".into(), json!(segment.key));
                }
                body.insert("name".into(), json!(segment.name));
                body.insert("description".into(), json!(segment.description));
                body.insert("match_type".into(), json!(segment.match_type.as_str()));
                body.insert("rules".into(), Value::Array(rules));
            }
            Dialect::Krafter => {
                if !update {
                    body.insert("project_id".into(), json!(project_id.unwrap_or_default()));
                }
                body.insert("name".into(), json!(segment.name));
                body.insert("description".into(), json!(segment.description));
                body.insert("rules".into(), Value::Array(rules));
                body.insert("match_type".into(), json!(segment.match_type.as_str()));
            }
            Dialect::Edgeflags => {
                if !update {
                    body.insert("key".into(), json!(segment.key));
                }
                body.insert("name".into(), json!(segment.name));
                body.insert("description".into(), json!(segment.description));
                body.insert("conditions".into(), Value::Array(rules));
            }
        }
        Ok(Value::Object(body))
    }

    fn encode_update(self, segment: &Segment, current: &Segment) -> Result<Value, Vec<String>> {
        let mut body = self.encode(segment, None, true)?;
        if self != Dialect::Edgeflags
            && let Value::Object(fields) = &mut body
        {
            let changed = differing(self, segment, current);
            fields.retain(|name, _| changed.iter().any(|c| c.as_str() == name));
        }
        Ok(body)
    }

    fn decode(self, object: &Value, key: &str) -> Result<Segment, String> {
        // The limit a document read from a file gets: a remote's object arrives already
        // parsed, so its size is counted here.
        segments_engine::check_json_size(
            object,
            segments_engine::limits::MAX_DOCUMENT_BYTES,
            "remote's segment",
        )
        .map_err(|e| e.to_string())?;
        let Some(fields) = object.as_object() else {
            return Err(format!("expected a segment object, got {}", kind(object)));
        };
        let mut document = Map::new();
        for (name, value) in fields {
            if matches!(
                name.as_str(),
                "id" | "created_at" | "updated_at" | "project_id"
            ) {
                continue;
            }
            document.insert(name.clone(), value.clone());
        }
        document.insert("key".into(), json!(key));
        if self == Dialect::Edgeflags && !document.contains_key("match_type") {
            document.insert("match_type".into(), json!("all"));
        }
        parse_segment(&Value::Object(document)).map_err(|e| e.to_string())
    }

    fn normalize(self, segment: &Segment) -> Segment {
        self.encode(segment, Some(""), false)
            .ok()
            .and_then(|body| self.decode(&body, &segment.key).ok())
            .unwrap_or_else(|| segment.clone())
    }
}

/// The fields on which two segments differ (in the dialect's normal form); with no base
/// (both sides created the segment), every differing field is a conflict.
pub(crate) fn differing(dialect: Dialect, a: &Segment, b: &Segment) -> Vec<Field> {
    let (na, nb) = (
        dialect.normalize(a).to_json(),
        dialect.normalize(b).to_json(),
    );
    Field::ALL
        .into_iter()
        .filter(|f| f.value(&na) != f.value(&nb))
        .collect()
}

pub(crate) fn vendor(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Projects => "the projects API",
        Dialect::Krafter => "Krafter",
        Dialect::Edgeflags => "EdgeFlags",
    }
}

fn condition(dialect: Dialect, c: &Condition) -> Result<Value, String> {
    if c.case_insensitive {
        return Err(format!(
            "({} {}) ignores case, which {} cannot express",
            c.attribute,
            c.operator.label(),
            vendor(dialect)
        ));
    }
    match dialect {
        Dialect::Projects => {
            let values = c.values.iter().map(value_as_string).collect::<Vec<_>>();
            Ok(json!({"attribute": c.attribute, "operator": c.operator.as_str(), "values": values}))
        }
        Dialect::Krafter => {
            let operator = match c.operator {
                Operator::Eq => "equals",
                Operator::Neq => "not_equals",
                Operator::Contains => "contains",
                Operator::NotContains => "not_contains",
                Operator::In => "in",
                Operator::NotIn => "not_in",
                Operator::Gt => "greater_than",
                Operator::Lt => "less_than",
                other => return Err(lacks(dialect, other)),
            };
            Ok(json!({"key": c.attribute, "operator": operator, "value": value(dialect, c)?}))
        }
        Dialect::Edgeflags => {
            if c.attribute == "segment"
                && !matches!(c.operator, Operator::InSegment | Operator::NotInSegment)
            {
                return Err(
                    "uses an attribute named \"segment\", which EdgeFlags reads as a segment reference"
                        .to_owned(),
                );
            }
            let (property, operator) = match c.operator {
                Operator::InSegment => ("segment", "in"),
                Operator::NotInSegment => ("segment", "not_in"),
                Operator::Eq => (c.attribute.as_str(), "equals"),
                Operator::Neq => (c.attribute.as_str(), "not_equals"),
                Operator::Contains => (c.attribute.as_str(), "contains"),
                Operator::In => (c.attribute.as_str(), "in"),
                Operator::NotIn => (c.attribute.as_str(), "not_in"),
                Operator::StartsWith => (c.attribute.as_str(), "starts_with"),
                Operator::EndsWith => (c.attribute.as_str(), "ends_with"),
                Operator::Gt => (c.attribute.as_str(), "gt"),
                Operator::Gte => (c.attribute.as_str(), "gte"),
                Operator::Lt => (c.attribute.as_str(), "lt"),
                Operator::Lte => (c.attribute.as_str(), "lte"),
                Operator::Matches => (c.attribute.as_str(), "regex"),
                other => return Err(lacks(dialect, other)),
            };
            Ok(json!({"property": property, "operator": operator, "value": value(dialect, c)?}))
        }
    }
}

/// The `value` of a Krafter or EdgeFlags condition: an array for the list operators,
/// otherwise exactly one scalar.
fn value(dialect: Dialect, c: &Condition) -> Result<Value, String> {
    if matches!(
        c.operator,
        Operator::In | Operator::NotIn | Operator::InSegment | Operator::NotInSegment
    ) {
        return Ok(Value::Array(c.values.clone()));
    }
    match c.values.as_slice() {
        [one] => Ok(one.clone()),
        many => Err(format!(
            "({} {}) has {} values, and {} takes exactly one value for \"{}\" (use \"is one of\" for a list)",
            c.attribute,
            c.operator.label(),
            many.len(),
            vendor(dialect),
            c.operator.label()
        )),
    }
}

fn lacks(dialect: Dialect, operator: Operator) -> String {
    format!(
        "uses \"{}\", which isn't supported by {}",
        operator.label(),
        vendor(dialect)
    )
}

/// The projects API writes every value as a string (`["true"]`, `["50"]`).
fn value_as_string(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.clone()),
        other => Value::String(other.to_string()),
    }
}

/// A JSON value's kind, for messages about malformed responses.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
