//! Segment documents in any accepted format, as arbitrary text: parsing never panics, and
//! a parsed segment's canonical JSON parses back to the same segment.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::{is_valid_key, parse_segment, parse_segment_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(segment) = parse_segment_text(text) else {
        return;
    };
    assert!(is_valid_key(&segment.key), "accepted key {:?}", segment.key);
    let canonical = segment.to_json();
    match parse_segment(&canonical) {
        Ok(again) => assert_eq!(again, segment, "canonical form {canonical}"),
        Err(e) => panic!("the canonical form {canonical} of an accepted segment is refused: {e}"),
    }
});
