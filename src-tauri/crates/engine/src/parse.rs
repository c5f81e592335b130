//! Parsing and validation of segment documents in every accepted format.
//!
//! Formats are detected per rule by shape, so a document may even mix them:
//! - canonical / projects: `{"attribute", "operator", "values": [...]}` and groups
//!   `{"match_type", "rules"}`;
//! - Krafter: `{"key", "operator", "value"}` (value scalar or array), segments without a key
//!   get one derived from the name;
//! - EdgeFlags: `{"property", "operator", "value"}` under a segment's `conditions` (AND), where
//!   `{"property": "segment", "operator": "in"|"not_in"}` references other segments.
//!
//! Every problem found is reported with its path; nothing stops at the first one.

use serde_json::{Map, Value};

mod rules;
mod values;

use crate::error::{IssueCode, ValidationError, ValidationIssue};
use crate::limits::{MAX_DESCRIPTION_CHARS, MAX_DOCUMENT_BYTES, MAX_NAME_CHARS, MAX_STRING_BYTES};
use crate::model::{MatchType, Rule, Segment};

/// Longest key, in bytes.
const MAX_KEY_BYTES: usize = 128;

/// Fields that vendors' APIs return alongside a segment; accepted on input and dropped.
const VENDOR_FIELDS: [&str; 6] = [
    "id",
    "project_id",
    "created_at",
    "updated_at",
    "version",
    "etag",
];

/// Whether `key` matches `[a-z0-9][a-z0-9._-]{0,127}`, the strictest rule of the three APIs.
pub fn is_valid_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_KEY_BYTES
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes.iter().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

/// Derives a valid key from a display name ("Pro Users (EU)" → "pro-users-eu", "Über fans"
/// → "uber-fans"), for formats whose segments have no key and for the key a new segment
/// gets in the app until it is typed by hand.
pub fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = latin_letter(c);
        if !folded.is_empty() {
            key.push_str(folded);
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
        if key.len() >= MAX_KEY_BYTES {
            key.truncate(MAX_KEY_BYTES);
            break;
        }
    }
    let key = key.trim_end_matches('-');
    if key.is_empty() {
        "segment".to_owned()
    } else {
        key.to_owned()
    }
}

/// The ASCII letters of a lowercase accented Latin letter ("é" → "e", "ß" → "ss"); empty for
/// any other character. Names in European languages keep their words in the key instead of
/// losing a letter to "-"; a full Unicode decomposition would be a dependency for little more.
fn latin_letter(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => "",
    }
}

/// Parses JSON text of at most `max_bytes`, refusing oversize and malformed input with a
/// message that says where.
pub fn parse_json_text(text: &str, max_bytes: usize, what: &str) -> Result<Value, ValidationError> {
    if text.len() > max_bytes {
        return Err(ValidationError::single(
            "",
            IssueCode::TooLarge,
            format!(
                "the {what} is {} bytes; the limit is {max_bytes} bytes",
                text.len()
            ),
        ));
    }
    serde_json::from_str(text).map_err(|e| {
        ValidationError::single(
            "",
            IssueCode::InvalidJson,
            format!("the {what} is not valid JSON: {e}"),
        )
    })
}

/// Parses and validates a segment document (any accepted format) from JSON text.
pub fn parse_segment_text(text: &str) -> Result<Segment, ValidationError> {
    parse_segment(&parse_json_text(text, MAX_DOCUMENT_BYTES, "segment")?)
}

/// Parses and validates a segment document (any accepted format).
///
/// References to other segments are checked when the segment is compiled together with
/// them (see [`crate::CompiledSet`]).
pub fn parse_segment(value: &Value) -> Result<Segment, ValidationError> {
    let mut parser = Parser::default();
    let segment = parser.segment(value);
    match segment {
        Some(segment) if parser.issues.is_empty() => Ok(segment),
        _ => Err(parser.into_error()),
    }
}

/// A partial update: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentPatch {
    /// New display name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New top-level match type.
    pub match_type: Option<MatchType>,
    /// New rules (replacing all of them).
    pub rules: Option<Vec<Rule>>,
}

impl SegmentPatch {
    /// The segment with this patch applied.
    pub fn apply(&self, segment: &Segment) -> Segment {
        Segment {
            key: segment.key.clone(),
            name: self.name.clone().unwrap_or_else(|| segment.name.clone()),
            description: self
                .description
                .clone()
                .unwrap_or_else(|| segment.description.clone()),
            match_type: self.match_type.unwrap_or(segment.match_type),
            rules: self.rules.clone().unwrap_or_else(|| segment.rules.clone()),
        }
    }
}

/// Parses a partial update for the segment `key`. A `key` field, if given, must equal it:
/// keys are identities and never change.
pub fn parse_patch(value: &Value, key: &str) -> Result<SegmentPatch, ValidationError> {
    let mut parser = Parser::default();
    let Some(object) = parser.object(value, "") else {
        return Err(parser.into_error());
    };
    let mut patch = SegmentPatch::default();
    for (field, v) in object {
        match field.as_str() {
            "key" => {
                if v.as_str() != Some(key) {
                    parser.issue(
                        "key",
                        IssueCode::KeyChanged,
                        format!("a segment's key cannot change (it is \"{key}\"); create a new segment instead"),
                    );
                }
            }
            "name" => patch.name = parser.name(v),
            "description" => patch.description = parser.description(v),
            "match_type" => patch.match_type = parser.match_type(v, "match_type"),
            "rules" => patch.rules = parser.rule_list(v, "rules", 0),
            "conditions" if object.contains_key("rules") => parser.issue(
                "conditions",
                IssueCode::UnknownField,
                "give either \"rules\" or \"conditions\" (EdgeFlags format), not both",
            ),
            "conditions" => {
                // EdgeFlags conditions always combine with AND.
                patch.rules = parser.conditions(object, v);
                patch.match_type = Some(MatchType::All);
            }
            other if VENDOR_FIELDS.contains(&other) => {}
            other => parser.unknown_field(
                other,
                "",
                "name, description, match_type, rules or conditions",
            ),
        }
    }
    if parser.issues.is_empty() {
        Ok(patch)
    } else {
        Err(parser.into_error())
    }
}

/// Collects every problem while walking a document.
#[derive(Default)]
struct Parser {
    issues: Vec<ValidationIssue>,
    conditions: usize,
}

pub(super) fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

pub(super) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Parser {
    fn issue(&mut self, path: impl Into<String>, code: IssueCode, message: impl Into<String>) {
        self.issues.push(ValidationIssue::new(path, code, message));
    }

    fn into_error(self) -> ValidationError {
        ValidationError::from(self.issues)
    }

    fn unknown_field(&mut self, field: &str, path: &str, expected: &str) {
        self.issue(
            join(path, field),
            IssueCode::UnknownField,
            format!("unknown field \"{field}\"; expected {expected}"),
        );
    }

    fn object<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            let at = if path.is_empty() {
                "the document"
            } else {
                path
            };
            self.issue(
                path,
                IssueCode::WrongType,
                format!("{at} must be a JSON object, not {}", type_name(value)),
            );
        }
        object
    }

    fn string<'v>(&mut self, value: &'v Value, path: &str, max_bytes: usize) -> Option<&'v str> {
        match value.as_str() {
            Some(s) if s.len() > max_bytes => {
                self.issue(
                    path,
                    IssueCode::TooLarge,
                    format!("is {} bytes long; the limit is {max_bytes}", s.len()),
                );
                None
            }
            Some(s) => Some(s),
            None => {
                self.issue(
                    path,
                    IssueCode::WrongType,
                    format!("must be a string, not {}", type_name(value)),
                );
                None
            }
        }
    }

    fn segment(&mut self, value: &Value) -> Option<Segment> {
        let object = self.object(value, "")?;
        let name = object.get("name").and_then(|v| self.name(v));
        let key = match object.get("key") {
            Some(v) => self.key(v),
            // Krafter segments have no key: derive one from the name.
            None => match &name {
                Some(name) => Some(key_from_name(name)),
                None => {
                    self.issue(
                        "key",
                        IssueCode::MissingField,
                        "a segment needs a \"key\" (or at least a \"name\" to derive one from)",
                    );
                    None
                }
            },
        };
        let description = object
            .get("description")
            .and_then(|v| self.description(v))
            .unwrap_or_default();
        let match_type = object
            .get("match_type")
            .and_then(|v| self.match_type(v, "match_type"))
            .unwrap_or_default();
        let rules = match (object.get("rules"), object.get("conditions")) {
            (Some(rules), None) => self.rule_list(rules, "rules", 0),
            (None, Some(conditions)) => self.conditions(object, conditions),
            (Some(_), Some(_)) => {
                self.issue(
                    "conditions",
                    IssueCode::UnknownField,
                    "give either \"rules\" or \"conditions\" (EdgeFlags format), not both",
                );
                None
            }
            (None, None) => {
                self.issue(
                    "rules",
                    IssueCode::MissingField,
                    "a segment needs \"rules\": a non-empty list of conditions or groups",
                );
                None
            }
        };
        for field in object.keys() {
            let known = matches!(
                field.as_str(),
                "key" | "name" | "description" | "match_type" | "rules" | "conditions"
            ) || VENDOR_FIELDS.contains(&field.as_str());
            if !known {
                self.unknown_field(
                    field,
                    "",
                    "key, name, description, match_type, rules or conditions",
                );
            }
        }
        let key = key?;
        Some(Segment {
            name: name.unwrap_or_else(|| key.clone()),
            key,
            description,
            match_type,
            rules: rules?,
        })
    }

    fn key(&mut self, value: &Value) -> Option<String> {
        let key = self.string(value, "key", MAX_STRING_BYTES)?;
        if is_valid_key(key) {
            Some(key.to_owned())
        } else {
            self.issue(
                "key",
                IssueCode::InvalidKey,
                format!(
                    "\"{key}\" is not a valid key: use 1 to 128 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"
                ),
            );
            None
        }
    }

    fn name(&mut self, value: &Value) -> Option<String> {
        let name = self.string(value, "name", MAX_STRING_BYTES)?;
        let chars = name.chars().count();
        if name.trim().is_empty() {
            self.issue("name", IssueCode::InvalidValue, "the name cannot be empty");
            None
        } else if chars > MAX_NAME_CHARS {
            self.issue(
                "name",
                IssueCode::TooLarge,
                format!("the name has {chars} characters; the limit is {MAX_NAME_CHARS}"),
            );
            None
        } else {
            Some(name.to_owned())
        }
    }

    fn description(&mut self, value: &Value) -> Option<String> {
        // Vendors send null for "no description".
        if value.is_null() {
            return Some(String::new());
        }
        let text = self.string(value, "description", usize::MAX)?;
        let chars = text.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            self.issue(
                "description",
                IssueCode::TooLarge,
                format!(
                    "the description has {chars} characters; the limit is {MAX_DESCRIPTION_CHARS}"
                ),
            );
            return None;
        }
        Some(text.to_owned())
    }

    fn match_type(&mut self, value: &Value, path: &str) -> Option<MatchType> {
        let name = self.string(value, path, MAX_STRING_BYTES)?;
        let parsed = MatchType::from_name(name);
        if parsed.is_none() {
            self.issue(
                path,
                IssueCode::InvalidMatchType,
                format!("unknown match type \"{name}\"; expected all, any or none"),
            );
        }
        parsed
    }

    /// EdgeFlags' `conditions`: an AND list of `{property, operator, value}`.
    fn conditions(&mut self, segment: &Map<String, Value>, value: &Value) -> Option<Vec<Rule>> {
        if let Some(other) = segment.get("match_type").and_then(Value::as_str)
            && other != "all"
        {
            self.issue(
                "match_type",
                IssueCode::InvalidMatchType,
                format!("\"conditions\" are always combined with AND; match_type \"{other}\" needs \"rules\" instead"),
            );
        }
        self.rule_list(value, "conditions", 0)
    }
}
