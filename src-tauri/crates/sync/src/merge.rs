//! The per-field three-way merge: a field changed on one side only takes that side's value;
//! a field changed on both sides to different values is a conflict for the user.

use segments_engine::Segment;
use segments_store::Field;

use crate::Dialect;
use crate::dialect::Wire;

/// The outcome of a merge.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Merge {
    /// Every change fits together.
    Clean(Segment),
    /// These fields changed differently on both sides.
    Conflict(Vec<Field>),
}

/// Merges `mine` and `theirs`, both descended from `base`. Fields are compared in the
/// dialect's normal form, so a spelling the remote imposes (projects' string values) is not
/// a change.
pub(crate) fn merge(dialect: Dialect, base: &Segment, mine: &Segment, theirs: &Segment) -> Merge {
    let (nb, nm, nt) = (
        dialect.normalize(base).to_json(),
        dialect.normalize(mine).to_json(),
        dialect.normalize(theirs).to_json(),
    );
    let mut merged = mine.clone();
    let mut conflicts = Vec::new();
    for field in Field::ALL {
        let (b, m, t) = (field.value(&nb), field.value(&nm), field.value(&nt));
        if m == t || t == b {
            continue; // mine already has it
        }
        if m == b {
            field.copy(theirs, &mut merged);
        } else {
            conflicts.push(field);
        }
    }
    if conflicts.is_empty() {
        Merge::Clean(merged)
    } else {
        Merge::Conflict(conflicts)
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
            Merge::Conflict(vec![Field::Description])
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
        assert!(crate::dialect::differing(Dialect::Projects, &base, &theirs).is_empty());
        assert_eq!(
            merge(Dialect::Projects, &base, &mine, &theirs),
            Merge::Clean(mine.clone())
        );
    }
}
