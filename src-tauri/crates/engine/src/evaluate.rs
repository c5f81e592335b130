//! Evaluate many: plans against contexts, with no parsing and no allocation.

use serde_json::Value;

use crate::compile::{
    AttributePath, Cmp, CompiledCondition, CompiledGroup, CompiledRule, CompiledSet, SegmentId,
    Test,
};
use crate::model::MatchType;
use crate::scalar::{Num, as_num, with_canonical_str};
use crate::semver::Version;
use crate::slots::Slots;
use crate::{instant::parse_instant, scalar::NumberText};

/// Why a condition matched or not; the explain trace reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "TraceReason"))]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Reason {
    /// Some value satisfied the positive test.
    Matched,
    /// The attribute was there, but no value satisfied the test.
    NoValueMatched,
    /// The context has no such attribute.
    AttributeMissing,
    /// The attribute is null.
    AttributeNull,
    /// A numeric comparison met something that is not a number.
    NotANumber,
    /// A version comparison met something that is not a version.
    NotASemver,
    /// A date comparison met something that is not a date.
    NotADate,
    /// A string test met an object or nested array.
    TypeMismatch,
    /// A negative operator failed because its positive test matched.
    Negated,
}

impl Reason {
    const ALL: [Reason; 9] = [
        Reason::Matched,
        Reason::NoValueMatched,
        Reason::AttributeMissing,
        Reason::AttributeNull,
        Reason::NotANumber,
        Reason::NotASemver,
        Reason::NotADate,
        Reason::TypeMismatch,
        Reason::Negated,
    ];
}

/// The result of one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub(crate) matched: bool,
    pub(crate) reason: Reason,
}

impl Outcome {
    /// A one-byte form for memos: never 0, which means "not known".
    pub(crate) fn code(self) -> u8 {
        1 + ((self.reason as u8) << 1 | u8::from(self.matched))
    }

    pub(crate) fn from_code(code: u8) -> Option<Outcome> {
        let code = code.checked_sub(1)?;
        Some(Outcome {
            matched: code & 1 == 1,
            reason: *Reason::ALL.get(usize::from(code >> 1))?,
        })
    }

    const MATCHED: Outcome = Outcome {
        matched: true,
        reason: Reason::Matched,
    };

    fn failed(reason: Reason) -> Outcome {
        Outcome {
            matched: false,
            reason,
        }
    }
}

/// Reusable per-caller memory for evaluation: memoizes referenced segments so each is
/// evaluated at most once per context. Create it once with [`CompiledSet::scratch`] and
/// reuse it; evaluation then allocates nothing.
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    generation: u32,
    /// Per segment: the generation the result belongs to, and the result.
    memo: Vec<(u32, bool)>,
}

impl Scratch {
    /// Starts a new context: results memoized for the previous one no longer count.
    fn next_context(&mut self, len: usize) {
        if self.memo.len() != len {
            self.memo = vec![(0, false); len];
            self.generation = 0;
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.memo.fill((0, false));
            self.generation = 1;
        }
    }
}

impl CompiledSet {
    /// A scratch sized for this set.
    pub fn scratch(&self) -> Scratch {
        let mut scratch = Scratch::default();
        scratch.next_context(self.segments.len());
        scratch
    }

    /// Whether `context` is in the segment `id`.
    pub fn evaluate(&self, id: SegmentId, context: &Value, scratch: &mut Scratch) -> bool {
        scratch.next_context(self.segments.len());
        self.segment_matches(id, context, scratch)
    }

    /// Whether the row in `slots` (filled for this set's [`CompiledSet::attribute_names`])
    /// is in the segment `id`: the same meaning as [`CompiledSet::evaluate`] on the row's
    /// JSON context.
    pub fn evaluate_slots(&self, id: SegmentId, slots: &Slots, scratch: &mut Scratch) -> bool {
        scratch.next_context(self.segments.len());
        self.segment_matches(id, slots, scratch)
    }

    /// Evaluates every segment against one context, writing one result per segment (in id
    /// order) into `out`, which is cleared first. Referenced segments are shared work.
    pub fn evaluate_all(&self, context: &Value, scratch: &mut Scratch, out: &mut Vec<bool>) {
        scratch.next_context(self.segments.len());
        out.clear();
        for id in self.ids() {
            out.push(self.segment_matches(id, context, scratch));
        }
    }

    /// Evaluates the segments `ids` against one context, writing one result per id into
    /// `out` (cleared first); shared references are evaluated once for all of them.
    pub fn evaluate_many(
        &self,
        ids: &[SegmentId],
        context: &Value,
        scratch: &mut Scratch,
        out: &mut Vec<bool>,
    ) {
        self.evaluate_many_from(ids, context, scratch, out);
    }

    /// [`CompiledSet::evaluate_many`] on a row of slots.
    pub fn evaluate_many_slots(
        &self,
        ids: &[SegmentId],
        slots: &Slots,
        scratch: &mut Scratch,
        out: &mut Vec<bool>,
    ) {
        self.evaluate_many_from(ids, slots, scratch, out);
    }

    fn evaluate_many_from<C: Source + ?Sized>(
        &self,
        ids: &[SegmentId],
        context: &C,
        scratch: &mut Scratch,
        out: &mut Vec<bool>,
    ) {
        scratch.next_context(self.segments.len());
        out.clear();
        for &id in ids {
            out.push(self.segment_matches(id, context, scratch));
        }
    }

    pub(crate) fn segment_matches<C: Source + ?Sized>(
        &self,
        id: SegmentId,
        context: &C,
        scratch: &mut Scratch,
    ) -> bool {
        if !self.has_references {
            return self.group_matches(&self.segments[id.0].root, context, scratch);
        }
        let (generation, result) = scratch.memo[id.0];
        if generation == scratch.generation {
            return result;
        }
        let result = self.group_matches(&self.segments[id.0].root, context, scratch);
        scratch.memo[id.0] = (scratch.generation, result);
        result
    }

    pub(crate) fn group_matches<C: Source + ?Sized>(
        &self,
        group: &CompiledGroup,
        context: &C,
        scratch: &mut Scratch,
    ) -> bool {
        let mut rules = group.rules.iter().map(|rule| match rule {
            CompiledRule::Condition(c) => self.condition_outcome(c, context, scratch).matched,
            CompiledRule::Group(g) => self.group_matches(g, context, scratch),
        });
        match group.match_type {
            MatchType::All => rules.all(|m| m),
            MatchType::Any => rules.any(|m| m),
            MatchType::None => !rules.any(|m| m),
        }
    }

    pub(crate) fn condition_outcome<C: Source + ?Sized>(
        &self,
        condition: &CompiledCondition,
        context: &C,
        scratch: &mut Scratch,
    ) -> Outcome {
        if let Test::Segment(ids) = &condition.test {
            let positive = if ids
                .iter()
                .any(|&id| self.segment_matches(id, context, scratch))
            {
                Outcome::MATCHED
            } else {
                Outcome::failed(Reason::NoValueMatched)
            };
            return negate(condition, positive);
        }
        // A condition's outcome depends only on the attribute's value: in a bulk pass it is
        // worked out once per distinct value of a low-cardinality column.
        if let Some(known) = context.remembered(self.uid, condition) {
            return known;
        }
        let positive = match (context.attribute(&condition.attribute), &condition.test) {
            (None, _) => Outcome::failed(Reason::AttributeMissing),
            (Some(Value::Null), _) => Outcome::failed(Reason::AttributeNull),
            // A string that a row's several conditions read as a date or a number is parsed
            // once per row (a high-cardinality column gets no memo per value).
            (Some(Value::String(text)), Test::Instant { cmp, instants }) => {
                instant_outcome(*cmp, instants, context.instant(&condition.attribute, text))
            }
            (Some(value @ Value::String(_)), Test::Number { cmp, bounds }) => {
                number_outcome(*cmp, bounds, context.number(&condition.attribute, value))
            }
            (Some(value), test) => test.on_value(value),
        };
        let outcome = negate(condition, positive);
        context.remember((self.uid, self.condition_count), condition, outcome);
        outcome
    }
}

fn negate(condition: &CompiledCondition, positive: Outcome) -> Outcome {
    if !condition.negated {
        positive
    } else if positive.matched {
        Outcome::failed(Reason::Negated)
    } else {
        Outcome {
            matched: true,
            reason: positive.reason,
        }
    }
}

/// Where evaluation reads attributes: a JSON context, or a row of slots. One evaluator over
/// both is what makes a bulk count mean exactly what the what-if panel shows.
pub(crate) trait Source {
    fn attribute(&self, path: &AttributePath) -> Option<&Value>;

    /// The outcome of `condition` already worked out for this attribute value, if known.
    fn remembered(&self, _set: u64, _condition: &CompiledCondition) -> Option<Outcome> {
        None
    }

    /// `text` (the attribute's value) read as an instant.
    fn instant(&self, _path: &AttributePath, text: &str) -> Option<i128> {
        parse_instant(text)
    }

    /// `value` (the attribute's value, a string) read as a number.
    fn number(&self, _path: &AttributePath, value: &Value) -> Option<Num> {
        as_num(value)
    }

    /// Keeps an outcome for the next row with the same attribute value.
    fn remember(&self, _set: (u64, u32), _condition: &CompiledCondition, _outcome: Outcome) {}
}

impl Source for Value {
    fn attribute(&self, path: &AttributePath) -> Option<&Value> {
        path.lookup(self)
    }
}

impl Source for Slots {
    fn instant(&self, path: &AttributePath, text: &str) -> Option<i128> {
        self.parsed_instant(path.slot, text)
    }

    fn number(&self, path: &AttributePath, value: &Value) -> Option<Num> {
        self.parsed_number(path.slot, value)
    }

    fn remembered(&self, set: u64, condition: &CompiledCondition) -> Option<Outcome> {
        self.remembered(set, condition.index, condition.attribute.slot)
    }

    fn remember(&self, set: (u64, u32), condition: &CompiledCondition, outcome: Outcome) {
        self.remember(set, condition.index, condition.attribute.slot, outcome);
    }

    fn attribute(&self, path: &AttributePath) -> Option<&Value> {
        if let Some(value) = self.get(path.slot as usize) {
            return Some(value);
        }
        let head = self.get(path.head? as usize)?;
        path.parts[1..]
            .iter()
            .try_fold(head, |node, part| get(node.as_object()?, part))
    }
}

/// A key of an object: contexts are small, and a scan of a few keys costs less than
/// hashing the name (serde_json's map hashes with SipHash).
fn get<'c>(object: &'c serde_json::Map<String, Value>, key: &str) -> Option<&'c Value> {
    if object.len() <= 16 {
        object.iter().find_map(|(k, v)| (k == key).then_some(v))
    } else {
        object.get(key)
    }
}

impl AttributePath {
    /// The attribute's value: a literal key first, then the dotted path into nested objects.
    pub(crate) fn lookup<'c>(&self, context: &'c Value) -> Option<&'c Value> {
        let object = context.as_object()?;
        if let Some(value) = get(object, &self.name) {
            return Some(value);
        }
        if self.parts.is_empty() {
            return None;
        }
        self.parts
            .iter()
            .try_fold(context, |node, part| get(node.as_object()?, part))
    }
}

impl Test {
    /// The positive test on a present, non-null value; an array matches when an element does.
    fn on_value(&self, value: &Value) -> Outcome {
        match (self, value) {
            (Test::Exists, _) => Outcome::MATCHED,
            (_, Value::Array(items)) => {
                let mut failure = Reason::NoValueMatched;
                for item in items {
                    let outcome = self.on_scalar(item);
                    if outcome.matched {
                        return outcome;
                    }
                    if failure == Reason::NoValueMatched {
                        failure = outcome.reason;
                    }
                }
                Outcome::failed(failure)
            }
            _ => self.on_scalar(value),
        }
    }

    fn on_scalar(&self, value: &Value) -> Outcome {
        let hit = |matched: bool| {
            if matched {
                Outcome::MATCHED
            } else {
                Outcome::failed(Reason::NoValueMatched)
            }
        };
        match self {
            Test::Exists => Outcome::MATCHED,
            Test::Scalar { text, ints, floats } => {
                let numeric = (!ints.is_empty() || !floats.is_empty())
                    && as_num(value).is_some_and(|n| number_in(n, ints, floats));
                if numeric {
                    return Outcome::MATCHED;
                }
                with_canonical_str(value, |s| hit(text.holds(s)))
                    .unwrap_or(Outcome::failed(Reason::TypeMismatch))
            }
            Test::Text(text) => with_canonical_str(value, |s| hit(text.holds(s)))
                .unwrap_or(Outcome::failed(Reason::TypeMismatch)),
            Test::Number { cmp, bounds } => number_outcome(*cmp, bounds, as_num(value)),
            Test::Semver { cmp, versions } => {
                let number;
                let text = match value {
                    Value::String(s) => s.as_str(),
                    // A bare number such as 2 or 1.5 reads as the version "2" or "1.5".
                    Value::Number(n) => {
                        number = NumberText::of(n);
                        number.as_str()
                    }
                    _ => return Outcome::failed(Reason::NotASemver),
                };
                match Version::parse(text) {
                    Some(v) => hit(versions
                        .iter()
                        .any(|w| cmp.holds(v.precedence(&w.as_version())))),
                    None => Outcome::failed(Reason::NotASemver),
                }
            }
            Test::Instant { cmp, instants } => {
                instant_outcome(*cmp, instants, value.as_str().and_then(parse_instant))
            }
            // References are resolved before a value is looked up.
            Test::Segment(_) => Outcome::failed(Reason::TypeMismatch),
        }
    }
}

fn number_outcome(cmp: Cmp, bounds: &[Num], n: Option<Num>) -> Outcome {
    match n {
        Some(n) if bounds.iter().any(|b| cmp.holds(n.compare(*b))) => Outcome::MATCHED,
        Some(_) => Outcome::failed(Reason::NoValueMatched),
        None => Outcome::failed(Reason::NotANumber),
    }
}

fn instant_outcome(cmp: Cmp, instants: &[i128], at: Option<i128>) -> Outcome {
    match at {
        Some(at) if instants.iter().any(|i| cmp.holds(at.cmp(i))) => Outcome::MATCHED,
        Some(_) => Outcome::failed(Reason::NoValueMatched),
        None => Outcome::failed(Reason::NotADate),
    }
}

/// Whether `n` is one of the sorted rule values: integers exactly, the rest as `f64`.
fn number_in(n: Num, ints: &[i128], floats: &[f64]) -> bool {
    let in_floats = |f: f64| floats.binary_search_by(|x| x.total_cmp(&f)).is_ok();
    match n {
        Num::Int(i) => ints.binary_search(&i).is_ok() || in_floats(n.as_f64()),
        // A float this large can still be integral: look among the integers too.
        #[allow(clippy::cast_possible_truncation)]
        Num::Float(f) => {
            in_floats(f) || (f.fract() == 0.0 && ints.binary_search(&(f as i128)).is_ok())
        }
    }
}
