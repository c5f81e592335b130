//! What a remote answers, as arbitrary bytes (the first byte picks the dialect and what the
//! bytes are): a listing page, a single segment, an error body, or a `Retry-After` value.
//! None of these ever panics; an error body always gives a message of at most 300
//! characters and an ellipsis; a listed segment's derived key is always a valid key; and
//! every listed segment decodes (or is refused with a message) under the key a pull gives it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::is_valid_key;
use segments_sync::fuzzing::{
    ListedSegment, list_page, one_segment, response_body, retry_after, server_message,
};
use segments_sync::{Dialect, Wire};

fn decode(dialect: Dialect, segment: &ListedSegment) {
    assert!(
        is_valid_key(&segment.derived_key),
        "{:?}",
        segment.derived_key
    );
    let key = match &segment.key {
        Some(key) if is_valid_key(key) => key,
        _ => &segment.derived_key,
    };
    if let Ok(decoded) = dialect.decode(&segment.object, key) {
        assert_eq!(&decoded.key, key);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let dialect = Dialect::ALL[usize::from(pick % 3)];
    match pick / 3 % 4 {
        0 => {
            if let Ok(body) = response_body(bytes)
                && let Ok(page) = list_page(dialect, &body)
            {
                page.iter().for_each(|segment| decode(dialect, segment));
            }
        }
        1 => {
            if let Ok(body) = response_body(bytes)
                && let Ok(segment) = one_segment(dialect, &body)
            {
                decode(dialect, &segment);
            }
        }
        2 => {
            let message = server_message(bytes);
            // A JSON body's own message is shown as sent; anything else as an excerpt.
            if serde_json::from_slice::<serde_json::Value>(bytes).is_err() {
                assert!(!message.trim().is_empty(), "an empty message for {bytes:?}");
                assert!(message.chars().count() <= 301, "{message}");
            }
        }
        _ => {
            if let Ok(value) = std::str::from_utf8(bytes) {
                // A date in the past is now; a wait is never negative or a panic.
                let _ = retry_after(value);
            }
        }
    }
});
