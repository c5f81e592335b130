//! Compile once: segments become plans with attribute paths split, values pre-parsed
//! (numbers, regexes, versions, instants, sorted string sets) and references resolved to
//! indices, so evaluation does no parsing and no allocation.

use std::collections::HashMap;

use regex::Regex;
use serde_json::Value;

mod references;

use crate::error::{IssueCode, ValidationError, ValidationIssue};
use crate::instant::parse_instant;
use crate::model::{Condition, Group, MatchType, Rule, Segment};
use crate::operator::Operator;
use crate::regex_rule::{Anchor, build_regex, literal_regex};
use crate::scalar::{Num, as_num, canonical_string};
use crate::semver::{OwnedVersion, Version};

/// Index of a segment inside a [`CompiledSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SegmentId(pub(crate) usize);

/// Segments compiled together, so that `in_segment` references resolve to each other.
#[derive(Debug)]
pub struct CompiledSet {
    pub(crate) segments: Vec<CompiledSegment>,
    pub(crate) index: HashMap<String, SegmentId>,
    pub(crate) has_references: bool,
    /// Every top-level attribute name a condition reads (a dotted path contributes itself
    /// and its first part), in slot order: what a row of [`crate::Slots`] holds.
    pub(crate) layout: Layout,
    /// Unique per compiled set, so a memo built for one set is never read for another.
    pub(crate) uid: u64,
    /// Conditions in the set (the next free `CompiledCondition::index`).
    pub(crate) condition_count: u32,
}

static NEXT_UID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Attribute names, each with its slot.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    pub(crate) names: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Layout {
    fn slot(&mut self, name: &str) -> u32 {
        if let Some(&slot) = self.index.get(name) {
            return slot;
        }
        let slot = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.index.insert(name.into(), slot);
        slot
    }
}

#[derive(Debug)]
pub(crate) struct CompiledSegment {
    /// The source, kept for explain traces (which echo attributes, operators and values).
    pub(crate) source: Segment,
    pub(crate) root: CompiledGroup,
}

#[derive(Debug)]
pub(crate) struct CompiledGroup {
    pub(crate) match_type: MatchType,
    pub(crate) rules: Box<[CompiledRule]>,
}

#[derive(Debug)]
pub(crate) enum CompiledRule {
    Condition(CompiledCondition),
    Group(CompiledGroup),
}

#[derive(Debug)]
pub(crate) struct CompiledCondition {
    /// Position among the set's conditions, for per-value memos of bulk evaluation.
    pub(crate) index: u32,
    pub(crate) attribute: AttributePath,
    pub(crate) negated: bool,
    pub(crate) test: Test,
}

/// An attribute name with its dotted parts split once, and its slots in a row.
#[derive(Debug)]
pub(crate) struct AttributePath {
    pub(crate) name: Box<str>,
    /// Empty when the name has no dot.
    pub(crate) parts: Box<[Box<str>]>,
    /// The slot of the whole name, read first (a literal key wins over a path).
    pub(crate) slot: u32,
    /// The slot of the first part, when the name is a dotted path.
    pub(crate) head: Option<u32>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Cmp {
    Eq,
    Gt,
    Gte,
    Lt,
    Lte,
}

impl Cmp {
    pub(crate) fn holds(self, order: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match self {
            Cmp::Eq => order == Equal,
            Cmp::Gt => order == Greater,
            Cmp::Gte => order != Less,
            Cmp::Lt => order == Less,
            Cmp::Lte => order != Greater,
        }
    }
}

/// The positive test of a condition, with its values pre-parsed.
#[derive(Debug)]
pub(crate) enum Test {
    Exists,
    /// `eq` / `in`: numeric rule values compare numerically, the rest as canonical strings.
    Scalar {
        text: TextTest,
        /// Sorted integer rule values, compared exactly.
        ints: Box<[i128]>,
        /// Sorted non-integer rule values.
        floats: Box<[f64]>,
    },
    Text(TextTest),
    Number {
        cmp: Cmp,
        bounds: Box<[Num]>,
    },
    Semver {
        cmp: Cmp,
        versions: Box<[OwnedVersion]>,
    },
    Instant {
        cmp: Cmp,
        instants: Box<[i128]>,
    },
    Segment(Box<[SegmentId]>),
}

#[derive(Debug)]
pub(crate) enum TextTest {
    /// Sorted, for binary search: large `in` lists stay fast.
    Equals(Box<[Box<str>]>),
    /// Lowercased and sorted; the context's string is lowercased char by char while
    /// comparing, so nothing is allocated.
    EqualsIgnoringCase(Box<[Box<str>]>),
    /// Each value's substring searcher, built once.
    Contains(Box<[memchr::memmem::Finder<'static>]>),
    StartsWith(Box<[Box<str>]>),
    EndsWith(Box<[Box<str>]>),
    Regex(Regex),
}

impl TextTest {
    pub(crate) fn holds(&self, s: &str) -> bool {
        match self {
            TextTest::Equals(sorted) => sorted.binary_search_by(|v| (**v).cmp(s)).is_ok(),
            // UTF-8 byte order is code point order, so `chars().cmp` agrees with the sort.
            TextTest::EqualsIgnoringCase(sorted) => sorted
                .binary_search_by(|v| v.chars().cmp(s.chars().flat_map(char::to_lowercase)))
                .is_ok(),
            TextTest::Contains(finders) => finders.iter().any(|f| f.find(s.as_bytes()).is_some()),
            TextTest::StartsWith(vs) => vs.iter().any(|v| s.starts_with(&**v)),
            TextTest::EndsWith(vs) => vs.iter().any(|v| s.ends_with(&**v)),
            TextTest::Regex(re) => re.is_match(s),
        }
    }
}

impl CompiledSet {
    /// Compiles `segments` together: every `in_segment` reference must name one of them,
    /// references may not form a cycle, and chains of references are at most
    /// [`MAX_REFERENCE_DEPTH`] long.
    ///
    /// The segments are expected to come from [`crate::parse_segment`]; values that slipped
    /// past it are reported here rather than trusted.
    pub fn compile(segments: &[Segment]) -> Result<CompiledSet, ValidationError> {
        let mut index = HashMap::with_capacity(segments.len());
        let mut issues = Vec::new();
        for (i, segment) in segments.iter().enumerate() {
            if index.insert(segment.key.clone(), SegmentId(i)).is_some() {
                issues.push(
                    ValidationIssue::new(
                        "key",
                        IssueCode::Conflict,
                        format!(
                            "the key \"{}\" is used by more than one segment",
                            segment.key
                        ),
                    )
                    .in_segment(&segment.key),
                );
            }
        }
        let mut compiled = Vec::with_capacity(segments.len());
        let mut has_references = false;
        let mut layout = Layout::default();
        let mut condition_count = 0;
        for segment in segments {
            let mut compiler = Compiler {
                index: &index,
                issues: Vec::new(),
                layout: &mut layout,
                conditions: &mut condition_count,
            };
            let root = compiler.group(&segment.match_type, &segment.rules, "rules");
            has_references |= !segment.referenced_keys().is_empty();
            issues.extend(
                compiler
                    .issues
                    .into_iter()
                    .map(|i| i.in_segment(&segment.key)),
            );
            compiled.push(CompiledSegment {
                source: segment.clone(),
                root,
            });
        }
        if issues.is_empty() {
            issues.extend(references::reference_issues(segments, &index));
        }
        if issues.is_empty() {
            Ok(CompiledSet {
                segments: compiled,
                index,
                has_references,
                layout,
                condition_count,
                uid: NEXT_UID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            })
        } else {
            Err(ValidationError::from(issues))
        }
    }

    /// The id of the segment with `key`.
    pub fn id(&self, key: &str) -> Option<SegmentId> {
        self.index.get(key).copied()
    }

    /// The ids of all segments, in the order they were given.
    pub fn ids(&self) -> impl Iterator<Item = SegmentId> + '_ {
        (0..self.segments.len()).map(SegmentId)
    }

    /// The key of a segment.
    pub fn key(&self, id: SegmentId) -> &str {
        &self.segments[id.0].source.key
    }

    /// The source segment.
    pub fn segment(&self, id: SegmentId) -> &Segment {
        &self.segments[id.0].source
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.segments.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The top-level attributes the set's conditions read, in slot order: a reader of rows
    /// fills these slots of [`crate::Slots`] and nothing else.
    pub fn attribute_names(&self) -> &[Box<str>] {
        &self.layout.names
    }
}

struct Compiler<'a> {
    index: &'a HashMap<String, SegmentId>,
    issues: Vec<ValidationIssue>,
    layout: &'a mut Layout,
    conditions: &'a mut u32,
}

impl Compiler<'_> {
    fn group(&mut self, match_type: &MatchType, rules: &[Rule], path: &str) -> CompiledGroup {
        let rules = rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let at = format!("{path}[{i}]");
                match rule {
                    Rule::Condition(c) => CompiledRule::Condition(self.condition(c, &at)),
                    Rule::Group(Group { match_type, rules }) => {
                        CompiledRule::Group(self.group(match_type, rules, &format!("{at}.rules")))
                    }
                }
            })
            .collect();
        CompiledGroup {
            match_type: *match_type,
            rules,
        }
    }

    fn condition(&mut self, c: &Condition, path: &str) -> CompiledCondition {
        let (positive, negated) = c.operator.positive();
        let values_path = format!("{path}.values");
        let strings = || -> Vec<String> { c.values.iter().filter_map(canonical_string).collect() };
        let text = |anchor: Anchor, exact: fn(Box<[Box<str>]>) -> TextTest| {
            let literals = strings();
            if c.case_insensitive {
                literal_regex(&literals, anchor).map(TextTest::Regex)
            } else {
                Ok(exact(
                    literals.into_iter().map(String::into_boxed_str).collect(),
                ))
            }
        };
        let test = match positive {
            Operator::Exists => Ok(Test::Exists),
            Operator::Eq | Operator::In => {
                let (mut ints, mut floats) = (Vec::new(), Vec::new());
                for number in c.values.iter().filter(|v| v.is_number()).filter_map(as_num) {
                    match number {
                        Num::Int(i) => ints.push(i),
                        Num::Float(f) => floats.push(f),
                    }
                }
                ints.sort_unstable();
                floats.sort_by(f64::total_cmp);
                let literals: Vec<String> = c
                    .values
                    .iter()
                    .filter(|v| !v.is_number())
                    .filter_map(canonical_string)
                    .collect();
                // Case-insensitive lists are lowercased once here and searched like the
                // rest, so thousands of emails stay a binary search, not one huge regex.
                let fold = c.case_insensitive;
                let mut sorted: Vec<Box<str>> = literals
                    .into_iter()
                    .map(|l| if fold { l.to_lowercase() } else { l }.into_boxed_str())
                    .collect();
                sorted.sort_unstable();
                sorted.dedup();
                let text = if fold {
                    TextTest::EqualsIgnoringCase(sorted.into())
                } else {
                    TextTest::Equals(sorted.into())
                };
                Ok(Test::Scalar {
                    text,
                    ints: ints.into(),
                    floats: floats.into(),
                })
            }
            Operator::Contains => text(Anchor::Anywhere, |values| {
                TextTest::Contains(
                    values
                        .iter()
                        .map(|v| memchr::memmem::Finder::new(v.as_bytes()).into_owned())
                        .collect(),
                )
            })
            .map(Test::Text),
            Operator::StartsWith => text(Anchor::Start, TextTest::StartsWith).map(Test::Text),
            Operator::EndsWith => text(Anchor::End, TextTest::EndsWith).map(Test::Text),
            Operator::Matches => {
                let patterns = strings();
                let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
                build_regex(&patterns, c.case_insensitive).map(|re| Test::Text(TextTest::Regex(re)))
            }
            Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => Ok(Test::Number {
                cmp: cmp_of(positive),
                bounds: c.values.iter().filter_map(as_num).collect(),
            }),
            Operator::SemverEq
            | Operator::SemverGt
            | Operator::SemverGte
            | Operator::SemverLt
            | Operator::SemverLte => Ok(Test::Semver {
                cmp: cmp_of(positive),
                versions: c
                    .values
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(Version::parse)
                    .map(Version::to_owned_version)
                    .collect(),
            }),
            Operator::Before | Operator::After => Ok(Test::Instant {
                cmp: if positive == Operator::Before {
                    Cmp::Lt
                } else {
                    Cmp::Gt
                },
                instants: c
                    .values
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(parse_instant)
                    .collect(),
            }),
            _ => {
                let mut ids = Vec::new();
                for (i, value) in c.values.iter().enumerate() {
                    let key = value.as_str().unwrap_or_default();
                    match self.index.get(key) {
                        Some(id) => ids.push(*id),
                        None => self.issues.push(ValidationIssue::new(
                            format!("{values_path}[{i}]"),
                            IssueCode::UnknownSegment,
                            format!("no segment \"{key}\" exists; create it first or remove the reference"),
                        )),
                    }
                }
                Ok(Test::Segment(ids.into()))
            }
        };
        let test = test.unwrap_or_else(|e| {
            // Each value passed validation alone; together they can still exceed the size
            // limit of the one regex a condition compiles to.
            let (code, message) = match e {
                regex::Error::CompiledTooBig(limit) => (
                    IssueCode::TooLarge,
                    format!("these values together compile to more than {limit} bytes; split the condition or use fewer, shorter values"),
                ),
                other => (IssueCode::InvalidRegex, format!("invalid regular expression: {other}")),
            };
            self.issues.push(ValidationIssue::new(&values_path, code, message));
            Test::Exists
        });
        let index = *self.conditions;
        *self.conditions += 1;
        CompiledCondition {
            index,
            attribute: AttributePath::new(&c.attribute, self.layout),
            negated,
            test,
        }
    }
}

fn cmp_of(op: Operator) -> Cmp {
    match op {
        Operator::Gt | Operator::SemverGt => Cmp::Gt,
        Operator::Gte | Operator::SemverGte => Cmp::Gte,
        Operator::Lt | Operator::SemverLt => Cmp::Lt,
        Operator::Lte | Operator::SemverLte => Cmp::Lte,
        _ => Cmp::Eq,
    }
}

impl AttributePath {
    fn new(name: &str, layout: &mut Layout) -> Self {
        let parts: Box<[Box<str>]> = if name.contains('.') {
            name.split('.').map(Box::from).collect()
        } else {
            Box::default()
        };
        let slot = layout.slot(name);
        let head = parts.first().map(|first| layout.slot(first));
        Self {
            name: name.into(),
            parts,
            slot,
            head,
        }
    }
}
