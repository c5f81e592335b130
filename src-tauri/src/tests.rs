//! Shell tests: the command list, the generated TypeScript bindings, and commands driven
//! through Tauri's mock runtime (IPC serialization and error mapping included).

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::path::Path;

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};
use ts_rs::TS;

use crate::COMMAND_NAMES;

#[test]
fn declared_commands_are_the_permitted_ones() {
    assert_eq!(crate::ipc::DECLARED, COMMAND_NAMES);
}

/// The committed `ui/src/lib/backend/bindings.ts` is what the Rust types generate;
/// `cargo xtask bindings` rewrites it (this test with UPDATE_BINDINGS=1).
#[test]
fn typescript_bindings_are_fresh() {
    // Ids and counts arrive as JSON numbers, which JavaScript reads as `number`; they stay
    // far below 2^53.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by `cargo xtask bindings`. Do not edit by hand:\n\
         // `cargo xtask test` fails when this file is stale.\n\n\
         import type { Channel } from \"@tauri-apps/api/core\";\n\n\
         export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };\n\n",
    );
    macro_rules! declare {
        ($($ty:ty),* $(,)?) => {$(
            out.push_str("export ");
            out.push_str(&<$ty as TS>::decl(&cfg));
            out.push_str("\n\n");
        )*};
    }
    use segments_engine as engine;
    use segments_population as population;
    use segments_store as store;
    use segments_studio::{
        self as studio, evaluation, import_preview, populations, warehouse, warehouse_sql,
    };
    use segments_sync::{self as sync, credentials};
    declare!(
        engine::MatchType,
        engine::Operator,
        engine::Condition,
        engine::Group,
        engine::Rule,
        engine::Segment,
        studio::SegmentSummary,
        store::RevisionAction,
        store::Revision,
        store::Persona,
        engine::ValueKind,
        engine::OperatorInfo,
        engine::IssueCode,
        engine::ValidationIssue,
        crate::error::IpcErrorCode,
        crate::IpcError,
        engine::Reason,
        engine::TraceNode,
        engine::Explanation,
        evaluation::SegmentMatch,
        store::ImportReport,
        import_preview::ImportAction,
        import_preview::ImportItem,
        import_preview::ImportPreview,
        sync::Dialect,
        credentials::CredentialLocation,
        sync::NewRemote,
        sync::RemoteInfo,
        sync::ChangeOp,
        sync::KeyMessage,
        sync::SyncProgress,
        sync::SyncReport,
        sync::Take,
        store::Field,
        store::Side,
        sync::ConflictView,
        sync::SyncBadge,
        sync::SegmentBadge,
        sync::PendingChange,
        sync::ConflictSummary,
        sync::SyncStatus,
        sync::FieldDiff,
        sync::PlannedChange,
        sync::PushPreview,
        sync::RemoteReadiness,
        population::Format,
        population::FileKind,
        population::Stamp,
        population::AttributeType,
        population::TopValue,
        population::AttributeProfile,
        population::ReadProgress,
        store::StoredPopulation,
        populations::SegmentAudience,
        populations::PairOverlap,
        populations::Audience,
        populations::DraftImpact,
        warehouse_sql::WarehouseDialect,
        warehouse_sql::WarehouseSql,
        warehouse::WarehouseSettings,
        warehouse::WarehouseSettingsInput,
        warehouse::WarehouseCount,
        warehouse::RefusedCount,
        warehouse::WarehouseCounts,
    );
    out.push_str(&crate::ipc::typescript_commands(&cfg));
    check_generated("ui/src/lib/backend/bindings.ts", &out);
}

/// Compares a generated file with the committed one (rewriting it when UPDATE_BINDINGS is
/// set, which `cargo xtask bindings` does).
fn check_generated(relative: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{relative} is stale: run `cargo xtask bindings` and commit it"
    );
}

struct Harness {
    _dir: tempfile::TempDir,
    _app: App<MockRuntime>,
    webview: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut app = crate::configure(
            mock_builder(),
            dir.path().join("segments.sqlite3"),
            dir.path().join("exports"),
            segments_sync::credentials::Credentials::files_in(&dir.path().join("credentials")),
        )
        // The app's real context (capabilities and CSP included) on the mock runtime,
        // so these tests also prove the capability permits every command.
        .build(tauri::generate_context!(test = true))
        .unwrap();
        // One turn of the event loop runs `setup`, which builds and manages the state. (The
        // deprecation warns against calling it in a loop; once is all this needs.)
        #[allow(deprecated)]
        app.run_iteration(|_, _| {});
        // The real configuration has already created the main window.
        let webview = app.get_webview_window("main").unwrap();
        Self {
            _dir: dir,
            _app: app,
            webview,
        }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }
}

#[test]
fn a_first_launch_shows_the_demo_data() {
    let app = Harness::new();
    let list = app.call("list_segments", json!({})).unwrap();
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"enterprise-users"), "{keys:?}");
    assert!(
        !app.call("list_personas", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.call("list_operators", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        25
    );
}

#[test]
fn edit_explain_history_restore_through_ipc() {
    let app = Harness::new();
    let draft = json!({"key": "pro", "name": "Pro", "description": "", "match_type": "all",
                       "rules": [{"attribute": "plan", "operator": "eq", "values": ["pro"]}]});
    assert_eq!(
        app.call("create_segment", json!({"draft": draft})).unwrap(),
        draft
    );

    let mut edited = draft.clone();
    edited["rules"][0]["values"] = json!(["pro", "team"]);
    app.call("update_segment", json!({"key": "pro", "draft": edited}))
        .unwrap();

    let explained = app
        .call(
            "explain_draft",
            json!({"draft": edited, "context": {"plan": "free"}}),
        )
        .unwrap();
    assert_eq!(explained["matched"], false);
    assert_eq!(
        explained["trace"]["children"][0]["reason"],
        "no_value_matched"
    );

    let revisions = app.call("list_revisions", json!({"key": "pro"})).unwrap();
    let first = revisions.as_array().unwrap().last().unwrap()["id"].clone();
    let restored = app
        .call(
            "restore_revision",
            json!({"key": "pro", "revisionId": first}),
        )
        .unwrap();
    assert_eq!(restored, draft);

    let copy = app
        .call(
            "duplicate_segment",
            json!({"key": "pro", "newKey": "pro-2"}),
        )
        .unwrap();
    assert_eq!(copy["name"], "Pro (copy)");
}

#[test]
fn errors_reach_the_ui_as_code_message_details() {
    let app = Harness::new();
    let bad = json!({"key": "x", "rules": [{"attribute": "seats", "operator": "gt", "values": ["lots"]}]});
    let err = app
        .call("create_segment", json!({"draft": bad}))
        .unwrap_err();
    assert_eq!(err["code"], "validation");
    assert_eq!(err["details"][0]["path"], "rules[0].values[0]");
    let issues = app.call("validate_segment", json!({"draft": bad})).unwrap();
    assert_eq!(issues[0]["code"], "invalid_value");

    let err = app
        .call("get_segment", json!({"key": "ghost"}))
        .unwrap_err();
    assert_eq!(err["code"], "not_found");
    let err = app
        .call("delete_segment", json!({"key": "north-america"}))
        .unwrap_err();
    assert_eq!(err["code"], "reference", "{err}");
    let err = app
        .call("import_segments", json!({"text": "{nope"}))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_json");
    let path = app.call("save_export", json!({})).unwrap();
    let written = std::fs::read_to_string(path.as_str().unwrap()).unwrap();
    assert_eq!(
        written,
        app.call("export_segments", json!({}))
            .unwrap()
            .as_str()
            .unwrap()
    );
    // A malformed IPC call (missing argument) is refused, not a panic.
    assert!(app.call("get_segment", json!({})).is_err());
}

#[test]
fn remotes_and_sync_through_ipc_never_return_the_token() {
    let fake = fake_remotes::FakeRemote::start(fake_remotes::Dialect::Edgeflags);
    let token = fake.token(fake_remotes::Grant::Full);
    let app = Harness::new();
    let remote = json!({"name": "edge", "dialect": "edgeflags", "baseUrl": fake.base_url(),
                        "projectId": null, "token": token});
    let added = app.call("add_remote", json!({"remote": remote})).unwrap();
    assert_eq!(added["credential"], "file");
    assert!(!added.to_string().contains(&token));
    let listed = app.call("list_remotes", json!({})).unwrap();
    assert!(!listed.to_string().contains(&token), "{listed}");

    let status = app.call("sync_status", json!({"remote": "edge"})).unwrap();
    assert!(
        status["segments"]
            .as_array()
            .unwrap()
            .iter()
            // EdgeFlags cannot hold the demo's any-of and nested segments: "Can't push".
            .all(|s| s["state"] == "not_on_remote" || s["state"] == "cant_push")
    );
    let preview = app.call("preview_push", json!({"remote": "edge"})).unwrap();
    assert!(!preview["changes"].as_array().unwrap().is_empty());
    assert_eq!(app.call("test_remote", json!({"name": "edge"})).unwrap(), 0);

    let report = app
        .call(
            "push_remote",
            json!({"remote": "edge", "progress": "__CHANNEL__:7"}),
        )
        .unwrap();
    assert!(report["failed"].as_array().unwrap().is_empty(), "{report}");
    let status = app.call("sync_status", json!({"remote": "edge"})).unwrap();
    let states: Vec<&Value> = status["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["state"])
        .collect();
    // The demo's `any` segments cannot be expressed on EdgeFlags; the rest are in sync.
    assert!(states.iter().any(|s| *s == "in_sync"), "{status}");

    // A token the server never issued: the UI gets a code to branch on.
    let bad = json!({"name": "bad", "dialect": "edgeflags", "baseUrl": fake.base_url(),
                     "projectId": null, "token": fake.token(fake_remotes::Grant::Invalid)});
    app.call("add_remote", json!({"remote": bad})).unwrap();
    let err = app.call("test_remote", json!({"name": "bad"})).unwrap_err();
    assert_eq!(err["code"], "unauthorized", "{err}");
    let err = app
        .call(
            "add_remote",
            json!({"remote": {"name": "x y", "dialect": "edgeflags", "baseUrl": "ftp://x",
                              "projectId": null, "token": "t"}}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation", "{err}");
}

#[test]
fn populations_through_ipc_add_count_impact_and_cancel() {
    let app = Harness::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("users.csv");
    std::fs::write(
        &file,
        "key,plan\nu1,pro\nu2,free\nu3,enterprise\nu4,trial\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();

    let added = app
        .call(
            "add_population",
            json!({"path": path, "name": "Four", "run": "add-1", "progress": "__CHANNEL__:7"}),
        )
        .unwrap();
    assert_eq!(
        (added["name"].as_str(), added["rows"].as_u64()),
        (Some("Four"), Some(4))
    );
    let id = added["id"].clone();
    let listed = app.call("list_populations", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // "Paying customers" (demo): none of plan in [free, trial].
    let audience = app
        .call(
            "population_audience",
            json!({"id": id, "keys": ["not-free"], "overlap": false, "run": "count-1"}),
        )
        .unwrap();
    assert_eq!(audience["segments"][0]["matched"], 2, "{audience}");

    let draft = json!({"key": "not-free", "name": "Paying customers", "description": "", "match_type": "none",
                       "rules": [{"attribute": "plan", "operator": "in", "values": ["free"]}]});
    let impact = app
        .call(
            "draft_impact",
            json!({"id": id, "key": "not-free", "draft": draft, "exact": true, "run": "impact-1"}),
        )
        .unwrap();
    assert_eq!(
        (
            &impact["before"],
            &impact["after"],
            &impact["gained"],
            &impact["lost"]
        ),
        (&json!(2), &json!(3), &json!(1), &json!(0)),
        "{impact}"
    );
    let bad = json!({"key": "x", "rules": [{"attribute": "seats", "operator": "gt", "values": ["lots"]}]});
    let err = app
        .call(
            "draft_impact",
            json!({"id": id, "key": null, "draft": bad, "exact": false, "run": "impact-2"}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "validation", "{err}");

    // A finished (or unknown) run has nothing to cancel.
    assert_eq!(
        app.call("cancel_run", json!({"run": "add-1"})).unwrap(),
        false
    );
    let err = app
        .call(
            "add_population",
            json!({"path": dir.path().join("gone.csv"), "name": null, "run": "add-2", "progress": "__CHANNEL__:8"}),
        )
        .unwrap_err();
    assert_eq!(err["code"], "population_missing", "{err}");

    app.call("remove_population", json!({"id": id})).unwrap();
    assert_eq!(app.call("list_populations", json!({})).unwrap(), json!([]));
}

#[test]
fn a_run_is_cancelled_while_registered_and_forgotten_after() {
    let dir = tempfile::tempdir().unwrap();
    let store = segments_store::Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let state = crate::AppState::new(
        store,
        dir.path().join("s.sqlite3"),
        dir.path().to_path_buf(),
        segments_sync::credentials::Credentials::files_in(&dir.path().join("c")),
    );
    let run = state.start_run("r1").unwrap();
    assert!(
        state.start_run("r1").is_err(),
        "an id in flight is not reused"
    );
    assert!(state.cancel_run("r1"));
    assert!(run.cancel.load(std::sync::atomic::Ordering::Relaxed));
    drop(run);
    assert!(!state.cancel_run("r1"));
    assert!(state.start_run("r1").is_ok());
}
