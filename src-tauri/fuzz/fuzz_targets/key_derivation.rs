//! Keys derived from arbitrary display names (Krafter segments have none): the derived key
//! is always valid by the key rules, deriving is idempotent (a valid derived key derives to
//! itself), and every numbered candidate a pull tries (`stem-2`, `stem-3`, …) is valid too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::{is_valid_key, key_from_name};
use segments_sync::fuzzing::numbered_key;

fuzz_target!(|data: &[u8]| {
    let (n, name) = match data.split_first_chunk::<4>() {
        Some((n, name)) => (u32::from_le_bytes(*n), name),
        None => (2, data),
    };
    let name = String::from_utf8_lossy(name);
    let key = key_from_name(&name);
    assert!(is_valid_key(&key), "{name:?} gives the invalid key {key:?}");
    assert_eq!(
        key_from_name(&key),
        key,
        "deriving is not idempotent on {name:?}"
    );
    let numbered = numbered_key(&name, n);
    assert!(
        is_valid_key(&numbered),
        "candidate {n} of {name:?} is {numbered:?}"
    );
});
