// Every IPC command, shared by build.rs (permissions) and the app (a test checks this list
// against the registered handlers).

/// The names of the app's IPC commands.
pub const COMMAND_NAMES: &[&str] = &[
    "list_segments",
    "get_segment",
    "create_segment",
    "update_segment",
    "delete_segment",
    "duplicate_segment",
    "validate_segment",
    "explain_draft",
    "evaluate_all",
    "list_revisions",
    "restore_revision",
    "list_personas",
    "save_persona",
    "delete_persona",
    "list_operators",
    "import_segments",
    "export_segments",
    "save_export",
    "list_remotes",
    "add_remote",
    "remove_remote",
    "test_remote",
    "sync_status",
    "preview_push",
    "pull_remote",
    "push_remote",
    "get_conflict",
    "resolve_conflict",
];
