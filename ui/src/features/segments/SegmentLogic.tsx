import { useQuery } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import type { SegmentSummary } from '../../lib/backend/bindings';
import { queryKeys } from '../../lib/query-keys';
import { MATCH_TYPE_LABELS } from '../../lib/segments';
import { logicSummary } from './logic-summary';

/** A list row's "Any of 2 rules · 1 group · plan, seats" (the rules are fetched for the rows on screen only). */
export function SegmentLogic({ summary }: { summary: SegmentSummary }) {
  const backend = useBackend();
  const segment = useQuery({
    queryKey: queryKeys.segmentRules(summary.key, summary.updated_at),
    queryFn: () => backend.getSegment(summary.key),
    staleTime: Infinity,
  });
  const logic = segment.data
    ? logicSummary(segment.data.match_type, segment.data.rules)
    : `${MATCH_TYPE_LABELS[summary.match_type] ?? summary.match_type} …`;
  const { attributes } = summary;
  return (
    <div className="segment-meta">
      {logic}
      {attributes.length > 0 && (
        <>
          {' '}
          · {attributes.slice(0, 4).join(', ')}
          {attributes.length > 4 ? '…' : ''}
        </>
      )}
    </div>
  );
}
