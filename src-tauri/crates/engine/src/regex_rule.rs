//! Regexes built with size limits, for `matches` and for case-insensitive string tests.

use regex::{Regex, RegexBuilder};

use crate::limits::REGEX_SIZE_LIMIT;

/// One regex matching when any of `patterns` matches (unanchored search), built with the
/// compiled-size limits so a hostile pattern cannot exhaust memory.
pub(crate) fn build_regex(
    patterns: &[&str],
    case_insensitive: bool,
) -> Result<Regex, regex::Error> {
    RegexBuilder::new(&any_of(patterns))
        .case_insensitive(case_insensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(64)
        .build()
}

/// One pattern matching where any of `patterns` does: how `matches` reads several values
/// (the SQL compiler parses the same text).
pub fn any_of(patterns: &[&str]) -> String {
    if patterns.len() == 1 {
        patterns[0].to_owned()
    } else {
        // Each pattern in its own group keeps its inline flags and alternations to itself.
        patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// Where a literal must sit for a case-insensitive string test.
#[derive(Clone, Copy)]
pub(crate) enum Anchor {
    /// Anywhere (`contains`).
    Anywhere,
    /// At the start (`starts_with`).
    Start,
    /// At the end (`ends_with`).
    End,
}

/// A case-insensitive regex for literals: Unicode simple case folding, which is what
/// "ignore case" means to a person, done without lowercasing (and allocating) per context.
pub(crate) fn literal_regex(literals: &[String], anchor: Anchor) -> Result<Regex, regex::Error> {
    let escaped: Vec<String> = literals.iter().map(|l| regex::escape(l)).collect();
    let body = format!("(?:{})", escaped.join("|"));
    let pattern = match anchor {
        Anchor::Anywhere => body,
        Anchor::Start => format!(r"\A{body}"),
        Anchor::End => format!(r"{body}\z"),
    };
    build_regex(&[pattern.as_str()], true)
}
