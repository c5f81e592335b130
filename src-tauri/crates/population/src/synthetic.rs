//! Seeded synthetic populations, so anyone can reproduce every benchmark figure and the
//! differential tests: realistic users (plan, country, seats, app version, sign-up date…),
//! or an "edge" variant with mixed types, nulls, missing values, arrays, nested objects,
//! numeric strings and odd versions. The same seed gives the same rows in every format.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use serde_json::{Map, Value, json};

use crate::error::PopulationError;
use crate::kind::{FileKind, Format};

const PLANS: [&str; 4] = ["free", "pro", "team", "enterprise"];
const COUNTRIES: [&str; 10] = ["US", "DE", "FR", "GB", "CA", "IN", "BR", "JP", "NL", "ES"];
const VERSIONS: [&str; 8] = [
    "1.9.0",
    "2.0.0",
    "2.3.1",
    "2.4.0",
    "2.4.1",
    "2.5.0-beta.1",
    "2.5.0",
    "3.0.0",
];
const ODD_VERSIONS: [&str; 8] = [
    "v2.4",
    "02.4.0",
    "2.4.0+build.7",
    "2.5.0-rc.1",
    "2.5.0-alpha",
    "2",
    "2.4.0.1",
    "latest",
];
const TAGS: [&str; 5] = ["beta", "vip", "churn-risk", "early", "mobile"];

/// One user; `edge` mixes types and leaves gaps.
pub fn user(rng: &mut fastrand::Rng, i: u64, edge: bool) -> Value {
    let plan = PLANS[[0, 0, 0, 0, 1, 1, 1, 2, 2, 3][rng.usize(0..10)]];
    let country = COUNTRIES[rng.usize(0..COUNTRIES.len())];
    let seats = if plan == "free" { 1 } else { rng.i64(1..=500) };
    let day = rng.i64(0..2300);
    let signed_up = time::OffsetDateTime::UNIX_EPOCH
        + time::Duration::days(18_000 + day)
        + time::Duration::seconds(rng.i64(0..86_400));
    let signed_up = signed_up
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let mut user = Map::new();
    user.insert("user_id".into(), json!(format!("u{i:07}")));
    user.insert(
        "email".into(),
        json!(format!(
            "user{i}@{}",
            ["acme.com", "example.org", "mail.test"][rng.usize(0..3)]
        )),
    );
    user.insert("plan".into(), json!(plan));
    user.insert("country".into(), json!(country));
    user.insert("seats".into(), json!(seats));
    user.insert(
        "app_version".into(),
        json!(VERSIONS[rng.usize(0..VERSIONS.len())]),
    );
    user.insert("signed_up_at".into(), json!(signed_up));
    user.insert("beta".into(), json!(rng.u8(0..5) == 0));
    if !edge {
        return Value::Object(user);
    }
    // Each attribute is sometimes missing, null or of another type, as real exports are.
    match rng.u8(0..10) {
        0 => {
            user.remove("seats");
        }
        1 => {
            user.insert("seats".into(), Value::Null);
        }
        2 => {
            user.insert("seats".into(), json!(seats.to_string()));
        }
        3 => {
            user.insert("seats".into(), json!(format!("{seats}.5")));
        }
        _ => {}
    }
    if rng.u8(0..4) == 0 {
        user.insert(
            "app_version".into(),
            json!(ODD_VERSIONS[rng.usize(0..ODD_VERSIONS.len())]),
        );
    }
    match rng.u8(0..8) {
        0 => {
            user.remove("country");
        }
        1 => {
            user.insert("country".into(), json!(country.to_lowercase()));
        }
        _ => {}
    }
    if rng.u8(0..6) == 0 {
        user.insert("signed_up_at".into(), json!(&signed_up[..10]));
    }
    if rng.u8(0..3) > 0 {
        let n = rng.usize(0..3);
        let tags: Vec<&str> = (0..n).map(|_| TAGS[rng.usize(0..TAGS.len())]).collect();
        user.insert("tags".into(), json!(tags));
    }
    if rng.bool() {
        let city = ["Berlin", "Austin", "Lyon"][rng.usize(0..3)];
        user.insert("address".into(), json!({"country": country, "city": city}));
    }
    Value::Object(user)
}

/// The columns of a file, in order (every attribute any user can have).
fn columns(edge: bool) -> Vec<&'static str> {
    let mut columns = vec![
        "user_id",
        "email",
        "plan",
        "country",
        "seats",
        "app_version",
        "signed_up_at",
        "beta",
    ];
    if edge {
        columns.extend(["tags", "address"]);
    }
    columns
}

/// Writes `rows` users to `path` in the format its name says; returns the rows written.
pub fn write(path: &Path, rows: u64, seed: u64, edge: bool) -> Result<u64, PopulationError> {
    let kind = kind_of(path)?;
    let file = std::fs::File::create(path).map_err(|e| PopulationError::io(path, e))?;
    let io = |e: std::io::Error| PopulationError::io(path, e);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut users = (0..rows).map(move |i| user(&mut rng, i, edge));
    match kind.format {
        Format::Parquet => write_parquet(path, file, &mut users, edge)?,
        _ => {
            let out: Box<dyn Write> = if kind.gzip {
                Box::new(flate2::write::GzEncoder::new(
                    file,
                    flate2::Compression::fast(),
                ))
            } else {
                Box::new(file)
            };
            let mut out = BufWriter::new(out);
            if kind.format == Format::Csv {
                let mut csv = csv::Writer::from_writer(out);
                let columns = columns(edge);
                csv.write_record(&columns).map_err(|e| io(e.into()))?;
                for user in users {
                    let cells: Vec<String> =
                        columns.iter().map(|c| text_cell(user.get(*c))).collect();
                    csv.write_record(&cells).map_err(|e| io(e.into()))?;
                }
                csv.flush().map_err(io)?;
            } else {
                for user in users {
                    serde_json::to_writer(&mut out, &user).map_err(|e| io(e.into()))?;
                    out.write_all(b"\n").map_err(io)?;
                }
                out.flush().map_err(io)?;
            }
        }
    }
    Ok(rows)
}

fn kind_of(path: &Path) -> Result<FileKind, PopulationError> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let gzip = name.ends_with(".gz");
    let stem = name.trim_end_matches(".gz");
    let format = if stem.ends_with(".csv") {
        Format::Csv
    } else if stem.ends_with(".parquet") && !gzip {
        Format::Parquet
    } else if stem.ends_with(".ndjson") || stem.ends_with(".jsonl") {
        Format::Ndjson
    } else {
        return Err(PopulationError::UnknownFormat {
            path: path.to_path_buf(),
        });
    };
    Ok(FileKind { format, gzip })
}

/// How a value reads in a CSV cell: text as itself, numbers and booleans as JSON writes
/// them, nested values as JSON text; missing and null as an empty cell.
fn text_cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn write_parquet(
    path: &Path,
    file: std::fs::File,
    users: &mut dyn Iterator<Item = Value>,
    edge: bool,
) -> Result<(), PopulationError> {
    let failed = |e: &dyn std::fmt::Display| PopulationError::Parquet {
        path: path.to_path_buf(),
        message: format!("cannot write: {e}"),
    };
    // In the edge variant, seats mixes numbers and text: a typed file stores it as text.
    let seats_type = if edge {
        DataType::Utf8
    } else {
        DataType::Int64
    };
    let mut fields = vec![
        Field::new("user_id", DataType::Utf8, true),
        Field::new("email", DataType::Utf8, true),
        Field::new("plan", DataType::Utf8, true),
        Field::new("country", DataType::Utf8, true),
        Field::new("seats", seats_type, true),
        Field::new("app_version", DataType::Utf8, true),
        Field::new("signed_up_at", DataType::Utf8, true),
        Field::new("beta", DataType::Boolean, true),
    ];
    if edge {
        fields.push(Field::new(
            "tags",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ));
    }
    let schema = Arc::new(Schema::new(fields));
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_max_row_group_row_count(Some(131_072))
        .build();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema.clone(), Some(props))
        .map_err(|e| failed(&e))?;
    loop {
        let batch: Vec<Value> = users.take(65_536).collect();
        if batch.is_empty() {
            break;
        }
        let text = |name: &str| -> ArrayRef {
            let mut b = StringBuilder::new();
            for u in &batch {
                match u.get(name) {
                    None | Some(Value::Null) => b.append_null(),
                    Some(Value::String(s)) => b.append_value(s),
                    Some(other) => b.append_value(other.to_string()),
                }
            }
            Arc::new(b.finish())
        };
        let mut arrays: Vec<ArrayRef> = ["user_id", "email", "plan", "country"]
            .iter()
            .map(|c| text(c))
            .collect();
        if edge {
            arrays.push(text("seats"));
        } else {
            let mut b = Int64Builder::new();
            for u in &batch {
                b.append_option(u.get("seats").and_then(Value::as_i64));
            }
            arrays.push(Arc::new(b.finish()));
        }
        arrays.push(text("app_version"));
        arrays.push(text("signed_up_at"));
        let mut beta = BooleanBuilder::new();
        for u in &batch {
            beta.append_option(u.get("beta").and_then(Value::as_bool));
        }
        arrays.push(Arc::new(beta.finish()));
        if edge {
            let mut tags = ListBuilder::new(StringBuilder::new());
            for u in &batch {
                match u.get("tags").and_then(Value::as_array) {
                    Some(items) => {
                        for item in items {
                            tags.values().append_option(item.as_str());
                        }
                        tags.append(true);
                    }
                    None => tags.append(false),
                }
            }
            arrays.push(Arc::new(tags.finish()));
        }
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| failed(&e))?;
        writer.write(&batch).map_err(|e| failed(&e))?;
    }
    writer.close().map_err(|e| failed(&e))?;
    Ok(())
}
