//! The bridge: the app's commands over JSON lines on stdin/stdout, without a window. The
//! UI's Vitest suite and the Vite dev server (a plain browser) talk to it, so they run on
//! the real core through the same dispatch as the app (`ipc::dispatch`).
//!
//! Protocol, one JSON object per line:
//! - in: `{"id": 7, "command": "get_segment", "args": {"key": "beta"}}`
//! - out: any number of `{"id": 7, "progress": {...}}`, then `{"id": 7, "ok": <result>}` or
//!   `{"id": 7, "error": {"code", "message", "details"}}`.
//!
//! Calls run concurrently, as they do in the app; each answer line is written whole.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use segments_store::Store;
use segments_store::paths::export_dir;
use segments_studio::open_app_store;
use segments_sync::credentials::Credentials;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::commands::JsonProgress;
use crate::error::IpcError;
use crate::ipc::dispatch;
use crate::state::AppState;

/// How the bridge was asked to start.
#[derive(Debug)]
pub struct BridgeOptions {
    /// The database file (created, with the demo data, when it does not exist).
    pub db: PathBuf,
    /// Start on an empty database instead of the demo data.
    pub empty: bool,
    /// Where `save_export` writes.
    pub export_dir: PathBuf,
    /// Keep remote tokens only in files here (tests never touch a real keyring).
    pub credentials_dir: Option<PathBuf>,
}

const USAGE: &str =
    "usage: segments-bridge --db PATH [--empty] [--export-dir DIR] [--credentials-dir DIR]";

impl BridgeOptions {
    /// Parses the command line (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut args = args.into_iter();
        let (mut db, mut empty, mut export, mut credentials) = (None, false, None, None);
        while let Some(flag) = args.next() {
            let mut value = |flag: &str| {
                args.next()
                    .map(PathBuf::from)
                    .ok_or_else(|| format!("{flag} needs a path; {USAGE}"))
            };
            match flag.as_str() {
                "--db" => db = Some(value("--db")?),
                "--export-dir" => export = Some(value("--export-dir")?),
                "--credentials-dir" => credentials = Some(value("--credentials-dir")?),
                "--empty" => empty = true,
                other => return Err(format!("unknown argument \"{other}\"; {USAGE}")),
            }
        }
        Ok(Self {
            db: db.ok_or_else(|| format!("--db is required; {USAGE}"))?,
            empty,
            export_dir: export.unwrap_or_else(export_dir),
            credentials_dir: credentials,
        })
    }
}

#[derive(Deserialize)]
struct Call {
    id: Value,
    command: String,
    #[serde(default)]
    args: Map<String, Value>,
}

/// Opens the database and serves calls until stdin closes.
pub fn serve(options: BridgeOptions) -> Result<(), String> {
    let store = if options.empty {
        Store::open(&options.db)
    } else {
        open_app_store(&options.db)
    }
    .map_err(|e| e.to_string())?;
    let credentials = options
        .credentials_dir
        .as_deref()
        .map_or_else(Credentials::from_env, Credentials::files_in);
    let state = Arc::new(AppState::new(
        store,
        options.db,
        options.export_dir,
        credentials,
    ));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let mut tasks = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| format!("cannot read stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let (state, out) = (Arc::clone(&state), Arc::clone(&out));
        tasks.push(runtime.spawn(async move { answer(&state, &out, &line).await }));
        tasks.retain(|t| !t.is_finished());
    }
    // Stdin closed: finish what was asked before exiting.
    runtime.block_on(async {
        for task in tasks {
            if let Err(e) = task.await {
                tracing::error!(error = %e, "a bridge call stopped");
            }
        }
    });
    Ok(())
}

async fn answer(state: &AppState, out: &Arc<Mutex<std::io::Stdout>>, line: &str) {
    let call: Call = match serde_json::from_str(line) {
        Ok(call) => call,
        Err(e) => {
            let error = IpcError::internal(format!(
                "a bridge call is one JSON object {{\"id\", \"command\", \"args\"}} per line: {e}"
            ));
            write(out, &json!({"id": Value::Null, "error": error}));
            return;
        }
    };
    let id = call.id.clone();
    let progress = {
        let (out, id) = (Arc::clone(out), id.clone());
        JsonProgress::new(move |p| write(&out, &json!({"id": id, "progress": p})))
    };
    let answer = match dispatch(state, &call.command, call.args, &progress).await {
        Ok(value) => json!({"id": id, "ok": value}),
        Err(error) => json!({"id": id, "error": error}),
    };
    write(out, &answer);
}

fn write(out: &Mutex<std::io::Stdout>, message: &Value) {
    let mut out = out
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // The reader is gone when stdout fails; there is nobody left to tell.
    if let Err(e) = writeln!(out, "{message}").and_then(|()| out.flush()) {
        tracing::error!(error = %e, "cannot write an answer");
    }
}
