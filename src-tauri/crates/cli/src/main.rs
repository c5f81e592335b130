//! The `segments` command line: JSON on stdout, errors on stderr, exit 0 only on success.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use segments_engine::{
    ValidationError, limits::MAX_DOCUMENT_BYTES, operator_catalog, parse_context_text,
    parse_json_text, parse_patch, parse_segment,
};
use serde::Serialize;
use serde_json::{Value, json};

mod populations;
mod remotes;
mod secrets;
mod warehouse;

use populations::{PopulationCommand, ReadArgs};
use remotes::{RemoteCommand, SyncCommand};
use warehouse::WarehouseCommand;

use segments_engine as engine;
use segments_store::paths::{DB_ENV, default_db_path};
use segments_store::{Store, StoreError};
use segments_studio::documents::MAX_IMPORT_BYTES;
use segments_studio::evaluation::evaluate_stored;
use segments_studio::populations::PopulationsError;
use segments_studio::{self as studio, demo};

/// Build, test and store feature-flag segments from scripts and CI.
#[derive(Debug, Parser)]
#[command(name = "segments", version, about)]
pub struct Cli {
    /// The database file [default: the app's data file in the platform data dir]
    #[arg(long, global = true, env = DB_ENV, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Log what happens to stderr: -v requests and writes, -vv details, -vvv everything
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create, read, change and delete segments
    #[command(subcommand)]
    Segment(SegmentCommand),
    /// Evaluate a context against segments
    Eval {
        /// The context: a JSON file, or - for stdin
        #[arg(long, value_name = "F|-")]
        context: String,
        /// A segment to evaluate (repeatable); all segments when none is named
        #[arg(long = "segment", value_name = "KEY")]
        segments: Vec<String>,
        /// Add the per-condition trace (actual value, outcome, reason)
        #[arg(long)]
        explain: bool,
    },
    /// Print all segments as canonical JSON
    Export,
    /// Create or update segments from a JSON file, all or nothing
    Import {
        /// An array of segments, {"segments": [...]}, or one segment; - for stdin
        #[arg(long, value_name = "F|-")]
        file: String,
        /// Write nothing: print each item and what the import would do with it (create,
        /// update, unchanged, refuse), with the problems of the refused ones
        #[arg(long)]
        dry_run: bool,
    },
    /// Saved test contexts
    #[command(subcommand)]
    Persona(PersonaCommand),
    /// List the operators with their aliases and value kinds
    Operators,
    /// Demo data
    #[command(subcommand)]
    Demo(DemoCommand),
    /// The hosted segments APIs to sync with
    #[command(subcommand)]
    Remote(RemoteCommand),
    /// Pull from and push to a remote, see what waits, resolve conflicts
    #[command(subcommand)]
    Sync(SyncCommand),
    /// Print each segment as SQL for a warehouse: a predicate and a count query, or why the
    /// dialect cannot express it exactly
    Sql {
        /// A segment to compile (repeatable); all segments when none is named
        #[arg(long = "segment", value_name = "KEY")]
        segments: Vec<String>,
        /// The warehouse's SQL dialect
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(warehouse::DIALECTS))]
        dialect: String,
        /// The table of users: NAME or SCHEMA.NAME
        #[arg(long, value_name = "NAME")]
        table: String,
        /// Attribute → column type, e.g. {"seats": "integer", "beta": "boolean"}; every
        /// attribute is a text column when omitted
        #[arg(long, value_name = "F")]
        schema: Option<PathBuf>,
    },
    /// Count the users of each segment in a table of a PostgreSQL warehouse, with the
    /// engine's semantics: all or nothing, each query as it ran and its duration
    Count {
        /// postgres://USER@HOST:PORT/DB (the password comes from the keyring: store it with
        /// `segments warehouse password URL`)
        #[arg(long, value_name = "URL")]
        warehouse: String,
        /// The table of users: NAME or SCHEMA.NAME
        #[arg(long, value_name = "NAME")]
        table: String,
        /// Attribute → column type, checked against the table's own columns; the table's
        /// columns and types are used when omitted
        #[arg(long, value_name = "F")]
        schema: Option<PathBuf>,
        /// A segment to count (repeatable); all segments when none is named
        #[arg(long = "segment", value_name = "KEY")]
        segments: Vec<String>,
        /// Stop the login and each count after this many seconds [default: 120]
        #[arg(long, value_name = "SECONDS", value_parser = warehouse::timeout_arg)]
        timeout: Option<std::time::Duration>,
    },
    /// The PostgreSQL warehouses `segments count` runs on
    #[command(subcommand)]
    Warehouse(WarehouseCommand),
    /// Count the users of each segment in a file of users (CSV, NDJSON, Parquet, .gz)
    EvalBulk {
        /// The file of users
        #[arg(long, value_name = "F")]
        input: PathBuf,
        /// A segment to count (repeatable); all segments when none is named
        #[arg(long = "segment", value_name = "KEY")]
        segments: Vec<String>,
        /// Also count the users in both of every pair of the segments
        #[arg(long)]
        overlap: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// What a draft would change: users gained and lost against the saved segment
    Impact {
        /// The file of users
        #[arg(long, value_name = "F")]
        input: PathBuf,
        /// The saved segment
        #[arg(long = "segment", value_name = "KEY")]
        segment: String,
        /// The draft: a whole segment, or a patch of some of its fields; - for stdin
        #[arg(long, value_name = "F|-")]
        draft: String,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Files of users kept for audience counts
    #[command(subcommand)]
    Population(PopulationCommand),
}

#[derive(Debug, Subcommand)]
enum SegmentCommand {
    /// Create a segment from any accepted format; prints the stored canonical segment
    Create {
        /// The segment document; - or absent for stdin
        #[arg(long, value_name = "F|-")]
        file: Option<String>,
    },
    /// Change only the given fields of a segment
    Update {
        /// The segment's key
        key: String,
        /// The fields to change; - or absent for stdin
        #[arg(long, value_name = "F|-")]
        file: Option<String>,
    },
    /// Print one segment
    Get {
        /// The segment's key
        key: String,
    },
    /// Print all segments (JSON; a table on a terminal unless --json)
    List {
        /// JSON even on a terminal
        #[arg(long)]
        json: bool,
    },
    /// Delete a segment (its history is kept)
    Delete {
        /// The segment's key
        key: String,
    },
    /// Print a segment's revisions, newest first
    History {
        /// The segment's key
        key: String,
    },
    /// Restore the state a revision left the segment in
    Restore {
        /// The segment's key
        key: String,
        /// The revision id (from `history`)
        revision: i64,
    },
}

#[derive(Debug, Subcommand)]
enum PersonaCommand {
    /// Print all personas
    List,
    /// Save a context under a name (replacing one with that name)
    Save {
        /// The persona's name
        name: String,
        /// The context: a JSON file, or - for stdin
        #[arg(long, value_name = "F|-")]
        context: String,
    },
    /// Delete a persona
    Delete {
        /// The persona's id
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Seed the demo segments and personas into an empty database
    Seed,
}

/// Why a command failed; printed on stderr.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An input document was refused.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A command that only reads was pointed at a file that does not exist.
    #[error(
        "there is no database at {0}; check --db or SEGMENTS_DB (commands that write, such as `segment create` or `demo seed`, create it)"
    )]
    NoDatabase(String),
    /// Sync failed as a whole.
    #[error(transparent)]
    SyncFailed(#[from] segments_sync::SyncError),
    /// Sync ran, but segments failed, were refused or conflict (listed one per line).
    #[error("{}", .0.join("\n"))]
    Sync(Vec<String>),
    /// No usable token was given.
    #[error("{0}")]
    Token(String),
    /// A file of users could not be counted.
    #[error(transparent)]
    Populations(#[from] segments_studio::populations::PopulationsError),
    /// Segments could not be compiled to SQL at all.
    #[error(transparent)]
    Sql(#[from] segments_sql::SqlError),
    /// A warehouse count failed as a whole, or its settings could not be stored.
    #[error(transparent)]
    Warehouse(#[from] segments_studio::warehouse::WarehouseUseError),
    /// Output could not be written.
    #[error("cannot write the output: {0}")]
    Write(std::io::Error),
}

impl CliError {
    fn issues(&self) -> Option<&ValidationError> {
        match self {
            CliError::Invalid(e)
            | CliError::Store(StoreError::Invalid(e))
            | CliError::Populations(PopulationsError::Invalid(e))
            | CliError::Populations(PopulationsError::Store(StoreError::Invalid(e))) => Some(e),
            _ => None,
        }
    }
}

/// Parses the arguments, runs the command and returns the process exit code.
fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    log_to_stderr(cli.verbose);
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader went away (`segments export | head`): nothing left to say.
        Err(CliError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            let mut text = String::new();
            match (&e, e.issues()) {
                (CliError::Sync(problems), _) => {
                    for problem in problems {
                        text.push_str(&format!("error: {problem}\n"));
                    }
                }
                (_, Some(invalid)) if invalid.issues.len() > 1 => {
                    text.push_str(&format!("error: {} problems:\n", invalid.issues.len()));
                    for issue in &invalid.issues {
                        text.push_str(&format!("  {issue}\n"));
                    }
                }
                _ => text.push_str(&format!("error: {e}\n")),
            }
            if let Err(write) = std::io::stderr().lock().write_all(text.as_bytes()) {
                // Nowhere left to say it: the exit code still tells.
                tracing::debug!(error = %write, "stderr is closed");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// Logs to stderr at the level `-v` asks for; without it, nothing is logged (errors are
/// printed as the command's answer).
fn log_to_stderr(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    let started = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
    if let Err(e) = started {
        eprintln!("warning: cannot log: {e}");
    }
}

/// Runs one parsed command.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let db = Db(cli.db.unwrap_or_else(default_db_path));
    match cli.command {
        Command::Segment(command) => segment(command, &db),
        Command::Eval {
            context,
            segments,
            explain,
        } => {
            let context =
                parse_context_text(&read_input(&context, engine::limits::MAX_CONTEXT_BYTES)?)?;
            let results = evaluate_stored(&db.existing()?, &segments, &context, explain)?;
            print(&json!({ "segments": results }))
        }
        Command::Export => print(&studio::export(&db.existing()?)?),
        Command::Import {
            file,
            dry_run: true,
        } => {
            let text = read_input(&file, MAX_IMPORT_BYTES)?;
            let store = std::sync::Mutex::new(db.open()?);
            print(&studio::import_preview::preview_import_text(&store, &text)?)
        }
        Command::Import { file, .. } => {
            let text = read_input(&file, MAX_IMPORT_BYTES)?;
            print(&db.open()?.import_segments(&studio::parse_import(&text)?)?)
        }
        Command::Persona(command) => persona(command, &db),
        Command::Operators => print(&operator_catalog()),
        Command::Remote(command) => remotes::remote(command, &db),
        Command::Sync(command) => remotes::sync(command, &db),
        Command::Sql {
            segments,
            dialect,
            table,
            schema,
        } => warehouse::sql(&db, &segments, &dialect, &table, schema.as_deref()),
        Command::Count {
            warehouse,
            table,
            schema,
            segments,
            timeout,
        } => warehouse::count(
            &db,
            &warehouse::CountArgs {
                warehouse: &warehouse,
                table: &table,
                schema: schema.as_deref(),
                keys: &segments,
                timeout,
            },
        ),
        Command::Warehouse(command) => warehouse::warehouse(command, &db),
        Command::EvalBulk {
            input,
            segments,
            overlap,
            read,
        } => populations::eval_bulk(&db, &input, &segments, overlap, &read),
        Command::Impact {
            input,
            segment,
            draft,
            read,
        } => populations::impact(&db, &input, &segment, &draft, &read),
        Command::Population(command) => populations::population(command, &db),
        Command::Demo(DemoCommand::Seed) => {
            let seeded = demo::seed_if_empty(&mut db.open()?)?;
            print(&json!({ "seeded": seeded, "db": db.0.display().to_string() }))
        }
    }
}

/// The database file: input is read and checked before it is opened, and commands that
/// only read refuse a missing file instead of creating an empty one (a mistyped `--db`).
struct Db(PathBuf);

impl Db {
    /// Opens the database, creating it if needed.
    fn open(&self) -> Result<Store, CliError> {
        Ok(Store::open(&self.0)?)
    }

    /// Opens a database that must exist already.
    fn existing(&self) -> Result<Store, CliError> {
        if self.0.exists() {
            self.open()
        } else {
            Err(CliError::NoDatabase(self.0.display().to_string()))
        }
    }
}

fn segment(command: SegmentCommand, db: &Db) -> Result<(), CliError> {
    match command {
        SegmentCommand::Create { file } => {
            let value = read_document(file.as_deref())?;
            let segment = parse_segment(&value)?;
            print(&db.open()?.create_segment(&segment)?.segment)
        }
        SegmentCommand::Update { key, file } => {
            let value = read_document(file.as_deref())?;
            let patch = parse_patch(&value, &key)?;
            print(&db.existing()?.update_segment(&key, &patch)?.segment)
        }
        SegmentCommand::Get { key } => print(&db.existing()?.get_segment(&key)?.segment),
        SegmentCommand::List { json } => {
            let segments = db.existing()?.list_segments()?;
            if json || !std::io::stdout().is_terminal() {
                let documents: Vec<_> = segments.into_iter().map(|s| s.segment).collect();
                print(&documents)
            } else {
                let mut out = std::io::stdout().lock();
                for s in &segments {
                    writeln!(
                        out,
                        "{:<40} {:<5} {:>3} conditions  {}",
                        s.segment.key,
                        s.segment.match_type.as_str(),
                        s.segment.condition_count(),
                        s.segment.name
                    )
                    .map_err(CliError::Write)?;
                }
                Ok(())
            }
        }
        SegmentCommand::Delete { key } => {
            let revision = db.existing()?.delete_segment(&key)?;
            print(&json!({ "deleted": key, "revision": revision.id }))
        }
        SegmentCommand::History { key } => print(&db.existing()?.history(&key)?),
        SegmentCommand::Restore { key, revision } => {
            print(&db.existing()?.restore_revision(&key, revision)?.segment)
        }
    }
}

fn persona(command: PersonaCommand, db: &Db) -> Result<(), CliError> {
    match command {
        PersonaCommand::List => print(&db.existing()?.list_personas()?),
        PersonaCommand::Save { name, context } => {
            let context =
                parse_context_text(&read_input(&context, engine::limits::MAX_CONTEXT_BYTES)?)?;
            print(&db.open()?.save_persona(&name, &context)?)
        }
        PersonaCommand::Delete { id } => {
            db.existing()?.delete_persona(id)?;
            print(&json!({ "deleted": id }))
        }
    }
}

fn read_document(file: Option<&str>) -> Result<Value, CliError> {
    let text = read_input(file.unwrap_or("-"), MAX_DOCUMENT_BYTES)?;
    Ok(parse_json_text(
        &text,
        MAX_DOCUMENT_BYTES,
        "segment document",
    )?)
}

/// Reads a file (or stdin for "-"), at most one byte past `limit` so an oversize input is
/// refused by the parser's size check without reading all of it.
fn read_input(file: &str, limit: usize) -> Result<String, CliError> {
    let read_error = |source| CliError::Read {
        path: if file == "-" {
            "stdin".to_owned()
        } else {
            file.to_owned()
        },
        source,
    };
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    if file == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(Path::new(file)).and_then(|f| f.take(cap).read_to_end(&mut bytes))
    }
    .map_err(read_error)?;
    String::from_utf8(bytes).map_err(|e| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        ))
    })
}

fn print(value: &impl Serialize) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| CliError::Write(e.into()))?;
    writeln!(out).map_err(CliError::Write)
}
