import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { TauriBackend } = await import('./tauri');

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
      ['list_segments', undefined],
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
      ['list_personas', undefined],
      ['save_persona', { name: 'p', context: { a: 1 } }],
      ['delete_persona', { id: 3 }],
      ['list_operators', undefined],
      ['import_segments', { text: '[]' }],
      ['export_segments', undefined],
    ]);
  });

  it('rejects with an IpcError, also when Tauri rejects with a bare string', async () => {
    const b = new TauriBackend();
    invoke.mockRejectedValueOnce({ code: 'not_found', message: 'nope', details: [] });
    await expect(b.getSegment('x')).rejects.toEqual({ code: 'not_found', message: 'nope', details: [] });
    invoke.mockRejectedValueOnce('command get_segment not found');
    await expect(b.getSegment('x')).rejects.toEqual({ code: 'internal', message: 'command get_segment not found', details: [] });
  });
});
