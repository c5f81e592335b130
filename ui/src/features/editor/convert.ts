// Pure conversion between Segment rules and react-querybuilder's RuleGroupType.
//
// Mapping:
//   Group.match_type      <-> RuleGroupType.combinator ("all" | "any" | "none")
//   Condition.attribute   <-> RuleType.field
//   Condition.operator    <-> RuleType.operator
//   Condition.values      <-> RuleType.value (always the JsonValue[] array itself)
//   Condition.case_insensitive <-> RuleType.case_insensitive (kept only when present)
// The segment's own match_type/rules are the root group.
import { generateID } from 'react-querybuilder';
import type { RuleGroupType, RuleType } from 'react-querybuilder';
import type { Condition, Group, JsonValue, MatchType, Operator, Rule, Segment } from '../../lib/backend/bindings';
import { isGroup, isMatchType } from '../../lib/segments';

export interface BuilderRule extends RuleType<string, string, JsonValue[]> {
  case_insensitive?: boolean;
}

export type BuilderGroup = RuleGroupType<BuilderRule, string>;

type IdFactory = () => string;

export function isBuilderGroup(r: BuilderRule | BuilderGroup): r is BuilderGroup {
  return Array.isArray((r as BuilderGroup).rules);
}

function conditionToRule(c: Condition, newId: IdFactory): BuilderRule {
  const rule: BuilderRule = {
    id: newId(),
    field: c.attribute,
    operator: c.operator,
    value: [...c.values],
  };
  if (c.case_insensitive !== undefined) rule.case_insensitive = c.case_insensitive;
  return rule;
}

function rulesToQuery(matchType: MatchType, rules: Rule[], newId: IdFactory = generateID): BuilderGroup {
  return {
    id: newId(),
    combinator: matchType,
    rules: rules.map((r) => (isGroup(r) ? rulesToQuery(r.match_type, r.rules, newId) : conditionToRule(r, newId))),
  };
}

export function segmentToQuery(segment: Pick<Segment, 'match_type' | 'rules'>, newId: IdFactory = generateID): BuilderGroup {
  return rulesToQuery(segment.match_type, segment.rules, newId);
}

/** rqb may hand us values it created itself (e.g. "" for a fresh rule); normalise to an array. */
export function normaliseValues(value: unknown): JsonValue[] {
  if (Array.isArray(value)) return value as JsonValue[];
  if (value === undefined || value === null || value === '') return [];
  return [value as JsonValue];
}

function ruleToCondition(r: BuilderRule): Condition {
  const c: Condition = {
    attribute: r.field,
    operator: r.operator as Operator,
    values: [...normaliseValues(r.value)],
  };
  if (r.case_insensitive !== undefined) c.case_insensitive = r.case_insensitive;
  return c;
}

function combinatorToMatchType(c: string): MatchType {
  return isMatchType(c) ? c : 'all';
}

function queryToGroup(q: BuilderGroup): Group {
  return {
    match_type: combinatorToMatchType(q.combinator),
    rules: q.rules.map((r) => (isBuilderGroup(r) ? queryToGroup(r) : ruleToCondition(r))),
  };
}

/** Root group → { match_type, rules } of the segment. */
export function queryToRules(q: BuilderGroup): { match_type: MatchType; rules: Rule[] } {
  return queryToGroup(q);
}

/**
 * Replace the rules of `previous` with `next` while reusing rule ids where the
 * structure at the same position is the same kind (rule vs group). Keeps React
 * keys stable so the builder does not remount every control after a JSON edit.
 */
export function reuseIds(previous: BuilderGroup | null, next: BuilderGroup): BuilderGroup {
  if (!previous) return next;
  const walk = (p: BuilderGroup, n: BuilderGroup): BuilderGroup => ({
    ...n,
    id: p.id ?? n.id,
    rules: n.rules.map((nr, i) => {
      const pr = p.rules[i];
      if (!pr) return nr;
      if (isBuilderGroup(nr) && isBuilderGroup(pr)) return walk(pr, nr);
      if (!isBuilderGroup(nr) && !isBuilderGroup(pr)) return { ...nr, id: pr.id ?? nr.id };
      return nr;
    }),
  });
  return walk(previous, next);
}

/** Walks rqb paths ([1, 0]) to the rule or group at that position. */
export function ruleAtPath(q: BuilderGroup, path: readonly number[]): BuilderRule | BuilderGroup | null {
  let cur: BuilderRule | BuilderGroup = q;
  for (const i of path) {
    if (!isBuilderGroup(cur)) return null;
    const next: BuilderRule | BuilderGroup | undefined = cur.rules[i];
    if (!next) return null;
    cur = next;
  }
  return cur;
}

/** Map of rule/group id → rqb path. */
export function pathsById(q: BuilderGroup): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const walk = (g: BuilderGroup, path: number[]) => {
    if (g.id) out.set(g.id, path);
    g.rules.forEach((r, i) => {
      const p = [...path, i];
      if (isBuilderGroup(r)) walk(r, p);
      else if (r.id) out.set(r.id, p);
    });
  };
  walk(q, []);
  return out;
}
