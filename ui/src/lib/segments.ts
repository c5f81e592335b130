import type { Condition, Group, JsonValue, MatchType, Rule, Segment } from './backend/bindings';

export const MATCH_TYPES: readonly MatchType[] = ['all', 'any', 'none'];

export const MATCH_TYPE_LABELS: Record<MatchType, string> = {
  all: 'All of',
  any: 'Any of',
  none: 'None of',
};

export function isMatchType(v: unknown): v is MatchType {
  return v === 'all' || v === 'any' || v === 'none';
}

/** A Group has `rules`, a Condition has `attribute`. */
export function isGroup(rule: Rule): rule is Group {
  return Array.isArray((rule as Group).rules);
}

/** Canonical field order so JSON views and diffs are stable. */
export function canonicalSegment(segment: Segment): Segment {
  const canonRule = (r: Rule): Rule => {
    if (isGroup(r)) return { match_type: r.match_type, rules: r.rules.map(canonRule) };
    const c: Condition = { attribute: r.attribute, operator: r.operator, values: r.values };
    if (r.case_insensitive !== undefined) c.case_insensitive = r.case_insensitive;
    return c;
  };
  return {
    key: segment.key,
    name: segment.name,
    description: segment.description,
    match_type: segment.match_type,
    rules: segment.rules.map(canonRule),
  };
}

export function prettySegment(segment: Segment): string {
  return JSON.stringify(canonicalSegment(segment), null, 2);
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A backend path ("rules[1].rules[0].values[2]") split into its parts. */
export type ParsedPath = {
  /** Indices of the rule (condition or group) the path points into; [] = the segment / root group. */
  rulePath: number[];
  /** The field inside that rule or segment: "attribute", "operator", "values", "rules", "key", … or null. */
  field: string | null;
  /** For "values[2]": 2. */
  valueIndex: number | null;
};

const TOKEN = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/;

export function parsePath(path: string): ParsedPath | null {
  const out: ParsedPath = { rulePath: [], field: null, valueIndex: null };
  if (path === '') return out;
  const tokens = path.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const m = TOKEN.exec(tokens[i]);
    if (!m) return null;
    const [, name, index] = m;
    const last = i === tokens.length - 1;
    if (name === 'rules' && index !== undefined) {
      out.rulePath.push(Number(index));
      continue;
    }
    if (!last) return null;
    out.field = name;
    if (index !== undefined) out.valueIndex = Number(index);
  }
  return out;
}

/** [1, 0] → "2.1" (1-based, as shown to people). */
export function rulePathLabel(rulePath: readonly number[]): string {
  return rulePath.map((i) => i + 1).join('.');
}

const FIELD_WORDS: Record<string, string> = {
  case_insensitive: 'ignore case',
  match_type: 'match type',
  rules: 'rules',
};

/**
 * A validation path in 1-based words, as the editor numbers rules: "[1].rules[0].values[2]" →
 * "segment 2 · rule 1 · value 3" (a leading "[n]" is the item's place in an import file).
 */
export function pathInWords(path: string): string {
  const item = /^\[(\d+)\]\.?/.exec(path);
  const rest = item ? path.slice(item[0].length) : path;
  const words = item ? [`segment ${Number(item[1]) + 1}`] : [];
  const parsed = parsePath(rest);
  if (!parsed) return [...words, rest].join(' · ');
  if (parsed.rulePath.length > 0) words.push(`rule ${rulePathLabel(parsed.rulePath)}`);
  if (parsed.field === 'values' && parsed.valueIndex !== null) words.push(`value ${parsed.valueIndex + 1}`);
  else if (parsed.field) words.push(FIELD_WORDS[parsed.field] ?? parsed.field.replace(/_/g, ' '));
  return words.join(' · ');
}

export function formatJsonValue(v: JsonValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return `"${v}"`;
  return JSON.stringify(v);
}
