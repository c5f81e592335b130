// Generated from the Rust types by `cargo xtask bindings`. Do not edit by hand:
// `cargo xtask test` fails when this file is stale.

import type { Channel } from "@tauri-apps/api/core";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export type MatchType = "all" | "any" | "none";

export type Operator = "eq" | "neq" | "in" | "not_in" | "contains" | "not_contains" | "starts_with" | "ends_with" | "gt" | "gte" | "lt" | "lte" | "matches" | "exists" | "not_exists" | "semver_eq" | "semver_neq" | "semver_gt" | "semver_gte" | "semver_lt" | "semver_lte" | "before" | "after" | "in_segment" | "not_in_segment";

export type Condition = { 
/**
 * Context attribute; dots address nested objects when not a literal key.
 */
attribute: string, 
/**
 * The comparison.
 */
operator: Operator, 
/**
 * The values compared against; the condition matches when some value satisfies it.
 */
values: Array<JsonValue>, 
/**
 * Compare strings ignoring case (`eq`, `in`, `contains`, `starts_with`, `ends_with`,
 * `matches` and their negations).
 */
case_insensitive?: boolean, };

export type Group = { 
/**
 * How the rules combine.
 */
match_type: MatchType, 
/**
 * At least one rule.
 */
rules: Array<Rule>, };

export type Rule = Condition | Group;

export type Segment = { 
/**
 * Unique key matching `[a-z0-9][a-z0-9._-]{0,127}`.
 */
key: string, 
/**
 * Display name; defaults to the key.
 */
name: string, 
/**
 * Free text; defaults to "".
 */
description: string, 
/**
 * How the top-level rules combine.
 */
match_type: MatchType, 
/**
 * At least one rule.
 */
rules: Array<Rule>, };

export type SegmentSummary = { 
/**
 * Key.
 */
key: string, 
/**
 * Display name.
 */
name: string, 
/**
 * Description.
 */
description: string, 
/**
 * Top-level match type.
 */
match_type: MatchType, 
/**
 * Conditions at all depths.
 */
condition_count: number, 
/**
 * Attributes the conditions test, sorted.
 */
attributes: Array<string>, 
/**
 * Last change (RFC 3339, UTC).
 */
updated_at: string, };

export type RevisionAction = "create" | "update" | "delete" | "restore" | "import";

export type Revision = { 
/**
 * Increasing id.
 */
id: number, 
/**
 * The segment's key.
 */
segment_key: string, 
/**
 * What happened.
 */
action: RevisionAction, 
/**
 * Who did it: `local` for this app, `remote:NAME` for a pull from a remote.
 */
author: string, 
/**
 * When (RFC 3339, UTC).
 */
created_at: string, 
/**
 * The document before (none for a create).
 */
previous: Segment | null, 
/**
 * The document after (none for a delete).
 */
current: Segment | null, 
/**
 * What changed, one phrase per change in the rule builder's words ("removed FR from
 * country"); empty for a create or a delete.
 */
changes: Array<string>, };

export type Persona = { 
/**
 * Id.
 */
id: number, 
/**
 * Unique name, such as "Enterprise admin in Germany".
 */
name: string, 
/**
 * The context: a JSON object.
 */
context: JsonValue, 
/**
 * When it last changed (RFC 3339, UTC).
 */
updated_at: string, };

export type ValueKind = "none" | "scalar" | "string" | "number" | "regex" | "semver" | "date" | "segment";

export type OperatorInfo = { 
/**
 * The canonical name.
 */
operator: Operator, 
/**
 * A short human label.
 */
label: string, 
/**
 * What its values hold.
 */
value_kind: ValueKind, 
/**
 * Whether several values are usual (chips) rather than one.
 */
multi: boolean, 
/**
 * Whether it is the negation of another operator.
 */
negated: boolean, 
/**
 * Whether `case_insensitive` applies.
 */
case_insensitive: boolean, 
/**
 * Other accepted names.
 */
aliases: Array<string>, };

export type IssueCode = "invalid_json" | "wrong_type" | "missing_field" | "unknown_field" | "invalid_key" | "unknown_operator" | "invalid_match_type" | "empty_rules" | "invalid_value" | "value_count" | "invalid_regex" | "unknown_segment" | "reference_cycle" | "too_deep" | "too_large" | "key_changed" | "conflict";

export type ValidationIssue = { 
/**
 * The segment the issue is in, when a set of segments was checked together.
 */
segment?: string, 
/**
 * Where: `key`, `rules[1].rules[0].values[2]`, or "" for the whole document.
 */
path: string, 
/**
 * What kind of problem.
 */
code: IssueCode, 
/**
 * What is wrong and what to do about it.
 */
message: string, };

export type IpcErrorCode = "validation" | "invalid_json" | "too_large" | "not_found" | "conflict" | "reference" | "file" | "storage" | "unauthorized" | "forbidden" | "network" | "remote" | "credential" | "busy" | "cancelled" | "population_missing" | "population_invalid" | "population_changed" | "warehouse_not_configured" | "warehouse_bad_url" | "warehouse_unreachable" | "warehouse_tls" | "warehouse_authentication" | "warehouse_missing_database" | "warehouse_missing_table" | "warehouse_schema_mismatch" | "warehouse_bad_input" | "warehouse_timeout" | "warehouse_query" | "internal";

export type IpcError = { 
/**
 * What kind of failure.
 */
code: IpcErrorCode, 
/**
 * What went wrong and what to do, in words.
 */
message: string, 
/**
 * For `validation`: each problem with its field path.
 */
details: Array<ValidationIssue>, };

export type TraceReason = "matched" | "no_value_matched" | "attribute_missing" | "attribute_null" | "not_a_number" | "not_a_semver" | "not_a_date" | "type_mismatch" | "negated";

export type TraceNode = { "kind": "group", 
/**
 * Where the group is: "" for the root, `rules[1]` for a nested one.
 */
path: string, 
/**
 * How its rules combine.
 */
match_type: MatchType, 
/**
 * Whether it matched.
 */
matched: boolean, 
/**
 * Its rules' traces; every rule is evaluated here, not short-circuited.
 */
children: Array<TraceNode>, } | { "kind": "condition", 
/**
 * Where the condition is, such as `rules[1].rules[0]`.
 */
path: string, 
/**
 * The attribute tested.
 */
attribute: string, 
/**
 * The operator.
 */
operator: Operator, 
/**
 * The condition's values.
 */
values: Array<JsonValue>, 
/**
 * The context's value, or null when missing.
 */
actual: JsonValue | null, 
/**
 * Whether the attribute was present in the context.
 */
present: boolean, 
/**
 * Whether the condition matched.
 */
matched: boolean, 
/**
 * Why.
 */
reason: TraceReason, 
/**
 * The reason in words.
 */
message: string, 
/**
 * For a missing attribute, a similar one the context has (`address.country` for
 * `country`), also named in `message`.
 */
did_you_mean?: string, };

export type Explanation = { 
/**
 * The segment's key.
 */
key: string, 
/**
 * Whether the context is in the segment.
 */
matched: boolean, 
/**
 * The root group's trace (path "").
 */
trace: TraceNode, };

export type SegmentMatch = { 
/**
 * The segment's key.
 */
key: string, 
/**
 * Its display name.
 */
name: string, 
/**
 * Whether the context is in it.
 */
matched: boolean, 
/**
 * Per-condition trace, when asked for.
 */
trace?: TraceNode, };

export type ImportReport = { 
/**
 * Segments that did not exist.
 */
created: Array<string>, 
/**
 * Segments that existed and changed.
 */
updated: Array<string>, 
/**
 * Segments that existed with exactly this content.
 */
unchanged: Array<string>, };

export type ImportAction = "create" | "update" | "unchanged" | "refuse";

export type ImportItem = { 
/**
 * Its place in the file, counting from 1.
 */
position: number, 
/**
 * Its key, when it has one (a refused item may not).
 */
key?: string, 
/**
 * Its name ("" when it has none).
 */
name: string, 
/**
 * What the import would do with it.
 */
action: ImportAction, 
/**
 * Why it is refused; paths are within the item (`rules[0].values`).
 */
issues: Array<ValidationIssue>, };

export type ImportPreview = { 
/**
 * In file order.
 */
items: Array<ImportItem>, 
/**
 * Problems of the file's segments together that no single item owns.
 */
problems: Array<ValidationIssue>, };

export type Dialect = "projects" | "krafter" | "edgeflags";

export type CredentialLocation = "keyring" | "file";

export type NewRemote = { 
/**
 * A short name: letters, digits, `.`, `_`, `-`.
 */
name: string, 
/**
 * Which API the remote speaks.
 */
dialect: Dialect, 
/**
 * The API's base URL (`http://` or `https://`).
 */
baseUrl: string, 
/**
 * The project id (projects and Krafter).
 */
projectId: string | null, 
/**
 * The bearer token or API key.
 */
token: string, };

export type RemoteInfo = { 
/**
 * Its name.
 */
name: string, 
/**
 * Its dialect.
 */
dialect: Dialect, 
/**
 * Its base URL.
 */
baseUrl: string, 
/**
 * Its project id.
 */
projectId: string | null, 
/**
 * Where its token is kept.
 */
credential: CredentialLocation, 
/**
 * The same, in words ("in the OS keyring", "in the file … because no keyring service
 * is running").
 */
credentialNote: string, };

export type ChangeOp = "create" | "update" | "delete";

export type KeyMessage = { 
/**
 * The segment.
 */
key: string, 
/**
 * What happened and what to do.
 */
message: string, };

export type SyncProgress = { 
/**
 * Items handled so far.
 */
done: number, 
/**
 * Items to handle.
 */
total: number, 
/**
 * The segment being handled.
 */
key: string | null, 
/**
 * Of those done, how many the remote's dialect refused (they wait for an edit).
 */
refused: number, 
/**
 * Of those done, how many failed (a retry may help).
 */
failed: number, 
/**
 * Of those done, how many wait for a conflict to be resolved.
 */
conflicts: number, };

export type SyncReport = { 
/**
 * The remote.
 */
remote: string, 
/**
 * Segments created (locally by a pull, remotely by a push).
 */
created: Array<string>, 
/**
 * Segments updated.
 */
updated: Array<string>, 
/**
 * Segments deleted.
 */
deleted: Array<string>, 
/**
 * Segments found equal on both sides and linked, with nothing to send.
 */
linked: Array<string>, 
/**
 * Segments changed on both sides whose changes merged without overlapping.
 */
merged: Array<string>, 
/**
 * Segments that now wait for the user to resolve a conflict.
 */
conflicts: Array<string>, 
/**
 * Segments one side cannot express, with the construct named.
 */
refused: Array<KeyMessage>, 
/**
 * Segments whose exchange failed, with the reason.
 */
failed: Array<KeyMessage>, 
/**
 * Segments bound to the remote that its listing no longer has (kept locally: absence
 * from a listing is not evidence enough to delete).
 */
missing_on_remote: Array<string>, 
/**
 * HTTP requests sent, retries included.
 */
requests: number, 
/**
 * Requests repeated after a 5xx, 429, timeout or lost connection.
 */
retries: number, };

export type Take = "mine" | "theirs";

export type Field = "name" | "description" | "match_type" | "rules";

export type Side = "here" | "there";

export type ConflictView = { 
/**
 * The remote.
 */
remote: string, 
/**
 * The segment.
 */
key: string, 
/**
 * The fields both sides changed differently (none when one side deleted it).
 */
fields: Array<Field>, 
/**
 * The side that deleted the segment while the other changed it.
 */
deleted: Side | null, 
/**
 * The last agreed version (none when both sides created it independently).
 */
base: Segment | null, 
/**
 * This database's version (none when deleted here).
 */
mine: Segment | null, 
/**
 * The remote's version (none when deleted there).
 */
theirs: Segment | null, };

export type SyncBadge = "in_sync" | "local_changes" | "conflict" | "not_on_remote" | "cant_push";

export type SegmentBadge = { 
/**
 * The segment.
 */
key: string, 
/**
 * Its state.
 */
state: SyncBadge, };

export type PendingChange = { 
/**
 * The segment.
 */
key: string, 
/**
 * What a push would do (none: nothing left to send, the entry is dropped).
 */
op: ChangeOp | null, 
/**
 * Failed attempts since the last change.
 */
attempts: number, 
/**
 * Why the last attempt failed.
 */
last_error: string | null, 
/**
 * Why no push can send it as it is: it waits for an edit, not for a retry.
 */
refused?: string, };

export type ConflictSummary = { 
/**
 * The segment.
 */
key: string, 
/**
 * The fields both sides changed (none when one side deleted it).
 */
fields: Array<Field>, 
/**
 * The side that deleted the segment while the other changed it.
 */
deleted: Side | null, };

export type SyncStatus = { 
/**
 * The remote.
 */
remote: string, 
/**
 * Local changes not yet pushed, in outbox order.
 */
pending: Array<PendingChange>, 
/**
 * Conflicts by key.
 */
conflicts: Array<ConflictSummary>, 
/**
 * Every local segment's badge.
 */
segments: Array<SegmentBadge>, };

export type FieldDiff = { 
/**
 * Which field.
 */
field: Field, 
/**
 * The remote's value as last synced (null for a create).
 */
before: unknown, 
/**
 * The value to send (null for a delete).
 */
after: unknown, };

export type PlannedChange = { 
/**
 * The segment.
 */
key: string, 
/**
 * Create, update or delete.
 */
op: ChangeOp, 
/**
 * The fields that change.
 */
diffs: Array<FieldDiff>, 
/**
 * The same change in the rule builder's words, one phrase each ("removed FR from
 * country"); empty for a create or a delete.
 */
summary: Array<string>, 
/**
 * The request: method and path.
 */
request: string, 
/**
 * The exact body sent (none for a delete).
 */
body: unknown, 
/**
 * The remote changed other fields since the last sync: the body is the merge of both
 * sides, which is also saved locally.
 */
merged: boolean, };

export type PushPreview = { 
/**
 * The remote.
 */
remote: string, 
/**
 * Whether the remote's current copies were read (else the diffs are against the last
 * synced versions, and remote edits since then show up only when the push runs).
 */
checked_remote: boolean, 
/**
 * Segments the remote already holds exactly: the push only links them.
 */
linked: Array<string>, 
/**
 * The changes, in the order they would be sent.
 */
changes: Array<PlannedChange>, 
/**
 * Segments the remote's dialect cannot express, with the construct named.
 */
refused: Array<KeyMessage>, 
/**
 * Segments held back by a conflict.
 */
conflicts: Array<string>, };

export type RemoteReadiness = { 
/**
 * The remote's name.
 */
remote: string, 
/**
 * Its dialect.
 */
dialect: Dialect, 
/**
 * The vendor's name for the dialect ("EdgeFlags").
 */
vendor: string, 
/**
 * Why it cannot be pushed, in words; empty when it can.
 */
problems: Array<string>, 
/**
 * One sentence for the editor: "Can't sync to staging (EdgeFlags): …", or that it can.
 */
summary: string, };

export type PopulationFormat = "csv" | "ndjson" | "parquet";

export type PopulationKind = { 
/**
 * How rows are laid out.
 */
format: PopulationFormat, 
/**
 * Whether the text is gzip-compressed (CSV and NDJSON only).
 */
gzip: boolean, };

export type FileStamp = { 
/**
 * Bytes.
 */
size: number, 
/**
 * Modification time, milliseconds since the Unix epoch.
 */
modified_ms: number, };

export type AttributeType = "string" | "number" | "boolean" | "array" | "object" | "null";

export type TopValue = { 
/**
 * The value (a string, number or boolean).
 */
value: JsonValue, 
/**
 * Users with this value.
 */
count: number, };

export type AttributeProfile = { 
/**
 * The name a condition uses.
 */
name: string, 
/**
 * The types seen, most frequent first.
 */
types: Array<AttributeType>, 
/**
 * Users that have the attribute (not missing, not null).
 */
present: number, 
/**
 * Share of users without it (missing or null), 0 to 1.
 */
missing_share: number, 
/**
 * The most frequent values, most frequent first (at most 10). Empty when nearly every
 * user has a different value (ids, emails).
 */
top_values: Array<TopValue>, 
/**
 * Whether the attribute has more distinct values than were tracked.
 */
many_values: boolean, };

export type ReadProgress = { 
/**
 * Rows read so far.
 */
rows: number, 
/**
 * Bytes of the file read so far.
 */
bytes_read: number, 
/**
 * The file's size.
 */
total_bytes: number, 
/**
 * Rows per second since the start.
 */
rows_per_second: number, };

export type StoredPopulation = { 
/**
 * A UUID, chosen by the store.
 */
id: string, 
/**
 * The name shown.
 */
name: string, 
/**
 * The file, absolute.
 */
path: string, 
/**
 * Format and compression.
 */
kind: PopulationKind, 
/**
 * Size and modification time when read; a file that no longer has them changed.
 */
stamp: FileStamp, 
/**
 * Users read.
 */
rows: number, 
/**
 * Rows that could not be read.
 */
invalid: number, 
/**
 * The attributes, by name.
 */
attributes: Array<AttributeProfile>, 
/**
 * When it was added (RFC 3339, UTC).
 */
added_at: string, 
/**
 * When the file was last read (RFC 3339, UTC).
 */
read_at: string, };

export type SegmentAudience = { 
/**
 * The segment.
 */
key: string, 
/**
 * Its name.
 */
name: string, 
/**
 * Users in it.
 */
matched: number, 
/**
 * `matched` over the population's rows, 0 to 1.
 */
share: number, };

export type PairOverlap = { 
/**
 * One segment's key.
 */
a: string, 
/**
 * The other's.
 */
b: string, 
/**
 * Users in both.
 */
both: number, };

export type Audience = { 
/**
 * The population, as read.
 */
population: StoredPopulation, 
/**
 * Users read.
 */
rows: number, 
/**
 * Per segment.
 */
segments: Array<SegmentAudience>, 
/**
 * Every pair, when asked.
 */
overlaps: Array<PairOverlap>, };

export type DraftImpact = { 
/**
 * Users in the population.
 */
rows: number, 
/**
 * Users in the saved segment (0 for a new one).
 */
before: number, 
/**
 * Users in the draft.
 */
after: number, 
/**
 * Users the draft adds.
 */
gained: number, 
/**
 * Users the draft drops.
 */
lost: number, 
/**
 * Whether the numbers are scaled up from a sample.
 */
estimate: boolean, 
/**
 * For an estimate, the 95% margin on `after` (±users); 0 when exact.
 */
margin: number, 
/**
 * Rows the numbers come from.
 */
sample_rows: number, 
/**
 * Up to [`EXAMPLES`] users the draft adds, as contexts.
 */
gained_examples: Array<JsonValue>, 
/**
 * Up to [`EXAMPLES`] users the draft drops.
 */
lost_examples: Array<JsonValue>, };

export type WarehouseDialect = "postgres" | "duckdb" | "spark" | "trino" | "bigquery" | "snowflake";

export type WarehouseSql = { "kind": "count", 
/**
 * `SELECT count(*) FROM table WHERE predicate`.
 */
query: string, 
/**
 * The predicate alone, for a `WHERE` clause of one's own.
 */
predicate: string, } | { "kind": "refused", 
/**
 * The construct and the dialect, in the compiler's words.
 */
reason: string, };

export type WarehouseSettings = { 
/**
 * `postgres://USER@HOST:PORT/DB`, canonical.
 */
url: string, 
/**
 * The users table counts run on (`NAME` or `SCHEMA.NAME`).
 */
table: string, 
/**
 * Where the password is kept; `None` when none is stored.
 */
password: CredentialLocation | null, 
/**
 * The same in words ("in the OS keyring", "no password stored: …").
 */
password_note: string, };

export type WarehouseSettingsInput = { 
/**
 * `postgres://USER@HOST:PORT/DB` (no password in it).
 */
url: string, 
/**
 * The users table.
 */
table: string, 
/**
 * A new password, or `None` to keep the stored one.
 */
password: string | null, };

export type WarehouseCount = { 
/**
 * The segment's key.
 */
key: string, 
/**
 * Rows the segment matches.
 */
matched: number, 
/**
 * The query that counted them, as run.
 */
query: string, 
/**
 * How long the query took, in milliseconds.
 */
duration_ms: number, };

export type RefusedCount = { 
/**
 * The segment's key.
 */
key: string, 
/**
 * Why, naming the construct or the column.
 */
reason: string, };

export type WarehouseCounts = { 
/**
 * Rows in the table.
 */
rows: number, 
/**
 * Each segment counted, in the order asked.
 */
segments: Array<WarehouseCount>, 
/**
 * The segments refused, with the reason.
 */
refused: Array<RefusedCount>, };

export type Commands = {
  list_segments: { args: {  }; result: Array<SegmentSummary> };
  get_segment: { args: { key: string }; result: Segment };
  create_segment: { args: { draft: JsonValue }; result: Segment };
  update_segment: { args: { key: string; draft: JsonValue }; result: Segment };
  delete_segment: { args: { key: string }; result: Revision };
  segment_referrers: { args: { key: string }; result: Array<string> };
  duplicate_segment: { args: { key: string; newKey: string }; result: Segment };
  validate_segment: { args: { draft: JsonValue }; result: Array<ValidationIssue> };
  parse_draft: { args: { text: string }; result: Segment };
  key_from_name: { args: { name: string }; result: string };
  explain_draft: { args: { draft: JsonValue; context: JsonValue }; result: Explanation };
  evaluate_all: { args: { context: JsonValue }; result: Array<SegmentMatch> };
  parse_context: { args: { text: string }; result: JsonValue };
  list_revisions: { args: { key: string }; result: Array<Revision> };
  restore_revision: { args: { key: string; revisionId: number }; result: Segment };
  deleted_segments: { args: {  }; result: Array<Revision> };
  list_personas: { args: {  }; result: Array<Persona> };
  save_persona: { args: { name: string; context: JsonValue }; result: Persona };
  update_persona: { args: { id: number; name: string; context: JsonValue }; result: Persona };
  delete_persona: { args: { id: number }; result: null };
  list_operators: { args: {  }; result: Array<OperatorInfo> };
  preview_import: { args: { text: string }; result: ImportPreview };
  import_segments: { args: { text: string }; result: ImportReport };
  export_segments: { args: {  }; result: string };
  save_export: { args: {  }; result: string };
  list_remotes: { args: {  }; result: Array<RemoteInfo> };
  add_remote: { args: { remote: NewRemote }; result: RemoteInfo };
  remove_remote: { args: { name: string }; result: RemoteInfo };
  test_remote: { args: { name: string }; result: number };
  replace_token: { args: { name: string; token: string }; result: RemoteInfo };
  sync_status: { args: { remote: string }; result: SyncStatus };
  sync_readiness: { args: { draft: JsonValue }; result: Array<RemoteReadiness> };
  preview_push: { args: { remote: string }; result: PushPreview };
  pull_remote: { args: { remote: string; progress: Channel<SyncProgress> }; result: SyncReport };
  push_remote: { args: { remote: string; progress: Channel<SyncProgress> }; result: SyncReport };
  get_conflict: { args: { remote: string; key: string }; result: ConflictView };
  resolve_conflict: { args: { remote: string; key: string; take: Take; edited: JsonValue | null }; result: null };
  list_populations: { args: {  }; result: Array<StoredPopulation> };
  add_population: { args: { path: string; name: string | null; run: string; progress: Channel<ReadProgress> }; result: StoredPopulation };
  remove_population: { args: { id: string }; result: StoredPopulation };
  population_audience: { args: { id: string; keys: Array<string>; overlap: boolean; run: string }; result: Audience };
  draft_impact: { args: { id: string; key: string | null; draft: JsonValue; exact: boolean; run: string }; result: DraftImpact };
  cancel_run: { args: { run: string }; result: boolean };
  warehouse_sql: { args: { draft: JsonValue; dialect: WarehouseDialect; table: string }; result: WarehouseSql };
  warehouse_settings: { args: {  }; result: WarehouseSettings | null };
  save_warehouse_settings: { args: { settings: WarehouseSettingsInput }; result: WarehouseSettings };
  count_in_warehouse: { args: { keys: Array<string> }; result: WarehouseCounts };
};

export const COMMAND_ARGS = {
  list_segments: [],
  get_segment: ["key"],
  create_segment: ["draft"],
  update_segment: ["key", "draft"],
  delete_segment: ["key"],
  segment_referrers: ["key"],
  duplicate_segment: ["key", "newKey"],
  validate_segment: ["draft"],
  parse_draft: ["text"],
  key_from_name: ["name"],
  explain_draft: ["draft", "context"],
  evaluate_all: ["context"],
  parse_context: ["text"],
  list_revisions: ["key"],
  restore_revision: ["key", "revisionId"],
  deleted_segments: [],
  list_personas: [],
  save_persona: ["name", "context"],
  update_persona: ["id", "name", "context"],
  delete_persona: ["id"],
  list_operators: [],
  preview_import: ["text"],
  import_segments: ["text"],
  export_segments: [],
  save_export: [],
  list_remotes: [],
  add_remote: ["remote"],
  remove_remote: ["name"],
  test_remote: ["name"],
  replace_token: ["name", "token"],
  sync_status: ["remote"],
  sync_readiness: ["draft"],
  preview_push: ["remote"],
  pull_remote: ["remote", "progress"],
  push_remote: ["remote", "progress"],
  get_conflict: ["remote", "key"],
  resolve_conflict: ["remote", "key", "take", "edited"],
  list_populations: [],
  add_population: ["path", "name", "run", "progress"],
  remove_population: ["id"],
  population_audience: ["id", "keys", "overlap", "run"],
  draft_impact: ["id", "key", "draft", "exact", "run"],
  cancel_run: ["run"],
  warehouse_sql: ["draft", "dialect", "table"],
  warehouse_settings: [],
  save_warehouse_settings: ["settings"],
  count_in_warehouse: ["keys"],
} as const;

/**
 * Everything the UI needs from the backend, one method per command, arguments in
 * declaration order. Every method rejects with an `IpcError`.
 */
export interface Backend {
  listSegments(): Promise<Array<SegmentSummary>>;
  getSegment(key: string): Promise<Segment>;
  createSegment(draft: JsonValue): Promise<Segment>;
  updateSegment(key: string, draft: JsonValue): Promise<Segment>;
  deleteSegment(key: string): Promise<Revision>;
  segmentReferrers(key: string): Promise<Array<string>>;
  duplicateSegment(key: string, newKey: string): Promise<Segment>;
  validateSegment(draft: JsonValue): Promise<Array<ValidationIssue>>;
  parseDraft(text: string): Promise<Segment>;
  keyFromName(name: string): Promise<string>;
  explainDraft(draft: JsonValue, context: JsonValue): Promise<Explanation>;
  evaluateAll(context: JsonValue): Promise<Array<SegmentMatch>>;
  parseContext(text: string): Promise<JsonValue>;
  listRevisions(key: string): Promise<Array<Revision>>;
  restoreRevision(key: string, revisionId: number): Promise<Segment>;
  deletedSegments(): Promise<Array<Revision>>;
  listPersonas(): Promise<Array<Persona>>;
  savePersona(name: string, context: JsonValue): Promise<Persona>;
  updatePersona(id: number, name: string, context: JsonValue): Promise<Persona>;
  deletePersona(id: number): Promise<null>;
  listOperators(): Promise<Array<OperatorInfo>>;
  previewImport(text: string): Promise<ImportPreview>;
  importSegments(text: string): Promise<ImportReport>;
  exportSegments(): Promise<string>;
  saveExport(): Promise<string>;
  listRemotes(): Promise<Array<RemoteInfo>>;
  addRemote(remote: NewRemote): Promise<RemoteInfo>;
  removeRemote(name: string): Promise<RemoteInfo>;
  testRemote(name: string): Promise<number>;
  replaceToken(name: string, token: string): Promise<RemoteInfo>;
  syncStatus(remote: string): Promise<SyncStatus>;
  syncReadiness(draft: JsonValue): Promise<Array<RemoteReadiness>>;
  previewPush(remote: string): Promise<PushPreview>;
  pullRemote(remote: string, progress: (progress: SyncProgress) => void): Promise<SyncReport>;
  pushRemote(remote: string, progress: (progress: SyncProgress) => void): Promise<SyncReport>;
  getConflict(remote: string, key: string): Promise<ConflictView>;
  resolveConflict(remote: string, key: string, take: Take, edited: JsonValue | null): Promise<null>;
  listPopulations(): Promise<Array<StoredPopulation>>;
  addPopulation(path: string, name: string | null, run: string, progress: (progress: ReadProgress) => void): Promise<StoredPopulation>;
  removePopulation(id: string): Promise<StoredPopulation>;
  populationAudience(id: string, keys: Array<string>, overlap: boolean, run: string): Promise<Audience>;
  draftImpact(id: string, key: string | null, draft: JsonValue, exact: boolean, run: string): Promise<DraftImpact>;
  cancelRun(run: string): Promise<boolean>;
  warehouseSql(draft: JsonValue, dialect: WarehouseDialect, table: string): Promise<WarehouseSql>;
  warehouseSettings(): Promise<WarehouseSettings | null>;
  saveWarehouseSettings(settings: WarehouseSettingsInput): Promise<WarehouseSettings>;
  countInWarehouse(keys: Array<string>): Promise<WarehouseCounts>;
}
