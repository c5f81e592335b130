import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Segment } from './bindings';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { TauriBackend, call } = await import('./tauri');

describe('TauriBackend', () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue(null);
  });

  it('calls the snake_case commands with the documented argument names', async () => {
    const b = new TauriBackend();
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

  it('resolves delete_persona (null) to undefined', async () => {
    await expect(new TauriBackend().deletePersona(3)).resolves.toBeUndefined();
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
    const b = new TauriBackend();
    invoke.mockRejectedValueOnce({ code: 'not_found', message: 'nope', details: [] });
    await expect(b.getSegment('x')).rejects.toEqual({ code: 'not_found', message: 'nope', details: [] });
    invoke.mockRejectedValueOnce('command get_segment not found');
    await expect(b.getSegment('x')).rejects.toEqual({ code: 'internal', message: 'command get_segment not found', details: [] });
  });
});
