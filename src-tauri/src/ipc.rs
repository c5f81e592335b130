//! The command list, declared once: it registers the handlers, proves at compile time that
//! each declared signature is the command's real one, and (in tests) generates the
//! TypeScript command map in `ui/src/lib/backend/bindings.ts`.

macro_rules! ipc_commands {
    ($($module:ident :: $name:ident ( $($arg:ident : $ty:ty $(as $ts:literal)?),* ) -> $ret:ty;)*) => {
        /// The invoke handler with every command registered.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(crate::commands::$module::$name),*]
        }

        /// The declared command names, in order.
        #[cfg(test)]
        pub const DECLARED: &[&str] = &[$(stringify!($name)),*];

        /// Never called: it only compiles when every declared argument and result type is
        /// the command's own, so the generated TypeScript cannot drift from the Rust.
        #[allow(dead_code, unreachable_code, unused_variables, clippy::diverging_sub_expression)]
        async fn declared_signatures_match(state: tauri::State<'_, crate::state::AppState>) {
            $({
                $(let $arg: $ty = unreachable!();)*
                let _: Result<$ret, crate::error::IpcError> =
                    crate::commands::$module::$name(state.clone() $(, $arg)*).await;
            })*
        }

        /// TypeScript: `Commands` maps each command to its arguments (camelCase, as Tauri
        /// expects them) and its result.
        #[cfg(test)]
        pub fn typescript_commands(cfg: &ts_rs::Config) -> String {
            let mut out = String::from("export type Commands = {\n");
            $(
                let args: Vec<String> = vec![$(format!(
                    "{}: {}",
                    crate::ipc::camel_case(stringify!($arg)),
                    ts_name!(cfg, $ty $(, $ts)?)
                )),*];
                out.push_str(&format!(
                    "  {}: {{ args: {{ {} }}; result: {} }};\n",
                    stringify!($name),
                    args.join("; "),
                    <$ret as ts_rs::TS>::name(cfg)
                ));
            )*
            out.push_str("};\n");
            out
        }
    };
}

/// The TypeScript name of an argument type: its own, or the one written after `as` (for
/// types ts-rs cannot describe, such as a Tauri `Channel`).
#[cfg(test)]
macro_rules! ts_name {
    ($cfg:ident, $ty:ty, $ts:literal) => {
        $ts.to_owned()
    };
    ($cfg:ident, $ty:ty) => {
        <$ty as ts_rs::TS>::name($cfg)
    };
}

use segments_core::evaluation::SegmentMatch;
use segments_core::store::{ImportReport, Persona, Revision};
use segments_core::studio::SegmentSummary;
use segments_core::sync::{
    ConflictView, NewRemote, PushPreview, RemoteInfo, SyncProgress, SyncReport, SyncStatus, Take,
};
use segments_engine::{Explanation, OperatorInfo, Segment, ValidationIssue};
use serde_json::Value;
use tauri::ipc::Channel;

ipc_commands! {
    segments::list_segments() -> Vec<SegmentSummary>;
    segments::get_segment(key: String) -> Segment;
    segments::create_segment(draft: Value) -> Segment;
    segments::update_segment(key: String, draft: Value) -> Segment;
    segments::delete_segment(key: String) -> Revision;
    segments::duplicate_segment(key: String, new_key: String) -> Segment;
    segments::validate_segment(draft: Value) -> Vec<ValidationIssue>;
    evaluate::explain_draft(draft: Value, context: Value) -> Explanation;
    evaluate::evaluate_all(context: Value) -> Vec<SegmentMatch>;
    history::list_revisions(key: String) -> Vec<Revision>;
    history::restore_revision(key: String, revision_id: i64) -> Segment;
    personas::list_personas() -> Vec<Persona>;
    personas::save_persona(name: String, context: Value) -> Persona;
    personas::delete_persona(id: i64) -> ();
    evaluate::list_operators() -> Vec<OperatorInfo>;
    transfer::import_segments(text: String) -> ImportReport;
    transfer::export_segments() -> String;
    transfer::save_export() -> String;
    remotes::list_remotes() -> Vec<RemoteInfo>;
    remotes::add_remote(remote: NewRemote) -> RemoteInfo;
    remotes::remove_remote(name: String) -> RemoteInfo;
    remotes::test_remote(name: String) -> u32;
    remotes::replace_token(name: String, token: String) -> RemoteInfo;
    sync::sync_status(remote: String) -> SyncStatus;
    sync::preview_push(remote: String) -> PushPreview;
    sync::pull_remote(remote: String, progress: Channel<SyncProgress> as "Channel<SyncProgress>") -> SyncReport;
    sync::push_remote(remote: String, progress: Channel<SyncProgress> as "Channel<SyncProgress>") -> SyncReport;
    sync::get_conflict(remote: String, key: String) -> ConflictView;
    sync::resolve_conflict(remote: String, key: String, take: Take, edited: Option<Value>) -> ();
}

/// `revision_id` → `revisionId`, as Tauri maps command arguments.
#[cfg(test)]
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
