//! The command list, declared once. From it come the Tauri handlers, the bridge's dispatch
//! (the same command functions over JSON, for the UI's tests and the plain-browser dev mode),
//! and (in tests) the TypeScript command map and `Backend` interface in
//! `ui/src/lib/backend/bindings.ts`. Because every path calls the functions in `commands/`,
//! the UI's tests exercise exactly what the app runs.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tauri::ipc::Channel;

use crate::commands::{JsonProgress, Progress};
use crate::error::IpcError;
use crate::state::AppState;

macro_rules! ipc_commands {
    ($($module:ident :: $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty;)*) => {
        /// Tauri's handlers: each converts its arguments as the webview sent them and calls
        /// the command of the same name.
        mod handlers {
            #[allow(clippy::wildcard_imports)]
            use super::*;
            $(
                #[tauri::command]
                pub async fn $name(
                    state: tauri::State<'_, AppState>,
                    $($arg: <$ty as IpcArg>::Wire),*
                ) -> Result<$ret, IpcError> {
                    traced(
                        stringify!($name),
                        crate::commands::$module::$name(&state $(, <$ty as IpcArg>::from_wire($arg))*),
                    )
                    .await
                }
            )*
        }

        /// The invoke handler with every command registered.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(handlers::$name),*]
        }

        /// The declared command names, in order.
        pub const DECLARED: &[&str] = &[$(stringify!($name)),*];

        /// Runs `command` with `args` (named as the webview names them, camelCase) and
        /// returns its result as JSON: what Tauri's IPC does, without a webview.
        pub async fn dispatch(
            state: &AppState,
            command: &str,
            mut args: Map<String, Value>,
            progress: &JsonProgress,
        ) -> Result<Value, IpcError> {
            match command {
                $(stringify!($name) => {
                    $(let $arg = <$ty as IpcArg>::from_bridge(
                        command,
                        &camel_case(stringify!($arg)),
                        &mut args,
                        progress,
                    )?;)*
                    let result = traced(
                        stringify!($name),
                        crate::commands::$module::$name(state $(, $arg)*),
                    )
                    .await?;
                    serde_json::to_value(result)
                        .map_err(|e| IpcError::internal(format!("cannot encode the result of {command}: {e}")))
                })*
                other => Err(IpcError::internal(format!(
                    "there is no command \"{other}\"; the commands are {}", DECLARED.join(", ")
                ))),
            }
        }

        /// TypeScript: `Commands` maps each command to its arguments (camelCase, as Tauri
        /// expects them) and its result; `COMMAND_ARGS` lists the argument names in order;
        /// `Backend` is the UI's interface, one method per command.
        #[cfg(test)]
        pub fn typescript_commands(cfg: &ts_rs::Config) -> String {
            let mut commands = String::from("export type Commands = {\n");
            let mut names = String::from("export const COMMAND_ARGS = {\n");
            let mut backend = String::from(
                "/**\n * Everything the UI needs from the backend, one method per command, arguments in\n * declaration order. Every method rejects with an `IpcError`.\n */\nexport interface Backend {\n",
            );
            $(
                let args: Vec<String> = vec![$(format!(
                    "{}: {}", camel_case(stringify!($arg)), <$ty as IpcArg>::ts_wire(cfg)
                )),*];
                let params: Vec<String> = vec![$(format!(
                    "{}: {}", camel_case(stringify!($arg)), <$ty as IpcArg>::ts_param(cfg)
                )),*];
                let arg_names: Vec<String> = vec![$(format!("\"{}\"", camel_case(stringify!($arg)))),*];
                let result = <$ret as ts_rs::TS>::name(cfg);
                commands.push_str(&format!(
                    "  {}: {{ args: {{ {} }}; result: {} }};\n",
                    stringify!($name), args.join("; "), result
                ));
                names.push_str(&format!("  {}: [{}],\n", stringify!($name), arg_names.join(", ")));
                backend.push_str(&format!(
                    "  {}({}): Promise<{}>;\n",
                    camel_case(stringify!($name)), params.join(", "), result
                ));
            )*
            commands.push_str("};\n\n");
            names.push_str("} as const;\n\n");
            backend.push_str("}\n");
            commands + &names + &backend
        }
    };
}

use segments_engine::{Explanation, OperatorInfo, Segment, ValidationIssue};
use segments_population::ReadProgress;
use segments_store::{ImportReport, Persona, Revision, StoredPopulation};
use segments_studio::SegmentSummary;
use segments_studio::evaluation::SegmentMatch;
use segments_studio::import_preview::ImportPreview;
use segments_studio::populations::{Audience, DraftImpact};
use segments_studio::warehouse::{WarehouseCounts, WarehouseSettings, WarehouseSettingsInput};
use segments_studio::warehouse_sql::{WarehouseDialect, WarehouseSql};
use segments_sync::{
    ConflictView, NewRemote, PushPreview, RemoteInfo, RemoteReadiness, SyncProgress, SyncReport,
    SyncStatus, Take,
};

ipc_commands! {
    segments::list_segments() -> Vec<SegmentSummary>;
    segments::get_segment(key: String) -> Segment;
    segments::create_segment(draft: Value) -> Segment;
    segments::update_segment(key: String, draft: Value) -> Segment;
    segments::delete_segment(key: String) -> Revision;
    segments::segment_referrers(key: String) -> Vec<String>;
    segments::duplicate_segment(key: String, new_key: String) -> Segment;
    segments::validate_segment(draft: Value) -> Vec<ValidationIssue>;
    segments::parse_draft(text: String) -> Segment;
    segments::key_from_name(name: String) -> String;
    evaluate::explain_draft(draft: Value, context: Value) -> Explanation;
    evaluate::evaluate_all(context: Value) -> Vec<SegmentMatch>;
    evaluate::parse_context(text: String) -> Value;
    history::list_revisions(key: String) -> Vec<Revision>;
    history::restore_revision(key: String, revision_id: i64) -> Segment;
    history::deleted_segments() -> Vec<Revision>;
    personas::list_personas() -> Vec<Persona>;
    personas::save_persona(name: String, context: Value) -> Persona;
    personas::update_persona(id: i64, name: String, context: Value) -> Persona;
    personas::delete_persona(id: i64) -> ();
    evaluate::list_operators() -> Vec<OperatorInfo>;
    transfer::preview_import(text: String) -> ImportPreview;
    transfer::import_segments(text: String) -> ImportReport;
    transfer::export_segments() -> String;
    transfer::save_export() -> String;
    remotes::list_remotes() -> Vec<RemoteInfo>;
    remotes::add_remote(remote: NewRemote) -> RemoteInfo;
    remotes::remove_remote(name: String) -> RemoteInfo;
    remotes::test_remote(name: String) -> u32;
    remotes::replace_token(name: String, token: String) -> RemoteInfo;
    sync::sync_status(remote: String) -> SyncStatus;
    sync::sync_readiness(draft: Value) -> Vec<RemoteReadiness>;
    sync::preview_push(remote: String) -> PushPreview;
    sync::pull_remote(remote: String, progress: Progress) -> SyncReport;
    sync::push_remote(remote: String, progress: Progress) -> SyncReport;
    sync::get_conflict(remote: String, key: String) -> ConflictView;
    sync::resolve_conflict(remote: String, key: String, take: Take, edited: Option<Value>) -> ();
    populations::list_populations() -> Vec<StoredPopulation>;
    populations::add_population(path: String, name: Option<String>, run: String, progress: Progress<ReadProgress>) -> StoredPopulation;
    populations::remove_population(id: String) -> StoredPopulation;
    populations::population_audience(id: String, keys: Vec<String>, overlap: bool, run: String) -> Audience;
    populations::draft_impact(id: String, key: Option<String>, draft: Value, exact: bool, run: String) -> DraftImpact;
    populations::cancel_run(run: String) -> bool;
    warehouse::warehouse_sql(draft: Value, dialect: WarehouseDialect, table: String) -> WarehouseSql;
    warehouse::warehouse_settings() -> Option<WarehouseSettings>;
    warehouse::save_warehouse_settings(settings: WarehouseSettingsInput) -> WarehouseSettings;
    warehouse::count_in_warehouse(keys: Vec<String>) -> WarehouseCounts;
}

/// Runs a command in its own span, logging a failure with its code. Arguments are never
/// logged: they can hold tokens and whole documents.
async fn traced<T>(
    name: &'static str,
    command: impl std::future::Future<Output = Result<T, IpcError>>,
) -> Result<T, IpcError> {
    use tracing::Instrument;
    let result = command
        .instrument(tracing::info_span!("command", name))
        .await;
    if let Err(e) = &result {
        tracing::warn!(command = name, code = ?e.code, message = %e.message, "command failed");
    }
    result
}

/// A command argument: what Tauri hands over for it (`Wire`), and how the bridge reads it
/// from a JSON call.
pub trait IpcArg: Sized {
    /// The argument as a Tauri command receives it.
    type Wire;
    /// The command's argument from Tauri's.
    fn from_wire(wire: Self::Wire) -> Self;
    /// The argument `name` of a bridge call, taken out of `args`.
    fn from_bridge(
        command: &str,
        name: &str,
        args: &mut Map<String, Value>,
        progress: &JsonProgress,
    ) -> Result<Self, IpcError>;
    /// Its TypeScript type in the `Commands` map (what `invoke` sends).
    #[cfg(test)]
    fn ts_wire(cfg: &ts_rs::Config) -> String;
    /// Its TypeScript type as a `Backend` method parameter.
    #[cfg(test)]
    fn ts_param(cfg: &ts_rs::Config) -> String {
        Self::ts_wire(cfg)
    }
}

/// Arguments that arrive as plain JSON values.
macro_rules! json_args {
    ($($ty:ty),*) => {$(
        impl IpcArg for $ty {
            type Wire = $ty;
            fn from_wire(wire: $ty) -> Self {
                wire
            }
            fn from_bridge(
                command: &str,
                name: &str,
                args: &mut Map<String, Value>,
                _progress: &JsonProgress,
            ) -> Result<Self, IpcError> {
                json_arg(command, name, args)
            }
            #[cfg(test)]
            fn ts_wire(cfg: &ts_rs::Config) -> String {
                <$ty as ts_rs::TS>::name(cfg)
            }
        }
    )*};
}

json_args!(
    String,
    i64,
    bool,
    Value,
    Option<Value>,
    Option<String>,
    Vec<String>,
    NewRemote,
    Take,
    WarehouseDialect,
    WarehouseSettingsInput
);

/// Reads argument `name`, worded as Tauri words a malformed call.
fn json_arg<T: DeserializeOwned>(
    command: &str,
    name: &str,
    args: &mut Map<String, Value>,
) -> Result<T, IpcError> {
    let value = args.remove(name).unwrap_or(Value::Null);
    serde_json::from_value(value).map_err(|e| {
        IpcError::internal(format!(
            "invalid args `{name}` for command `{command}`: {e}"
        ))
    })
}

impl<T> IpcArg for Progress<T>
where
    T: ProgressStep,
{
    type Wire = Channel<T>;
    fn from_wire(channel: Channel<T>) -> Self {
        Progress::new(move |p| {
            // A closed window is no reason to stop a run, but worth a line in the log.
            if let Err(e) = channel.send(p) {
                tracing::warn!(error = %e, "progress not delivered to the window");
            }
        })
    }
    fn from_bridge(
        _command: &str,
        name: &str,
        args: &mut Map<String, Value>,
        progress: &JsonProgress,
    ) -> Result<Self, IpcError> {
        // The caller's placeholder for its listener; progress goes out as JSON lines.
        args.remove(name);
        let lines = progress.clone();
        Ok(Progress::new(move |p: T| match serde_json::to_value(p) {
            Ok(json) => lines.report(json),
            Err(e) => tracing::warn!(error = %e, "progress not encodable"),
        }))
    }
    #[cfg(test)]
    fn ts_wire(cfg: &ts_rs::Config) -> String {
        format!("Channel<{}>", T::ts_name(cfg))
    }
    #[cfg(test)]
    fn ts_param(cfg: &ts_rs::Config) -> String {
        format!("(progress: {}) => void", T::ts_name(cfg))
    }
}

/// What a command can report progress in: a step that goes over a Tauri channel or a bridge
/// line.
pub trait ProgressStep: serde::Serialize + Clone + Send + Sync + 'static {
    /// Its TypeScript name.
    #[cfg(test)]
    fn ts_name(cfg: &ts_rs::Config) -> String;
}

macro_rules! progress_steps {
    ($($ty:ty),*) => {$(
        impl ProgressStep for $ty {
            #[cfg(test)]
            fn ts_name(cfg: &ts_rs::Config) -> String {
                <$ty as ts_rs::TS>::name(cfg)
            }
        }
    )*};
}

progress_steps!(SyncProgress, ReadProgress);

/// `revision_id` → `revisionId`, as Tauri maps command arguments.
pub(crate) fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
