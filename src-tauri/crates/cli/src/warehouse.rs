//! `segments sql`: the stored segments as SQL for a warehouse; `segments count`: their
//! counts on a PostgreSQL warehouse; `segments warehouse password`: its password, into the
//! keyring.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use clap::Subcommand;
use segments_sql::{Dialect, Schema};
use segments_studio::warehouse::{self as use_case, DEFAULT_TIMEOUT};
use segments_sync::credentials::Credentials;
use segments_warehouse::DeclaredSchema;

use crate::{CliError, Db, print, read_input, secrets};

#[derive(Debug, Subcommand)]
pub(super) enum WarehouseCommand {
    /// Store the password of a PostgreSQL warehouse in the OS keyring (or a user-only file
    /// where no keyring runs); read from --password-env or the first line of stdin
    Password {
        /// postgres://USER@HOST:PORT/DB, without the password
        url: String,
        /// Read the password from this environment variable instead of stdin
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
}

pub(crate) fn warehouse(command: WarehouseCommand, db: &Db) -> Result<(), CliError> {
    match command {
        WarehouseCommand::Password { url, password_env } => {
            // The URL is checked before a password is asked for.
            let canonical = segments_warehouse::WarehouseUrl::parse(&url)
                .map_err(use_case::WarehouseUseError::from)?
                .to_string();
            let password = secrets::read(&secrets::PASSWORD, &canonical, password_env.as_deref())?;
            let stored = use_case::store_warehouse_password(
                &Mutex::new(db.open()?),
                &Credentials::from_env(),
                &url,
                &password,
            )?;
            print(&stored)
        }
    }
}

/// What `segments count` was asked.
pub(crate) struct CountArgs<'a> {
    pub warehouse: &'a str,
    pub table: &'a str,
    pub schema: Option<&'a Path>,
    pub keys: &'a [String],
    pub timeout: Option<Duration>,
}

/// `--timeout SECONDS`: above 0, at most a day.
pub(crate) fn timeout_arg(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 86_400.0 => Ok(Duration::from_secs_f64(seconds)),
        _ => Err("give a number of seconds above 0 and at most 86400".to_owned()),
    }
}

/// Counts stored segments on the warehouse: all or nothing, printed in `eval-bulk`'s shape
/// with each query and its duration.
pub(crate) fn count(db: &Db, args: &CountArgs<'_>) -> Result<(), CliError> {
    let schema = match args.schema {
        Some(path) => Some(
            DeclaredSchema::from_json_text(&read_input(&path.to_string_lossy(), MAX_SCHEMA_BYTES)?)
                .map_err(use_case::WarehouseUseError::from)?,
        ),
        None => None,
    };
    let request = use_case::prepare_count_at(
        &Mutex::new(db.existing()?),
        &Credentials::from_env(),
        args.warehouse,
        args.table,
        schema,
        args.keys,
        args.timeout.unwrap_or(DEFAULT_TIMEOUT),
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Write)?;
    print(&runtime.block_on(use_case::count_in_warehouse(request))?)
}

/// A schema file is a small JSON object; a megabyte is far beyond any real table.
const MAX_SCHEMA_BYTES: usize = 1 << 20;

/// The dialect names, for clap's list of accepted values.
pub(crate) const DIALECTS: [&str; 6] = [
    "postgres",
    "duckdb",
    "spark",
    "trino",
    "bigquery",
    "snowflake",
];

pub(crate) fn sql(
    db: &Db,
    keys: &[String],
    dialect: &str,
    table: &str,
    schema: Option<&Path>,
) -> Result<(), CliError> {
    // clap accepts only the names in DIALECTS, which are exactly the dialects'.
    let dialect = Dialect::from_name(dialect).unwrap_or(Dialect::Postgres);
    let schema = match schema {
        Some(path) => {
            let text = read_input(&path.to_string_lossy(), MAX_SCHEMA_BYTES)?;
            Schema::from_json_text(&text)?
        }
        None => Schema::all_text(),
    };
    let segments: Vec<_> = db
        .existing()?
        .list_segments()?
        .into_iter()
        .map(|s| s.segment)
        .collect();
    print(&segments_sql::compile(
        &segments, keys, dialect, table, &schema,
    )?)
}
