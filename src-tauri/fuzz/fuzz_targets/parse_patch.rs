//! Partial updates as arbitrary text: parsing never panics, a patch never changes the key,
//! and applying a patch to the segment it was parsed for gives a segment that is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::{parse_json_text, parse_patch, parse_segment, parse_segment_text};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(value) = parse_json_text(text, segments_engine::limits::MAX_DOCUMENT_BYTES, "patch")
    else {
        return;
    };
    let Ok(patch) = parse_patch(&value, "base") else {
        return;
    };
    let base = parse_segment_text(
        r#"{"key": "base", "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]}"#,
    )
    .expect("the base segment is valid");
    let patched = patch.apply(&base);
    assert_eq!(patched.key, "base");
    let canonical = patched.to_json();
    match parse_segment(&canonical) {
        Ok(again) => assert_eq!(again, patched, "canonical form {canonical}"),
        Err(e) => panic!("a patched segment {canonical} is refused: {e}"),
    }
});
