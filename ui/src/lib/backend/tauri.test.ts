import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Segment, SyncProgress } from './bindings';
import { COMMAND_ARGS } from './bindings';

const invoke = vi.fn();
/** Stands in for Tauri's Channel: the handler the backend sets is what Rust messages would reach. */
class FakeChannel<T> {
  onmessage: (message: T) => void = () => {};
}
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: FakeChannel }));

const { tauriBackend, call } = await import('./tauri');

describe('tauriBackend', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue(null);
  });

  it('has one method per generated command, each invoking it', async () => {
    const b = tauriBackend() as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const commands = Object.keys(COMMAND_ARGS);
    for (const command of commands) {
      await b[command.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())]();
    }
    expect(invoke.mock.calls.map(([name]) => name as string)).toEqual(commands);
  });

  it('calls the snake_case commands with the documented argument names', async () => {
    const b = tauriBackend();
    const seg = { key: 'k', name: 'n', description: '', match_type: 'all' as const, rules: [] };
    await b.listSegments();
    await b.getSegment('k');
    await b.createSegment(seg);
    await b.updateSegment('k', seg);
    await b.deleteSegment('k');
    await b.duplicateSegment('k', 'k2');
    await b.validateSegment(seg);
    await b.explainDraft(seg, { a: 1 });
    await b.evaluateAll({ a: 1 });
    await b.listRevisions('k');
    await b.restoreRevision('k', 7);
    await b.listPersonas();
    await b.savePersona('p', { a: 1 });
    await b.deletePersona(3);
    await b.listOperators();
    await b.importSegments('[]');
    await b.exportSegments();
    expect(invoke.mock.calls).toEqual([
      ['list_segments', {}],
      ['get_segment', { key: 'k' }],
      ['create_segment', { draft: seg }],
      ['update_segment', { key: 'k', draft: seg }],
      ['delete_segment', { key: 'k' }],
      ['duplicate_segment', { key: 'k', newKey: 'k2' }],
      ['validate_segment', { draft: seg }],
      ['explain_draft', { draft: seg, context: { a: 1 } }],
      ['evaluate_all', { context: { a: 1 } }],
      ['list_revisions', { key: 'k' }],
      ['restore_revision', { key: 'k', revisionId: 7 }],
      ['list_personas', {}],
      ['save_persona', { name: 'p', context: { a: 1 } }],
      ['delete_persona', { id: 3 }],
      ['list_operators', {}],
      ['import_segments', { text: '[]' }],
      ['export_segments', {}],
    ]);
  });

  it('calls the remote and sync commands, with progress over a channel', async () => {
    const b = tauriBackend();
    const remote = { name: 'origin', dialect: 'projects' as const, baseUrl: 'https://x', projectId: 'p', token: 't' };
    await b.listRemotes();
    await b.addRemote(remote);
    await b.removeRemote('origin');
    await b.replaceToken('origin', 't2');
    await b.testRemote('origin');
    await b.syncStatus('origin');
    await b.previewPush('origin');
    await b.getConflict('origin', 'k');
    await b.resolveConflict('origin', 'k', 'mine', null);
    await b.resolveConflict('origin', 'k', 'mine', { key: 'k' });
    expect(invoke.mock.calls).toEqual([
      ['list_remotes', {}],
      ['add_remote', { remote }],
      ['remove_remote', { name: 'origin' }],
      ['replace_token', { name: 'origin', token: 't2' }],
      ['test_remote', { name: 'origin' }],
      ['sync_status', { remote: 'origin' }],
      ['preview_push', { remote: 'origin' }],
      ['get_conflict', { remote: 'origin', key: 'k' }],
      ['resolve_conflict', { remote: 'origin', key: 'k', take: 'mine', edited: null }],
      ['resolve_conflict', { remote: 'origin', key: 'k', take: 'mine', edited: { key: 'k' } }],
    ]);

    for (const [method, command] of [
      ['pullRemote', 'pull_remote'],
      ['pushRemote', 'push_remote'],
    ] as const) {
      invoke.mockReset();
      invoke.mockResolvedValue({ remote: 'origin' });
      const seen: SyncProgress[] = [];
      await b[method]('origin', (p) => seen.push(p));
      const [name, args] = invoke.mock.calls[0] as [string, { remote: string; progress: FakeChannel<SyncProgress> }];
      expect(name).toBe(command);
      expect(args.remote).toBe('origin');
      expect(args.progress).toBeInstanceOf(FakeChannel);
      args.progress.onmessage({ done: 1, total: 2, key: 'k', refused: 0, failed: 0, conflicts: 0 });
      expect(seen).toEqual([{ done: 1, total: 2, key: 'k', refused: 0, failed: 0, conflicts: 0 }]);
    }
  });

  it('resolves a command without a result (delete_persona) to null, as Rust answers it', async () => {
    await expect(tauriBackend().deletePersona(3)).resolves.toBeNull();
  });

  it('is typed by the generated Commands map', async () => {
    invoke.mockResolvedValue([]);
    const list: { key: string }[] = await call('list_segments', {});
    expect(list).toEqual([]);
    // Each line below must fail `npm run typecheck` (tsc reports an unused @ts-expect-error otherwise).
    // @ts-expect-error unknown command
    await call('list_segment', {});
    // @ts-expect-error missing argument
    await call('get_segment', {});
    // @ts-expect-error argument of the wrong type
    await call('restore_revision', { key: 'k', revisionId: '7' });
    // @ts-expect-error snake_case argument name (Tauri expects camelCase newKey)
    await call('duplicate_segment', { key: 'k', new_key: 'k2' });
    // @ts-expect-error a command without arguments takes {}
    await call('list_segments', { key: 'k' });
    // @ts-expect-error ...and only {}
    await call('export_segments', 'all');
    // @ts-expect-error the result is a Segment, not a list
    const wrong: Segment[] = await call('get_segment', { key: 'k' });
    expect(wrong).toEqual([]);
  });

  it('rejects with an IpcError, also when Tauri rejects with a bare string', async () => {
    const b = tauriBackend();
    invoke.mockRejectedValueOnce({ code: 'not_found', message: 'nope', details: [] });
    await expect(b.getSegment('x')).rejects.toEqual({ code: 'not_found', message: 'nope', details: [] });
    invoke.mockRejectedValueOnce('command get_segment not found');
    await expect(b.getSegment('x')).rejects.toEqual({ code: 'internal', message: 'command get_segment not found', details: [] });
  });
});
