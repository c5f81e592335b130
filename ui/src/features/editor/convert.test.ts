import { describe, expect, it } from 'vitest';
import type { Rule, Segment } from '../../lib/backend/bindings';
import { canonicalSegment } from '../../lib/segments';
import { isBuilderGroup, queryToRules, reuseIds, ruleAtPath, segmentToQuery } from './convert';
import type { BuilderGroup } from './convert';

function counter() {
  let n = 0;
  return () => `id-${++n}`;
}

const nested: Segment = {
  key: 'nested',
  name: 'Nested',
  description: '',
  match_type: 'any',
  rules: [
    { attribute: 'country', operator: 'in', values: ['DE', 'FR', 3, true] },
    {
      match_type: 'none',
      rules: [
        { attribute: 'email', operator: 'ends_with', values: ['@acme.com'], case_insensitive: true },
        { attribute: 'plan', operator: 'eq', values: ['free'], case_insensitive: false },
        { match_type: 'all', rules: [{ attribute: 'seats', operator: 'gt', values: [10] }] },
        { match_type: 'any', rules: [] },
      ],
    },
    { attribute: 'beta', operator: 'exists', values: [] },
    { attribute: 'meta', operator: 'eq', values: [{ nested: [1, null] }] },
  ],
};

describe('segment ⇄ react-querybuilder conversion', () => {
  it('maps match types to combinators and conditions to rules', () => {
    const q = segmentToQuery(nested, counter());
    expect(q.combinator).toBe('any');
    expect(q.rules[0]).toEqual({ id: 'id-2', field: 'country', operator: 'in', value: ['DE', 'FR', 3, true] });
    const group = q.rules[1] as BuilderGroup;
    expect(isBuilderGroup(group)).toBe(true);
    expect(group.combinator).toBe('none');
    expect(group.rules[0]).toMatchObject({ field: 'email', operator: 'ends_with', case_insensitive: true });
  });

  it('round-trips nested groups losslessly', () => {
    const q = segmentToQuery(nested, counter());
    const back = queryToRules(q);
    expect(back).toEqual({ match_type: nested.match_type, rules: nested.rules });
    // deep groups, empty groups, explicit false and absent case_insensitive all survive
    expect(JSON.stringify(back.rules)).toBe(JSON.stringify(nested.rules));
  });

  it('does not add case_insensitive where there was none', () => {
    const back = queryToRules(segmentToQuery(nested, counter()));
    expect('case_insensitive' in (back.rules[0] as object)).toBe(false);
    expect((back.rules[1] as { rules: Rule[] }).rules[1]).toEqual({
      attribute: 'plan',
      operator: 'eq',
      values: ['free'],
      case_insensitive: false,
    });
  });

  it('round-trips every demo-like shape through canonical JSON', () => {
    const segs: Segment[] = [
      { key: 'a', name: 'A', description: 'd', match_type: 'all', rules: [] },
      { key: 'b', name: 'B', description: '', match_type: 'none', rules: [{ match_type: 'all', rules: [{ match_type: 'any', rules: [] }] }] },
    ];
    for (const s of segs) {
      const back = { ...s, ...queryToRules(segmentToQuery(s)) };
      expect(canonicalSegment(back)).toEqual(canonicalSegment(s));
    }
  });

  it('gives every rule and group a unique id', () => {
    const q = segmentToQuery(nested);
    const ids: string[] = [];
    const walk = (g: BuilderGroup) => {
      ids.push(g.id!);
      for (const r of g.rules) {
        if (isBuilderGroup(r)) walk(r);
        else ids.push(r.id!);
      }
    };
    walk(q);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('normalises values rqb created itself and unknown combinators', () => {
    const q: BuilderGroup = {
      combinator: 'and',
      rules: [
        { field: 'plan', operator: 'eq', value: '' as unknown as [] },
        { field: 'plan', operator: 'eq', value: 'pro' as unknown as [] },
      ],
    };
    expect(queryToRules(q)).toEqual({
      match_type: 'all',
      rules: [
        { attribute: 'plan', operator: 'eq', values: [] },
        { attribute: 'plan', operator: 'eq', values: ['pro'] },
      ],
    });
  });

  it('reuses ids of rules at the same position after a JSON edit', () => {
    const before = segmentToQuery(nested, counter());
    const edited = structuredClone(nested);
    (edited.rules[0] as { values: unknown[] }).values = ['US'];
    const after = reuseIds(before, segmentToQuery(edited));
    expect(after.id).toBe(before.id);
    expect(after.rules[0].id).toBe(before.rules[0].id);
    expect(ruleAtPath(after, [1, 2, 0])?.id).toBe(ruleAtPath(before, [1, 2, 0])?.id);
    expect(queryToRules(after).rules[0]).toEqual({ attribute: 'country', operator: 'in', values: ['US'] });
  });
});
