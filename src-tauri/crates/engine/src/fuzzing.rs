//! Entry points for the fuzz targets (src-tauri/fuzz) into code that is otherwise private.
//!
//! Hidden and not part of the engine's API: the SemVer parser stays crate-private so that
//! callers go through the `semver_*` operators, but the fuzzer checks its precedence against
//! the `semver` crate directly, without building a segment around every pair of versions.

use std::cmp::Ordering;

use crate::semver::Version;

/// Whether the engine reads `text` as a version (see the README's semantics table: a `v`
/// prefix and missing minor/patch parts are accepted, unlike SemVer 2.0 itself).
pub fn semver_parses(text: &str) -> bool {
    Version::parse(text).is_some()
}

/// The engine's SemVer precedence of `a` and `b`, or `None` when either is not a version.
pub fn semver_precedence(a: &str, b: &str) -> Option<Ordering> {
    crate::semver::version_precedence(a, b)
}
