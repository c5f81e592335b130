//! Size limits on input. They keep a hostile or broken file from exhausting memory or the
//! stack, and are documented in the README.

/// Largest accepted segment or patch document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;
/// Largest accepted evaluation context, in bytes.
pub const MAX_CONTEXT_BYTES: usize = 1024 * 1024;
/// Deepest nesting of groups below the segment's own rules (the top level is depth 0).
pub const MAX_GROUP_DEPTH: usize = 8;
/// Most conditions in one segment, at all depths together.
pub const MAX_CONDITIONS: usize = 1_000;
/// Most values in one condition.
pub const MAX_VALUES: usize = 10_000;
/// Longest string value, attribute name or regex pattern, in bytes.
pub const MAX_STRING_BYTES: usize = 4_096;
/// Longest segment name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Longest chain of `in_segment` references (A references B references C … is a chain of 2).
pub const MAX_REFERENCE_DEPTH: usize = 32;
/// Compiled size limit for one regex, in bytes (see `regex::RegexBuilder::size_limit`).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
