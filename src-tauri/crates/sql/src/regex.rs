//! `matches`: the engine's regex, re-written for a warehouse's regex engine.
//!
//! The pattern is parsed as the engine builds it (Rust `regex` syntax, Unicode, the
//! condition's case-insensitivity, several patterns as one alternation) into regex-syntax's
//! HIR, where case folding, `.` and Perl classes are already explicit sets of code points.
//! The HIR is printed back with only constructs that mean the same in the target flavor:
//! literals and classes as escaped code points, non-capturing groups, greedy repetition,
//! alternation, and start/end of text. Anything else (word boundaries, multi-line anchors,
//! byte classes) is refused, naming the construct.

use regex_syntax::ParserBuilder;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// A regex engine's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// PostgreSQL's advanced regular expressions (ARE).
    PostgresAre,
    /// `java.util.regex` (Spark).
    Java,
    /// RE2 (DuckDB, BigQuery).
    Re2,
}

/// The emitted pattern's length limit: beyond it a warehouse's compile time and plan size
/// are not worth it (a Unicode `\w` alone is hundreds of ranges).
const MAX_PATTERN_CHARS: usize = 64 * 1024;

/// The engine's `patterns` (any of them, unanchored search) as one pattern of `flavor`.
pub(crate) fn translate(
    patterns: &[String],
    case_insensitive: bool,
    flavor: Flavor,
) -> Result<String, String> {
    let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
    let joined = segments_engine::regex_any_of(&patterns);
    let hir = ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .nest_limit(64)
        .build()
        .parse(&joined)
        .map_err(|e| format!("the pattern does not parse ({e})"))?;
    let mut out = String::new();
    Printer { flavor }.hir(&hir, &mut out)?;
    if out.chars().count() > MAX_PATTERN_CHARS {
        return Err(format!(
            "the pattern spelled out for the warehouse is over {MAX_PATTERN_CHARS} characters \
             (Unicode classes such as \\w or \\d expand to many ranges; an ASCII class such as \
             [0-9] stays short)"
        ));
    }
    Ok(out)
}

struct Printer {
    flavor: Flavor,
}

impl Printer {
    fn hir(&self, hir: &Hir, out: &mut String) -> Result<(), String> {
        match hir.kind() {
            HirKind::Empty => out.push_str("(?:)"),
            HirKind::Literal(literal) => {
                let text = std::str::from_utf8(&literal.0)
                    .map_err(|_| "a literal that is not UTF-8 text".to_owned())?;
                for ch in text.chars() {
                    self.char(ch, out)?;
                }
            }
            HirKind::Class(Class::Unicode(class)) => {
                let ranges = class.ranges();
                if ranges.is_empty() {
                    return Err("a class that matches no character".to_owned());
                }
                out.push('[');
                for range in ranges {
                    let (start, end) = (range.start(), range.end());
                    // PostgreSQL text never holds NUL, so a range may start just after it.
                    let start = if start == '\0' && self.flavor == Flavor::PostgresAre {
                        if end == '\0' {
                            continue;
                        }
                        '\u{1}'
                    } else {
                        start
                    };
                    self.char(start, out)?;
                    if end != start {
                        out.push('-');
                        self.char(end, out)?;
                    }
                }
                if out.ends_with('[') {
                    return Err("a class that matches only NUL".to_owned());
                }
                out.push(']');
            }
            HirKind::Class(Class::Bytes(_)) => {
                return Err("a byte class (Unicode turned off with (?-u))".to_owned());
            }
            HirKind::Look(Look::Start) => out.push('^'),
            HirKind::Look(Look::End) => out.push_str(match self.flavor {
                // Java's `$` also matches before a final line terminator.
                Flavor::Java | Flavor::Re2 => "\\z",
                Flavor::PostgresAre => "$",
            }),
            HirKind::Look(look) => {
                return Err(format!(
                    "{} (only ^ and $ at the start and end of the text carry over)",
                    look_name(*look)
                ));
            }
            HirKind::Repetition(rep) => {
                // PostgreSQL's bounds stop at 255 (RE_DUP_MAX).
                let limit = if self.flavor == Flavor::PostgresAre {
                    255
                } else {
                    1000
                };
                if rep.min > limit || rep.max.is_some_and(|m| m > limit) {
                    return Err(format!("a repetition count above {limit}"));
                }
                out.push_str("(?:");
                self.hir(&rep.sub, out)?;
                out.push(')');
                match (rep.min, rep.max) {
                    (0, None) => out.push('*'),
                    (1, None) => out.push('+'),
                    (0, Some(1)) => out.push('?'),
                    (min, None) => out.push_str(&format!("{{{min},}}")),
                    (min, Some(max)) if min == max => out.push_str(&format!("{{{min}}}")),
                    (min, Some(max)) => out.push_str(&format!("{{{min},{max}}}")),
                }
            }
            HirKind::Capture(capture) => {
                out.push_str("(?:");
                self.hir(&capture.sub, out)?;
                out.push(')');
            }
            HirKind::Concat(parts) => {
                for part in parts {
                    self.hir(part, out)?;
                }
            }
            HirKind::Alternation(parts) => {
                out.push_str("(?:");
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push('|');
                    }
                    self.hir(part, out)?;
                }
                out.push(')');
            }
        }
        Ok(())
    }

    /// One code point, literal where every flavor reads it literally, escaped otherwise.
    fn char(&self, ch: char, out: &mut String) -> Result<(), String> {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if ch.is_ascii_graphic() || ch == ' ' {
            // A backslash before ASCII punctuation means the character itself in all three.
            out.push('\\');
            out.push(ch);
        } else if ch == '\0' && self.flavor == Flavor::PostgresAre {
            return Err("a NUL character, which PostgreSQL text cannot hold".to_owned());
        } else {
            let code = u32::from(ch);
            match self.flavor {
                Flavor::PostgresAre if code <= 0xFFFF => out.push_str(&format!("\\u{code:04X}")),
                Flavor::PostgresAre => out.push_str(&format!("\\U{code:08X}")),
                Flavor::Java | Flavor::Re2 => out.push_str(&format!("\\x{{{code:X}}}")),
            }
        }
        Ok(())
    }
}

fn look_name(look: Look) -> &'static str {
    match look {
        Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF => {
            "a line anchor (multi-line mode)"
        }
        _ => "a word boundary",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(pattern: &str, flavor: Flavor) -> Result<String, String> {
        translate(&[pattern.to_owned()], false, flavor)
    }

    #[test]
    fn spells_out_what_every_flavor_reads_the_same_way() {
        assert_eq!(
            one(r"acme\.(com|io)$", Flavor::PostgresAre).unwrap(),
            r"acme\.(?:(?:com|io))$"
        );
        assert_eq!(
            one("^a.b", Flavor::Re2).unwrap(),
            "^a[\\x{0}-\\x{9}\\x{B}-\\x{10FFFF}]b"
        );
        assert_eq!(
            one("^a.b", Flavor::PostgresAre).unwrap(),
            "^a[\\u0001-\\u0009\\u000B-\\U0010FFFF]b"
        );
        assert_eq!(one("x{2,3}$", Flavor::Java).unwrap(), "(?:x){2,3}\\z");
        assert_eq!(
            translate(&["k".to_owned()], true, Flavor::Re2).unwrap(),
            "[Kk\\x{212A}]"
        );
    }

    #[test]
    fn refuses_what_does_not_carry_over() {
        assert!(
            one(r"\bword", Flavor::Re2)
                .unwrap_err()
                .contains("word boundary")
        );
        assert!(
            one("(?m)^a", Flavor::Java)
                .unwrap_err()
                .contains("multi-line")
        );
        assert!(
            one("a{300}", Flavor::PostgresAre)
                .unwrap_err()
                .contains("255")
        );
        assert!(one(r"\w+", Flavor::Java).is_ok());
        assert!(
            one(r"\w\W\w\W\w\W", Flavor::Java)
                .unwrap_err()
                .contains("characters")
        );
    }
}
