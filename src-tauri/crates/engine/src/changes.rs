//! What changed between two versions of a segment, in the rule builder's words: "plan
//! equals pro → team", "removed FR from country", "description set". History and the push
//! preview lead with this; their JSON diffs are the second view.

use serde_json::Value;

use crate::model::{Condition, Group, MatchType, Rule, Segment};

/// One phrase per change from `before` to `after` (none for a create or a delete: the
/// action says it). Empty when the two mean the same document.
pub fn describe_changes(before: Option<&Segment>, after: Option<&Segment>) -> Vec<String> {
    let (Some(before), Some(after)) = (before, after) else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    if before.name != after.name {
        changes.push(format!("renamed \"{}\" → \"{}\"", before.name, after.name));
    }
    match (before.description.is_empty(), after.description.is_empty()) {
        _ if before.description == after.description => {}
        (true, false) => changes.push("description set".to_owned()),
        (false, true) => changes.push("description cleared".to_owned()),
        _ => changes.push("description changed".to_owned()),
    }
    rules(
        &[],
        (before.match_type, &before.rules),
        (after.match_type, &after.rules),
        &mut changes,
    );
    changes
}

/// How a match type reads in the builder.
fn combinator(match_type: MatchType) -> &'static str {
    match match_type {
        MatchType::All => "all of",
        MatchType::Any => "any of",
        MatchType::None => "none of",
    }
}

/// The changes within one list of rules; `group` is its rule numbers from the top (none
/// for the segment's own rules, `[2, 1]` for "group 2.1").
fn rules(
    group: &[usize],
    (old_type, old): (MatchType, &[Rule]),
    (new_type, new): (MatchType, &[Rule]),
    changes: &mut Vec<String>,
) {
    let place = match group {
        [] => String::new(),
        numbers => format!(
            " in group {}",
            numbers
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(".")
        ),
    };
    let place = place.as_str();
    let before = changes.len();
    if old_type != new_type {
        changes.push(format!(
            "matches {} → {} the rules{place}",
            combinator(old_type),
            combinator(new_type)
        ));
    }
    let conditions = |rules: &[Rule]| -> Vec<Condition> {
        rules
            .iter()
            .filter_map(|r| match r {
                Rule::Condition(c) => Some(c.clone()),
                Rule::Group(_) => None,
            })
            .collect()
    };
    // With their rule numbers, as the builder shows them ("group 2" is the second rule).
    let groups = |rules: &[Rule]| -> Vec<(usize, Group)> {
        (1..)
            .zip(rules)
            .filter_map(|(n, r)| match r {
                Rule::Group(g) => Some((n, g.clone())),
                Rule::Condition(_) => None,
            })
            .collect()
    };
    let (mut old_conditions, mut new_conditions) = (conditions(old), conditions(new));
    // Unchanged conditions first, then the same test with other values, then the same
    // attribute with another operator; what is left was added or removed.
    pair(
        &mut old_conditions,
        &mut new_conditions,
        |a, b| a == b,
        |_, _| {},
    );
    pair(
        &mut old_conditions,
        &mut new_conditions,
        |a, b| a.attribute == b.attribute && a.operator == b.operator,
        |a, b| changes.extend(values_changed(place, a, b)),
    );
    pair(
        &mut old_conditions,
        &mut new_conditions,
        |a, b| a.attribute == b.attribute,
        |a, b| {
            changes.push(format!("{} {} → {}{place}", a.attribute, test(a), test(b)));
        },
    );
    for c in &old_conditions {
        changes.push(format!(
            "removed the rule {} {}{place}",
            c.attribute,
            test(c)
        ));
    }
    for c in &new_conditions {
        changes.push(format!("added the rule {} {}{place}", c.attribute, test(c)));
    }
    let (old_groups, new_groups) = (groups(old), groups(new));
    for ((_, a), (n, b)) in old_groups.iter().zip(&new_groups) {
        let inner = [group, &[*n]].concat();
        rules(
            &inner,
            (a.match_type, &a.rules),
            (b.match_type, &b.rules),
            changes,
        );
    }
    for (_, g) in old_groups.iter().skip(new_groups.len()) {
        changes.push(format!("removed a group ({}){place}", group_summary(g)));
    }
    for (_, g) in new_groups.iter().skip(old_groups.len()) {
        changes.push(format!("added a group ({}){place}", group_summary(g)));
    }
    if changes.len() == before && old != new {
        changes.push(format!("rules reordered{place}"));
    }
}

/// Removes the pairs `same` finds (first match in order) from both lists, calling `found`
/// for each.
fn pair(
    old: &mut Vec<Condition>,
    new: &mut Vec<Condition>,
    same: impl Fn(&Condition, &Condition) -> bool,
    mut found: impl FnMut(&Condition, &Condition),
) {
    let mut i = 0;
    while i < old.len() {
        if let Some(j) = new.iter().position(|b| same(&old[i], b)) {
            let (a, b) = (old.remove(i), new.remove(j));
            found(&a, &b);
        } else {
            i += 1;
        }
    }
}

/// A condition with the same attribute and operator, other values or case handling.
fn values_changed(place: &str, a: &Condition, b: &Condition) -> Vec<String> {
    let mut changes = Vec::new();
    if a.values != b.values {
        let added: Vec<&Value> = b.values.iter().filter(|v| !a.values.contains(v)).collect();
        let removed: Vec<&Value> = a.values.iter().filter(|v| !b.values.contains(v)).collect();
        if a.operator.takes_many_values() && (added.is_empty() || removed.is_empty()) {
            if !added.is_empty() {
                changes.push(format!("added {} to {}{place}", join(&added), a.attribute));
            }
            if !removed.is_empty() {
                changes.push(format!(
                    "removed {} from {}{place}",
                    join(&removed),
                    a.attribute
                ));
            }
            if added.is_empty() && removed.is_empty() {
                changes.push(format!("{} values reordered{place}", a.attribute));
            }
        } else {
            changes.push(format!(
                "{} {} {} → {}{place}",
                a.attribute,
                a.operator.label(),
                join(&a.values.iter().collect::<Vec<_>>()),
                join(&b.values.iter().collect::<Vec<_>>())
            ));
        }
    }
    if a.case_insensitive != b.case_insensitive {
        let now = if b.case_insensitive {
            "now ignores case"
        } else {
            "no longer ignores case"
        };
        changes.push(format!(
            "{} {} {now}{place}",
            a.attribute,
            a.operator.label()
        ));
    }
    changes
}

/// "is one of DE, FR" (and "ignoring case" when it does).
fn test(c: &Condition) -> String {
    let values = join(&c.values.iter().collect::<Vec<_>>());
    let mut text = c.operator.label().to_owned();
    if !values.is_empty() {
        text.push(' ');
        text.push_str(&values);
    }
    if c.case_insensitive {
        text.push_str(" (ignoring case)");
    }
    text
}

/// Values as a PM reads them: strings bare, the rest as JSON; the first five, then a count.
fn join(values: &[&Value]) -> String {
    let shown: Vec<String> = values
        .iter()
        .take(5)
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    match values.len().saturating_sub(5) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// "any of 2 rules".
fn group_summary(g: &Group) -> String {
    let n = g.rules.len();
    format!(
        "{} {n} {}",
        combinator(g.match_type),
        if n == 1 { "rule" } else { "rules" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_segment;
    use serde_json::json;

    fn segment(doc: Value) -> Segment {
        let mut doc = doc;
        doc["key"] = json!("s");
        parse_segment(&doc).expect("a valid test segment")
    }

    fn changes(before: Value, after: Value) -> Vec<String> {
        describe_changes(Some(&segment(before)), Some(&segment(after)))
    }

    #[test]
    fn values_of_a_test_read_as_before_and_after() {
        let version = |v: &str| json!({"rules": [{"attribute": "app_version", "operator": "semver_gte", "values": [v]}]});
        assert_eq!(
            changes(version("2.4.0"), version("2.5.0")),
            ["app_version version at least 2.4.0 → 2.5.0"]
        );
    }

    #[test]
    fn list_edits_name_the_values_added_or_removed() {
        let countries = |v: Value| json!({"description": "", "rules": [{"attribute": "country", "operator": "in", "values": v}]});
        assert_eq!(
            changes(countries(json!(["DE", "FR"])), countries(json!(["DE"]))),
            ["removed FR from country"]
        );
        assert_eq!(
            changes(countries(json!(["DE"])), countries(json!(["DE", "AT"]))),
            ["added AT to country"]
        );
    }

    #[test]
    fn fields_rules_and_groups_each_get_a_phrase() {
        let before = json!({"name": "EU", "match_type": "all", "rules": [
            {"attribute": "plan", "operator": "eq", "values": ["pro"]},
            {"attribute": "beta", "operator": "eq", "values": [true]},
        ]});
        let after = json!({"name": "Europe", "description": "EU customers", "match_type": "any", "rules": [
            {"attribute": "plan", "operator": "neq", "values": ["free"]},
            {"match_type": "any", "rules": [{"attribute": "seats", "operator": "gte", "values": [5]}]},
        ]});
        assert_eq!(
            changes(before, after),
            [
                "renamed \"EU\" → \"Europe\"",
                "description set",
                "matches all of → any of the rules",
                "plan equals pro → does not equal free",
                "removed the rule beta equals true",
                "added a group (any of 1 rule)",
            ]
        );
    }

    #[test]
    fn changes_inside_a_group_say_which_group() {
        let doc = |v: i64| {
            json!({"rules": [{"match_type": "all", "rules": [
                {"attribute": "seats", "operator": "gte", "values": [v]}]}]})
        };
        assert_eq!(
            changes(doc(5), doc(10)),
            ["seats at least 5 → 10 in group 1"]
        );
    }

    #[test]
    fn the_same_document_has_no_changes_and_a_reorder_is_named() {
        let a = json!({"rules": [
            {"attribute": "a", "operator": "exists"},
            {"attribute": "b", "operator": "exists"}]});
        let b = json!({"rules": [
            {"attribute": "b", "operator": "exists"},
            {"attribute": "a", "operator": "exists"}]});
        assert!(changes(a.clone(), a.clone()).is_empty());
        assert_eq!(changes(a, b), ["rules reordered"]);
        assert!(
            describe_changes(
                None,
                Some(&segment(json!({"rules": [
            {"attribute": "a", "operator": "exists"}]})))
            )
            .is_empty()
        );
    }
}
