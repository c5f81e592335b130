import { describe, expect, it } from 'vitest';
import type { SegmentSummary } from '../../lib/backend/bindings';
import { filterSegments, sortSegments } from './filter';

const s = (key: string, name: string, attributes: string[], updated_at: string, condition_count = 1): SegmentSummary => ({
  key,
  name,
  description: '',
  match_type: 'all',
  condition_count,
  attributes,
  updated_at,
});

const list = [
  s('beta', 'Beta testers', ['email'], '2025-01-03T00:00:00Z', 2),
  s('eu', 'EU customers', ['country', 'plan'], '2025-01-01T00:00:00Z', 3),
  s('ios', 'iOS users', ['platform'], '2025-01-02T00:00:00Z', 1),
];

describe('segment list filtering', () => {
  it('matches key, name and attributes, case-insensitively, all terms', () => {
    expect(filterSegments(list, 'BETA').map((x) => x.key)).toEqual(['beta']);
    expect(filterSegments(list, 'customers').map((x) => x.key)).toEqual(['eu']);
    expect(filterSegments(list, 'platform').map((x) => x.key)).toEqual(['ios']);
    expect(filterSegments(list, 'eu plan').map((x) => x.key)).toEqual(['eu']);
    expect(filterSegments(list, 'attr:coun').map((x) => x.key)).toEqual(['eu']);
    expect(filterSegments(list, 'attr:ios')).toEqual([]);
    expect(filterSegments(list, '  ')).toHaveLength(3);
  });

  it('sorts', () => {
    expect(sortSegments(list, 'updated').map((x) => x.key)).toEqual(['beta', 'ios', 'eu']);
    expect(sortSegments(list, 'conditions').map((x) => x.key)).toEqual(['eu', 'beta', 'ios']);
    expect(sortSegments(list, 'name').map((x) => x.key)).toEqual(['beta', 'eu', 'ios']);
  });
});
