//! A row of attributes for bulk evaluation: one slot per attribute name a compiled set
//! reads, filled by a file reader and reused from row to row, so a row costs no allocation
//! once the slots' strings have grown to fit.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::{Map, Value};

use crate::evaluate::Outcome;
use crate::instant::parse_instant;
use crate::scalar::{Num, as_num};

/// Distinct strings numbered per slot; a column with more (ids, emails) is evaluated
/// value by value as usual past this many.
const DISTINCT: usize = 1024;
const NO_ID: u16 = u16::MAX;

/// The attributes of one row, by slot (see [`crate::CompiledSet::attribute_names`]). A slot
/// is missing, or holds a value; `null` is a value (and, as in a JSON context, fails every
/// positive test while negations match it).
///
/// Strings set with [`Slots::set_str`] are numbered per slot as they come (up to 1024
/// distinct ones), and each condition's outcome is remembered per number: over a file, a
/// condition on a low-cardinality column (plan, country, app version) is worked out once
/// per distinct value instead of once per row.
#[derive(Debug, Clone, Default)]
pub struct Slots {
    values: Vec<Value>,
    present: Vec<bool>,
    /// This row's number for each slot's string, or [`NO_ID`].
    ids: Vec<u16>,
    dictionaries: Vec<Dictionary>,
    memo: RefCell<Memo>,
    /// This row's strings read as instants and numbers, per slot, once asked.
    parsed: RefCell<Vec<Parsed>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Parsed {
    instant: Option<Option<i128>>,
    number: Option<Option<Num>>,
}

/// A slot's distinct strings. Once full, a column that keeps bringing new values (ids,
/// emails, timestamps) stops being looked up at all.
#[derive(Debug, Clone, Default)]
struct Dictionary {
    ids: HashMap<Box<str>, u16, BuildHasherDefault<Fnv>>,
    misses: u32,
}

/// Misses of a full dictionary after which it is no longer consulted.
const GIVE_UP: u32 = 4096;

/// Condition outcomes by (condition, value number), for one compiled set.
#[derive(Debug, Clone, Default)]
struct Memo {
    set: u64,
    outcomes: Vec<u8>,
}

/// FNV-1a: short keys, and no flooding concern (a slot stops numbering at 1024 values).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

impl Slots {
    /// `len` missing slots.
    pub fn new(len: usize) -> Self {
        Slots {
            values: vec![Value::Null; len],
            present: vec![false; len],
            ids: vec![NO_ID; len],
            dictionaries: vec![Dictionary::default(); len],
            memo: RefCell::default(),
            parsed: RefCell::new(vec![Parsed::default(); len]),
        }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no slots.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Marks every slot missing, keeping their memory for the next row.
    pub fn clear(&mut self) {
        self.present.fill(false);
        self.ids.fill(NO_ID);
        self.parsed.get_mut().fill(Parsed::default());
    }

    /// Sets a slot to a string, reusing the slot's string buffer.
    pub fn set_str(&mut self, slot: usize, text: &str) {
        match &mut self.values[slot] {
            Value::String(s) => {
                s.clear();
                s.push_str(text);
            }
            other => *other = Value::String(text.to_owned()),
        }
        self.present[slot] = true;
        self.forget_parsed(slot);
        let dictionary = &mut self.dictionaries[slot];
        if dictionary.misses >= GIVE_UP {
            self.ids[slot] = NO_ID;
            return;
        }
        self.ids[slot] = match dictionary.ids.get(text) {
            Some(&id) => id,
            None if dictionary.ids.len() < DISTINCT => {
                let id = u16::try_from(dictionary.ids.len()).unwrap_or(NO_ID);
                dictionary.ids.insert(text.into(), id);
                id
            }
            None => {
                dictionary.misses += 1;
                NO_ID
            }
        };
    }

    fn forget_parsed(&mut self, slot: usize) {
        if let Some(parsed) = self.parsed.get_mut().get_mut(slot) {
            *parsed = Parsed::default();
        }
    }

    /// The slot's string read as an instant, parsed once per row.
    pub(crate) fn parsed_instant(&self, slot: u32, text: &str) -> Option<i128> {
        let slot = slot as usize;
        if let Some(Some(known)) = self.parsed.borrow().get(slot).map(|p| p.instant) {
            return known;
        }
        let at = parse_instant(text);
        if let Some(parsed) = self.parsed.borrow_mut().get_mut(slot) {
            parsed.instant = Some(at);
        }
        at
    }

    /// The slot's value read as a number, parsed once per row.
    pub(crate) fn parsed_number(&self, slot: u32, value: &Value) -> Option<Num> {
        let slot = slot as usize;
        if let Some(Some(known)) = self.parsed.borrow().get(slot).map(|p| p.number) {
            return known;
        }
        let n = as_num(value);
        if let Some(parsed) = self.parsed.borrow_mut().get_mut(slot) {
            parsed.number = Some(n);
        }
        n
    }

    /// Sets a slot to a value.
    pub fn set(&mut self, slot: usize, value: Value) {
        self.values[slot] = value;
        self.present[slot] = true;
        self.ids[slot] = NO_ID;
        self.forget_parsed(slot);
    }

    /// The slot's storage, marked present, for a reader that decodes in place (keeping the
    /// slot's buffers).
    pub fn slot_mut(&mut self, slot: usize) -> &mut Value {
        self.present[slot] = true;
        self.ids[slot] = NO_ID;
        self.forget_parsed(slot);
        &mut self.values[slot]
    }

    /// Marks one slot missing.
    pub fn set_missing(&mut self, slot: usize) {
        self.present[slot] = false;
        self.ids[slot] = NO_ID;
        self.forget_parsed(slot);
    }

    fn memo_index(&self, condition: u32, slot: u32) -> Option<usize> {
        let id = *self.ids.get(slot as usize)?;
        (id != NO_ID).then(|| condition as usize * DISTINCT + usize::from(id))
    }

    pub(crate) fn remembered(&self, set: u64, condition: u32, slot: u32) -> Option<Outcome> {
        let at = self.memo_index(condition, slot)?;
        let memo = self.memo.borrow();
        if memo.set != set {
            return None;
        }
        Outcome::from_code(*memo.outcomes.get(at)?)
    }

    /// `set` is the compiled set's id and condition count: the memo is sized for every
    /// condition once, when a row first meets the set.
    pub(crate) fn remember(&self, set: (u64, u32), condition: u32, slot: u32, outcome: Outcome) {
        let Some(at) = self.memo_index(condition, slot) else {
            return;
        };
        let mut memo = self.memo.borrow_mut();
        if memo.set != set.0 {
            memo.set = set.0;
            memo.outcomes.clear();
            memo.outcomes.resize(set.1 as usize * DISTINCT, 0);
        }
        if let Some(known) = memo.outcomes.get_mut(at) {
            *known = outcome.code();
        }
    }

    /// The value in a slot, if present.
    pub fn get(&self, slot: usize) -> Option<&Value> {
        if *self.present.get(slot)? {
            self.values.get(slot)
        } else {
            None
        }
    }

    /// The row as a JSON context of the present slots, named by `names`.
    pub fn to_context(&self, names: &[Box<str>]) -> Value {
        let mut object = Map::new();
        for (slot, name) in names.iter().enumerate() {
            if let Some(value) = self.get(slot) {
                object.insert(name.to_string(), value.clone());
            }
        }
        Value::Object(object)
    }
}
