//! `eval-bulk`, `impact` and `population`: audiences over files of real users.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use clap::Subcommand;
use segments_engine::{parse_patch, parse_segment};
use segments_population::{Control, ReadOptions, ReadProgress};
use segments_studio::populations::{self as audiences, PopulationsError};
use serde_json::json;

use crate::{CliError, Db, print, read_document};

#[derive(Debug, Subcommand)]
pub(crate) enum PopulationCommand {
    /// Read a file of users (CSV, NDJSON, Parquet, .gz) and keep it as a population
    Add {
        /// The file
        file: PathBuf,
        /// A name to show [default: the file name]
        #[arg(long)]
        name: Option<String>,
    },
    /// Print every population with its attributes
    List,
    /// Forget a population (the file is left alone)
    Remove {
        /// The population's id (from `population list`)
        id: String,
    },
    /// Write a seeded synthetic population, to reproduce the benchmarks
    Generate {
        /// The file to write; its name says the format (.csv, .ndjson, .parquet, .gz)
        file: PathBuf,
        /// Users to write
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// The random seed
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Mixed types, nulls, arrays, numeric strings and odd versions
        #[arg(long)]
        edge: bool,
    },
}

/// Options of a pass over a file.
#[derive(Debug, clap::Args)]
pub(crate) struct ReadArgs {
    /// Worker threads [default: the machine's cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Count malformed rows under "invalid" instead of stopping at the first
    #[arg(long)]
    skip_invalid: bool,
}

impl ReadArgs {
    fn options(&self) -> ReadOptions {
        let mut options = ReadOptions {
            skip_invalid: self.skip_invalid,
            ..ReadOptions::default()
        };
        if let Some(threads) = self.threads {
            options.threads = usize::from(threads);
        }
        options
    }
}

fn quiet(_: ReadProgress) {}

/// Never cancelled: Ctrl-C ends the process, and nothing is written half.
static RUNNING: AtomicBool = AtomicBool::new(false);

fn control() -> Control<'static> {
    Control {
        cancel: &RUNNING,
        progress: &quiet,
    }
}

pub(crate) fn eval_bulk(
    db: &Db,
    input: &Path,
    segments: &[String],
    overlap: bool,
    read: &ReadArgs,
) -> Result<(), CliError> {
    let store = db.existing()?;
    let report = audiences::bulk_count(
        &store,
        input,
        segments,
        overlap,
        &read.options(),
        &control(),
    )?;
    print(&report)
}

pub(crate) fn impact(
    db: &Db,
    input: &Path,
    key: &str,
    draft: &str,
    read: &ReadArgs,
) -> Result<(), CliError> {
    let store = db.existing()?;
    let document = read_document(Some(draft))?;
    // A whole segment replaces the saved one; anything else is a patch of its fields.
    let draft = match parse_segment(&document) {
        Ok(segment) => segment,
        Err(as_segment) => match parse_patch(&document, key) {
            Ok(patch) => patch.apply(&store.get_segment(key)?.segment),
            Err(_) if document.get("rules").is_some() || document.get("key").is_some() => {
                return Err(as_segment.into());
            }
            Err(as_patch) => return Err(as_patch.into()),
        },
    };
    let report = audiences::impact(&store, input, key, &draft, &read.options(), &control())?;
    print(&report)
}

pub(crate) fn population(command: PopulationCommand, db: &Db) -> Result<(), CliError> {
    match command {
        PopulationCommand::Add { file, name } => {
            let store = std::sync::Mutex::new(db.open()?);
            print(&audiences::add(&store, &file, name.as_deref(), &control())?)
        }
        PopulationCommand::List => {
            let store = std::sync::Mutex::new(db.existing()?);
            print(&audiences::list(&store)?)
        }
        PopulationCommand::Remove { id } => {
            let store = std::sync::Mutex::new(db.existing()?);
            let removed = audiences::remove(&store, &id)?;
            print(&json!({ "removed": removed.id, "name": removed.name }))
        }
        PopulationCommand::Generate {
            file,
            rows,
            seed,
            edge,
        } => {
            let written = segments_population::synthetic::write(&file, rows, seed, edge)
                .map_err(PopulationsError::from)?;
            print(&json!({ "file": file.display().to_string(), "rows": written }))
        }
    }
}
