import type {
  ConflictView,
  JsonValue,
  KeyMessage,
  NewRemote,
  PendingChange,
  PlannedChange,
  PushPreview,
  RemoteInfo,
  Segment,
  SyncBadge,
  SyncProgress,
  SyncReport,
  SyncStatus,
  Take,
} from './bindings';
import { ipcError } from './errors';
import { SYNCED_FIELDS, decode, differing, encode, fieldValue, needsProject, requestLine } from './mock-dialects';
import { keyFromName } from './mock-engine';
import { SimulatedRemote } from './mock-remote-server';
import { pull, push } from './mock-sync-run';
import type { Run } from './mock-sync-run';
import { RemoteState, request } from './mock-sync-state';
import type { Binding, LocalSegments } from './mock-sync-state';
import { jsonEqual } from '../segments';

export type MockSyncOptions = {
  /** Whether an OS keyring is available (default true); without one tokens go to a user-only file, as in Rust. */
  keyring?: boolean;
  /** The token each simulated server (by base URL) accepts; a server not listed accepts the first token it is given. */
  remoteTokens?: Record<string, string>;
};

/** Another client at work on a simulated remote, for tests and demos (a conflict needs one). */
export type RemoteHandle = {
  /** The remote's copy of `key`, read back as a segment (null when it has none). */
  get(key: string): Segment | null;
  /** Every key on the remote, as a pull would name them. */
  keys(): string[];
  /** Edits the remote's copy of `key`, as someone using the hosted app would. */
  edit(key: string, fields: Partial<Omit<Segment, 'key'>>): void;
  /** Creates a segment on the remote. */
  add(segment: Segment): void;
  remove(key: string): void;
  /** From now on the server accepts only this token (the stored one stops working unless it is this). */
  acceptToken(token: string): void;
};

/** Remotes and sync for the MockBackend: one simulated server per dialect, URL and project. */
export class MockSync {
  /** Tokens, as a keyring would hold them: written once, read only to send a request, never handed out. */
  readonly #tokens = new Map<string, string>();
  private readonly remotes = new Map<string, RemoteState>();
  private readonly servers = new Map<string, SimulatedRemote>();
  private nextCredential = 1;

  constructor(
    private readonly local: LocalSegments,
    private readonly options: MockSyncOptions,
    private readonly tick: () => Promise<void>,
  ) {}

  /** Queues `key` for every remote but `except` (the one a change came from). */
  enqueue(key: string, except?: string): void {
    for (const state of this.remotes.values()) if (state.name !== except) state.enqueue(key);
  }

  // ------------------------------------------------------------ remotes

  listRemotes(): RemoteInfo[] {
    return [...this.remotes.values()].map((s) => ({ ...s.info })).sort((a, b) => a.name.localeCompare(b.name));
  }

  addRemote(remote: NewRemote): RemoteInfo {
    const { baseUrl, projectId } = checkRemote(remote);
    if (this.remotes.has(remote.name)) {
      throw ipcError('conflict', `a remote "${remote.name}" already exists; choose another name or remove that remote first`);
    }
    const token = checkToken(remote.token);
    const credentialId = `segment-studio-${this.nextCredential++}`;
    this.#tokens.set(credentialId, token);
    const keyring = this.options.keyring ?? true;
    const info: RemoteInfo = {
      name: remote.name,
      dialect: remote.dialect,
      baseUrl,
      projectId,
      credential: keyring ? 'keyring' : 'file',
      credentialNote: keyring
        ? 'in the OS keyring'
        : `in the file ~/.local/share/segment-studio/credentials/${credentialId} (readable only by you), because no keyring service is running`,
    };
    const state = new RemoteState(info, credentialId, this.server(remote.dialect, baseUrl, projectId));
    this.remotes.set(remote.name, state);
    // Every existing segment is queued for a new remote, so the first push sends them all.
    for (const key of this.local.keys()) state.enqueue(key);
    return { ...info };
  }

  removeRemote(name: string): RemoteInfo {
    const state = this.state(name);
    this.remotes.delete(name);
    this.#tokens.delete(state.credentialId);
    return { ...state.info };
  }

  /** Stores a new token under the remote's credential; like the first one, it is never handed out. */
  replaceToken(name: string, token: string): RemoteInfo {
    const state = this.state(name);
    this.#tokens.set(state.credentialId, checkToken(token));
    return { ...state.info };
  }

  testRemote(name: string): number {
    const { state, token } = this.run(name, () => {});
    return request(state, null, () => state.server.list(token)).length;
  }

  // ------------------------------------------------------------ sync

  pull(name: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
    return pull(this.run(name, onProgress));
  }

  push(name: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
    return push(this.run(name, onProgress));
  }

  status(name: string): SyncStatus {
    const state = this.state(name);
    const pending: PendingChange[] = [];
    const waiting = new Set<string>();
    for (const [key, entry] of state.outbox) {
      const op = plannedOp(state, this.local.get(key), state.bindings.get(key));
      if (op) waiting.add(key);
      pending.push({ key, op, attempts: entry.attempts, last_error: entry.lastError });
    }
    const conflicts = [...state.conflicts].map(([key, c]) => ({ key, fields: [...c.fields] }));
    const badge = (key: string): SyncBadge =>
      state.conflicts.has(key) ? 'conflict' : !state.bindings.has(key) ? 'not_on_remote' : waiting.has(key) ? 'local_changes' : 'in_sync';
    const segments = this.local.keys().map((key) => ({ key, state: badge(key) }));
    return { remote: name, pending, conflicts, segments };
  }

  preview(name: string): PushPreview {
    const state = this.state(name);
    const { dialect, projectId } = state.info;
    const changes: PlannedChange[] = [];
    const refused: KeyMessage[] = [];
    const conflicts: string[] = [];
    for (const key of state.outbox.keys()) {
      if (state.conflicts.has(key)) {
        conflicts.push(key);
        continue;
      }
      const mine = this.local.get(key);
      const binding = state.bindings.get(key);
      const op = plannedOp(state, mine, binding);
      if (!op) continue;
      const diffs = SYNCED_FIELDS.map((field) => ({
        field,
        before: binding ? fieldValue(dialect, binding.base, field) : null,
        after: mine ? fieldValue(dialect, mine, field) : null,
      })).filter((d) => !jsonEqual(d.before, d.after));
      let body: unknown = null;
      if (mine) {
        const encoded = encode(dialect, mine, projectId, op === 'update');
        if (!encoded.ok) {
          refused.push({ key, message: `segment "${key}" cannot be pushed to "${name}" (${dialect}): ${encoded.problems.join('; ')}` });
          continue;
        }
        body = encoded.body;
        // projects and Krafter update partially: like the backend, send only what changed.
        if (op === 'update' && dialect !== 'edgeflags' && body && typeof body === 'object') {
          const changed = new Set<string>(diffs.map((d) => d.field));
          body = Object.fromEntries(Object.entries(body).filter(([field]) => changed.has(field)));
        }
      }
      changes.push({ key, op, diffs, request: requestLine(dialect, op, binding?.remoteId ?? key, projectId), body, merged: false });
    }
    // Like the backend's offline preview: diffs against the last synced versions.
    return { remote: name, checked_remote: false, linked: [], changes, refused, conflicts };
  }

  conflict(name: string, key: string): ConflictView {
    const record = this.conflictRecord(name, key);
    return {
      remote: name,
      key,
      fields: [...record.fields],
      base: structuredClone(record.base),
      mine: structuredClone(record.mine),
      theirs: structuredClone(record.theirs),
    };
  }

  /** Keep mine (the next push sends it over theirs), take theirs (applied here now), or save `edited` first and keep it. */
  resolve(name: string, key: string, take: Take, edited: JsonValue | null): void {
    const state = this.state(name);
    const record = this.conflictRecord(name, key);
    if (edited !== null) this.local.saveEdited(key, edited);
    const agreed: Binding | null =
      record.theirs && record.remoteId ? { remoteId: record.remoteId, base: record.theirs, version: record.theirsVersion } : null;
    if (take === 'mine' || edited !== null) {
      state.setBinding(key, agreed);
      state.enqueue(key);
      state.conflicts.delete(key);
    } else {
      this.local.applyFromRemote(name, key, record.theirs);
      state.noteApplied(key, agreed, false);
    }
  }

  // ------------------------------------------------------------ for tests and demos

  remoteHandle(name: string): RemoteHandle {
    const state = this.state(name);
    const server = state.server;
    const idOf = (key: string): string | null =>
      state.bindings.get(key)?.remoteId ??
      server.ids().find((id) => {
        const copy = server.peek(id)!;
        return copy.key !== null ? copy.key === key : keyFromName(copy.name) === key;
      }) ??
      null;
    const read = (key: string): Segment | null => {
      const id = idOf(key);
      const copy = id === null ? null : server.peek(id);
      const segment = copy ? decode(state.dialect, copy.object, key) : null;
      return typeof segment === 'string' ? null : segment;
    };
    return {
      get: read,
      keys: () => server.ids().map((id) => server.peek(id)!).map((c) => c.key ?? keyFromName(c.name)),
      edit: (key, fields) => {
        const current = read(key);
        if (!current) throw new Error(`the remote "${name}" has no segment "${key}"`);
        server.write(idOf(key), { ...current, ...fields, key });
      },
      add: (segment) => void server.write(null, segment),
      remove: (key) => {
        const id = idOf(key);
        if (id !== null) server.erase(id);
      },
      acceptToken: (token) => {
        server.acceptedToken = token;
      },
    };
  }

  // ------------------------------------------------------------ internals

  private state(name: string): RemoteState {
    const state = this.remotes.get(name);
    if (!state) throw ipcError('not_found', `no remote "${name}" exists; \`segments remote list\` shows the remotes there are`);
    return state;
  }

  private conflictRecord(name: string, key: string) {
    const record = this.state(name).conflicts.get(key);
    if (!record) {
      throw ipcError('not_found', `segment "${key}" has no conflict with "${name}"; \`segments sync status ${name}\` lists the conflicts`);
    }
    return record;
  }

  private run(name: string, onProgress: (p: SyncProgress) => void): Run {
    const state = this.state(name);
    const token = this.#tokens.get(state.credentialId);
    if (token === undefined) {
      throw ipcError('credential', `no token is stored for this remote (${state.credentialId}); store one with \`segments remote token NAME --token-env VAR\``);
    }
    return { state, local: this.local, token, onProgress, tick: this.tick };
  }

  private server(dialect: NewRemote['dialect'], baseUrl: string, projectId: string | null): SimulatedRemote {
    const id = `${dialect} ${baseUrl} ${projectId ?? ''}`;
    let server = this.servers.get(id);
    if (!server) {
      server = new SimulatedRemote(dialect, baseUrl, projectId, this.options.remoteTokens?.[baseUrl] ?? null);
      this.servers.set(id, server);
    }
    return server;
  }
}

/** What a push would do for one outbox entry, from local knowledge. */
function plannedOp(state: RemoteState, mine: Segment | undefined, binding: Binding | undefined) {
  if (mine && !binding) return 'create' as const;
  if (mine && binding) return differing(state.dialect, mine, binding.base).length > 0 ? ('update' as const) : null;
  return binding ? ('delete' as const) : null;
}

/** The Rust checks of a token (`credentials.rs`), worded the same; returns it trimmed, as it is stored. */
function checkToken(raw: string): string {
  const token = raw.trim();
  const invalid = (what: string) => ipcError('credential', `the token ${what}`);
  if (token === '') throw invalid('is empty');
  if (new TextEncoder().encode(token).length > 8 * 1024) throw invalid('is longer than 8 KiB');
  if (/[ \p{Cc}]/u.test(token)) throw invalid('contains spaces or control characters (was a line break pasted with it?)');
  return token;
}

/** The Rust checks of a new remote (`sync/remotes.rs`), worded the same. */
function checkRemote(remote: NewRemote): { baseUrl: string; projectId: string | null } {
  const invalid = (message: string) => ipcError('validation', message);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(remote.name)) {
    throw invalid(`the remote name "${remote.name}" must be 1 to 64 letters, digits, '.', '_' or '-'`);
  }
  const url = remote.baseUrl.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`the URL "${url}" is not valid (relative URL without a base); write it like https://api.example.com`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid(`the URL "${url}" must start with http:// or https://`);
  if (parsed.username || parsed.password) {
    throw invalid(`the URL "${url}" contains credentials; give the token separately so it stays out of the database`);
  }
  if (url.includes('?') || url.includes('#')) throw invalid(`the URL "${url}" has a query or fragment; give only the base URL`);
  const project = remote.projectId?.trim() || null;
  if (needsProject(remote.dialect) && !project) throw invalid(`a ${remote.dialect} remote needs a project id (--project ID)`);
  if (!needsProject(remote.dialect) && project) throw invalid('an edgeflags remote takes no project id; remove --project');
  if (project && (project.length > 200 || /[/?#]/.test(project))) {
    throw invalid(`the project id "${project}" is not valid: at most 200 characters, without / ? #`);
  }
  return { baseUrl: url.replace(/\/+$/, ''), projectId: project };
}
