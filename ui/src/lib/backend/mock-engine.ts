// Validation and evaluation used by MockBackend: a simplified model of the Rust
// engine (crates/engine: parse.rs, compile.rs, evaluate.rs), good enough for UI
// tests and for running the UI in a browser. Issue codes and paths are the ones
// the Rust engine emits; messages are written for this UI.
import type {
  Condition,
  IssueCode,
  JsonValue,
  MatchType,
  Operator,
  OperatorInfo,
  Rule,
  Segment,
  TraceNode,
  TraceReason,
  ValidationIssue,
} from './bindings';
import { MOCK_OPERATORS } from './operators';
import { formatJsonValue, isGroup, isMatchType } from '../segments';

const OPS = new Map<string, OperatorInfo>(MOCK_OPERATORS.map((o) => [o.operator, o]));

/** Canonical name or alias → operator info (`Operator::from_name` in Rust). */
function operatorNamed(name: string): OperatorInfo | undefined {
  return OPS.get(name) ?? MOCK_OPERATORS.find((o) => o.aliases.includes(name));
}

/** `[a-z0-9][a-z0-9._-]{0,127}`, as in the Rust engine. */
export const KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

const MAX_GROUP_DEPTH = 8;
const MAX_CONDITIONS = 1_000;
const MAX_VALUES = 10_000;
const MAX_NAME_CHARS = 200;
const MAX_DESCRIPTION_CHARS = 10_000;
/** Fields that vendors' APIs return alongside a segment; accepted on input and dropped. */
const VENDOR_FIELDS = ['id', 'project_id', 'created_at', 'updated_at', 'version', 'etag'];

type JsonObject = { [k: string]: JsonValue };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a field is present as it would be after JSON serialization (undefined is absent). */
function has(o: JsonObject, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, field) && o[field] !== undefined;
}

function typeName(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    default:
      return 'an object';
  }
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

function describe(v: JsonValue): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

// ---------------------------------------------------------------- value parsing

/** Decimal notation only, like `parse_numeric_str` in Rust ("inf" and "NaN" are not numbers). */
function parseNumericString(s: string): number | null {
  if (!/^[0-9+\-.eE]+$/.test(s) || !/[0-9]/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** A number from a JSON number or a numeric string. */
function asNumber(v: JsonValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return parseNumericString(v);
  return null;
}

type Version = { core: [number, number, number]; pre: string[] };

/** `v?MAJOR[.MINOR[.PATCH]][-PRE][+BUILD]`, as in Rust; build metadata is ignored. */
function parseSemver(input: string): Version | null {
  let s = input.startsWith('v') ? input.slice(1) : input;
  const plus = s.indexOf('+');
  if (plus >= 0) {
    if (!identifiersValid(s.slice(plus + 1), false)) return null;
    s = s.slice(0, plus);
  }
  const dash = s.indexOf('-');
  const core = dash >= 0 ? s.slice(0, dash) : s;
  const pre = dash >= 0 ? s.slice(dash + 1) : '';
  if (dash >= 0 && !identifiersValid(pre, true)) return null;
  const parts = core.split('.');
  if (parts.length > 3) return null;
  const nums = parts.map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : null));
  if (nums.some((n) => n === null)) return null;
  const [major, minor = 0, patch = 0] = nums as number[];
  return { core: [major, minor, patch], pre: pre === '' ? [] : pre.split('.') };
}

function identifiersValid(s: string, noLeadingZeros: boolean): boolean {
  return s
    .split('.')
    .every((id) => /^[0-9A-Za-z-]+$/.test(id) && !(noLeadingZeros && id.length > 1 && /^0\d+$/.test(id)));
}

function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i] < b.core[i] ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; ; i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    const xn = /^\d+$/.test(x) ? Number(x) : null;
    const yn = /^\d+$/.test(y) ? Number(y) : null;
    const c =
      xn !== null && yn !== null ? xn - yn : xn !== null ? -1 : yn !== null ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c < 0 ? -1 : 1;
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** RFC 3339 or `YYYY-MM-DD` (midnight UTC) → epoch ms; null otherwise (`parse_instant` in Rust). */
function parseInstant(v: JsonValue): number | null {
  if (typeof v !== 'string') return null;
  const d = DATE_ONLY.exec(v);
  if (d) {
    const t = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    // reject 2026-02-30 and friends
    return new Date(t).toISOString().slice(0, 10) === v ? t : null;
  }
  if (!RFC3339.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

// ---------------------------------------------------------------- validation (parse.rs)

export function validateKey(key: unknown, path = 'key'): ValidationIssue[] {
  if (typeof key !== 'string') {
    return [{ path, code: 'wrong_type', message: `The key must be a string, not ${typeName(key as JsonValue)}.` }];
  }
  if (!KEY_PATTERN.test(key)) {
    return [
      {
        path,
        code: 'invalid_key',
        message:
          key === ''
            ? 'Enter a key.'
            : 'Use lowercase letters, digits, "-", "_" or "." (start with a letter or digit, at most 128).',
      },
    ];
  }
  return [];
}

/** "Pro Users (EU)" → "pro-users-eu", for segments without a key (`key_from_name` in Rust). */
export function keyFromName(name: string): string {
  let key = '';
  for (const c of name.toLowerCase()) {
    if (/[a-z0-9]/.test(c)) key += c;
    else if (key !== '' && !key.endsWith('-')) key += '-';
    if (key.length >= 128) break;
  }
  key = key.replace(/-+$/, '');
  return key === '' ? 'segment' : key;
}

type Shape = 'values' | 'value';

/** Turns a draft in any accepted format into a canonical Segment, collecting every issue. */
class Parser {
  issues: ValidationIssue[] = [];
  private conditions = 0;

  private issue(path: string, code: IssueCode, message: string): void {
    this.issues.push({ path, code, message });
  }

  private unknownField(field: string, path: string, expected: string): void {
    this.issue(join(path, field), 'unknown_field', `Unknown field "${field}"; expected ${expected}.`);
  }

  private object(value: JsonValue, path: string): JsonObject | null {
    if (isObject(value)) return value;
    this.issue(path, 'wrong_type', `${path === '' ? 'The document' : 'This rule'} must be a JSON object, not ${typeName(value)}.`);
    return null;
  }

  private string(value: JsonValue, path: string, what: string): string | null {
    if (typeof value === 'string') return value;
    this.issue(path, 'wrong_type', `${what} must be text, not ${typeName(value)}.`);
    return null;
  }

  segment(value: JsonValue): Segment | null {
    const object = this.object(value, '');
    if (!object) return null;
    const name = has(object, 'name') ? this.name(object.name) : undefined;
    let key: string | null;
    if (has(object, 'key')) {
      const keyIssues = validateKey(object.key);
      this.issues.push(...keyIssues);
      key = keyIssues.length === 0 ? (object.key as string) : null;
    } else if (typeof name === 'string') {
      key = keyFromName(name);
    } else {
      this.issue('key', 'missing_field', 'A segment needs a "key" (or at least a "name" to derive one from).');
      key = null;
    }
    const description = has(object, 'description') ? this.description(object.description) : '';
    const matchType = has(object, 'match_type') ? this.matchType(object.match_type, 'match_type') : 'all';
    let rules: Rule[] | null = null;
    if (has(object, 'rules') && has(object, 'conditions')) {
      this.issue('conditions', 'unknown_field', 'Give either "rules" or "conditions", not both.');
    } else if (has(object, 'rules')) {
      rules = this.ruleList(object.rules, 'rules', 0);
    } else if (has(object, 'conditions')) {
      const other = object.match_type;
      if (typeof other === 'string' && other !== 'all') {
        this.issue('match_type', 'invalid_match_type', `"conditions" are always combined with AND; match type "${other}" needs "rules".`);
      }
      rules = this.ruleList(object.conditions, 'conditions', 0);
    } else {
      this.issue('rules', 'missing_field', 'A segment needs "rules": a non-empty list of conditions or groups.');
    }
    const known = ['key', 'name', 'description', 'match_type', 'rules', 'conditions', ...VENDOR_FIELDS];
    for (const field of Object.keys(object)) {
      if (!known.includes(field) && has(object, field)) this.unknownField(field, '', 'key, name, description, match_type, rules or conditions');
    }
    if (key === null || name === null || description === null || matchType === null || rules === null) return null;
    return { key, name: name ?? key, description, match_type: matchType, rules };
  }

  private name(value: JsonValue): string | null {
    const name = this.string(value, 'name', 'The name');
    if (name === null) return null;
    if (name.trim() === '') {
      this.issue('name', 'invalid_value', 'Give the segment a name.');
      return null;
    }
    if ([...name].length > MAX_NAME_CHARS) {
      this.issue('name', 'too_large', `Use at most ${MAX_NAME_CHARS} characters.`);
      return null;
    }
    return name;
  }

  private description(value: JsonValue): string | null {
    if (value === null) return ''; // vendors send null for "no description"
    const text = this.string(value, 'description', 'The description');
    if (text === null) return null;
    if ([...text].length > MAX_DESCRIPTION_CHARS) {
      this.issue('description', 'too_large', `Use at most ${MAX_DESCRIPTION_CHARS} characters.`);
      return null;
    }
    return text;
  }

  private matchType(value: JsonValue, path: string): MatchType | null {
    const name = this.string(value, path, 'The match type');
    if (name === null) return null;
    if (isMatchType(name)) return name;
    this.issue(path, 'invalid_match_type', 'Choose All of, Any of or None of.');
    return null;
  }

  private ruleList(value: JsonValue, path: string, depth: number): Rule[] | null {
    if (!Array.isArray(value)) {
      this.issue(path, 'wrong_type', `Rules must be a list, not ${typeName(value)}.`);
      return null;
    }
    if (value.length === 0) {
      this.issue(
        path,
        'empty_rules',
        depth === 0 ? 'Add at least one condition.' : 'This group is empty. Add a condition or remove the group.',
      );
      return null;
    }
    const rules = value.map((item, i) => this.rule(item, `${path}[${i}]`, depth));
    return rules.every((r): r is Rule => r !== null) ? rules : null;
  }

  private rule(value: JsonValue, path: string, depth: number): Rule | null {
    const object = this.object(value, path);
    if (!object) return null;
    const isCondition = ['attribute', 'property', 'key', 'operator'].some((f) => has(object, f));
    if (!isCondition && (has(object, 'rules') || has(object, 'match_type'))) return this.group(object, path, depth);
    if (has(object, 'attribute')) return this.condition(object, path, 'attribute', 'values');
    if (has(object, 'property')) return this.condition(object, path, 'property', 'value');
    if (has(object, 'key')) return this.condition(object, path, 'key', 'value');
    this.issue(path, 'missing_field', 'A rule needs an "attribute" (a condition) or "rules" (a nested group).');
    return null;
  }

  private group(object: JsonObject, path: string, depth: number): Rule | null {
    if (depth >= MAX_GROUP_DEPTH) {
      this.issue(path, 'too_deep', `Groups nest at most ${MAX_GROUP_DEPTH} levels deep; flatten this group.`);
      return null;
    }
    for (const field of Object.keys(object)) {
      if (field !== 'rules' && field !== 'match_type' && has(object, field)) this.unknownField(field, path, 'match_type and rules in a group');
    }
    const matchType = has(object, 'match_type') ? this.matchType(object.match_type, join(path, 'match_type')) : 'all';
    let rules: Rule[] | null = null;
    if (has(object, 'rules')) rules = this.ruleList(object.rules, join(path, 'rules'), depth + 1);
    else this.issue(join(path, 'rules'), 'missing_field', 'A group needs "rules": a non-empty list.');
    return matchType === null || rules === null ? null : { match_type: matchType, rules };
  }

  private condition(object: JsonObject, path: string, attributeField: string, shape: Shape): Condition | null {
    this.conditions += 1;
    if (this.conditions === MAX_CONDITIONS + 1) {
      this.issue(path, 'too_large', `A segment holds at most ${MAX_CONDITIONS} conditions; split it into segments.`);
    }
    const valuesField = shape === 'values' ? 'values' : 'value';
    const known = [attributeField, 'operator', valuesField, 'case_insensitive'];
    for (const field of Object.keys(object)) {
      if (!known.includes(field) && has(object, field)) {
        this.unknownField(field, path, `${attributeField}, operator, ${valuesField} or case_insensitive`);
      }
    }
    const attributePath = join(path, attributeField);
    const attribute = this.string(object[attributeField], attributePath, 'The attribute');
    if (attribute === '') this.issue(attributePath, 'invalid_value', 'Enter the attribute to check, e.g. country.');
    const info = this.operator(object, path);
    let ci = false;
    if (has(object, 'case_insensitive')) {
      const v = object.case_insensitive;
      if (typeof v === 'boolean') ci = v;
      else this.issue(join(path, 'case_insensitive'), 'wrong_type', `Must be true or false, not ${typeName(v)}.`);
    }
    if (!attribute || !info) return null;
    let operator = info.operator;
    // EdgeFlags references segments as {"property": "segment", "operator": "in"}.
    if (shape === 'value' && attributeField === 'property' && attribute === 'segment') {
      if (operator === 'in' || operator === 'eq') operator = 'in_segment';
      else if (operator === 'not_in' || operator === 'neq') operator = 'not_in_segment';
    }
    const opInfo = OPS.get(operator) ?? info;
    if (ci && !opInfo.case_insensitive) {
      this.issue(join(path, 'case_insensitive'), 'invalid_value', `Case-insensitive does not apply to "${opInfo.label}"; remove it.`);
    }
    const values = this.values(object, valuesField, shape, opInfo, path);
    if (values === null) return null;
    this.checkValues(values, opInfo, join(path, 'values'));
    const c: Condition = { attribute, operator, values };
    if (ci) c.case_insensitive = true;
    return c;
  }

  private operator(object: JsonObject, path: string): OperatorInfo | null {
    const p = join(path, 'operator');
    if (!has(object, 'operator')) {
      this.issue(p, 'missing_field', 'Choose an operator.');
      return null;
    }
    const name = this.string(object.operator, p, 'The operator');
    if (name === null) return null;
    const info = operatorNamed(name);
    if (!info) this.issue(p, 'unknown_operator', `Unknown operator "${name}". Choose one from the list.`);
    return info ?? null;
  }

  private values(object: JsonObject, field: string, shape: Shape, info: OperatorInfo, path: string): JsonValue[] | null {
    if (!has(object, field)) return [];
    const v = object[field];
    if (Array.isArray(v)) return [...v];
    if (shape === 'value') return v === null && info.value_kind === 'none' ? [] : [v];
    this.issue(join(path, 'values'), 'wrong_type', `Values must be a list, not ${typeName(v)}; write [${JSON.stringify(v)}].`);
    return null;
  }

  private checkValues(values: JsonValue[], info: OperatorInfo, path: string): void {
    const kind = info.value_kind;
    if (kind === 'none') {
      if (values.length > 0) this.issue(path, 'value_count', `"${info.label}" takes no value; remove it.`);
      return;
    }
    if (values.length === 0) {
      this.issue(path, 'value_count', info.multi ? 'Add at least one value.' : 'Enter a value.');
      return;
    }
    if (values.length > MAX_VALUES) {
      this.issue(path, 'value_count', `A condition holds at most ${MAX_VALUES} values.`);
      return;
    }
    values.forEach((v, i) => {
      const problem = valueProblem(v, kind);
      if (problem) this.issue(`${path}[${i}]`, kind === 'regex' && typeof v === 'string' ? 'invalid_regex' : 'invalid_value', problem);
    });
  }
}

/** Why `v` is not acceptable for an operator of `kind`, or null when it is (`value_problem` in Rust). */
function valueProblem(v: JsonValue, kind: OperatorInfo['value_kind']): string | null {
  switch (kind) {
    case 'none':
      return null;
    case 'scalar':
      return v === null || typeof v === 'object' ? 'Use text, a number, true or false.' : null;
    case 'string':
      return typeof v === 'string' ? null : 'Enter text.';
    case 'number':
      return asNumber(v) !== null ? null : `${describe(v)} is not a number.`;
    case 'regex':
      if (typeof v !== 'string') return 'Enter a regular expression.';
      try {
        new RegExp(v);
        return null;
      } catch {
        return `${describe(v)} is not a valid regular expression.`;
      }
    case 'semver':
      return typeof v === 'string' && parseSemver(v) ? null : `${describe(v)} is not a version like 1.2.3.`;
    case 'date':
      return parseInstant(v) !== null ? null : `${describe(v)} is not a date like 2025-01-31.`;
    case 'segment':
      return typeof v === 'string' && KEY_PATTERN.test(v) ? null : `${describe(v)} is not a valid segment key.`;
  }
}

/**
 * Parses and validates a draft in any accepted format: the canonical Segment, or
 * every problem with its path (nothing stops at the first one).
 */
export function parseDraft(draft: JsonValue): { segment: Segment | null; issues: ValidationIssue[] } {
  const parser = new Parser();
  const segment = parser.segment(draft);
  return parser.issues.length === 0 && segment ? { segment, issues: [] } : { segment: null, issues: parser.issues };
}

// ---------------------------------------------------------------- references (compile.rs)

export type SegmentLookup = (key: string) => Segment | undefined;

function isSegmentOperator(op: Operator): boolean {
  return op === 'in_segment' || op === 'not_in_segment';
}

/** Keys a segment references with in_segment / not_in_segment, sorted and unique. */
export function referencedKeys(segment: Pick<Segment, 'rules'>): string[] {
  const out = new Set<string>();
  const walk = (rules: Rule[]) => {
    for (const r of rules) {
      if (isGroup(r)) walk(r.rules);
      else if (isSegmentOperator(r.operator)) for (const v of r.values) if (typeof v === 'string') out.add(v);
    }
  };
  walk(segment.rules);
  return [...out].sort();
}

/**
 * Checks `changed` together with every stored segment they reach: each reference
 * must name a segment (unknown_segment at the value), and references may not form
 * a cycle (reference_cycle at `rules` of each segment in it). Issues carry the
 * segment they are in, like the Rust engine's.
 */
export function referenceIssues(changed: Segment[], stored: SegmentLookup): ValidationIssue[] {
  if (changed.every((s) => referencedKeys(s).length === 0)) return [];
  // the closure: changed segments stand in for their stored versions
  const closure = new Map<string, Segment>(changed.map((s) => [s.key, s]));
  const queue = changed.flatMap(referencedKeys);
  while (queue.length > 0) {
    const key = queue.shift() as string;
    if (closure.has(key)) continue;
    const s = stored(key);
    if (s) {
      closure.set(key, s);
      queue.push(...referencedKeys(s));
    }
  }
  const segments = [...closure.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const issues: ValidationIssue[] = [];
  for (const segment of segments) {
    const walk = (rules: Rule[], path: string) =>
      rules.forEach((r, i) => {
        const at = `${path}[${i}]`;
        if (isGroup(r)) return walk(r.rules, `${at}.rules`);
        if (!isSegmentOperator(r.operator)) return;
        r.values.forEach((v, j) => {
          const key = typeof v === 'string' ? v : '';
          if (!closure.has(key)) {
            issues.push({
              segment: segment.key,
              path: `${at}.values[${j}]`,
              code: 'unknown_segment',
              message: `There is no segment ${describe(v)}. Create it first or remove the reference.`,
            });
          }
        });
      });
    walk(segment.rules, 'rules');
  }
  if (issues.length > 0) return issues;
  return cycleIssues(segments);
}

/** Kahn's algorithm; whatever is left over references itself in a loop (as in Rust). */
function cycleIssues(segments: Segment[]): ValidationIssue[] {
  const index = new Map(segments.map((s, i) => [s.key, i]));
  const refs = segments.map((s) => referencedKeys(s).flatMap((k) => (index.has(k) ? [index.get(k) as number] : [])));
  const referrers: number[][] = segments.map(() => []);
  refs.forEach((targets, from) => targets.forEach((to) => referrers[to].push(from)));
  const pending = refs.map((r) => r.length);
  const done = segments.map(() => false);
  const ready = segments.flatMap((_, i) => (pending[i] === 0 ? [i] : []));
  while (ready.length > 0) {
    const node = ready.pop() as number;
    done[node] = true;
    for (const referrer of referrers[node]) if (--pending[referrer] === 0) ready.push(referrer);
  }
  const start = done.indexOf(false);
  if (start < 0) return [];
  const seen = new Map<number, number>();
  const trail: number[] = [];
  let node = start;
  while (!seen.has(node)) {
    seen.set(node, trail.length);
    trail.push(node);
    node = refs[node].find((t) => !done[t]) ?? node;
  }
  const members = trail.slice(seen.get(node));
  const cycle = [...members, node].map((i) => segments[i].key);
  const message =
    members.length === 1
      ? `A segment cannot refer to itself ("${cycle[0]}"). Remove that reference.`
      : `These segments refer to each other in a loop (${cycle.join(' → ')}). Remove one of the references.`;
  return members.map((i) => ({ segment: segments[i].key, path: 'rules', code: 'reference_cycle' as const, message }));
}

/**
 * Every problem with a draft, as `validate_segment` reports them: parse issues
 * first; only a draft that parses is checked for references.
 */
export function validateDraft(draft: JsonValue, stored: SegmentLookup): ValidationIssue[] {
  const { segment, issues } = parseDraft(draft);
  if (!segment) return issues;
  return referenceIssues([segment], stored);
}

// ---------------------------------------------------------------- evaluation (evaluate.rs)

/** A literal key first, then the dotted path into nested objects (`AttributePath::lookup`). */
function lookup(context: JsonValue, attribute: string): { present: boolean; value: JsonValue | null } {
  if (!isObject(context)) return { present: false, value: null };
  if (Object.prototype.hasOwnProperty.call(context, attribute)) return { present: true, value: context[attribute] };
  if (!attribute.includes('.')) return { present: false, value: null };
  let cur: JsonValue = context;
  for (const part of attribute.split('.')) {
    if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return { present: false, value: null };
    cur = cur[part];
  }
  return { present: true, value: cur };
}

/**
 * The canonical string of a number, as Rust's `NumberText`: integral values print as
 * integers (5.0 → "5"), everything else in `ryu`'s shortest form.
 */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // JSON integers (i64/u64 in Rust) print in full; JS cannot tell 1e17 from 100000000000000000
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 64) return BigInt(n).toString();
  // toExponential() gives the shortest round-trip digits; lay them out as ryu does
  const [mantissa, exp] = n.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const kk = Number(exp) + 1; // position of the decimal point
  const k = kk - digits.length;
  let body: string;
  if (k >= 0 && kk <= 16) body = `${digits}${'0'.repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${'0'.repeat(-kk)}${digits}`;
  else if (digits.length === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign + body;
}

/** The canonical string of a scalar; null for null, arrays and objects (`with_canonical_str`). */
function canonicalString(v: JsonValue): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberText(v);
  return null;
}

const POSITIVE: Partial<Record<Operator, Operator>> = {
  neq: 'eq',
  not_in: 'in',
  not_contains: 'contains',
  not_exists: 'exists',
  semver_neq: 'semver_eq',
  not_in_segment: 'in_segment',
};

type Outcome = { matched: boolean; reason: TraceReason };

const MATCHED: Outcome = { matched: true, reason: 'matched' };
const failed = (reason: TraceReason): Outcome => ({ matched: false, reason });
const hit = (matched: boolean): Outcome => (matched ? MATCHED : failed('no_value_matched'));

/** A test on one scalar (or a nested array/object, which most tests reject). */
type ScalarTest = (v: JsonValue) => Outcome;

/** The positive test of a non-reference operator, with its rule values pre-read (compile.rs). */
function scalarTest(op: Operator, values: JsonValue[], ci: boolean): ScalarTest {
  const fold = (s: string) => (ci ? s.toLowerCase() : s);
  const canonical = values.map(canonicalString).filter((s): s is string => s !== null);
  const onText = (pred: (s: string) => boolean): ScalarTest => (v) => {
    const s = canonicalString(v);
    return s === null ? failed('type_mismatch') : hit(pred(s));
  };
  const compare = (c: number): boolean =>
    op.endsWith('_gte') || op === 'gte' ? c >= 0
    : op.endsWith('_gt') || op === 'gt' ? c > 0
    : op.endsWith('_lte') || op === 'lte' ? c <= 0
    : op.endsWith('_lt') || op === 'lt' ? c < 0
    : c === 0;
  switch (op) {
    case 'eq':
    case 'in': {
      const numbers = values.filter((v): v is number => typeof v === 'number');
      const texts = new Set(
        values.filter((v) => typeof v !== 'number').map(canonicalString).filter((s): s is string => s !== null).map(fold),
      );
      return (v) => {
        const n = numbers.length > 0 ? asNumber(v) : null;
        if (n !== null && numbers.includes(n)) return MATCHED;
        const s = canonicalString(v);
        return s === null ? failed('type_mismatch') : hit(texts.has(fold(s)));
      };
    }
    case 'contains':
    case 'starts_with':
    case 'ends_with': {
      const needles = canonical.map(fold);
      return onText((s) => {
        const t = fold(s);
        return needles.some((n) => (op === 'contains' ? t.includes(n) : op === 'starts_with' ? t.startsWith(n) : t.endsWith(n)));
      });
    }
    case 'matches': {
      const patterns = canonical.flatMap((p) => {
        try {
          return [new RegExp(p, ci ? 'iu' : 'u')];
        } catch {
          try {
            return [new RegExp(p, ci ? 'i' : '')];
          } catch {
            return [];
          }
        }
      });
      return onText((s) => patterns.some((re) => re.test(s)));
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bounds = values.map(asNumber).filter((n): n is number => n !== null);
      return (v) => {
        const n = asNumber(v);
        return n === null ? failed('not_a_number') : hit(bounds.some((b) => compare(n < b ? -1 : n > b ? 1 : 0)));
      };
    }
    case 'semver_eq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte': {
      const versions = values.flatMap((v) => (typeof v === 'string' ? [parseSemver(v)] : [])).filter((v): v is Version => v !== null);
      return (v) => {
        // a bare number such as 2 or 1.5 reads as the version "2" or "1.5"
        const text = typeof v === 'string' ? v : typeof v === 'number' ? numberText(v) : null;
        const version = text === null ? null : parseSemver(text);
        return version === null ? failed('not_a_semver') : hit(versions.some((w) => compare(compareSemver(version, w))));
      };
    }
    case 'before':
    case 'after': {
      const instants = values.map(parseInstant).filter((t): t is number => t !== null);
      return (v) => {
        const at = parseInstant(v);
        return at === null ? failed('not_a_date') : hit(instants.some((t) => (op === 'before' ? at < t : at > t)));
      };
    }
    default:
      return () => failed('type_mismatch');
  }
}

/** The positive test on a present, non-null value; an array matches when an element does (`Test::on_value`). */
function onValue(op: Operator, test: ScalarTest, value: JsonValue): Outcome {
  if (op === 'exists') return MATCHED;
  if (!Array.isArray(value)) return test(value);
  let failure: TraceReason = 'no_value_matched';
  for (const item of value) {
    const outcome = test(item);
    if (outcome.matched) return outcome;
    if (failure === 'no_value_matched') failure = outcome.reason;
  }
  return failed(failure);
}

function opLabel(op: Operator): string {
  return OPS.get(op)?.label ?? op;
}

function valuesText(values: JsonValue[]): string {
  return values.map(formatJsonValue).join(', ');
}

export function explainCondition(
  cond: Condition,
  path: string,
  context: JsonValue,
  segments: SegmentLookup,
  stack: string[],
): TraceNode {
  const op = cond.operator;
  const values = Array.isArray(cond.values) ? cond.values : [];
  const ci = cond.case_insensitive === true;
  const base = { kind: 'condition' as const, path, attribute: cond.attribute, operator: op, values };
  const positive = POSITIVE[op] ?? op;
  const negated = positive !== op;
  const isSegmentOp = positive === 'in_segment';
  const { present, value } = isSegmentOp ? { present: false, value: null } : lookup(context, cond.attribute);
  const attr = cond.attribute || '(no attribute)';

  let outcome: Outcome;
  if (isSegmentOp) {
    outcome = hit(
      values.some((v) => {
        if (typeof v !== 'string' || stack.includes(v)) return false;
        const seg = segments(v);
        return seg !== undefined && evaluateRules(seg.match_type, seg.rules, context, segments, [...stack, v]);
      }),
    );
  } else if (!present) {
    outcome = failed('attribute_missing');
  } else if (value === null) {
    outcome = failed('attribute_null');
  } else {
    outcome = onValue(positive, scalarTest(positive, values, ci), value);
  }
  const result: Outcome = !negated ? outcome : outcome.matched ? failed('negated') : { matched: true, reason: outcome.reason };
  const message = describeOutcome(op, positive, attr, value, values, ci, result.reason);
  return { ...base, actual: present ? value : null, present, matched: result.matched, reason: result.reason, message };
}

/** The outcome in words (`describe` in explain.rs, worded for this UI). */
function describeOutcome(
  op: Operator,
  positive: Operator,
  attr: string,
  value: JsonValue | null,
  values: JsonValue[],
  ci: boolean,
  reason: TraceReason,
): string {
  const list = valuesText(values);
  if (positive === 'in_segment') {
    if (reason === 'matched') return `The context is in ${list}`;
    if (reason === 'negated') return `The context is in ${list}, so "${opLabel(op)}" fails`;
    return `The context is not in ${list}`;
  }
  const v = formatJsonValue(value);
  const test = `${opLabel(positive)} ${list}${ci ? ' (ignoring case)' : ''}`;
  switch (reason) {
    case 'matched':
      return positive === 'exists' ? `${attr} is set to ${v}` : `${attr} is ${v}, which ${test}`;
    case 'negated':
      return positive === 'exists'
        ? `${attr} is set to ${v}, so "${opLabel(op)}" fails`
        : `${attr} is ${v}, which ${test}, so "${opLabel(op)}" fails`;
    case 'no_value_matched':
      return `${attr} is ${v}, which fails "${test}"`;
    case 'attribute_missing':
      return `${attr} is not in the context`;
    case 'attribute_null':
      return `${attr} is null`;
    case 'not_a_number':
      return `${attr} is ${v}, which is not a number`;
    case 'not_a_semver':
      return `${attr} is ${v}, which is not a version like 1.2.3`;
    case 'not_a_date':
      return `${attr} is ${v}, which is not a date`;
    case 'type_mismatch':
      return `${attr} is ${v}, which is not text, a number or true/false`;
    default:
      return `${attr} is ${v}`;
  }
}

function combine(matchType: MatchType, results: boolean[]): boolean {
  if (matchType === 'all') return results.every(Boolean);
  if (matchType === 'any') return results.some(Boolean);
  return !results.some(Boolean);
}

export function explainRules(
  matchType: MatchType,
  rules: Rule[],
  path: string,
  context: JsonValue,
  segments: SegmentLookup,
  stack: string[],
): TraceNode {
  const prefix = path ? `${path}.` : '';
  const children = (Array.isArray(rules) ? rules : []).map((r, i) => {
    const p = `${prefix}rules[${i}]`;
    return isGroup(r)
      ? explainRules(r.match_type, r.rules, p, context, segments, stack)
      : explainCondition(r, p, context, segments, stack);
  });
  const mt: MatchType = isMatchType(matchType) ? matchType : 'all';
  return { kind: 'group', path, match_type: mt, matched: combine(mt, children.map((c) => c.matched)), children };
}

export function evaluateRules(
  matchType: MatchType,
  rules: Rule[],
  context: JsonValue,
  segments: SegmentLookup,
  stack: string[],
): boolean {
  return explainRules(matchType, rules, '', context, segments, stack).matched;
}
