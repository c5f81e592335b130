//! Segments compiled together and evaluated on a context, both from arbitrary text (the
//! segments, a NUL byte, the context): compiling and evaluating never panic nor hang (the
//! engine's limits bound both; `-timeout` catches a hang), and for every segment the explain
//! trace agrees with `evaluate`, `evaluate_all` and `evaluate_many`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::limits::MAX_DOCUMENT_BYTES;
use segments_engine::{CompiledSet, parse_context_text, parse_json_text, parse_segment};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (segments, context) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b"{}"[..]),
    };
    let (Ok(segments), Ok(context)) = (std::str::from_utf8(segments), std::str::from_utf8(context))
    else {
        return;
    };
    let Ok(document) = parse_json_text(segments, MAX_DOCUMENT_BYTES, "segments") else {
        return;
    };
    let items = match &document {
        Value::Array(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    let mut parsed = Vec::new();
    for item in items {
        if let Ok(segment) = parse_segment(item)
            && !parsed
                .iter()
                .any(|s: &segments_engine::Segment| s.key == segment.key)
        {
            parsed.push(segment);
        }
    }
    let Ok(set) = CompiledSet::compile(&parsed) else {
        return;
    };
    let Ok(context) = parse_context_text(context) else {
        return;
    };
    let mut scratch = set.scratch();
    let mut all = Vec::new();
    set.evaluate_all(&context, &mut scratch, &mut all);
    let ids: Vec<_> = set.ids().collect();
    let mut many = Vec::new();
    set.evaluate_many(&ids, &context, &mut scratch, &mut many);
    assert_eq!(all, many, "evaluate_all and evaluate_many differ");
    for (i, &id) in ids.iter().enumerate() {
        let matched = set.evaluate(id, &context, &mut scratch);
        let explanation = set.explain(id, &context);
        assert_eq!(
            explanation.matched,
            matched,
            "explain and evaluate differ on {}",
            set.key(id)
        );
        assert_eq!(
            explanation.trace.matched(),
            matched,
            "trace root of {}",
            set.key(id)
        );
        assert_eq!(
            all[i],
            matched,
            "evaluate_all and evaluate differ on {}",
            set.key(id)
        );
    }
});
