import type { OperatorInfo } from './bindings';

/**
 * The operator catalogue used by MockBackend. The real list comes from the
 * Rust backend via `listOperators()`; the UI never relies on this constant.
 */
export const MOCK_OPERATORS: OperatorInfo[] = [
  { operator: 'eq', label: 'is', value_kind: 'scalar', multi: false, negated: false, aliases: ['=', '==', 'equals'] },
  { operator: 'neq', label: 'is not', value_kind: 'scalar', multi: false, negated: true, aliases: ['!=', 'not_equals'] },
  { operator: 'in', label: 'is one of', value_kind: 'scalar', multi: true, negated: false, aliases: ['one_of'] },
  { operator: 'not_in', label: 'is not one of', value_kind: 'scalar', multi: true, negated: true, aliases: ['not_one_of'] },
  { operator: 'contains', label: 'contains', value_kind: 'string', multi: false, negated: false, aliases: [] },
  { operator: 'not_contains', label: 'does not contain', value_kind: 'string', multi: false, negated: true, aliases: [] },
  { operator: 'starts_with', label: 'starts with', value_kind: 'string', multi: false, negated: false, aliases: ['begins_with'] },
  { operator: 'ends_with', label: 'ends with', value_kind: 'string', multi: false, negated: false, aliases: [] },
  { operator: 'matches', label: 'matches regex', value_kind: 'regex', multi: false, negated: false, aliases: ['regex'] },
  { operator: 'gt', label: 'is greater than', value_kind: 'number', multi: false, negated: false, aliases: ['>'] },
  { operator: 'gte', label: 'is at least', value_kind: 'number', multi: false, negated: false, aliases: ['>='] },
  { operator: 'lt', label: 'is less than', value_kind: 'number', multi: false, negated: false, aliases: ['<'] },
  { operator: 'lte', label: 'is at most', value_kind: 'number', multi: false, negated: false, aliases: ['<='] },
  { operator: 'exists', label: 'is set', value_kind: 'none', multi: false, negated: false, aliases: ['present'] },
  { operator: 'not_exists', label: 'is not set', value_kind: 'none', multi: false, negated: true, aliases: ['absent'] },
  { operator: 'semver_eq', label: 'version is', value_kind: 'semver', multi: false, negated: false, aliases: [] },
  { operator: 'semver_neq', label: 'version is not', value_kind: 'semver', multi: false, negated: true, aliases: [] },
  { operator: 'semver_gt', label: 'version is newer than', value_kind: 'semver', multi: false, negated: false, aliases: [] },
  { operator: 'semver_gte', label: 'version is at least', value_kind: 'semver', multi: false, negated: false, aliases: [] },
  { operator: 'semver_lt', label: 'version is older than', value_kind: 'semver', multi: false, negated: false, aliases: [] },
  { operator: 'semver_lte', label: 'version is at most', value_kind: 'semver', multi: false, negated: false, aliases: [] },
  { operator: 'before', label: 'is before', value_kind: 'date', multi: false, negated: false, aliases: [] },
  { operator: 'after', label: 'is after', value_kind: 'date', multi: false, negated: false, aliases: [] },
  { operator: 'in_segment', label: 'is in segment', value_kind: 'segment', multi: false, negated: false, aliases: [] },
  { operator: 'not_in_segment', label: 'is not in segment', value_kind: 'segment', multi: false, negated: true, aliases: [] },
];
