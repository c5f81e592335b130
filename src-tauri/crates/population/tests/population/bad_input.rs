//! Bad files get a clear error naming the file and the line (or row group), or are counted
//! under `invalid` when asked.

use std::io::Write;

use segments_population::{PopulationError, count, profile, synthetic};

use crate::{compiled, control, options, write};

fn counted(path: &std::path::Path, skip: bool) -> Result<(u64, u64), PopulationError> {
    let set = compiled();
    let ids: Vec<_> = set.ids().collect();
    count(path, &set, &ids, false, &options(2, skip), &control()).map(|c| (c.rows, c.invalid))
}

fn message(path: &std::path::Path) -> String {
    counted(path, false).unwrap_err().to_string()
}

#[test]
fn a_malformed_ndjson_row_stops_the_run_at_its_line_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 1..=100 {
        if i == 51 {
            text.push_str("{\"plan\": \"pro\",\n");
        } else if i == 70 {
            text.push_str("[1, 2]\n");
        } else {
            text.push_str(&format!("{{\"plan\": \"pro\", \"seats\": {i}}}\n"));
        }
    }
    let path = write(dir.path(), "users.ndjson", text.as_bytes());
    let error = message(&path);
    assert!(error.contains("users.ndjson: line 51: "), "{error}");
    assert_eq!(counted(&path, true).unwrap(), (98, 2));
    // The earliest bad line wins whatever the threads.
    let big: String = (1..=200_000)
        .map(|i| {
            if i == 150_000 || i == 190_000 {
                "nope\n".to_owned()
            } else {
                format!("{{\"seats\": {i}}}\n")
            }
        })
        .collect();
    let path = write(dir.path(), "big.ndjson", big.as_bytes());
    let error = message(&path);
    assert!(error.contains("line 150000: not valid JSON"), "{error}");
}

#[test]
fn csv_problems_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let ragged = write(
        dir.path(),
        "ragged.csv",
        b"plan,seats\npro,3\nfree\nteam,4\n",
    );
    let error = message(&ragged);
    assert!(
        error.contains("ragged.csv: line 3: this row has 1 cells but the header has 2 columns"),
        "{error}"
    );
    assert_eq!(counted(&ragged, true).unwrap(), (2, 1));

    let utf8 = write(dir.path(), "latin1.csv", b"plan,city\npro,M\xfcnchen\n");
    let error = message(&utf8);
    assert!(
        error.contains("line 2: cell 2 is not valid UTF-8"),
        "{error}"
    );

    let quoted = write(
        dir.path(),
        "quoted.csv",
        b"plan,note\npro,\"two\nlines\"\nfree,x\n",
    );
    assert_eq!(counted(&quoted, false).unwrap(), (2, 0));

    for (name, text, expected) in [
        (
            "dup.csv",
            &b"plan,plan\npro,pro\n"[..],
            "line 1: the column name \"plan\" appears twice",
        ),
        (
            "blank.csv",
            b"plan,,seats\npro,x,1\n",
            "line 1: column 2 has no name",
        ),
        (
            "header.csv",
            b"plan,seats\n",
            "has a header row but no users",
        ),
        ("empty.csv", b"", "the file is empty"),
        ("empty.ndjson", b"\n\n", "the file is empty"),
    ] {
        let path = write(dir.path(), name, text);
        let error = message(&path);
        assert!(error.contains(expected), "{name}: {error}");
        assert!(error.contains(name), "{name}: {error}");
    }
}

#[test]
fn a_10_mb_line_is_refused_with_its_line_or_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = b"{\"plan\": \"pro\"}\n{\"plan\": \"".to_vec();
    text.extend(std::iter::repeat_n(b'x', 10 << 20));
    text.extend(b"\"}\n{\"plan\": \"free\"}\n");
    let path = write(dir.path(), "long.ndjson", &text);
    let error = message(&path);
    assert!(
        error.contains("long.ndjson: line 2: this line is longer than"),
        "{error}"
    );
    assert_eq!(counted(&path, true).unwrap(), (2, 1));
}

#[test]
fn damaged_compressed_and_columnar_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("users.ndjson.gz");
    synthetic::write(&gz, 20_000, 1, false).unwrap();
    let bytes = std::fs::read(&gz).unwrap();
    let truncated = write(dir.path(), "cut.ndjson.gz", &bytes[..bytes.len() / 2]);
    let error = message(&truncated);
    assert!(
        error.contains("cut.ndjson.gz") && error.contains("truncated"),
        "{error}"
    );

    let pq = dir.path().join("users.parquet");
    synthetic::write(&pq, 1000, 1, false).unwrap();
    let mut bytes = std::fs::read(&pq).unwrap();
    let n = bytes.len();
    bytes[n - 12..n - 4].fill(0xff);
    let corrupt = write(dir.path(), "corrupt.parquet", &bytes);
    let error = message(&corrupt);
    assert!(
        error.contains("corrupt.parquet: not a readable Parquet file"),
        "{error}"
    );

    // A footer whose column chunk starts at a negative offset: the parquet crate panics on
    // it when it reads the chunk. Found by the population_count fuzz target; its input (after
    // the byte that picks the format) is the file.
    let fuzzed =
        include_bytes!("../../../../fuzz/corpus/population_count/regression-negative-chunk-offset");
    let negative = write(dir.path(), "negative.parquet", &fuzzed[1..]);
    let error = message(&negative);
    assert!(
        error.contains("negative.parquet: not a readable Parquet file")
            && error.contains("outside the file"),
        "{error}"
    );
    assert!(profile(&negative, &options(1, false), &control()).is_err());

    let misnamed = write(dir.path(), "text.parquet", b"plan\npro\n");
    assert!(message(&misnamed).contains("not a Parquet file"));
    let unknown = write(dir.path(), "users.xlsx", b"x");
    assert!(message(&unknown).contains("unknown file type"));
    assert!(message(&dir.path().join("gone.csv")).contains("gone.csv"));
}

#[test]
fn a_file_changed_during_a_run_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("users.csv");
    synthetic::write(&path, 300_000, 3, false).unwrap();
    let set = compiled();
    let ids: Vec<_> = set.ids().collect();
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(30));
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            writeln!(f, "u9,x@y,pro,US,3,1.0.0,2024-01-01,true").unwrap();
        })
    };
    let result = count(&path, &set, &ids, false, &options(1, false), &control());
    writer.join().unwrap();
    match result {
        Err(PopulationError::Changed { .. }) => {}
        // The machine was fast enough to finish first: then the append must be seen next time.
        Ok(c) => assert_eq!(c.rows, 300_000),
        Err(other) => panic!("{other}"),
    }
    let p = profile(&path, &options(2, false), &control()).unwrap();
    assert_eq!(p.rows, 300_001);
}
