// Validation and evaluation used by MockBackend. A simplified model of the Rust
// engine, good enough for UI tests and for running the UI in a browser.
import type {
  Condition,
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

export const KEY_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

type JsonObject = { [k: string]: JsonValue };

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------- validation

export function validateKey(key: unknown, path = 'key'): ValidationIssue[] {
  if (typeof key !== 'string' || key.trim() === '') {
    return [{ path, code: 'required', message: 'Enter a key.' }];
  }
  if (!KEY_PATTERN.test(key)) {
    return [
      {
        path,
        code: 'invalid_key',
        message: 'Use lowercase letters, digits, "-", "_" or "." (start with a letter or digit, at most 64).',
      },
    ];
  }
  return [];
}

function parseSemver(v: string): number[] | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m) return null;
  // prerelease sorts before the release: encode as -1 / +1 in a 4th slot
  return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? -1 : 0];
}

function compareSemver(a: number[], b: number[]): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function parseDate(v: JsonValue): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function describe(v: JsonValue): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

function validateRules(
  rules: unknown,
  base: string,
  segmentKeys: ReadonlySet<string>,
  selfKey: string,
  issues: ValidationIssue[],
  isRoot: boolean,
): void {
  const rulesPath = base ? `${base}.rules` : 'rules';
  if (!Array.isArray(rules)) {
    issues.push({ path: rulesPath, code: 'invalid_type', message: 'Rules must be a list.' });
    return;
  }
  if (rules.length === 0) {
    issues.push(
      isRoot
        ? { path: rulesPath, code: 'empty_rules', message: 'Add at least one condition.' }
        : { path: rulesPath, code: 'empty_group', message: 'This group is empty. Add a condition or remove the group.' },
    );
  }
  rules.forEach((rule, i) => {
    const p = `${rulesPath}[${i}]`;
    if (!isObject(rule)) {
      issues.push({ path: p, code: 'invalid_type', message: 'Each rule must be a condition or a group.' });
      return;
    }
    if ('rules' in rule) {
      if (!isMatchType(rule.match_type)) {
        issues.push({ path: `${p}.match_type`, code: 'invalid_match_type', message: 'Choose All of, Any of or None of.' });
      }
      validateRules(rule.rules, p, segmentKeys, selfKey, issues, false);
      return;
    }
    validateCondition(rule, p, segmentKeys, selfKey, issues);
  });
}

function validateCondition(
  rule: JsonObject,
  p: string,
  segmentKeys: ReadonlySet<string>,
  selfKey: string,
  issues: ValidationIssue[],
): void {
  const info = typeof rule.operator === 'string' ? OPS.get(rule.operator) : undefined;
  if (!info) {
    issues.push({ path: `${p}.operator`, code: 'unknown_operator', message: 'Choose an operator.' });
  }
  const kind = info?.value_kind;
  if (kind !== 'segment' && (typeof rule.attribute !== 'string' || rule.attribute.trim() === '')) {
    issues.push({ path: `${p}.attribute`, code: 'required', message: 'Enter the attribute to check, e.g. country.' });
  }
  if (rule.case_insensitive !== undefined && typeof rule.case_insensitive !== 'boolean') {
    issues.push({ path: `${p}.case_insensitive`, code: 'invalid_type', message: 'Must be true or false.' });
  }
  const values = rule.values;
  if (!Array.isArray(values)) {
    issues.push({ path: `${p}.values`, code: 'invalid_type', message: 'Values must be a list.' });
    return;
  }
  if (!info) return;
  if (kind === 'none') {
    if (values.length > 0) {
      issues.push({ path: `${p}.values`, code: 'unexpected_value', message: `"${info.label}" takes no value.` });
    }
    return;
  }
  if (values.length === 0) {
    issues.push({
      path: `${p}.values`,
      code: 'missing_value',
      message: info.multi ? 'Add at least one value.' : 'Enter a value.',
    });
    return;
  }
  if (!info.multi && values.length > 1) {
    issues.push({ path: `${p}.values`, code: 'too_many_values', message: `"${info.label}" takes exactly one value.` });
  }
  values.forEach((v, j) => {
    const vp = `${p}.values[${j}]`;
    switch (kind) {
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          issues.push({ path: vp, code: 'not_a_number', message: `${describe(v)} is not a number.` });
        }
        break;
      case 'string':
        if (typeof v !== 'string') issues.push({ path: vp, code: 'expected_string', message: 'Enter text.' });
        break;
      case 'regex':
        if (typeof v !== 'string') {
          issues.push({ path: vp, code: 'expected_string', message: 'Enter a regular expression.' });
        } else {
          try {
            new RegExp(v);
          } catch {
            issues.push({ path: vp, code: 'invalid_regex', message: `${describe(v)} is not a valid regular expression.` });
          }
        }
        break;
      case 'semver':
        if (typeof v !== 'string' || !parseSemver(v)) {
          issues.push({ path: vp, code: 'invalid_semver', message: `${describe(v)} is not a version like 1.2.3.` });
        }
        break;
      case 'date':
        if (parseDate(v) === null) {
          issues.push({ path: vp, code: 'invalid_date', message: `${describe(v)} is not a date like 2025-01-31.` });
        }
        break;
      case 'segment':
        if (typeof v !== 'string' || !segmentKeys.has(v)) {
          issues.push({ path: vp, code: 'unknown_segment', message: `There is no segment ${describe(v)}.` });
        } else if (v === selfKey) {
          issues.push({ path: vp, code: 'self_reference', message: 'A segment cannot refer to itself.' });
        }
        break;
      case 'scalar':
        if (v === null || typeof v === 'object') {
          issues.push({ path: vp, code: 'invalid_value', message: 'Use text, a number, true or false.' });
        }
        break;
    }
  });
}

export function validateDraft(draft: JsonValue, segmentKeys: ReadonlySet<string>): ValidationIssue[] {
  if (!isObject(draft)) {
    return [{ path: '', code: 'invalid_type', message: 'A segment must be a JSON object.' }];
  }
  const issues: ValidationIssue[] = [];
  issues.push(...validateKey(draft.key));
  if (typeof draft.name !== 'string' || draft.name.trim() === '') {
    issues.push({ path: 'name', code: 'required', message: 'Give the segment a name.' });
  }
  if (draft.description !== undefined && typeof draft.description !== 'string') {
    issues.push({ path: 'description', code: 'invalid_type', message: 'Description must be text.' });
  }
  if (!isMatchType(draft.match_type)) {
    issues.push({ path: 'match_type', code: 'invalid_match_type', message: 'Choose All of, Any of or None of.' });
  }
  const selfKey = typeof draft.key === 'string' ? draft.key : '';
  validateRules(draft.rules, '', segmentKeys, selfKey, issues, true);
  return issues;
}

// ---------------------------------------------------------------- evaluation

function lookup(context: JsonValue, attribute: string): { present: boolean; value: JsonValue | null } {
  if (!isObject(context) || attribute === '') return { present: false, value: null };
  if (attribute in context) return { present: true, value: context[attribute] };
  let cur: JsonValue = context;
  for (const part of attribute.split('.')) {
    if (!isObject(cur) || !(part in cur)) return { present: false, value: null };
    cur = cur[part];
  }
  return { present: true, value: cur };
}

function eqScalar(a: JsonValue, b: JsonValue, ci: boolean): boolean {
  if (ci && typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

const POSITIVE: Partial<Record<Operator, Operator>> = {
  neq: 'eq',
  not_in: 'in',
  not_contains: 'contains',
  not_exists: 'exists',
  semver_neq: 'semver_eq',
  not_in_segment: 'in_segment',
};

export type SegmentLookup = (key: string) => Segment | undefined;

type Outcome = { matched: boolean; reason: TraceReason };

function testPositive(
  op: Operator,
  actual: JsonValue,
  values: JsonValue[],
  ci: boolean,
  segments: SegmentLookup,
  context: JsonValue,
  stack: string[],
): Outcome {
  const candidates = Array.isArray(actual) ? actual : [actual];
  const anyCandidate = (pred: (a: JsonValue) => Outcome): Outcome => {
    let last: Outcome = { matched: false, reason: 'no_value_matched' };
    for (const c of candidates) {
      const o = pred(c);
      if (o.matched) return o;
      last = o;
    }
    return last;
  };
  const yes: Outcome = { matched: true, reason: 'matched' };
  const no: Outcome = { matched: false, reason: 'no_value_matched' };
  switch (op) {
    case 'eq':
    case 'in':
      return anyCandidate((a) => (values.some((v) => eqScalar(a, v, ci)) ? yes : no));
    case 'contains':
    case 'starts_with':
    case 'ends_with':
      return anyCandidate((a) => {
        if (typeof a !== 'string') return { matched: false, reason: 'type_mismatch' };
        const s = ci ? a.toLowerCase() : a;
        const hit = values.some((v) => {
          if (typeof v !== 'string') return false;
          const t = ci ? v.toLowerCase() : v;
          return op === 'contains' ? s.includes(t) : op === 'starts_with' ? s.startsWith(t) : s.endsWith(t);
        });
        return hit ? yes : no;
      });
    case 'matches':
      return anyCandidate((a) => {
        if (typeof a !== 'string') return { matched: false, reason: 'type_mismatch' };
        const hit = values.some((v) => {
          if (typeof v !== 'string') return false;
          try {
            return new RegExp(v, ci ? 'i' : '').test(a);
          } catch {
            return false;
          }
        });
        return hit ? yes : no;
      });
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return anyCandidate((a) => {
        if (typeof a !== 'number') return { matched: false, reason: 'not_a_number' };
        const hit = values.some((v) => {
          if (typeof v !== 'number') return false;
          return op === 'gt' ? a > v : op === 'gte' ? a >= v : op === 'lt' ? a < v : a <= v;
        });
        return hit ? yes : no;
      });
    case 'semver_eq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte':
      return anyCandidate((a) => {
        const av = typeof a === 'string' ? parseSemver(a) : null;
        if (!av) return { matched: false, reason: 'not_a_semver' };
        const hit = values.some((v) => {
          const bv = typeof v === 'string' ? parseSemver(v) : null;
          if (!bv) return false;
          const c = compareSemver(av, bv);
          switch (op) {
            case 'semver_eq':
              return c === 0;
            case 'semver_gt':
              return c > 0;
            case 'semver_gte':
              return c >= 0;
            case 'semver_lt':
              return c < 0;
            default:
              return c <= 0;
          }
        });
        return hit ? yes : no;
      });
    case 'before':
    case 'after':
      return anyCandidate((a) => {
        const at = parseDate(a);
        if (at === null) return { matched: false, reason: 'not_a_date' };
        const hit = values.some((v) => {
          const bt = parseDate(v);
          return bt !== null && (op === 'before' ? at < bt : at > bt);
        });
        return hit ? yes : no;
      });
    case 'in_segment': {
      const hit = values.some((v) => {
        if (typeof v !== 'string' || stack.includes(v)) return false;
        const seg = segments(v);
        if (!seg) return false;
        return evaluateRules(seg.match_type, seg.rules, context, segments, [...stack, v]);
      });
      return hit ? yes : no;
    }
    default:
      return no;
  }
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
  const label = opLabel(op);
  const isSegmentOp = op === 'in_segment' || op === 'not_in_segment';
  const { present, value } = isSegmentOp ? { present: true, value: null } : lookup(context, cond.attribute);
  const attr = cond.attribute || '(no attribute)';

  if (op === 'exists' || op === 'not_exists') {
    const isSet = present && value !== null;
    const matched = op === 'exists' ? isSet : !isSet;
    const reason: TraceReason = matched ? 'matched' : op === 'exists' ? (present ? 'attribute_null' : 'attribute_missing') : 'negated';
    const message = isSet ? `${attr} is set to ${formatJsonValue(value)}` : present ? `${attr} is null` : `${attr} is not in the context`;
    return { ...base, actual: present ? value : null, present, matched, reason, message };
  }
  if (!present) {
    return { ...base, actual: null, present, matched: false, reason: 'attribute_missing', message: `${attr} is not in the context` };
  }
  if (value === null && !isSegmentOp) {
    return { ...base, actual: null, present, matched: false, reason: 'attribute_null', message: `${attr} is null` };
  }
  const positive = POSITIVE[op];
  const outcome = testPositive(positive ?? op, value, values, ci, segments, context, stack);
  const actualText = isSegmentOp ? 'The context' : `${attr} is ${formatJsonValue(value)}, which`;
  if (positive) {
    if (outcome.matched) {
      return {
        ...base,
        actual: value,
        present,
        matched: false,
        reason: 'negated',
        message: `${actualText} ${opLabel(positive)} ${valuesText(values)}, so "${label}" fails`,
      };
    }
    if (outcome.reason !== 'no_value_matched') {
      return { ...base, actual: value, present, matched: false, reason: outcome.reason, message: reasonMessage(outcome.reason, attr, value) };
    }
    return { ...base, actual: value, present, matched: true, reason: 'matched', message: `${actualText} ${label} ${valuesText(values)}` };
  }
  if (outcome.matched) {
    return { ...base, actual: value, present, matched: true, reason: 'matched', message: `${actualText} ${label} ${valuesText(values)}` };
  }
  if (outcome.reason !== 'no_value_matched') {
    return { ...base, actual: value, present, matched: false, reason: outcome.reason, message: reasonMessage(outcome.reason, attr, value) };
  }
  return {
    ...base,
    actual: value,
    present,
    matched: false,
    reason: 'no_value_matched',
    message: isSegmentOp
      ? `The context is not in ${valuesText(values)}`
      : `${attr} is ${formatJsonValue(value)}, which fails "${label} ${valuesText(values)}"`,
  };
}

function reasonMessage(reason: TraceReason, attr: string, value: JsonValue): string {
  const v = formatJsonValue(value);
  switch (reason) {
    case 'not_a_number':
      return `${attr} is ${v}, which is not a number`;
    case 'not_a_semver':
      return `${attr} is ${v}, which is not a version like 1.2.3`;
    case 'not_a_date':
      return `${attr} is ${v}, which is not a date`;
    case 'type_mismatch':
      return `${attr} is ${v}, but this operator needs text`;
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
