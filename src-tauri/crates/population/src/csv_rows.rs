//! CSV rows: the header names the attributes; each column a segment reads is bound to its
//! slot once, and every cell is a string (an empty cell is a missing attribute), which the
//! engine's numeric, version and date operators parse as they would a JSON string.

use std::collections::HashSet;
use std::path::Path;

use segments_engine::Slots;
use serde_json::{Map, Value};

use crate::error::PopulationError;

/// The header, and the slot each column fills.
pub(crate) struct CsvLayout {
    pub(crate) columns: Vec<String>,
    slots: Vec<Option<usize>>,
}

impl CsvLayout {
    /// Reads the header record; refuses empty and repeated names, which could not be told
    /// apart in a condition.
    pub(crate) fn from_header(
        path: &Path,
        header: &[u8],
        names: &[Box<str>],
    ) -> Result<CsvLayout, PopulationError> {
        let header = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
        let bad = |message: String| PopulationError::Header {
            path: path.to_path_buf(),
            message,
        };
        let mut reader = reader(header);
        let mut record = csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return Err(PopulationError::Empty {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => return Err(bad(format!("the header cannot be read: {}", plain(&e)))),
        }
        let mut seen = HashSet::new();
        let mut columns = Vec::with_capacity(record.len());
        for (i, name) in record.iter().enumerate() {
            let name = name.trim();
            if name.is_empty() {
                return Err(bad(format!(
                    "column {} has no name; every column needs a name in the header row",
                    i + 1
                )));
            }
            if !seen.insert(name.to_owned()) {
                return Err(bad(format!(
                    "the column name \"{name}\" appears twice; rename one of them"
                )));
            }
            columns.push(name.to_owned());
        }
        let slots = columns
            .iter()
            .map(|c| names.iter().position(|n| **n == **c))
            .collect();
        Ok(CsvLayout { columns, slots })
    }

    /// Calls `row` for each record of a chunk (whose first line is `first_line`), or
    /// `bad` for one that cannot be read; `bad` decides whether to go on.
    pub(crate) fn read_chunk(
        &self,
        text: &[u8],
        first_line: u64,
        slots: &mut Slots,
        row: &mut dyn FnMut(&Slots, &Whole<'_>, u64),
        bad: &mut dyn FnMut(u64, String) -> Result<(), PopulationError>,
    ) -> Result<(), PopulationError> {
        let mut reader = reader(text);
        let mut record = csv::StringRecord::new();
        loop {
            let line_of = |r: &csv::StringRecord| {
                first_line + r.position().map_or(1, csv::Position::line) - 1
            };
            match reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let line = line_of(&record);
                    if record.len() != self.columns.len() {
                        bad(
                            line,
                            format!(
                                "this row has {} cells but the header has {} columns",
                                record.len(),
                                self.columns.len()
                            ),
                        )?;
                        continue;
                    }
                    slots.clear();
                    for (cell, slot) in record.iter().zip(&self.slots) {
                        if let Some(slot) = *slot
                            && !cell.is_empty()
                        {
                            slots.set_str(slot, cell);
                        }
                    }
                    row(
                        slots,
                        &Whole::Csv {
                            columns: &self.columns,
                            record: &record,
                        },
                        line,
                    );
                }
                Err(e) => {
                    let line = e
                        .position()
                        .map_or(first_line, |p| first_line + p.line() - 1);
                    bad(line, plain(&e))?;
                    // The reader resumes after the bad record.
                }
            }
        }
    }
}

fn reader(text: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text)
}

fn plain(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "cell {} is not valid UTF-8 text; save the file as UTF-8",
            err.field() + 1
        ),
        _ => e.to_string(),
    }
}

/// A whole row, materialized only when asked (examples, profiles).
pub(crate) enum Whole<'a> {
    /// A CSV record and its header.
    Csv {
        columns: &'a [String],
        record: &'a csv::StringRecord,
    },
    /// An NDJSON line, already checked to be one JSON object.
    Json(&'a [u8]),
    /// A decoded row.
    Value(&'a Value),
}

impl Whole<'_> {
    /// The row as the JSON context the what-if panel would see.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Whole::Csv { columns, record } => Value::Object(
                columns
                    .iter()
                    .zip(record.iter())
                    .filter(|(_, cell)| !cell.is_empty())
                    .map(|(c, cell)| (c.clone(), Value::String(cell.to_owned())))
                    .collect::<Map<_, _>>(),
            ),
            Whole::Json(line) => crate::ndjson_rows::whole_line(line),
            Whole::Value(v) => (*v).clone(),
        }
    }
}
