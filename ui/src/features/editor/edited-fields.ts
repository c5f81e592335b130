// Which fields of a new draft the person has edited, so validation issues appear field by field
// after the first edit of each, not all at once on an empty form.
import type { BuilderGroup, BuilderRule } from './convert';
import { isBuilderGroup } from './convert';
import type { LocatedIssue } from './issues';
import { jsonEqual } from '../../lib/segments';

/** "segment|name", or "<rqb id>|attribute" / "|operator" / "|values" / "|case_insensitive" / "|match_type" / "|rules". */
export type FieldRef = string;

export function segmentField(field: 'key' | 'name' | 'description'): FieldRef {
  return `segment|${field}`;
}

function byId(q: BuilderGroup): Map<string, BuilderRule | BuilderGroup> {
  const out = new Map<string, BuilderRule | BuilderGroup>();
  const walk = (r: BuilderRule | BuilderGroup) => {
    if (r.id) out.set(r.id, r);
    if (isBuilderGroup(r)) r.rules.forEach(walk);
  };
  walk(q);
  return out;
}

/** The fields that differ between two versions of the builder's query (rows added or removed count as their group's `rules`). */
export function changedFields(before: BuilderGroup, after: BuilderGroup): FieldRef[] {
  const old = byId(before);
  const out: FieldRef[] = [];
  for (const [id, next] of byId(after)) {
    const prev = old.get(id);
    if (!prev) continue; // a new row: nothing of it is edited yet
    if (isBuilderGroup(next) && isBuilderGroup(prev)) {
      if (next.combinator !== prev.combinator) out.push(`${id}|match_type`);
      if (next.rules.length !== prev.rules.length) out.push(`${id}|rules`);
    } else if (!isBuilderGroup(next) && !isBuilderGroup(prev)) {
      if (next.field !== prev.field) out.push(`${id}|attribute`);
      if (next.operator !== prev.operator) out.push(`${id}|operator`);
      if (!jsonEqual(next.value ?? [], prev.value ?? [])) out.push(`${id}|values`);
      if (next.case_insensitive !== prev.case_insensitive) out.push(`${id}|case_insensitive`);
    }
  }
  return out;
}

export function withEdited(edited: readonly FieldRef[], more: readonly FieldRef[]): readonly FieldRef[] {
  const add = more.filter((f) => !edited.includes(f));
  return add.length === 0 ? edited : [...edited, ...add];
}

/** The field an issue is about, in the same terms (null: no one field, shown once the draft is touched). */
export function issueField(issue: LocatedIssue): FieldRef | null {
  const [path, field = ''] = issue.locationKey.split('|');
  if (path === '' && (field === 'key' || field === 'name' || field === 'description')) return segmentField(field);
  return issue.ruleId && field ? `${issue.ruleId}|${field}` : null;
}
