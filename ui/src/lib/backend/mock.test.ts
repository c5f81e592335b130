import { describe, expect, it } from 'vitest';
import type { Segment, TraceNode } from './bindings';
import { MockBackend } from './mock';

const cond = (t: TraceNode, i: number) => (t.kind === 'group' ? t.children[i] : t);

describe('MockBackend', () => {
  it('validates with exact paths', async () => {
    const b = new MockBackend();
    const issues = await b.validateSegment({
      key: 'Bad Key',
      name: '',
      description: '',
      match_type: 'all',
      rules: [
        { attribute: 'a', operator: 'eq', values: ['x'] },
        { match_type: 'any', rules: [{ attribute: 'n', operator: 'gt', values: ['lots'] }, { match_type: 'all', rules: [] }] },
      ],
    });
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['key', 'invalid_key'],
      ['name', 'required'],
      ['rules[1].rules[0].values[0]', 'not_a_number'],
      ['rules[1].rules[1].rules', 'empty_group'],
    ]);
    expect(await b.validateSegment({ key: 'k', name: 'n', description: '', match_type: 'all', rules: [] })).toEqual([
      { path: 'rules', code: 'empty_rules', message: 'Add at least one condition.' },
    ]);
  });

  it('explains with reasons per condition', async () => {
    const b = new MockBackend();
    const draft = (await b.getSegment('eu-customers')) as unknown as Segment;
    const us = await b.explainDraft(draft, { country: 'US', plan: 'free' });
    expect(us.matched).toBe(false);
    expect(cond(us.trace, 0)).toMatchObject({ matched: false, reason: 'no_value_matched', actual: 'US', present: true });
    expect(cond(us.trace, 1)).toMatchObject({ matched: false, reason: 'negated' });
    const missing = await b.explainDraft(draft, {});
    expect(cond(missing.trace, 0)).toMatchObject({ reason: 'attribute_missing', present: false });
    const de = await b.explainDraft(draft, { country: 'DE', plan: 'pro' });
    expect(de.matched).toBe(true);
    expect(de.trace).toMatchObject({ kind: 'group', path: '', match_type: 'all' });
    expect(cond(de.trace, 1).path).toBe('rules[1]');
  });

  it('evaluates nested segments, semver and numbers', async () => {
    const b = new MockBackend();
    const ctx = { country: 'DE', plan: 'pro', sessions_last_30d: 42, seats: 1, platform: 'ios', app_version: '17.2.0' };
    const all = await b.evaluateAll(ctx);
    expect(Object.fromEntries(all.map((m) => [m.key, m.matched]))).toEqual({
      'beta-testers': false,
      'eu-customers': true,
      'eu-power-users': true,
      'ios-17-plus': true,
      'power-users': true,
    });
    const notNumber = await b.explainDraft(
      { key: 'x', name: 'x', description: '', match_type: 'all', rules: [{ attribute: 'seats', operator: 'gt', values: [1] }] },
      { seats: 'many' },
    );
    expect(cond(notNumber.trace, 0).kind === 'condition' && cond(notNumber.trace, 0)).toMatchObject({ reason: 'not_a_number' });
  });

  it('keeps revisions, restores, deletes and refuses broken references', async () => {
    const b = new MockBackend();
    const revs = await b.listRevisions('power-users');
    expect(revs.map((r) => r.action)).toEqual(['update', 'update', 'create']);
    const restored = await b.restoreRevision('power-users', revs[1].id);
    expect(restored.rules[0]).toEqual({ attribute: 'sessions_last_30d', operator: 'gte', values: [15] });
    expect((await b.listRevisions('power-users'))[0].action).toBe('restore');

    await expect(b.deleteSegment('eu-customers')).rejects.toMatchObject({ code: 'reference' });
    const del = await b.deleteSegment('beta-testers');
    expect(del.previous?.key).toBe('beta-testers');
    await expect(b.getSegment('beta-testers')).rejects.toMatchObject({ code: 'not_found' });
    await b.createSegment(del.previous!);
    expect((await b.getSegment('beta-testers')).name).toBe('Beta testers');
  });

  it('rejects duplicates and imports any accepted format', async () => {
    const b = new MockBackend();
    const seg = await b.getSegment('beta-testers');
    await expect(b.createSegment(seg)).rejects.toMatchObject({ code: 'conflict', details: [{ path: 'key' }] });
    await expect(b.importSegments('{oops')).rejects.toMatchObject({ code: 'invalid_json' });
    const report = await b.importSegments(JSON.stringify({ segments: [seg, { ...seg, key: 'beta-2' }] }));
    expect(report).toEqual({ created: ['beta-2'], updated: ['beta-testers'] });
    const round = await b.importSegments(await b.exportSegments());
    expect(round.created).toEqual([]);
    await expect(b.importSegments(JSON.stringify([{ ...seg, key: 'x', rules: [] }]))).rejects.toMatchObject({
      code: 'validation',
      details: [{ path: '[0].rules' }],
    });
  });
});
