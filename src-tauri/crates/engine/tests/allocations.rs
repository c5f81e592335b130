//! The evaluate path allocates nothing: counted with dhat's heap profiler in testing mode,
//! over contexts that exercise every operator kind, nested attributes, arrays, case
//! folding, numbers rendered as strings and segment references.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use segments_engine::{CompiledSet, Slots, parse_segment};
use serde_json::json;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

#[test]
fn evaluate_allocates_nothing() {
    let documents = [
        json!({"key": "enterprise", "match_type": "all", "rules": [
            {"attribute": "plan", "operator": "eq", "values": ["enterprise"]},
            {"match_type": "any", "rules": [
                {"attribute": "seats", "operator": "gte", "values": [50]},
                {"attribute": "email", "operator": "ends_with", "values": ["@acme.com"], "case_insensitive": true}]}]}),
        json!({"key": "everything", "match_type": "any", "rules": [
            {"attribute": "address.country", "operator": "in", "values": ["US", "CA", "MX"]},
            {"attribute": "tier", "operator": "eq", "values": [3, "gold"]},
            {"attribute": "id", "operator": "contains", "values": ["42"]},
            {"attribute": "email", "operator": "matches", "values": ["^[a-z]+@"]},
            {"attribute": "app_version", "operator": "semver_gte", "values": ["2.0"]},
            {"attribute": "signed_up_at", "operator": "after", "values": ["2026-01-01"]},
            {"attribute": "tags", "operator": "not_contains", "values": ["blocked"]},
            {"attribute": "churned_at", "operator": "not_exists"},
            {"attribute": "segment", "operator": "in_segment", "values": ["enterprise"]},
            {"attribute": "name", "operator": "starts_with", "values": ["ADA"], "case_insensitive": true}]}),
        json!({"key": "wide", "match_type": "none", "rules": [
            {"attribute": "id", "operator": "in", "values": (0..500).map(|i| format!("u{i}")).collect::<Vec<_>>()}]}),
    ];
    let segments: Vec<_> = documents
        .iter()
        .map(|d| parse_segment(d).unwrap())
        .collect();
    let set = CompiledSet::compile(&segments).unwrap();
    let contexts = [
        json!({"plan": "enterprise", "seats": 10, "email": "Ada@ACME.com", "address": {"country": "US"},
               "tier": "3", "id": 1424, "app_version": "v2.1.0-beta.12.long.prerelease", "signed_up_at": "2026-03-04T09:00:00+02:00",
               "tags": ["alpha", "beta"], "name": "Ada Lovelace"}),
        json!({"plan": "free", "seats": "many", "email": null, "address": {"country": 7}, "tier": 3.0,
               "id": [1, 2, {"x": 1}], "app_version": "latest", "signed_up_at": "yesterday", "churned_at": "2026-01-01"}),
        json!({}),
    ];
    let mut scratch = set.scratch();
    let mut out = Vec::with_capacity(set.len());
    // Warm up: regex caches are built on first use per thread.
    for context in &contexts {
        set.evaluate_all(context, &mut scratch, &mut out);
    }

    // The same contexts as rows of slots, as a file reader fills them.
    let names = set.attribute_names();
    let mut rows: Vec<Slots> = contexts
        .iter()
        .map(|context| {
            let mut slots = Slots::new(names.len());
            for (slot, name) in names.iter().enumerate() {
                if let Some(value) = context.get(&**name) {
                    slots.set(slot, value.clone());
                }
            }
            slots
        })
        .collect();
    let ids: Vec<_> = set.ids().collect();
    let mut from_slots = Vec::with_capacity(set.len());
    for (row, context) in rows.iter().zip(&contexts) {
        set.evaluate_all(context, &mut scratch, &mut out);
        set.evaluate_many_slots(&ids, row, &mut scratch, &mut from_slots);
        assert_eq!(
            from_slots, out,
            "a row of slots means what its JSON context means"
        );
    }
    let plan = names.iter().position(|n| &**n == "plan").unwrap();
    // Buffers grow once, to the longest value they hold; each distinct value is numbered
    // once, and the memo of outcomes per value is sized once per set.
    for row in &mut rows {
        if row.get(plan).is_some() {
            row.set_str(plan, "enterprise");
        }
        set.evaluate_many_slots(&ids, row, &mut scratch, &mut from_slots);
    }

    let _profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let mut matches = 0;
    for _ in 0..100 {
        for context in &contexts {
            set.evaluate_all(context, &mut scratch, &mut out);
            matches += out.iter().filter(|m| **m).count();
            for id in set.ids() {
                matches += usize::from(set.evaluate(id, context, &mut scratch));
            }
        }
        for row in &mut rows {
            // A reader refills a slot in place: the string buffer is reused.
            if row.get(plan).is_some() {
                row.set_str(plan, "enterprise");
            }
            set.evaluate_many_slots(&ids, row, &mut scratch, &mut from_slots);
            matches += from_slots.iter().filter(|m| **m).count();
            matches += usize::from(set.evaluate_slots(ids[0], row, &mut scratch));
        }
    }
    let after = dhat::HeapStats::get();
    dhat::assert_eq!(after.total_blocks - before.total_blocks, 0);
    assert!(matches > 0, "the contexts exercise matches too");
}
