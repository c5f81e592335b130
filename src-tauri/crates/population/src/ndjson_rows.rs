//! NDJSON rows: each line is decoded straight into the slots the segments read; keys no
//! condition reads are skipped unparsed, and a string lands in the slot's reused buffer.

use std::collections::HashMap;
use std::fmt;

use segments_engine::Slots;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Which slot each top-level key fills: a scan for the few names segments usually read
/// (cheaper than hashing every key of every line), a map past that.
pub(crate) enum JsonLayout {
    Few(Vec<(Box<str>, usize)>),
    Many(HashMap<Box<str>, usize>),
}

impl JsonLayout {
    pub(crate) fn new(names: &[Box<str>]) -> Self {
        let pairs = names
            .iter()
            .enumerate()
            .map(|(slot, name)| (name.clone(), slot));
        if names.len() <= 16 {
            JsonLayout::Few(pairs.collect())
        } else {
            JsonLayout::Many(pairs.collect())
        }
    }

    fn slot(&self, key: &str) -> Option<usize> {
        match self {
            JsonLayout::Few(pairs) => pairs.iter().find(|(n, _)| **n == *key).map(|(_, s)| *s),
            JsonLayout::Many(map) => map.get(key).copied(),
        }
    }

    /// Fills `slots` from one line; the error says what is wrong, in words, with the column.
    pub(crate) fn read_line(&self, line: &[u8], slots: &mut Slots) -> Result<(), String> {
        slots.clear();
        let mut de = serde_json::Deserializer::from_slice(line);
        RowSeed {
            layout: self,
            slots,
        }
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| describe(&e))
    }
}

/// A line's whole object, for examples and profiles (the line was read once already).
pub(crate) fn whole_line(line: &[u8]) -> Value {
    serde_json::from_slice(line).unwrap_or(Value::Null)
}

fn describe(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let what = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(what, _)| what);
    if e.is_data() {
        format!("{what}; each line must be one JSON object such as {{\"plan\": \"pro\"}}")
    } else {
        format!("not valid JSON at column {}: {what}", e.column())
    }
}

/// The line trimmed of its line ending and surrounding blanks; `None` for a blank line.
pub(crate) fn content(line: &[u8]) -> Option<&[u8]> {
    let line = line.trim_ascii();
    (!line.is_empty()).then_some(line)
}

struct RowSeed<'a> {
    layout: &'a JsonLayout,
    slots: &'a mut Slots,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object (one user per line)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(slot) = map.next_key_seed(KeySeed(self.layout))? {
            match slot {
                Some(slot) => map.next_value_seed(SlotSeed {
                    slots: &mut *self.slots,
                    slot,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A key, looked up without copying it.
struct KeySeed<'a>(&'a JsonLayout);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attribute name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.slot(key))
    }
}

/// A value decoded into a slot; a string lands in the slot's buffer.
struct SlotSeed<'a> {
    slots: &'a mut Slots,
    slot: usize,
}

impl<'de> DeserializeSeed<'de> for SlotSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SlotSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.slots.set(self.slot, Value::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.slots.set(self.slot, Value::from(v));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.slots.set(self.slot, Value::from(v));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        let number = serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number);
        self.slots.set(self.slot, number);
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.slots.set_str(self.slot, v);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.slots.set(self.slot, Value::Null);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.slots.set(self.slot, value);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.slots.set(self.slot, value);
        Ok(())
    }
}
