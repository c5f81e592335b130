import type { SegmentSummary } from '../../lib/backend/bindings';

export type SortOrder = 'name' | 'key' | 'updated' | 'conditions';

export const SORT_LABELS: Record<SortOrder, string> = {
  name: 'Name (A–Z)',
  key: 'Key (A–Z)',
  updated: 'Recently updated',
  conditions: 'Most conditions',
};

/**
 * Every whitespace-separated term must appear (case-insensitively) in the key,
 * name, description or one of the attributes. "attr:country" limits a term to attributes.
 */
export function filterSegments(segments: readonly SegmentSummary[], query: string): SegmentSummary[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...segments];
  return segments.filter((s) => {
    const attrs = s.attributes.map((a) => a.toLowerCase());
    const text = `${s.key}\n${s.name}\n${s.description}`.toLowerCase();
    return terms.every((t) => {
      if (t.startsWith('attr:')) {
        const a = t.slice(5);
        return attrs.some((x) => x.includes(a));
      }
      return text.includes(t) || attrs.some((x) => x.includes(t));
    });
  });
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function sortSegments(segments: SegmentSummary[], order: SortOrder): SegmentSummary[] {
  const out = [...segments];
  switch (order) {
    case 'name':
      return out.sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.key, b.key));
    case 'key':
      return out.sort((a, b) => collator.compare(a.key, b.key));
    case 'updated':
      return out.sort((a, b) => b.updated_at.localeCompare(a.updated_at) || collator.compare(a.key, b.key));
    case 'conditions':
      return out.sort((a, b) => b.condition_count - a.condition_count || collator.compare(a.name, b.name));
  }
}
