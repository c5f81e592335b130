// Structural check for segment JSON typed in the JSON view. Semantic checks
// (operators, values, keys) are the backend's job via validateSegment.
import type { Condition, Group, Operator, Rule, Segment } from '../../lib/backend/bindings';
import { isMatchType } from '../../lib/segments';

type ShapeResult = { ok: true; segment: Segment } | { ok: false; message: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function toRule(v: unknown, where: string): Rule | string {
  if (!isObj(v)) return `${where} must be an object`;
  if ('rules' in v) {
    if (!isMatchType(v.match_type)) return `${where}.match_type must be "all", "any" or "none"`;
    const rules = toRules(v.rules, where);
    if (typeof rules === 'string') return rules;
    const g: Group = { match_type: v.match_type, rules };
    return g;
  }
  if (typeof v.attribute !== 'string') return `${where}.attribute must be text`;
  if (typeof v.operator !== 'string') return `${where}.operator must be text`;
  if (!Array.isArray(v.values)) return `${where}.values must be a list`;
  if (v.case_insensitive !== undefined && typeof v.case_insensitive !== 'boolean') {
    return `${where}.case_insensitive must be true or false`;
  }
  const c: Condition = { attribute: v.attribute, operator: v.operator as Operator, values: v.values };
  if (v.case_insensitive !== undefined) c.case_insensitive = v.case_insensitive;
  return c;
}

function toRules(v: unknown, where: string): Rule[] | string {
  const base = where ? `${where}.rules` : 'rules';
  if (!Array.isArray(v)) return `${base} must be a list`;
  const out: Rule[] = [];
  for (let i = 0; i < v.length; i++) {
    const r = toRule(v[i], `${base}[${i}]`);
    if (typeof r === 'string') return r;
    out.push(r);
  }
  return out;
}

export function parseSegmentJson(text: string): ShapeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `Not valid JSON yet: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isObj(parsed)) return { ok: false, message: 'A segment must be a JSON object' };
  if (typeof parsed.key !== 'string') return { ok: false, message: 'key must be text' };
  if (typeof parsed.name !== 'string') return { ok: false, message: 'name must be text' };
  if (parsed.description !== undefined && typeof parsed.description !== 'string') {
    return { ok: false, message: 'description must be text' };
  }
  if (!isMatchType(parsed.match_type)) return { ok: false, message: 'match_type must be "all", "any" or "none"' };
  const rules = toRules(parsed.rules, '');
  if (typeof rules === 'string') return { ok: false, message: rules };
  return {
    ok: true,
    segment: {
      key: parsed.key,
      name: parsed.name,
      description: typeof parsed.description === 'string' ? parsed.description : '',
      match_type: parsed.match_type,
      rules,
    },
  };
}
