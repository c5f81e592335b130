//! Reading what a population holds: per attribute (and per dotted path into nested
//! objects) the types seen, how many users have it, the most frequent values, and a uniform
//! sample of rows (reservoir sampling per worker, merged without bias).

use std::collections::HashMap;

use segments_engine::Slots;
use serde_json::Value;

use crate::profile::{AttributeProfile, AttributeType, TopValue};
use crate::scan::{Sink, Whole};

/// Distinct values tracked per attribute; past this the attribute is "many values" and only
/// the values already tracked keep counting (frequent values show up early).
const TRACKED_VALUES: usize = 1000;
/// Longer strings are not suggestions anyone would type.
const LONGEST_VALUE: usize = 80;
/// Nested objects are described this deep.
const DEPTH: usize = 4;
const TOP: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Text(Box<str>),
    Number(Box<str>),
    Bool(bool),
}

impl Key {
    fn of(value: &Value) -> Option<Key> {
        match value {
            Value::String(s) if s.len() <= LONGEST_VALUE => Some(Key::Text(s.as_str().into())),
            Value::Number(n) => Some(Key::Number(n.to_string().into())),
            Value::Bool(b) => Some(Key::Bool(*b)),
            _ => None,
        }
    }

    fn value(&self) -> Value {
        match self {
            Key::Text(s) => Value::String(s.to_string()),
            Key::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
            Key::Bool(b) => Value::Bool(*b),
        }
    }
}

#[derive(Debug, Default)]
struct Stats {
    types: [u64; 6],
    present: u64,
    values: HashMap<Key, u64>,
    many: bool,
}

impl Stats {
    fn count_value(&mut self, value: &Value) {
        let Some(key) = Key::of(value) else { return };
        if let Some(count) = self.values.get_mut(&key) {
            *count += 1;
        } else if self.values.len() < TRACKED_VALUES {
            self.values.insert(key, 1);
        } else {
            self.many = true;
        }
    }

    fn absorb(&mut self, other: Stats) {
        for (a, b) in self.types.iter_mut().zip(other.types) {
            *a += b;
        }
        self.present += other.present;
        self.many |= other.many;
        for (key, count) in other.values {
            if let Some(c) = self.values.get_mut(&key) {
                *c += count;
            } else if self.values.len() < TRACKED_VALUES {
                self.values.insert(key, count);
            } else {
                self.many = true;
            }
        }
    }
}

const TYPES: [AttributeType; 6] = [
    AttributeType::String,
    AttributeType::Number,
    AttributeType::Boolean,
    AttributeType::Array,
    AttributeType::Object,
    AttributeType::Null,
];

fn type_of(value: &Value) -> usize {
    match value {
        Value::String(_) => 0,
        Value::Number(_) => 1,
        Value::Bool(_) => 2,
        Value::Array(_) => 3,
        Value::Object(_) => 4,
        Value::Null => 5,
    }
}

/// One worker's view of the file.
pub(crate) struct Profiler {
    stats: HashMap<String, Stats>,
    /// Attribute names in first-seen order, so the profile lists columns as the file does.
    order: Vec<String>,
    seen: u64,
    sample: Vec<Value>,
    capacity: usize,
    rng: fastrand::Rng,
}

impl Profiler {
    pub(crate) fn new(capacity: usize, seed: u64) -> Self {
        Profiler {
            stats: HashMap::new(),
            order: Vec::new(),
            seen: 0,
            sample: Vec::new(),
            capacity,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    fn record(&mut self, path: &str, value: &Value, depth: usize) {
        let stats = match self.stats.get_mut(path) {
            Some(stats) => stats,
            None => {
                self.order.push(path.to_owned());
                self.stats.entry(path.to_owned()).or_default()
            }
        };
        stats.types[type_of(value)] += 1;
        match value {
            Value::Null => {}
            Value::Array(items) => {
                stats.present += 1;
                for item in items {
                    stats.count_value(item);
                }
            }
            Value::Object(fields) => {
                stats.present += 1;
                if depth < DEPTH {
                    for (name, inner) in fields {
                        self.record(&format!("{path}.{name}"), inner, depth + 1);
                    }
                }
            }
            scalar => {
                stats.present += 1;
                stats.count_value(scalar);
            }
        }
    }
}

impl Sink for Profiler {
    fn row(&mut self, _slots: &Slots, whole: &Whole<'_>, _line: u64) {
        let row = whole.to_value();
        if let Value::Object(fields) = &row {
            for (name, value) in fields {
                self.record(name, value, 1);
            }
        }
        self.seen += 1;
        if self.sample.len() < self.capacity {
            self.sample.push(row);
        } else {
            let j = self.rng.u64(0..self.seen);
            if let Ok(j) = usize::try_from(j)
                && j < self.capacity
            {
                self.sample[j] = row;
            }
        }
    }
}

/// Merges the workers' profiles into the attributes and the sample of `rows` users.
pub(crate) fn merge(
    workers: Vec<Profiler>,
    rows: u64,
    capacity: usize,
) -> (Vec<AttributeProfile>, Vec<Value>) {
    let mut order: Vec<String> = Vec::new();
    let mut stats: HashMap<String, Stats> = HashMap::new();
    let mut pools = Vec::new();
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    for worker in workers {
        for name in worker.order {
            if let std::collections::hash_map::Entry::Vacant(slot) = stats.entry(name) {
                order.push(slot.key().clone());
                slot.insert(Stats::default());
            }
        }
        for (name, s) in worker.stats {
            if let Some(total) = stats.get_mut(&name) {
                total.absorb(s);
            }
        }
        let mut pool = worker.sample;
        rng.shuffle(&mut pool);
        pools.push((worker.seen, pool));
    }
    let attributes = order
        .into_iter()
        .filter_map(|name| {
            let s = stats.remove(&name)?;
            Some(describe(name, s, rows))
        })
        .collect();
    (attributes, merge_samples(pools, capacity, &mut rng))
}

fn describe(name: String, s: Stats, rows: u64) -> AttributeProfile {
    let mut types: Vec<(u64, AttributeType)> = TYPES
        .iter()
        .zip(s.types)
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| (n, *t))
        .collect();
    types.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut values: Vec<(Key, u64)> = s.values.into_iter().collect();
    values.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| format!("{:?}", a.0).cmp(&format!("{:?}", b.0)))
    });
    // With many distinct values, a value seen once says nothing about the population.
    let top_values = values
        .iter()
        .filter(|(_, n)| !s.many || *n > 1)
        .take(TOP)
        .map(|(k, n)| TopValue {
            value: k.value(),
            count: *n,
        })
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let missing_share = if rows == 0 {
        0.0
    } else {
        1.0 - (s.present.min(rows) as f64 / rows as f64)
    };
    AttributeProfile {
        name,
        types: types.into_iter().map(|(_, t)| t).collect(),
        present: s.present,
        missing_share,
        top_values,
        many_values: s.many,
    }
}

/// A uniform sample of the union, from uniform samples of each part: each pick chooses a
/// part with probability proportional to the rows it still stands for.
fn merge_samples(
    mut pools: Vec<(u64, Vec<Value>)>,
    capacity: usize,
    rng: &mut fastrand::Rng,
) -> Vec<Value> {
    let mut out = Vec::with_capacity(capacity);
    while out.len() < capacity {
        let total: u64 = pools
            .iter()
            .filter(|(_, p)| !p.is_empty())
            .map(|(n, _)| *n)
            .sum();
        if total == 0 {
            break;
        }
        let mut pick = rng.u64(0..total);
        for (weight, pool) in &mut pools {
            if pool.is_empty() {
                continue;
            }
            if pick < *weight {
                if let Some(row) = pool.pop() {
                    out.push(row);
                }
                *weight -= 1;
                break;
            }
            pick -= *weight;
        }
    }
    out
}
