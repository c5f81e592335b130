import type { KeyMessage, Segment, SyncProgress, SyncReport } from './bindings';
import { ipcError, isIpcError, toIpcError } from './errors';
import { decode, differing, encode, merge } from './mock-dialects';
import { keyFromName, validateKey } from './mock-engine';
import type { RemoteCopy } from './mock-remote-server';
import { isRemoteWide, request } from './mock-sync-state';
import type { Binding, LocalSegments, RemoteState } from './mock-sync-state';

/**
 * Pull and push against a simulated remote, following the Rust sync (`sync/pull.rs`,
 * `sync/push.rs`) step for step, minus what only a real network needs (retries, lost
 * answers, ETag races).
 */
export type Run = {
  state: RemoteState;
  local: LocalSegments;
  token: string;
  onProgress: (p: SyncProgress) => void;
  /** The mock's latency, so progress can be seen in the browser. */
  tick: () => Promise<void>;
};

function emptyReport(remote: string): SyncReport {
  return {
    remote,
    created: [],
    updated: [],
    deleted: [],
    linked: [],
    merged: [],
    conflicts: [],
    refused: [],
    failed: [],
    missing_on_remote: [],
    requests: 0,
    retries: 0,
  };
}

function bindingOf(copy: RemoteCopy, base: Segment): Binding {
  return { remoteId: copy.id, base, version: copy.version };
}

function readCopy(run: Run, copy: RemoteCopy, key: string): Segment {
  const theirs = decode(run.state.dialect, copy.object, key);
  if (typeof theirs === 'string') {
    throw ipcError('remote', `the remote's response is not what its API documents: the remote's copy of "${key}" cannot be read: ${theirs}`);
  }
  return theirs;
}

// ------------------------------------------------------------------ pull

export async function pull(run: Run): Promise<SyncReport> {
  const { state } = run;
  const before = state.server.requests;
  const listing = request(state, null, () => state.server.list(run.token));
  const report = emptyReport(state.name);
  const seen = new Set<string>();
  let done = 0;
  // A segment that references one later in the listing waits for it: retry the deferred ones while a round makes progress.
  let waiting = listing;
  for (;;) {
    const deferred: RemoteCopy[] = [];
    const lastErrors: KeyMessage[] = [];
    for (const copy of waiting) {
      await run.tick();
      try {
        pullOne(run, copy, report, seen);
      } catch (e) {
        const error = toIpcError(e);
        const key = copy.key ?? copy.name;
        if (error.details.some((d) => d.code === 'unknown_segment')) {
          deferred.push(copy);
          lastErrors.push({ key, message: error.message });
          continue;
        }
        report.failed.push({ key, message: error.message });
      }
      run.onProgress({ done: ++done, total: listing.length, key: copy.name });
    }
    if (deferred.length === 0) break;
    if (deferred.length === waiting.length) {
      report.failed.push(...lastErrors);
      break;
    }
    waiting = deferred;
  }
  for (const [key, binding] of state.bindings) if (!seen.has(binding.remoteId)) report.missing_on_remote.push(key);
  report.requests = state.server.requests - before;
  return report;
}

function pullOne(run: Run, copy: RemoteCopy, report: SyncReport, seen: Set<string>): void {
  const { state, local } = run;
  const dialect = state.dialect;
  seen.add(copy.id);
  const bound = state.bindingByRemoteId(copy.id);
  let key: string;
  if (bound) key = bound[0];
  else if (copy.key === null) key = localKeyFor(run, copy);
  else if (validateKey(copy.key).length > 0) {
    const message = `the remote's key "${copy.key}" is not a valid local key (lowercase letters, digits, '.', '_', '-'); rename it on the remote to pull it`;
    report.refused.push({ key: copy.key, message });
    return;
  } else key = copy.key;

  const theirs = decode(dialect, copy.object, key);
  if (typeof theirs === 'string') {
    report.refused.push({ key, message: `the remote's segment "${copy.key ?? copy.name}" cannot be read: ${theirs}` });
    return;
  }
  const mine = local.get(key);
  const conflict = (base: Segment | null, fields: string[]) => {
    state.conflicts.set(key, { remoteId: copy.id, base, mine: mine ?? null, theirs, theirsVersion: copy.version, fields });
    report.conflicts.push(key);
  };

  if (!bound) {
    if (!mine) {
      local.applyFromRemote(state.name, key, theirs);
      state.noteApplied(key, bindingOf(copy, theirs), false);
      report.created.push(key);
    } else if (differing(dialect, mine, theirs).length === 0) {
      state.notePushed(key, mine, mine, bindingOf(copy, mine));
      report.linked.push(key);
    } else {
      conflict(null, differing(dialect, mine, theirs));
    }
    return;
  }
  const base = bound[1].base;
  if (differing(dialect, base, theirs).length === 0) return; // the remote did not change
  if (!mine) {
    conflict(base, ['deleted']); // deleted here, changed there: the user decides
  } else if (differing(dialect, base, mine).length === 0) {
    // Only the fields the remote changed: the others keep their local spelling.
    const updated = merge(dialect, base, mine, theirs);
    local.applyFromRemote(state.name, key, 'clean' in updated ? updated.clean : theirs);
    state.noteApplied(key, bindingOf(copy, theirs), false);
    report.updated.push(key);
  } else if (differing(dialect, mine, theirs).length === 0) {
    state.notePushed(key, mine, mine, bindingOf(copy, mine));
    report.linked.push(key);
  } else {
    const merged = merge(dialect, base, mine, theirs);
    if ('conflict' in merged) {
      conflict(base, merged.conflict);
      return;
    }
    local.applyFromRemote(state.name, key, merged.clean);
    state.noteApplied(key, bindingOf(copy, theirs), differing(dialect, merged.clean, theirs).length > 0);
    report.merged.push(key);
  }
}

/** A local key for a Krafter segment (which has none): from its name, unique among local segments not already this one. */
function localKeyFor(run: Run, copy: RemoteCopy): string {
  const stem = keyFromName(copy.name);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? stem : `${stem.slice(0, 128 - `-${n}`.length).replace(/-+$/, '')}-${n}`;
    const mine = run.local.get(candidate);
    if (!mine) return candidate;
    const theirs = decode(run.state.dialect, copy.object, candidate);
    const same = typeof theirs !== 'string' && differing(run.state.dialect, mine, theirs).length === 0;
    if (!run.state.bindings.has(candidate) && same) return candidate;
  }
}

// ------------------------------------------------------------------ push

export async function push(run: Run): Promise<SyncReport> {
  const { state } = run;
  const before = state.server.requests;
  const report = emptyReport(state.name);
  const keys = [...state.outbox.keys()];
  if (keys.length > 0) {
    // One listing up front, as in Rust: it proves the token before anything is written.
    request(state, null, () => state.server.list(run.token));
    let done = 0;
    for (const key of keys) {
      await run.tick();
      if (state.conflicts.has(key)) {
        report.conflicts.push(key);
      } else {
        try {
          pushOne(run, key, report);
          const refusal = report.refused.find((r) => r.key === key);
          if (refusal) state.noteFailure(key, refusal.message);
        } catch (e) {
          if (!isIpcError(e)) throw e;
          if (isRemoteWide(e)) throw e;
          state.noteFailure(key, e.message);
          report.failed.push({ key, message: e.message });
        }
      }
      run.onProgress({ done: ++done, total: keys.length, key });
    }
  }
  report.requests = state.server.requests - before;
  return report;
}

function pushOne(run: Run, key: string, report: SyncReport): void {
  const mine = run.local.get(key);
  const binding = run.state.bindings.get(key);
  if (!mine && !binding) run.state.notePushed(key, undefined, null, null); // created and deleted before any push
  else if (mine && !binding) pushCreate(run, key, mine, report);
  else if (mine && binding) pushUpdate(run, key, mine, binding, report);
  else if (binding) pushDelete(run, key, binding, report);
}

/** The body for the remote, or the refusal naming what its dialect cannot express. */
function body(run: Run, key: string, segment: Segment, update: boolean, report: SyncReport) {
  const { state } = run;
  const encoded = encode(state.dialect, segment, state.info.projectId, update);
  if (encoded.ok) return encoded.body;
  const message = `segment "${key}" cannot be pushed to "${state.name}" (${state.dialect}): ${encoded.problems.join('; ')}; change it, or keep it local`;
  report.refused.push({ key, message });
  return null;
}

function pushCreate(run: Run, key: string, mine: Segment, report: SyncReport): void {
  const { state } = run;
  const sent = body(run, key, mine, false, report);
  if (!sent) return;
  // A copy already there (same key; on Krafter an unlinked segment of the same name) is linked or a conflict, never duplicated.
  const existing = state.server
    .ids()
    .map((id) => state.server.peek(id)!)
    .find((c) => (c.key !== null ? c.key === key : c.name === mine.name && !state.bindingByRemoteId(c.id)));
  if (existing) {
    const theirs = readCopy(run, existing, key);
    const fields = differing(state.dialect, mine, theirs);
    if (fields.length === 0) {
      state.notePushed(key, mine, mine, bindingOf(existing, mine));
      report.linked.push(key);
    } else {
      state.conflicts.set(key, { remoteId: existing.id, base: null, mine, theirs, theirsVersion: existing.version, fields });
      report.conflicts.push(key);
    }
    return;
  }
  const created = request(state, key, () => state.server.create(run.token, sent));
  state.notePushed(key, mine, mine, bindingOf(created, mine));
  report.created.push(key);
}

function pushUpdate(run: Run, key: string, mine: Segment, binding: Binding, report: SyncReport): void {
  const { state, local } = run;
  const dialect = state.dialect;
  if (differing(dialect, mine, binding.base).length === 0) {
    // Nothing the remote would see changed (a local-only spelling, or an undo).
    state.notePushed(key, mine, mine, { ...binding, base: mine });
    return;
  }
  if (!body(run, key, mine, true, report)) return;
  // The remote's current copy, compared with the base, so a remote edit is merged or becomes a conflict instead of being overwritten.
  const current = request(state, key, () => state.server.get(run.token, binding.remoteId));
  if (!current) {
    state.conflicts.set(key, { remoteId: null, base: binding.base, mine, theirs: null, theirsVersion: null, fields: ['deleted'] });
    report.conflicts.push(key);
    return;
  }
  const theirs = readCopy(run, current, key);
  let sending = mine;
  if (differing(dialect, theirs, binding.base).length > 0) {
    if (differing(dialect, theirs, mine).length === 0) {
      state.notePushed(key, mine, mine, bindingOf(current, mine));
      report.linked.push(key);
      return;
    }
    const merged = merge(dialect, binding.base, mine, theirs);
    if ('conflict' in merged) {
      const fields = merged.conflict;
      state.conflicts.set(key, { remoteId: current.id, base: binding.base, mine, theirs, theirsVersion: current.version, fields });
      report.conflicts.push(key);
      return;
    }
    local.applyFromRemote(state.name, key, merged.clean);
    state.noteApplied(key, bindingOf(current, theirs), true);
    report.merged.push(key);
    sending = merged.clean;
  }
  const sent = body(run, key, sending, true, report);
  if (!sent) return;
  const updated = request(state, key, () => state.server.update(run.token, current.id, sent));
  state.notePushed(key, local.get(key), sending, bindingOf(updated, sending));
  report.updated.push(key);
}

function pushDelete(run: Run, key: string, binding: Binding, report: SyncReport): void {
  const { state } = run;
  const current = request(state, key, () => state.server.get(run.token, binding.remoteId));
  if (current) {
    const theirs = readCopy(run, current, key);
    if (differing(state.dialect, theirs, binding.base).length > 0) {
      // Deleted here, changed there: the user decides.
      const record = { remoteId: current.id, base: binding.base, mine: null, theirs, theirsVersion: current.version, fields: ['deleted'] };
      state.conflicts.set(key, record);
      report.conflicts.push(key);
      return;
    }
    request(state, key, () => state.server.delete(run.token, current.id));
  }
  state.notePushed(key, undefined, null, null);
  report.deleted.push(key);
}
