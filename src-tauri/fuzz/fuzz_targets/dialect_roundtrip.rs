//! Each remote dialect's segment object, as arbitrary bytes (the first byte picks the
//! dialect, the rest is the object): decoding never panics; a decoded segment the dialect can
//! express encodes to a body that decodes again, and that second decode is a fixed point
//! (encode → decode gives it back). Krafter and EdgeFlags carry values as they are, so there
//! the second decode equals the first; the projects API writes every value as a string, so
//! there it equals the first one's normal form (`Wire::normalize`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::Segment;
use segments_sync::{Dialect, Wire};

const KEY: &str = "fuzzed";

fn round(dialect: Dialect, segment: &Segment) -> Option<Segment> {
    let body = dialect.encode(segment, Some("project"), false).ok()?;
    match dialect.decode(&body, KEY) {
        Ok(again) => Some(again),
        Err(e) => panic!("{dialect:?} cannot read what it wrote ({e}): {body}"),
    }
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
    assert_eq!(third, second, "{dialect:?}: encode → decode is not a fixed point");
    assert_eq!(dialect.normalize(&first), second, "{dialect:?}: normalize");
    if dialect != Dialect::Projects {
        assert_eq!(second, first, "{dialect:?}: decode → encode → decode");
    }
});
