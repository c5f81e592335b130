//! Each remote dialect's segment object, as arbitrary bytes (the first byte picks the
//! dialect, the rest is the object): decoding never panics; a decoded segment the dialect can
//! express encodes to a body that decodes again, and that second decode is a fixed point
//! (encode → decode gives it back). Krafter and EdgeFlags carry values as they are, so there
//! the second decode equals the first; the projects API writes every value as a string, so
//! there it equals the first one's normal form (`Wire::normalize`). An EdgeFlags segment
//! reference is `{"property": "segment"}`, so the attribute of an `in_segment` condition,
//! which means nothing (README semantics, rule 10), reads back as "segment".
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::{Operator, Rule, Segment};
use segments_sync::{Dialect, Wire};

const KEY: &str = "fuzzed";

fn round(dialect: Dialect, segment: &Segment) -> Option<Segment> {
    let body = dialect.encode(segment, Some("project"), false).ok()?;
    match dialect.decode(&body, KEY) {
        Ok(again) => Some(again),
        Err(e) => panic!("{dialect:?} cannot read what it wrote ({e}): {body}"),
    }
}

/// The segment with every segment reference's attribute spelled as EdgeFlags spells it.
fn as_edgeflags_references(segment: &Segment) -> Segment {
    let mut segment = segment.clone();
    for rule in &mut segment.rules {
        if let Rule::Condition(c) = rule
            && matches!(c.operator, Operator::InSegment | Operator::NotInSegment)
        {
            c.attribute = "segment".to_owned();
        }
    }
    segment
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let dialect = Dialect::ALL[usize::from(pick) % Dialect::ALL.len()];
    let Ok(object) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    let Ok(first) = dialect.decode(&object, KEY) else {
        return;
    };
    let Some(second) = round(dialect, &first) else {
        return;
    };
    let third = round(dialect, &second)
        .unwrap_or_else(|| panic!("{dialect:?} cannot write its own decode {second:?}"));
    assert_eq!(
        third, second,
        "{dialect:?}: encode → decode is not a fixed point"
    );
    assert_eq!(dialect.normalize(&first), second, "{dialect:?}: normalize");
    match dialect {
        Dialect::Projects => {}
        Dialect::Krafter => assert_eq!(second, first, "Krafter: decode → encode → decode"),
        Dialect::Edgeflags => assert_eq!(
            second,
            as_edgeflags_references(&first),
            "EdgeFlags: decode → encode → decode"
        ),
    }
});
