import type { ChangeOp, Condition, Dialect, JsonValue, Operator, Segment } from './bindings';
import { parseDraft } from './mock-engine';
import { canonicalSegment, isGroup } from '../segments';

/**
 * The three remote dialects as the Rust sync writes them (`sync/dialect.rs`): the request
 * body for each, what each cannot express (refused, never approximated), and the per-field
 * comparison and three-way merge. The mock remotes store exactly these bodies.
 */

export type JsonObject = { [k: string]: JsonValue };

const VENDOR: Record<Dialect, string> = { projects: 'the projects API', krafter: 'Krafter', edgeflags: 'EdgeFlags' };

const KRAFTER_OPERATORS: Partial<Record<Operator, string>> = {
  eq: 'equals',
  neq: 'not_equals',
  contains: 'contains',
  not_contains: 'not_contains',
  in: 'in',
  not_in: 'not_in',
  gt: 'greater_than',
  lt: 'less_than',
};

const EDGEFLAGS_OPERATORS: Partial<Record<Operator, string>> = {
  eq: 'equals',
  neq: 'not_equals',
  contains: 'contains',
  in: 'in',
  not_in: 'not_in',
  starts_with: 'starts_with',
  ends_with: 'ends_with',
  gt: 'gt',
  gte: 'gte',
  lt: 'lt',
  lte: 'lte',
  matches: 'regex',
};

const LIST_OPERATORS: Operator[] = ['in', 'not_in', 'in_segment', 'not_in_segment'];

/** The fields a merge looks at; the key is the identity and never differs. */
export const SYNCED_FIELDS = ['name', 'description', 'match_type', 'rules'] as const;

export function needsProject(dialect: Dialect): boolean {
  return dialect !== 'edgeflags';
}

export type Encoded = { ok: true; body: JsonObject } | { ok: false; problems: string[] };

/** The body of a create (`update` false) or an update, or every construct the dialect cannot express. */
export function encode(dialect: Dialect, segment: Segment, projectId: string | null, update: boolean): Encoded {
  const problems: string[] = [];
  if (segment.match_type === 'none') problems.push('match type "none" (no dialect can say "matches none of these")');
  if (dialect === 'edgeflags' && segment.match_type === 'any') {
    problems.push('match type "any" (EdgeFlags combines conditions with AND only)');
  }
  const rules: JsonValue[] = [];
  segment.rules.forEach((rule, i) => {
    if (isGroup(rule)) {
      problems.push(`rules[${i}] is a nested group (${VENDOR[dialect]} has no groups)`);
      return;
    }
    const encoded = condition(dialect, rule);
    if (typeof encoded === 'string') problems.push(`rules[${i}] ${encoded}`);
    else rules.push(encoded);
  });
  if (problems.length > 0) return { ok: false, problems };
  const head: JsonObject = {};
  if (!update && dialect !== 'krafter') head.key = segment.key;
  if (!update && dialect === 'krafter') head.project_id = projectId ?? '';
  const common = { name: segment.name, description: segment.description };
  switch (dialect) {
    case 'projects':
      return { ok: true, body: { ...head, ...common, match_type: segment.match_type, rules } };
    case 'krafter':
      return { ok: true, body: { ...head, ...common, rules, match_type: segment.match_type } };
    case 'edgeflags':
      return { ok: true, body: { ...head, ...common, conditions: rules } };
  }
}

/** One condition in the dialect's shape, or what it cannot express. */
function condition(dialect: Dialect, c: Condition): JsonObject | string {
  if (c.case_insensitive) {
    return `(${c.attribute} ${c.operator}) is case-insensitive, which ${VENDOR[dialect]} cannot express`;
  }
  const lacks = `uses the operator ${c.operator}, which ${VENDOR[dialect]} does not have`;
  if (dialect === 'projects') {
    // The projects API writes every value as a string (["true"], ["50"]).
    const values = c.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    return { attribute: c.attribute, operator: c.operator, values };
  }
  if (dialect === 'krafter') {
    const operator = KRAFTER_OPERATORS[c.operator];
    if (!operator) return lacks;
    return tooManyValues(dialect, c) ?? { key: c.attribute, operator, value: valueOf(c) };
  }
  if (c.attribute === 'segment' && c.operator !== 'in_segment' && c.operator !== 'not_in_segment') {
    return 'uses an attribute named "segment", which EdgeFlags reads as a segment reference';
  }
  const reference = c.operator === 'in_segment' ? 'in' : c.operator === 'not_in_segment' ? 'not_in' : null;
  const operator = reference ?? EDGEFLAGS_OPERATORS[c.operator];
  if (!operator) return lacks;
  return tooManyValues(dialect, c) ?? { property: reference ? 'segment' : c.attribute, operator, value: valueOf(c) };
}

function isList(c: Condition): boolean {
  return LIST_OPERATORS.includes(c.operator);
}

/** Krafter and EdgeFlags take one scalar `value` except for the list operators. */
function tooManyValues(dialect: Dialect, c: Condition): string | null {
  if (isList(c) || c.values.length === 1) return null;
  return `(${c.attribute} ${c.operator}) has ${c.values.length} values; ${VENDOR[dialect]} takes exactly one value for ${c.operator} (use in / not_in for lists)`;
}

function valueOf(c: Condition): JsonValue {
  return isList(c) ? c.values : c.values[0];
}

/** A remote object read as a canonical segment under the local `key`, or why it cannot be read. */
export function decode(dialect: Dialect, object: JsonObject, key: string): Segment | string {
  const document: JsonObject = {};
  for (const [name, value] of Object.entries(object)) {
    if (!['id', 'created_at', 'updated_at', 'project_id'].includes(name)) document[name] = value;
  }
  document.key = key;
  if (dialect === 'edgeflags' && !('match_type' in document)) document.match_type = 'all';
  const { segment, issues } = parseDraft(document);
  return segment ?? issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}

/** The segment as it reads after a round trip through the dialect, so a dialect's spelling is not a change. */
export function normalize(dialect: Dialect, segment: Segment): Segment {
  const encoded = encode(dialect, segment, '', false);
  if (!encoded.ok) return segment;
  const back = decode(dialect, encoded.body, segment.key);
  return typeof back === 'string' ? segment : back;
}

function fieldText(segment: Segment, name: string): string {
  return JSON.stringify(canonicalSegment(segment)[name as keyof Segment]);
}

/** A field of a segment in the dialect's normal form, as JSON (for the preview's diffs). */
export function fieldValue(dialect: Dialect, segment: Segment, name: string): unknown {
  return canonicalSegment(normalize(dialect, segment))[name as keyof Segment];
}

/** The fields on which two segments differ, in the dialect's normal form. */
export function differing(dialect: Dialect, a: Segment, b: Segment): string[] {
  const [na, nb] = [normalize(dialect, a), normalize(dialect, b)];
  return SYNCED_FIELDS.filter((f) => fieldText(na, f) !== fieldText(nb, f));
}

export type Merge = { clean: Segment } | { conflict: string[] };

/** Per-field three-way merge: a field changed on one side takes that side; changed differently on both is a conflict. */
export function merge(dialect: Dialect, base: Segment, mine: Segment, theirs: Segment): Merge {
  const [nb, nm, nt] = [normalize(dialect, base), normalize(dialect, mine), normalize(dialect, theirs)];
  const merged: Segment = structuredClone(mine);
  const conflicts: string[] = [];
  for (const name of SYNCED_FIELDS) {
    const [b, m, t] = [fieldText(nb, name), fieldText(nm, name), fieldText(nt, name)];
    if (m === t || t === b) continue;
    if (m === b) Object.assign(merged, { [name]: structuredClone(theirs[name]) });
    else conflicts.push(name);
  }
  return conflicts.length === 0 ? { clean: merged } : { conflict: conflicts };
}

/** "PATCH /flags/segments/<id>": the request a change sends. */
export function requestLine(dialect: Dialect, op: ChangeOp, id: string, projectId: string | null): string {
  const collection =
    dialect === 'projects' ? `/v1/projects/${projectId ?? ''}/segments` : dialect === 'krafter' ? '/flags/segments' : '/api/v1/segments';
  if (op === 'create') return `POST ${collection}`;
  if (op === 'update') return `${dialect === 'krafter' ? 'PATCH' : 'PUT'} ${collection}/${id}`;
  return `DELETE ${collection}/${id}`;
}
