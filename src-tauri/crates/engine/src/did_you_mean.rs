//! "Did you mean `address.country`?": for an attribute the context lacks, a similar one it
//! has: the same name in another case or spelling (`Country`, `country_code` is not), the
//! same last part under an object (`country` → `address.country`), or a small typo.

use serde_json::Value;

/// How deep into nested objects candidates are looked for.
const MAX_DEPTH: usize = 4;
/// How many of the context's attributes are looked at, at most: a trace stays quick on a
/// context of any size.
const MAX_CANDIDATES: usize = 2_000;

/// The context attribute most like `attribute`, with its value, when one is close enough.
pub(crate) fn similar_attribute(attribute: &str, context: &Value) -> Option<(String, Value)> {
    let mut candidates = Vec::new();
    collect(context, "", 0, &mut candidates);
    let wanted = normalized(attribute);
    let wanted_last = normalized(attribute.rsplit('.').next().unwrap_or(attribute));
    candidates
        .into_iter()
        .filter(|(path, _)| path != attribute)
        .filter_map(|(path, value)| {
            let name = normalized(&path);
            let last = normalized(path.rsplit('.').next().unwrap_or(&path));
            let score = if name == wanted {
                0
            } else if last == wanted_last {
                1
            } else {
                let distance = edit_distance(&name, &wanted);
                // A typo, not another word: at most one edit in four letters, two overall.
                (wanted.len() >= 4 && distance <= 2 && distance * 4 <= wanted.len())
                    .then_some(1 + distance)?
            };
            Some((score, path, value))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
        .map(|(_, path, value)| (path, value))
}

/// Lowercase, without the separators people vary (`app_version`, `appVersion`, `app-version`).
fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

fn collect(value: &Value, prefix: &str, depth: usize, out: &mut Vec<(String, Value)>) {
    let Value::Object(fields) = value else {
        return;
    };
    for (name, field) in fields {
        if out.len() >= MAX_CANDIDATES {
            return;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        match field {
            Value::Object(_) if depth + 1 < MAX_DEPTH => collect(field, &path, depth + 1, out),
            _ => out.push((path, field.clone())),
        }
    }
}

/// Levenshtein distance over characters; names are short (attribute names are limited).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hint(attribute: &str, context: Value) -> Option<String> {
        similar_attribute(attribute, &context).map(|(path, _)| path)
    }

    #[test]
    fn finds_the_same_name_under_an_object_in_another_case_or_with_a_typo() {
        let context = json!({"address": {"country": "DE"}, "AppVersion": "2.1", "plan": "pro"});
        assert_eq!(
            hint("country", context.clone()).as_deref(),
            Some("address.country")
        );
        assert_eq!(
            hint("app_version", context.clone()).as_deref(),
            Some("AppVersion")
        );
        assert_eq!(hint("plann", context.clone()).as_deref(), Some("plan"));
        assert_eq!(
            hint("pla", context.clone()),
            None,
            "too short to call a typo"
        );
        assert_eq!(
            hint("adress.country", context.clone()).as_deref(),
            Some("address.country")
        );
        assert_eq!(hint("seats", context), None);
        let (path, value) =
            similar_attribute("country", &json!({"address": {"country": "DE"}})).unwrap();
        assert_eq!((path.as_str(), value), ("address.country", json!("DE")));
    }
}
