import { describe, expect, it } from 'vitest';
import type { Segment, ValidationIssue } from '../../lib/backend/bindings';
import { parsePath } from '../../lib/segments';
import { segmentToQuery } from './convert';
import { indexIssues } from './issues';

const seg: Segment = {
  key: 'k',
  name: 'n',
  description: '',
  match_type: 'all',
  rules: [
    { attribute: 'a', operator: 'eq', values: [1] },
    { match_type: 'any', rules: [{ attribute: 'b', operator: 'gt', values: ['x', 2, 'y'] }, { match_type: 'all', rules: [] }] },
  ],
};

describe('validation path mapping', () => {
  it('parses backend paths', () => {
    expect(parsePath('rules[1].rules[0].values[2]')).toEqual({ rulePath: [1, 0], field: 'values', valueIndex: 2 });
    expect(parsePath('key')).toEqual({ rulePath: [], field: 'key', valueIndex: null });
    expect(parsePath('rules')).toEqual({ rulePath: [], field: 'rules', valueIndex: null });
    expect(parsePath('rules[3]')).toEqual({ rulePath: [3], field: null, valueIndex: null });
    expect(parsePath('')).toEqual({ rulePath: [], field: null, valueIndex: null });
    expect(parsePath('rules[x]')).toBeNull();
    expect(parsePath('values[0].rules[1]')).toBeNull();
  });

  it('maps each issue to its rule id, control and a readable location', () => {
    const q = segmentToQuery(seg);
    const idx = indexIssues(
      [
        { path: 'rules[1].rules[0].values[0]', code: 'invalid_value', message: '"x" is not a number.' },
        { path: 'rules[1].rules[0].values[2]', code: 'invalid_value', message: '"y" is not a number.' },
        { path: 'rules[1].rules[1].rules', code: 'empty_rules', message: 'empty' },
        { path: 'key', code: 'invalid_key', message: 'bad key' },
        { path: 'rules[0]', code: 'missing_field', message: 'rule level' },
        { path: 'not a path!', code: 'invalid_json', message: 'odd' },
      ],
      q,
    );
    const cond = (q.rules[1] as { rules: { id?: string }[] }).rules[0];
    const values = idx.at([1, 0], 'values');
    expect(values.map((i) => i.message)).toEqual(['"x" is not a number.', '"y" is not a number.']);
    expect(values[0].ruleId).toBe(cond.id);
    expect(values[0].elementId).toBe('rule-1-0-values');
    expect(values[1].location).toBe('Condition 2.1 · value 3');
    expect(idx.byRuleId.get(cond.id!)).toHaveLength(2);

    const empty = idx.at([1, 1], 'rules');
    expect(empty[0].location).toBe('Group 2.2 · conditions');
    expect(empty[0].elementId).toBe('rule-1-1-match_type');

    expect(idx.at([], 'key')[0].elementId).toBe('segment-key');
    expect(idx.at([0], 'attribute')[0].message).toBe('rule level');
    expect(idx.all).toHaveLength(6);
    expect(idx.all[5].location).toBe('not a path!');
  });

  it('drops exact duplicates (live validation + save errors)', () => {
    const i: ValidationIssue = { path: 'key', code: 'invalid_key', message: 'm' };
    expect(indexIssues([i, { ...i }], null).all).toHaveLength(1);
  });
});
