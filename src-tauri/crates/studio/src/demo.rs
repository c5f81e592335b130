//! The demo data a new user sees: a few segments that show off the operators, and personas
//! to try them with.

use segments_engine::{Segment, parse_segment};
use serde_json::{Value, json};

use segments_store::{Store, StoreError};

fn demo_segments() -> Vec<Value> {
    vec![
        json!({"key": "enterprise-users", "name": "Enterprise Users",
               "description": "Enterprise plan with a big seat count or an Acme address",
               "match_type": "all", "rules": [
            {"attribute": "plan", "operator": "eq", "values": ["enterprise"]},
            {"match_type": "any", "rules": [
                {"attribute": "seats", "operator": "gte", "values": [50]},
                {"attribute": "email", "operator": "ends_with", "values": ["@acme.com"], "case_insensitive": true}]}]}),
        json!({"key": "north-america", "name": "North America",
               "description": "Users whose country is the US, Canada or Mexico",
               "rules": [{"attribute": "address.country", "operator": "in", "values": ["US", "CA", "MX"]}]}),
        json!({"key": "enterprise-north-america", "name": "Enterprise users in North America",
               "description": "Both of the segments above",
               "rules": [{"attribute": "segment", "operator": "in_segment", "values": ["enterprise-users"]},
                         {"attribute": "segment", "operator": "in_segment", "values": ["north-america"]}]}),
        json!({"key": "beta-testers", "name": "Beta Testers",
               "description": "Opted into the beta program, not internal staff",
               "rules": [{"attribute": "beta_optin", "operator": "eq", "values": [true]},
                         {"attribute": "email", "operator": "not_contains", "values": ["@segmentstudio.dev"]}]}),
        json!({"key": "mobile-v2", "name": "Mobile app 2.x",
               "description": "iOS or Android on app version 2.0 or later (pre-releases excluded)",
               "rules": [{"attribute": "platform", "operator": "in", "values": ["ios", "android"]},
                         {"attribute": "app_version", "operator": "semver_gte", "values": ["2.0.0"]}]}),
        json!({"key": "recent-signups", "name": "Recent signups",
               "description": "Signed up in 2026 and have not churned",
               "rules": [{"attribute": "signed_up_at", "operator": "after", "values": ["2026-01-01"]},
                         {"attribute": "churned_at", "operator": "not_exists", "values": []}]}),
        json!({"key": "not-free", "name": "Paying customers", "match_type": "none",
               "description": "Everyone not on the free plan or a trial",
               "rules": [{"attribute": "plan", "operator": "in", "values": ["free", "trial"]}]}),
    ]
}

fn demo_personas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Enterprise admin in the US",
            json!({"plan": "enterprise", "seats": 120, "email": "ada@acme.com",
                   "address": {"country": "US"}, "platform": "ios", "app_version": "2.3.1",
                   "signed_up_at": "2026-03-04T09:00:00Z", "beta_optin": true, "churned_at": null}),
        ),
        (
            "Free user in Germany",
            json!({"plan": "free", "seats": 1, "email": "max@example.de",
                   "address": {"country": "DE"}, "platform": "android", "app_version": "1.9.4",
                   "signed_up_at": "2025-11-20", "beta_optin": false, "churned_at": "2026-06-30"}),
        ),
    ]
}

/// The demo segments, parsed.
pub fn segments() -> Vec<Segment> {
    demo_segments()
        .iter()
        .filter_map(|v| parse_segment(v).ok())
        .collect()
}

/// Seeds the demo set into an empty store; a store that has any segment is left alone, so
/// this never touches a user's own data. Returns whether it seeded.
pub fn seed_if_empty(store: &mut Store) -> Result<bool, StoreError> {
    if !store.list_segments()?.is_empty() {
        return Ok(false);
    }
    store.import_segments(&segments())?;
    for (name, context) in demo_personas() {
        store.save_persona(name, &context)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_segment_parses() {
        assert_eq!(segments().len(), demo_segments().len());
    }

    /// The personas share one schema, and it holds every attribute a demo segment tests: the
    /// builder's suggestions and the context form then offer one set of names.
    #[test]
    fn the_demo_data_uses_one_schema() {
        fn paths(value: &Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
            for (k, v) in value.as_object().into_iter().flatten() {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if v.is_object() {
                    paths(v, &path, out);
                } else {
                    out.insert(path);
                }
            }
        }
        let schemas: Vec<_> = demo_personas()
            .iter()
            .map(|(_, context)| {
                let mut out = std::collections::BTreeSet::new();
                paths(context, "", &mut out);
                out
            })
            .collect();
        assert!(schemas.windows(2).all(|w| w[0] == w[1]), "{schemas:?}");
        for segment in segments() {
            for attribute in segment.attributes() {
                assert!(
                    schemas[0].contains(attribute),
                    "{} tests {attribute}, which no persona has",
                    segment.key
                );
            }
        }
    }

    #[test]
    fn seeds_once() {
        let mut store = Store::open_in_memory().unwrap();
        assert!(seed_if_empty(&mut store).unwrap());
        assert!(!seed_if_empty(&mut store).unwrap());
        assert_eq!(store.list_personas().unwrap().len(), 2);
    }
}
