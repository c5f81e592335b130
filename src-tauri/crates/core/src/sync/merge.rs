//! The per-field three-way merge: a field changed on one side only takes that side's value;
//! a field changed on both sides to different values is a conflict for the user.

use segments_engine::Segment;
use serde_json::Value;

use super::Dialect;

/// The fields a merge looks at; the key is the identity and never differs.
pub(crate) const FIELDS: [&str; 4] = ["name", "description", "match_type", "rules"];

/// The outcome of a merge.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Merge {
    /// Every change fits together.
    Clean(Segment),
    /// These fields changed differently on both sides.
    Conflict(Vec<String>),
}

/// A field of a segment as JSON, compared in the dialect's normal form so a spelling the
/// remote imposes (projects' string values) is not a change.
pub(crate) fn field(segment: &Segment, name: &str) -> Value {
    let json = segment.to_json();
    json.get(name).cloned().unwrap_or(Value::Null)
}

/// Merges `mine` and `theirs`, both descended from `base`.
pub(crate) fn merge(dialect: Dialect, base: &Segment, mine: &Segment, theirs: &Segment) -> Merge {
    let (nb, nm, nt) = (
        dialect.normalize(base),
        dialect.normalize(mine),
        dialect.normalize(theirs),
    );
    let mut merged = mine.clone();
    let mut conflicts = Vec::new();
    for name in FIELDS {
        let (b, m, t) = (field(&nb, name), field(&nm, name), field(&nt, name));
        if m == t || t == b {
            continue; // mine already has it
        }
        if m == b {
            take(&mut merged, theirs, name);
        } else {
            conflicts.push(name.to_owned());
        }
    }
    if conflicts.is_empty() {
        Merge::Clean(merged)
    } else {
        Merge::Conflict(conflicts)
    }
}

/// The fields on which two segments differ (in the dialect's normal form); with no base
/// (both sides created the segment), every differing field is a conflict.
pub(crate) fn differing(dialect: Dialect, a: &Segment, b: &Segment) -> Vec<String> {
    let (na, nb) = (dialect.normalize(a), dialect.normalize(b));
    FIELDS
        .into_iter()
        .filter(|f| field(&na, f) != field(&nb, f))
        .map(str::to_owned)
        .collect()
}

fn take(merged: &mut Segment, from: &Segment, name: &str) {
    match name {
        "name" => merged.name.clone_from(&from.name),
        "description" => merged.description.clone_from(&from.description),
        "match_type" => merged.match_type = from.match_type,
        _ => merged.rules.clone_from(&from.rules),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use segments_engine::parse_segment;
    use serde_json::json;

    fn segment(name: &str, description: &str, plan: &str) -> Segment {
        parse_segment(&json!({
            "key": "s", "name": name, "description": description,
            "rules": [{"attribute": "plan", "operator": "eq", "values": [plan]}]
        }))
        .unwrap()
    }

    #[test]
    fn changes_to_different_fields_merge() {
        let base = segment("A", "d", "pro");
        let mine = segment("B", "d", "pro");
        let theirs = segment("A", "d", "enterprise");
        assert_eq!(
            merge(Dialect::Projects, &base, &mine, &theirs),
            Merge::Clean(segment("B", "d", "enterprise"))
        );
    }

    #[test]
    fn different_changes_to_one_field_conflict() {
        let base = segment("A", "d", "pro");
        let mine = segment("A", "mine", "free");
        let theirs = segment("A", "theirs", "free");
        assert_eq!(
            merge(Dialect::Edgeflags, &base, &mine, &theirs),
            Merge::Conflict(vec!["description".to_owned()])
        );
    }

    #[test]
    fn the_dialects_spelling_is_not_a_change() {
        let base = parse_segment(&json!({"key": "s", "rules": [
            {"attribute": "seats", "operator": "gt", "values": [50]}]}))
        .unwrap();
        let theirs = parse_segment(&json!({"key": "s", "rules": [
            {"attribute": "seats", "operator": "gt", "values": ["50"]}]}))
        .unwrap();
        let mine = segment("s", "", "pro");
        assert!(differing(Dialect::Projects, &base, &theirs).is_empty());
        assert_eq!(
            merge(Dialect::Projects, &base, &mine, &theirs),
            Merge::Clean(mine.clone())
        );
    }
}
