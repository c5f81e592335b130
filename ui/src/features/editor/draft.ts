import type { Segment } from '../../lib/backend/bindings';
import { canonicalSegment, prettySegment } from '../../lib/segments';
import { queryToRules, reuseIds, segmentToQuery } from './convert';
import type { BuilderGroup } from './convert';
import type { FieldRef } from './edited-fields';

/** The segment being edited. The builder's query (with rqb ids) is the source of truth for rules. */
export type Draft = {
  /** Key of the saved segment being edited; null for a new, never-saved segment. */
  originalKey: string | null;
  key: string;
  name: string;
  description: string;
  query: BuilderGroup;
  /** prettySegment() of the last saved state; a draft differing from it is dirty. */
  baseline: string;
  /** Bumped whenever the draft is replaced from outside the current view (load, restore, JSON edit). */
  loadId: number;
  /** Once true (a saved segment, a JSON edit, a save attempt), every validation issue is shown. */
  touched: boolean;
  /** Until then, only the issues of the fields edited so far (see edited-fields.ts). */
  edited: readonly FieldRef[];
};

let loadCounter = 0;

export function draftFromSegment(segment: Segment, saved: boolean): Draft {
  const canon = canonicalSegment(segment);
  return {
    originalKey: saved ? segment.key : null,
    key: segment.key,
    name: segment.name,
    description: segment.description,
    query: segmentToQuery(canon),
    baseline: prettySegment(canon),
    loadId: ++loadCounter,
    touched: saved,
    edited: [],
  };
}

export function newDraft(): Draft {
  return draftFromSegment(
    {
      key: '',
      name: '',
      description: '',
      match_type: 'all',
      rules: [{ attribute: '', operator: 'eq', values: [] }],
    },
    false,
  );
}

export function draftToSegment(d: Draft): Segment {
  const { match_type, rules } = queryToRules(d.query);
  return { key: d.key, name: d.name, description: d.description, match_type, rules };
}

export function isDirty(d: Draft): boolean {
  return prettySegment(draftToSegment(d)) !== d.baseline;
}

/** Replace the draft's content from a Segment (e.g. a JSON edit) keeping rule ids where possible. */
export function withSegment(d: Draft, segment: Segment, external: boolean): Draft {
  return {
    ...d,
    key: d.originalKey ?? segment.key,
    name: segment.name,
    description: segment.description,
    query: reuseIds(d.query, segmentToQuery(segment)),
    loadId: external ? ++loadCounter : d.loadId,
    touched: true,
  };
}

/** After a successful save: the saved segment becomes the new baseline. Edits made meanwhile are kept. */
export function rebase(current: Draft, submitted: Segment, saved: Segment): Draft {
  const canonSaved = prettySegment(saved);
  const unchangedSinceSubmit = prettySegment(draftToSegment(current)) === prettySegment(submitted);
  if (unchangedSinceSubmit && canonSaved !== prettySegment(submitted)) {
    // The backend normalised something: show exactly what was stored.
    return { ...withSegment(current, saved, true), originalKey: saved.key, key: saved.key, baseline: canonSaved };
  }
  return { ...current, originalKey: saved.key, key: current.originalKey ?? saved.key, baseline: canonSaved };
}
