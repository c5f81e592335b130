import type { IpcError, JsonValue, RemoteInfo, Segment } from './bindings';
import { ipcError } from './errors';
import { HttpFailure } from './mock-remote-server';
import type { SimulatedRemote } from './mock-remote-server';
import { jsonEqual } from '../segments';

/** What the sync needs from the local database (the MockBackend). */
export interface LocalSegments {
  /** Every local key, sorted. */
  keys(): string[];
  get(key: string): Segment | undefined;
  /**
   * A change that came from `remote`: recorded as its revision and queued for the other
   * remotes. Throws an IpcError when it would break a reference.
   */
  applyFromRemote(remote: string, key: string, segment: Segment | null): void;
  /** The user's edited document (resolving a conflict), through the same checks as a save. */
  saveEdited(key: string, draft: JsonValue): void;
}

/** What both sides last agreed on for one segment. */
export type Binding = { remoteId: string; base: Segment; version: string | null };

/** A segment waiting for the user. */
export type ConflictRecord = {
  remoteId: string | null;
  base: Segment | null;
  mine: Segment | null;
  theirs: Segment | null;
  theirsVersion: string | null;
  fields: string[];
};

type OutboxEntry = { attempts: number; lastError: string | null };

/** One remote's sync records: bindings, the outbox (in order) and conflicts, as the Rust store keeps them. */
export class RemoteState {
  readonly bindings = new Map<string, Binding>();
  readonly outbox = new Map<string, OutboxEntry>();
  readonly conflicts = new Map<string, ConflictRecord>();

  constructor(
    readonly info: RemoteInfo,
    readonly credentialId: string,
    readonly server: SimulatedRemote,
  ) {}

  get name(): string {
    return this.info.name;
  }

  get dialect() {
    return this.info.dialect;
  }

  /** Queues a change; a segment already waiting keeps its place and forgets its last error. */
  enqueue(key: string): void {
    this.outbox.set(key, { attempts: 0, lastError: null });
  }

  bindingByRemoteId(id: string): [string, Binding] | undefined {
    return [...this.bindings].find(([, b]) => b.remoteId === id);
  }

  setBinding(key: string, binding: Binding | null): void {
    if (binding) this.bindings.set(key, binding);
    else this.bindings.delete(key);
  }

  /**
   * After a write both sides agree on: the binding as agreed, the outbox entry done when
   * the local segment is still what was sent, and any conflict gone.
   */
  notePushed(key: string, local: Segment | undefined, sent: Segment | null, binding: Binding | null): void {
    this.setBinding(key, binding);
    if (jsonEqual(local ?? null, sent)) this.outbox.delete(key);
    this.conflicts.delete(key);
  }

  /** A remote change applied locally: the binding, the outbox entry kept only when local changes remain to send. */
  noteApplied(key: string, binding: Binding | null, stillPending: boolean): void {
    this.setBinding(key, binding);
    if (stillPending) {
      if (!this.outbox.has(key)) this.enqueue(key);
    } else {
      this.outbox.delete(key);
    }
    this.conflicts.delete(key);
  }

  noteFailure(key: string, message: string): void {
    const entry = this.outbox.get(key);
    if (entry) this.outbox.set(key, { attempts: entry.attempts + 1, lastError: message });
  }
}

/** Failures about the whole remote (its token, role, address): a run stops at once instead of failing every segment alike. */
export function isRemoteWide(error: IpcError): boolean {
  return ['unauthorized', 'forbidden', 'network', 'credential'].includes(error.code);
}

/** An HTTP failure in the words of the Rust `SyncError` for it. */
export function explain(state: RemoteState, failure: unknown, key: string | null): IpcError {
  if (!(failure instanceof HttpFailure)) throw failure;
  const remote = state.name;
  const { status, detail } = failure;
  if (status === null) return ipcError('network', `cannot reach ${state.info.baseUrl}: ${detail}`);
  if (status === 401) {
    return ipcError(
      'unauthorized',
      `the remote "${remote}" refused the token (401 Unauthorized: ${detail}); it is wrong, expired or revoked. Store a new one with \`segments remote token ${remote} --token-env VAR\` or with "Replace token" on the Remotes page`,
    );
  }
  if (status === 403) {
    return ipcError(
      'forbidden',
      `the token of "${remote}" is not allowed to do this (403 Forbidden: ${detail}); it needs a token allowed to manage segments. Ask an admin for that access, then store the new token`,
    );
  }
  if ([400, 404, 409, 412, 415, 422].includes(status) && key !== null) {
    return ipcError('remote', `the remote "${remote}" refused segment "${key}" (${status}: ${detail})`);
  }
  return ipcError('remote', `the remote answered ${status}: ${detail}`);
}

/** Runs one request against the simulated server, putting a failure in words. */
export function request<T>(state: RemoteState, key: string | null, send: () => T): T {
  try {
    return send();
  } catch (e) {
    throw explain(state, e, key);
  }
}
