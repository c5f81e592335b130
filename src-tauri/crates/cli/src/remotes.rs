//! `segments remote …` and `segments sync …`.

use std::sync::Mutex;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use crate::{CliError, Db, print, secrets};
use segments_sync::credentials::Credentials;
use segments_sync::{self as sync, Dialect, NewRemote, Sensitive, SyncOptions, SyncReport, Take};

#[derive(Debug, Subcommand)]
pub(super) enum RemoteCommand {
    /// Add a remote; its token comes from --token-env or the first line of stdin and is
    /// kept in the OS keyring (or a user-only file where no keyring runs)
    Add {
        /// A short name for the remote
        name: String,
        /// Which API it speaks
        #[arg(long, value_enum)]
        dialect: DialectArg,
        /// The API's base URL
        #[arg(long)]
        url: String,
        /// The project id (projects and krafter)
        #[arg(long, value_name = "ID")]
        project: Option<String>,
        /// Read the token from this environment variable instead of stdin
        #[arg(long, value_name = "VAR")]
        token_env: Option<String>,
    },
    /// List the remotes (never their tokens)
    List,
    /// Remove a remote, its sync records and its stored token (local segments stay)
    Remove {
        /// The remote's name
        name: String,
    },
    /// Replace a remote's token
    Token {
        /// The remote's name
        name: String,
        /// Read the token from this environment variable instead of stdin
        #[arg(long, value_name = "VAR")]
        token_env: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum DialectArg {
    Projects,
    Krafter,
    Edgeflags,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Dialect {
        match d {
            DialectArg::Projects => Dialect::Projects,
            DialectArg::Krafter => Dialect::Krafter,
            DialectArg::Edgeflags => Dialect::Edgeflags,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum TakeArg {
    Mine,
    Theirs,
}

#[derive(Debug, Args)]
pub(super) struct Connection {
    /// Use the token in this environment variable instead of the stored one
    #[arg(long, value_name = "VAR")]
    token_env: Option<String>,
    /// Attempts per request before giving up (retries back off exponentially)
    #[arg(long, value_name = "N", default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=20))]
    attempts: u32,
}

#[derive(Debug, Subcommand)]
pub(super) enum SyncCommand {
    /// Bring the remote's segments in (nothing local is deleted)
    Pull {
        /// The remote's name
        name: String,
        #[command(flatten)]
        connection: Connection,
    },
    /// Send local changes (the outbox) to the remote, in order
    Push {
        /// The remote's name
        name: String,
        /// Show the exact creates, updates and deletes with per-field diffs against the
        /// remote's current copies (read, never written); send nothing
        #[arg(long)]
        dry_run: bool,
        /// With --dry-run: do not read the remote; diff against the last synced versions
        #[arg(long, requires = "dry_run")]
        offline: bool,
        #[command(flatten)]
        connection: Connection,
    },
    /// Pending outbox entries, conflicts by key, and every segment's state
    Status {
        /// The remote's name
        name: String,
    },
    /// Resolve a conflict by keeping the local version or taking the remote's
    Resolve {
        /// The remote's name
        name: String,
        /// The segment's key
        key: String,
        /// Which version wins
        #[arg(long, value_enum)]
        take: TakeArg,
    },
}

pub(super) fn remote(command: RemoteCommand, db: &Db) -> Result<(), CliError> {
    let credentials = Credentials::from_env();
    match command {
        RemoteCommand::Add {
            name,
            dialect,
            url,
            project,
            token_env,
        } => {
            let token = secrets::read(&secrets::TOKEN, &name, token_env.as_deref())?;
            let remote = NewRemote {
                name,
                dialect: dialect.into(),
                base_url: url,
                project_id: project,
                token,
            };
            print(&sync::add_remote(
                &Mutex::new(db.open()?),
                &credentials,
                &remote,
            )?)
        }
        RemoteCommand::List => print(&sync::list_remotes(&db.existing()?, &credentials)?),
        RemoteCommand::Remove { name } => print(&sync::remove_remote(
            &Mutex::new(db.existing()?),
            &credentials,
            &name,
        )?),
        RemoteCommand::Token { name, token_env } => {
            let store = db.existing()?;
            // Check the remote first, so a typo does not ask for a token.
            store.remote(&name)?;
            let token = secrets::read(&secrets::TOKEN, &name, token_env.as_deref())?;
            print(&sync::replace_token(
                &Mutex::new(store),
                &credentials,
                &name,
                token.expose(),
            )?)
        }
    }
}

pub(super) fn sync(command: SyncCommand, db: &Db) -> Result<(), CliError> {
    let credentials = Credentials::from_env();
    match command {
        SyncCommand::Pull { name, connection } => {
            let store = Mutex::new(db.existing()?);
            let options = options(&connection)?;
            let report =
                runtime()?.block_on(sync::pull(&store, &credentials, &name, &options, &|_| {}))?;
            finish_report(&report)
        }
        SyncCommand::Push {
            name,
            dry_run: true,
            offline,
            connection,
        } => {
            let preview = if offline {
                sync::preview(&db.existing()?, &name)?
            } else {
                let store = Mutex::new(db.existing()?);
                let options = options(&connection)?;
                runtime()?.block_on(sync::preview_remote(&store, &credentials, &name, &options))?
            };
            print(&preview)?;
            let mut problems = Vec::new();
            if !preview.conflicts.is_empty() {
                problems.push(format!("conflicts: {}", preview.conflicts.join(", ")));
            }
            for refused in &preview.refused {
                problems.push(format!("refused: {}", refused.message));
            }
            fail_with(problems)
        }
        SyncCommand::Push {
            name, connection, ..
        } => {
            let store = Mutex::new(db.existing()?);
            let options = options(&connection)?;
            let report =
                runtime()?.block_on(sync::push(&store, &credentials, &name, &options, &|_| {}))?;
            finish_report(&report)
        }
        SyncCommand::Status { name } => {
            let status = sync::status(&db.existing()?, &name)?;
            print(&status)?;
            let mut problems = Vec::new();
            if !status.conflicts.is_empty() {
                let keys: Vec<&str> = status.conflicts.iter().map(|c| c.key.as_str()).collect();
                problems.push(format!("conflicts: {}", keys.join(", ")));
            }
            for pending in &status.pending {
                if let Some(error) = &pending.last_error {
                    problems.push(format!("failed: {}: {error}", pending.key));
                }
            }
            fail_with(problems)
        }
        SyncCommand::Resolve { name, key, take } => {
            let take = match take {
                TakeArg::Mine => Take::Mine,
                TakeArg::Theirs => Take::Theirs,
            };
            sync::resolve(&mut db.existing()?, &name, &key, take, None)?;
            print(
                &json!({ "resolved": key, "remote": name, "took": match take {
                    Take::Mine => "mine",
                    Take::Theirs => "theirs",
                }}),
            )
        }
    }
}

fn options(connection: &Connection) -> Result<SyncOptions, CliError> {
    let token = connection
        .token_env
        .as_deref()
        .map(|var| secrets::from_env(&secrets::TOKEN, var))
        .transpose()?
        .map(Sensitive::new);
    Ok(SyncOptions {
        policy: sync::RetryPolicy {
            max_attempts: connection.attempts,
            ..sync::RetryPolicy::default()
        },
        token,
        ..SyncOptions::default()
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Write)
}

/// Prints the report; what failed, was refused or conflicts goes to stderr too, and makes
/// the exit code non-zero.
fn finish_report(report: &SyncReport) -> Result<(), CliError> {
    print(report)?;
    let mut problems = Vec::new();
    if !report.conflicts.is_empty() {
        problems.push(format!("conflicts: {}", report.conflicts.join(", ")));
    }
    for refused in &report.refused {
        problems.push(format!("refused: {}", refused.message));
    }
    for failed in &report.failed {
        problems.push(format!("failed: {}: {}", failed.key, failed.message));
    }
    fail_with(problems)
}

fn fail_with(problems: Vec<String>) -> Result<(), CliError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::Sync(problems))
    }
}
