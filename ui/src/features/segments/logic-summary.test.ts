import { describe, expect, it } from 'vitest';
import type { Rule } from '../../lib/backend/bindings';
import { logicSummary } from './logic-summary';

const c = (attribute: string): Rule => ({ attribute, operator: 'exists', values: [] });

describe('logicSummary', () => {
  it('counts top-level rules and the groups nested at any depth', () => {
    expect(logicSummary('all', [c('a'), c('b'), c('c')])).toBe('All of 3 rules');
    expect(logicSummary('none', [c('a')])).toBe('None of 1 rule');
    expect(logicSummary('any', [c('a'), { match_type: 'all', rules: [c('b'), c('c')] }])).toBe('Any of 2 rules · 1 group');
    expect(
      logicSummary('all', [{ match_type: 'any', rules: [c('a'), { match_type: 'none', rules: [c('b')] }] }]),
    ).toBe('All of 1 rule · 2 groups');
  });
});
