import { describe, expect, it } from 'vitest';
import type { JsonValue, Segment, TraceNode } from './bindings';
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
    // the Rust engine's codes, paths and order (name is read before key)
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['name', 'invalid_value'],
      ['key', 'invalid_key'],
      ['rules[1].rules[0].values[0]', 'invalid_value'],
      ['rules[1].rules[1].rules', 'empty_rules'],
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
    // a taken key is not a validation issue: a `conflict` error without details, as in Rust
    await expect(b.createSegment(seg)).rejects.toEqual({
      code: 'conflict',
      message: 'a segment "beta-testers" already exists; choose another key or update that segment',
      details: [],
    });
    await expect(b.duplicateSegment('beta-testers', 'eu-customers')).rejects.toMatchObject({ code: 'conflict', details: [] });
    await expect(b.importSegments('{oops')).rejects.toMatchObject({ code: 'invalid_json' });
    const report = await b.importSegments(
      JSON.stringify({ segments: [seg, { ...seg, key: 'beta-2' }, { ...(await b.getSegment('eu-customers')), name: 'EU' }] }),
    );
    expect(report).toEqual({ created: ['beta-2'], updated: ['eu-customers'], unchanged: ['beta-testers'] });
    const round = await b.importSegments(await b.exportSegments());
    expect(round.created).toEqual([]);
    expect(round.updated).toEqual([]);
    expect(round.unchanged).toHaveLength(6);
    await expect(b.importSegments(JSON.stringify([{ ...seg, key: 'x', rules: [] }]))).rejects.toMatchObject({
      code: 'validation',
      details: [{ path: '[0].rules' }],
    });
  });

  it('emits the Rust issue codes and paths', async () => {
    const b = new MockBackend();
    const check = async (rules: unknown[], extra: Record<string, unknown> = {}) =>
      (await b.validateSegment({ key: 'k', name: 'n', match_type: 'all', rules, ...extra } as JsonValue)).map((i) => [
        i.path,
        i.code,
      ]);
    expect(await check([{ attribute: 'a', operator: 'exists', values: [1] }])).toEqual([['rules[0].values', 'value_count']]);
    expect(await check([{ attribute: 'a', operator: 'in', values: [] }])).toEqual([['rules[0].values', 'value_count']]);
    expect(await check([{ attribute: 'a', operator: 'eq' }])).toEqual([['rules[0].values', 'value_count']]);
    expect(await check([{ attribute: 'a', operator: 'eq', values: [null] }])).toEqual([['rules[0].values[0]', 'invalid_value']]);
    expect(await check([{ attribute: 'a', operator: 'gte', values: [1, '2.5', 'x'] }])).toEqual([
      ['rules[0].values[2]', 'invalid_value'],
    ]);
    expect(await check([{ attribute: 'a', operator: 'semver_gt', values: ['1.4', 'v2.0.0-beta.1', '1.2.3.4'] }])).toEqual([
      ['rules[0].values[2]', 'invalid_value'],
    ]);
    expect(await check([{ attribute: 'a', operator: 'before', values: ['2026-03-31', '2026-03-31T12:00:00Z', '2026-02-30'] }])).toEqual([
      ['rules[0].values[2]', 'invalid_value'],
    ]);
    expect(await check([{ attribute: 'a', operator: 'matches', values: ['(', 1] }])).toEqual([
      ['rules[0].values[0]', 'invalid_regex'],
      ['rules[0].values[1]', 'invalid_value'],
    ]);
    expect(await check([{ attribute: 'a', operator: 'gt', values: [1], case_insensitive: true }])).toEqual([
      ['rules[0].case_insensitive', 'invalid_value'],
    ]);
    expect(await check([{ attribute: 'a', operator: 'bigger', values: [1] }])).toEqual([['rules[0].operator', 'unknown_operator']]);
    expect(await check([{ attribute: 'a', values: [1] }])).toEqual([['rules[0].operator', 'missing_field']]);
    expect(await check([{ attribute: '', operator: 'eq', values: [1] }])).toEqual([['rules[0].attribute', 'invalid_value']]);
    expect(await check([{ attribute: 1, operator: 'eq', values: 1 }])).toEqual([['rules[0].attribute', 'wrong_type']]);
    expect(await check([{ attribute: 'a', operator: 'eq', values: 1 }])).toEqual([['rules[0].values', 'wrong_type']]);
    expect(await check([{ attribute: 'a', operator: 'eq', values: [1], extra: true }])).toEqual([['rules[0].extra', 'unknown_field']]);
    expect(await check([{ match_type: 'either', rules: [] }])).toEqual([
      ['rules[0].match_type', 'invalid_match_type'],
      ['rules[0].rules', 'empty_rules'],
    ]);
    expect(await check([{ operator: 'eq', values: [1] }])).toEqual([['rules[0]', 'missing_field']]);
    expect(await b.validateSegment({ name: 'n' })).toEqual([
      expect.objectContaining({ path: 'rules', code: 'missing_field' }),
    ]);
    expect(await b.validateSegment([])).toEqual([expect.objectContaining({ path: '', code: 'wrong_type' })]);
    expect(await b.validateSegment({ key: 'k', rules: 'x' })).toEqual([expect.objectContaining({ path: 'rules', code: 'wrong_type' })]);
    // aliases are accepted and stored under the canonical name
    expect(await check([{ attribute: 'a', operator: 'greater_than', values: [1] }])).toEqual([]);
  });

  it('checks references like the Rust engine: unknown segments, then cycles', async () => {
    const b = new MockBackend();
    const seg = (key: string, refs: string[]): Segment => ({
      key,
      name: key,
      description: '',
      match_type: 'all',
      rules: [{ attribute: 'segment', operator: 'in_segment', values: refs }],
    });
    expect(await b.validateSegment(seg('a', ['beta-testers', 'nope']) as unknown as JsonValue)).toEqual([
      expect.objectContaining({ segment: 'a', path: 'rules[0].values[1]', code: 'unknown_segment' }),
    ]);
    // a self-reference is a cycle, reported at `rules`
    expect(await b.validateSegment(seg('a', ['a']) as unknown as JsonValue)).toEqual([
      expect.objectContaining({ segment: 'a', path: 'rules', code: 'reference_cycle' }),
    ]);
    // a longer cycle through stored segments: every member is reported
    await b.createSegment(seg('b', ['beta-testers']));
    await b.createSegment(seg('c', ['b']));
    const cycle = await b.validateSegment(seg('b', ['c']) as unknown as JsonValue);
    expect(cycle.map((i) => [i.segment, i.path, i.code])).toEqual([
      ['b', 'rules', 'reference_cycle'],
      ['c', 'rules', 'reference_cycle'],
    ]);
    await expect(b.updateSegment('b', seg('b', ['c']))).rejects.toMatchObject({ code: 'validation', details: cycle });
    await expect(b.explainDraft(seg('b', ['c']) as unknown as JsonValue, {})).rejects.toMatchObject({ code: 'validation' });
    // the key of a saved segment never changes
    await expect(b.updateSegment('b', seg('b2', ['beta-testers']))).rejects.toMatchObject({
      code: 'validation',
      details: [{ path: 'key', code: 'key_changed' }],
    });
  });

  it('lists the operators of the Rust catalogue', async () => {
    const ops = await new MockBackend().listOperators();
    expect(ops).toHaveLength(25);
    expect(ops[0]).toEqual({
      operator: 'eq',
      label: 'equals',
      value_kind: 'scalar',
      multi: false,
      negated: false,
      case_insensitive: true,
      aliases: ['equals'],
    });
    expect(ops.filter((o) => o.multi).map((o) => o.operator)).toEqual(['in', 'not_in', 'in_segment', 'not_in_segment']);
    expect(ops.filter((o) => o.case_insensitive).map((o) => o.value_kind)).toEqual([
      'scalar', 'scalar', 'scalar', 'scalar', 'string', 'string', 'string', 'string', 'regex',
    ]);
    expect(ops.filter((o) => o.negated).map((o) => o.operator)).toEqual([
      'neq', 'not_in', 'not_contains', 'not_exists', 'semver_neq', 'not_in_segment',
    ]);
    expect(Object.fromEntries(ops.filter((o) => o.aliases.length > 0).map((o) => [o.operator, o.aliases]))).toEqual({
      eq: ['equals'],
      neq: ['not_equals'],
      gt: ['greater_than'],
      lt: ['less_than'],
      matches: ['regex'],
    });
  });
});
