//! SemVer 2.0 precedence on borrowed strings.
//!
//! The `semver` crate would allocate for padding (`1.4` → `1.4.0`) and for long pre-release
//! tags on every evaluation; comparing borrowed slices keeps the evaluate path free of
//! allocation. The crate is used as the oracle in this module's property test.

use std::cmp::Ordering;

/// A parsed version borrowing its pre-release tag from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Version<'a> {
    major: u64,
    minor: u64,
    patch: u64,
    /// Dot-separated pre-release identifiers, "" when none.
    pre: &'a str,
}

/// An owned version for compiled conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OwnedVersion {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Box<str>,
}

impl OwnedVersion {
    pub(crate) fn as_version(&self) -> Version<'_> {
        Version {
            major: self.major,
            minor: self.minor,
            patch: self.patch,
            pre: &self.pre,
        }
    }
}

/// The parts of a version as the engine reads it: major, minor, patch (missing ones are 0)
/// and the pre-release identifiers ("" when none); `None` when it is not a version. For
/// code that must reproduce the engine's precedence elsewhere (the SQL compiler).
pub fn version_parts(text: &str) -> Option<(u64, u64, u64, &str)> {
    Version::parse(text).map(|v| (v.major, v.minor, v.patch, v.pre))
}

/// The engine's precedence of two versions, `None` when either is not one (for the SQL
/// compiler, which orders rule versions at compile time).
pub fn version_precedence(a: &str, b: &str) -> Option<Ordering> {
    Some(Version::parse(a)?.precedence(&Version::parse(b)?))
}

impl<'a> Version<'a> {
    /// Parses `v?MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]`; build metadata is ignored.
    pub(crate) fn parse(input: &'a str) -> Option<Self> {
        let s = input.strip_prefix('v').unwrap_or(input);
        let (s, build) = match s.split_once('+') {
            Some((head, build)) => (head, Some(build)),
            None => (s, None),
        };
        if let Some(build) = build
            && !identifiers_valid(build, false)
        {
            return None;
        }
        let (core, pre) = match s.split_once('-') {
            Some((core, pre)) => (core, pre),
            None => (s, ""),
        };
        if s.contains('-') && !identifiers_valid(pre, true) {
            return None;
        }
        let mut parts = core.split('.');
        let major = numeric(parts.next()?)?;
        let minor = parts.next().map_or(Some(0), numeric)?;
        let patch = parts.next().map_or(Some(0), numeric)?;
        if parts.next().is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
            pre,
        })
    }

    pub(crate) fn to_owned_version(self) -> OwnedVersion {
        OwnedVersion {
            major: self.major,
            minor: self.minor,
            patch: self.patch,
            pre: self.pre.into(),
        }
    }

    /// SemVer 2.0 precedence (section 11).
    pub(crate) fn precedence(&self, other: &Version<'_>) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_pre(self.pre, other.pre),
            })
    }
}

fn numeric(part: &str) -> Option<u64> {
    let valid = !part.is_empty()
        && part.bytes().all(|b| b.is_ascii_digit())
        && (part == "0" || !part.starts_with('0'));
    if valid { part.parse().ok() } else { None }
}

fn identifiers_valid(s: &str, no_leading_zeros: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !(no_leading_zeros
                && id.len() > 1
                && id.starts_with('0')
                && id.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (is_numeric(x), is_numeric(y)) {
                    // No leading zeros (parsing refuses them), so the longer number is the
                    // greater one, whatever its size: SemVer sets no limit on it.
                    (true, true) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// A numeric pre-release identifier: digits only (SemVer 2.0 §9), of any length.
fn is_numeric(identifier: &str) -> bool {
    identifier.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        let (Some(a), Some(b)) = (Version::parse(a), Version::parse(b)) else {
            panic!("unparsable {a} or {b}");
        };
        a.precedence(&b)
    }

    #[test]
    fn spec_examples() {
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "2.0.0",
            "2.1.0",
            "2.1.1",
        ];
        for pair in chain.windows(2) {
            assert_eq!(cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
        assert_eq!(cmp("1.4", "1.4.0"), Ordering::Equal);
        assert_eq!(cmp("v2", "2.0.0"), Ordering::Equal);
        assert_eq!(cmp("1.0.0+build.7", "1.0.0+other"), Ordering::Equal);
        for bad in [
            "", "x", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "1..2", "1.2.3+", "v",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    /// Found by the `semver_order` fuzz target: numeric identifiers past `u64::MAX` were
    /// compared as text, so they sorted after alphanumeric ones and by their first digits.
    #[test]
    fn numeric_identifiers_of_any_length_compare_as_numbers() {
        let huge = "1.0.0-187449999999999999999999999999904";
        assert_eq!(cmp(huge, "1.0.0-1844be5a.2"), Ordering::Less);
        assert_eq!(cmp(huge, "1.0.0--a"), Ordering::Less);
        assert_eq!(cmp("1.0.0-99999999999999999999", huge), Ordering::Less);
        assert_eq!(cmp("1.0.0-2", "1.0.0-10"), Ordering::Less);
        let oracle = semver::Version::parse(huge)
            .unwrap()
            .cmp_precedence(&semver::Version::parse("1.0.0-1844be5a.2").unwrap());
        assert_eq!(oracle, Ordering::Less);
    }

    proptest! {
        #[test]
        fn agrees_with_the_semver_crate(
            a in (0u64..4, 0u64..4, 0u64..4, proptest::option::of("[a-z]{1,3}(\\.[1-9][0-9]?)?")),
            b in (0u64..4, 0u64..4, 0u64..4, proptest::option::of("[a-z]{1,3}(\\.[1-9][0-9]?)?")),
        ) {
            let text = |(x, y, z, pre): &(u64, u64, u64, Option<String>)| match pre {
                Some(p) => format!("{x}.{y}.{z}-{p}"),
                None => format!("{x}.{y}.{z}"),
            };
            let (ta, tb) = (text(&a), text(&b));
            let oracle = semver::Version::parse(&ta).unwrap().cmp_precedence(&semver::Version::parse(&tb).unwrap());
            prop_assert_eq!(cmp(&ta, &tb), oracle);
        }
    }
}
