//! Population files as arbitrary bytes (the first byte picks the format and whether
//! malformed rows are skipped), written to a temp file and counted: a count is `Ok` or an
//! error, never a panic. Where a plain NDJSON file counts, each segment's count equals the
//! number of its lines that the row-by-row JSON evaluator (`CompiledSet::evaluate`) matches
//! (for files that are UTF-8; see below).
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;
use std::sync::atomic::AtomicBool;

use libfuzzer_sys::fuzz_target;
use segments_engine::{CompiledSet, SegmentId, parse_segment_text};
use segments_population::{Control, ReadOptions, count};
use serde_json::Value;

/// Segments over the attributes of the seeds, with every kind of operator the readers feed.
const SEGMENTS: [&str; 4] = [
    r#"{"key": "pro", "rules": [{"attribute": "plan", "operator": "in", "values": ["pro", "enterprise"]}]}"#,
    r#"{"key": "big", "match_type": "any", "rules": [
        {"attribute": "seats", "operator": "gte", "values": [10]},
        {"attribute": "address.country", "operator": "eq", "values": ["US"]}]}"#,
    r#"{"key": "new-ios", "rules": [
        {"attribute": "platform", "operator": "eq", "values": ["ios"]},
        {"attribute": "app_version", "operator": "semver_gte", "values": ["2.0"]},
        {"attribute": "signed_up_at", "operator": "after", "values": ["2026-01-01T00:00:00Z"]}]}"#,
    r#"{"key": "others", "match_type": "none", "rules": [
        {"attribute": "email", "operator": "ends_with", "values": ["@acme.com"], "case_insensitive": true},
        {"attribute": "beta_optin", "operator": "exists", "values": []},
        {"attribute": "plan", "operator": "in_segment", "values": ["pro"]}]}"#,
];

static SET: LazyLock<(CompiledSet, Vec<SegmentId>)> = LazyLock::new(|| {
    let segments: Vec<_> = SEGMENTS
        .iter()
        .map(|text| parse_segment_text(text).expect("a valid fuzz segment"))
        .collect();
    let set = CompiledSet::compile(&segments).expect("the fuzz segments compile");
    let ids = set.ids().collect();
    (set, ids)
});

const NAMES: [&str; 5] = [
    "users.csv",
    "users.ndjson",
    "users.parquet",
    "users.csv.gz",
    "users.ndjson.gz",
];

static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("segments-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp folder");
    dir
});

/// The counts of the row-by-row JSON evaluator over the NDJSON `bytes`.
fn by_rows(bytes: &[u8]) -> Option<(u64, Vec<u64>)> {
    let (set, ids) = &*SET;
    let mut scratch = set.scratch();
    let mut matched = vec![0; ids.len()];
    let mut rows = 0;
    for line in bytes.split(|&b| b == b'\n') {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let context: Value = serde_json::from_slice(line).ok()?;
        rows += 1;
        for (count, &id) in matched.iter_mut().zip(ids) {
            *count += u64::from(set.evaluate(id, &context, &mut scratch));
        }
    }
    Some((rows, matched))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let skip_invalid = pick / 8 % 2 == 1;
    let path = DIR.join(name);
    std::fs::write(&path, bytes).expect("writing the temp file");
    let (set, ids) = &*SET;
    let cancel = AtomicBool::new(false);
    let control = Control {
        cancel: &cancel,
        progress: &|_| {},
    };
    let options = ReadOptions {
        threads: 1,
        skip_invalid,
    };
    let Ok(counts) = count(&path, set, ids, true, &options, &control) else {
        return;
    };
    assert_eq!(counts.matched.len(), ids.len());
    // The reader skips the values no segment reads without decoding them, so it takes a line
    // whose unread string is not UTF-8, which the JSON evaluator's parser refuses: compare
    // only UTF-8 files.
    if name == "users.ndjson" && counts.invalid == 0 && std::str::from_utf8(bytes).is_ok() {
        let (rows, matched) = by_rows(bytes).expect("every line the reader took is JSON");
        assert_eq!(counts.rows, rows, "rows");
        assert_eq!(counts.matched, matched, "counts against the JSON evaluator");
    }
});
