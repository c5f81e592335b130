// Maps backend validation paths ("rules[1].rules[0].values[0]") to the exact
// control in the editor: a location key for inline display, the rule id, a DOM
// id to focus, and a human description for the summary list.
import type { ValidationIssue } from '../../lib/backend/bindings';
import { parsePath, rulePathLabel } from '../../lib/segments';
import type { ParsedPath } from '../../lib/segments';
import { isBuilderGroup, ruleAtPath } from './convert';
import type { BuilderGroup } from './convert';

export type LocatedIssue = ValidationIssue & {
  parsed: ParsedPath | null;
  /** Key used by inline controls: "<rulePath joined by .>|<field>". */
  locationKey: string;
  /** rqb id of the rule/group the issue belongs to (null for segment fields). */
  ruleId: string | null;
  /** DOM id of the control to focus. */
  elementId: string;
  /** "Condition 2.1 · value", "Segment key", … */
  location: string;
};

export type IssueIndex = {
  all: LocatedIssue[];
  at(rulePath: readonly number[], field: string | null): LocatedIssue[];
  byRuleId: Map<string, LocatedIssue[]>;
};

const SEGMENT_FIELDS = new Set(['key', 'name', 'description']);

function locationKey(rulePath: readonly number[], field: string | null): string {
  return `${rulePath.join('.')}|${field ?? ''}`;
}

export function elementIdFor(rulePath: readonly number[], field: string): string {
  if (rulePath.length === 0 && SEGMENT_FIELDS.has(field)) return `segment-${field}`;
  const p = rulePath.length === 0 ? 'root' : rulePath.join('-');
  const f = field === 'rules' ? 'match_type' : field;
  return `rule-${p}-${f}`;
}

const FIELD_NAMES: Record<string, string> = {
  attribute: 'attribute',
  operator: 'operator',
  values: 'value',
  case_insensitive: 'case-insensitive',
  match_type: 'match type',
  rules: 'conditions',
};

export function indexIssues(issues: readonly ValidationIssue[], query: BuilderGroup | null): IssueIndex {
  const byKey = new Map<string, LocatedIssue[]>();
  const byRuleId = new Map<string, LocatedIssue[]>();
  const all: LocatedIssue[] = [];
  const seen = new Set<string>();

  for (const issue of issues) {
    const dedupe = `${issue.path}\u0000${issue.code}\u0000${issue.message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);

    const parsed = parsePath(issue.path);
    let located: LocatedIssue;
    if (!parsed) {
      located = { ...issue, parsed, locationKey: '', ruleId: null, elementId: '', location: issue.path || 'Segment' };
    } else {
      const node = query ? ruleAtPath(query, parsed.rulePath) : null;
      const isGroup = parsed.rulePath.length === 0 || (node !== null && isBuilderGroup(node));
      let field = parsed.field;
      if (field === null) field = isGroup ? 'match_type' : 'attribute';
      let location: string;
      if (parsed.rulePath.length === 0 && SEGMENT_FIELDS.has(field)) {
        location = `Segment ${field}`;
      } else if (parsed.rulePath.length === 0) {
        location = field === 'rules' ? 'Conditions' : 'Match type';
      } else {
        const label = rulePathLabel(parsed.rulePath);
        const what = isGroup ? `Group ${label}` : `Condition ${label}`;
        let fieldName = FIELD_NAMES[field] ?? field;
        if (field === 'values' && parsed.valueIndex !== null) fieldName = `value ${parsed.valueIndex + 1}`;
        location = `${what} · ${fieldName}`;
      }
      located = {
        ...issue,
        parsed,
        locationKey: locationKey(parsed.rulePath, field),
        ruleId: node?.id ?? null,
        elementId: elementIdFor(parsed.rulePath, field),
        location,
      };
    }
    all.push(located);
    if (located.locationKey) {
      const list = byKey.get(located.locationKey) ?? [];
      list.push(located);
      byKey.set(located.locationKey, list);
    }
    if (located.ruleId) {
      const list = byRuleId.get(located.ruleId) ?? [];
      list.push(located);
      byRuleId.set(located.ruleId, list);
    }
  }

  return {
    all,
    byRuleId,
    at: (rulePath, field) => byKey.get(locationKey(rulePath, field)) ?? [],
  };
}
