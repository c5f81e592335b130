import type { MatchType, Rule } from '../../lib/backend/bindings';
import { MATCH_TYPE_LABELS, isGroup } from '../../lib/segments';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function nestedGroups(rules: readonly Rule[]): number {
  return rules.reduce((n, r) => (isGroup(r) ? n + 1 + nestedGroups(r.rules) : n), 0);
}

/**
 * The segment's logic as the rule builder shows it: the top-level match type, how many rules sit
 * at the top level, and how many groups are nested inside, e.g. "Any of 2 rules · 1 group".
 */
export function logicSummary(matchType: MatchType, rules: readonly Rule[]): string {
  const head = `${MATCH_TYPE_LABELS[matchType] ?? matchType} ${plural(rules.length, 'rule', 'rules')}`;
  const groups = nestedGroups(rules);
  return groups > 0 ? `${head} · ${plural(groups, 'group', 'groups')}` : head;
}
