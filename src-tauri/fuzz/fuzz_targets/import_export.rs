//! An import file as arbitrary text, into an in-memory store: importing never panics, and
//! importing the export of what was imported into a fresh store gives the same segments and
//! the same export text (import → export → import is the identity after the first import).
#![no_main]

use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use segments_engine::Segment;
use segments_store::Store;
use segments_studio::{export_text, import_text};

fn segments(store: &Store) -> Vec<Segment> {
    store
        .list_segments()
        .expect("an in-memory store lists its segments")
        .into_iter()
        .map(|s| s.segment)
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let first = Mutex::new(Store::open_in_memory().expect("an in-memory store opens"));
    if import_text(&first, text).is_err() {
        return;
    }
    let first = first.into_inner().expect("no other thread holds it");
    let exported = export_text(&first).expect("an export of a store");
    let second = Mutex::new(Store::open_in_memory().expect("an in-memory store opens"));
    if let Err(e) = import_text(&second, &exported) {
        panic!("our own export is refused on import: {e}\n{exported}");
    }
    let second = second.into_inner().expect("no other thread holds it");
    assert_eq!(segments(&second), segments(&first), "export {exported}");
    let again = export_text(&second).expect("an export of a store");
    assert_eq!(again, exported);
});
