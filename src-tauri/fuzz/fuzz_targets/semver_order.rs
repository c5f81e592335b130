//! Two version strings (split at the first newline) against the `semver` crate: the engine
//! reads every version the crate reads, the only extra ones being the README's documented
//! leniencies (a leading `v`, a missing minor or patch part), and wherever both read both
//! strings, the engine's precedence equals `semver::Version::cmp_precedence`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use segments_engine::fuzzing::{semver_parses, semver_precedence};

/// Whether `text` uses one of the engine's leniencies over SemVer 2.0.
fn lenient(text: &str) -> bool {
    let core = text.split(['-', '+']).next().unwrap_or("");
    text.starts_with('v') || core.split('.').count() < 3
}

fn check_parsing(text: &str) {
    let theirs = semver::Version::parse(text).is_ok();
    let ours = semver_parses(text);
    assert!(
        !theirs || ours,
        "the engine refuses {text:?}, a valid SemVer"
    );
    assert!(
        theirs || !ours || lenient(text),
        "the engine reads {text:?}, which SemVer refuses"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = text.split_once('\n').unwrap_or((text, "1.0.0"));
    check_parsing(a);
    check_parsing(b);
    if let (Ok(x), Ok(y), Some(ours)) = (
        semver::Version::parse(a),
        semver::Version::parse(b),
        semver_precedence(a, b),
    ) {
        assert_eq!(ours, x.cmp_precedence(&y), "{a:?} vs {b:?}");
    }
});
