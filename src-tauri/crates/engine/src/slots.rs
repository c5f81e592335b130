//! A row of attributes for bulk evaluation: one slot per attribute name a compiled set
//! reads, filled by a file reader and reused from row to row, so a row costs no allocation
//! once the slots' strings have grown to fit.

use serde_json::{Map, Value};

/// The attributes of one row, by slot (see [`crate::CompiledSet::attribute_names`]). A slot
/// is missing, or holds a value; `null` is a value (and, as in a JSON context, fails every
/// positive test while negations match it).
#[derive(Debug, Clone, Default)]
pub struct Slots {
    values: Vec<Value>,
    present: Vec<bool>,
}

impl Slots {
    /// `len` missing slots.
    pub fn new(len: usize) -> Self {
        Slots {
            values: vec![Value::Null; len],
            present: vec![false; len],
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
    }

    /// Sets a slot to a value.
    pub fn set(&mut self, slot: usize, value: Value) {
        self.values[slot] = value;
        self.present[slot] = true;
    }

    /// The slot's storage, marked present, for a reader that decodes in place (keeping the
    /// slot's buffers).
    pub fn slot_mut(&mut self, slot: usize) -> &mut Value {
        self.present[slot] = true;
        &mut self.values[slot]
    }

    /// Marks one slot missing.
    pub fn set_missing(&mut self, slot: usize) {
        self.present[slot] = false;
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
