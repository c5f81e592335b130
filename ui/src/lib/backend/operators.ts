import type { Operator, OperatorInfo, ValueKind } from './bindings';

function op(
  operator: Operator,
  label: string,
  value_kind: ValueKind,
  { multi = false, negated = false, aliases = [] as string[] } = {},
): OperatorInfo {
  const case_insensitive = value_kind === 'scalar' || value_kind === 'string' || value_kind === 'regex';
  return { operator, label, value_kind, multi, negated, case_insensitive, aliases };
}

/**
 * The operator catalogue used by MockBackend: a copy of the Rust engine's
 * `operator_catalog()` (same order, labels, kinds, flags and aliases). The real
 * list comes from the Rust backend via `listOperators()`; the UI never relies
 * on this constant.
 */
export const MOCK_OPERATORS: OperatorInfo[] = [
  op('eq', 'equals', 'scalar', { aliases: ['equals'] }),
  op('neq', 'does not equal', 'scalar', { negated: true, aliases: ['not_equals'] }),
  op('in', 'is one of', 'scalar', { multi: true }),
  op('not_in', 'is not one of', 'scalar', { multi: true, negated: true }),
  op('contains', 'contains', 'string'),
  op('not_contains', 'does not contain', 'string', { negated: true }),
  op('starts_with', 'starts with', 'string'),
  op('ends_with', 'ends with', 'string'),
  op('gt', 'greater than', 'number', { aliases: ['greater_than'] }),
  op('gte', 'at least', 'number'),
  op('lt', 'less than', 'number', { aliases: ['less_than'] }),
  op('lte', 'at most', 'number'),
  op('matches', 'matches regex', 'regex', { aliases: ['regex'] }),
  op('exists', 'is set', 'none'),
  op('not_exists', 'is not set', 'none', { negated: true }),
  op('semver_eq', 'version equals', 'semver'),
  op('semver_neq', 'version does not equal', 'semver', { negated: true }),
  op('semver_gt', 'version newer than', 'semver'),
  op('semver_gte', 'version at least', 'semver'),
  op('semver_lt', 'version older than', 'semver'),
  op('semver_lte', 'version at most', 'semver'),
  op('before', 'before', 'date'),
  op('after', 'after', 'date'),
  op('in_segment', 'in segment', 'segment', { multi: true }),
  op('not_in_segment', 'not in segment', 'segment', { multi: true, negated: true }),
];
