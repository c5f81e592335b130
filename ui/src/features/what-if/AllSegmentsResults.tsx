import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { JsonValue, SegmentMatch } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { parseContext } from './useExplain';

type Props = {
  contextText: string;
  onOpenSegment: (key: string) => void;
};

/** The context against every saved segment: once asked for, it follows the context and every saved change. */
export function AllSegmentsResults({ contextText, onOpenSegment }: Props) {
  const backend = useBackend();
  const [onlyMatches, setOnlyMatches] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const contextParse = parseContext(contextText);
  const allContext = contextParse.ok ? JSON.stringify(contextParse.value) : null;
  // Under segments(): a save, delete, import or pull refetches it.
  const evalAll = useQuery({
    queryKey: queryKeys.evaluateAll(allContext),
    queryFn: () => backend.evaluateAll(JSON.parse(allContext ?? '{}') as JsonValue),
    enabled: showAll && allContext !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const results: SegmentMatch[] = evalAll.data ?? [];
  const matchedCount = results.filter((r) => r.matched).length;
  const shown = onlyMatches ? results.filter((r) => r.matched) : results;

  return (
    <div className="eval-all">
      <Button
        onClick={() => (showAll ? void evalAll.refetch() : setShowAll(true))}
        disabled={!contextParse.ok || evalAll.isFetching}
        aria-label="Evaluate against all segments"
      >
        {evalAll.isFetching ? 'Evaluating…' : 'Evaluate against all segments'}
      </Button>
      <ErrorBanner error={evalAll.error ? toIpcError(evalAll.error) : null} action="Couldn't evaluate" />
      {showAll && evalAll.data && (
        <div className="eval-all-results">
          <div className="eval-all-head">
            <strong role="status" aria-label="All segments summary">
              {matchedCount} of {results.length} saved segments match
            </strong>
            <label className="check">
              <input type="checkbox" checked={onlyMatches} onChange={(e) => setOnlyMatches(e.target.checked)} aria-label="Show only matching segments" />
              Only matches
            </label>
          </div>
          <ul aria-label="Results for all segments">
            {shown.map((r) => (
              <li key={r.key} className={r.matched ? 'is-pass' : 'is-fail'} aria-label={`${r.name || r.key} (${r.key}): ${r.matched ? 'matched' : 'not matched'}`}>
                <span className={`trace-icon ${r.matched ? 'is-pass' : 'is-fail'}`} aria-hidden="true">
                  {r.matched ? '✓' : '✗'}
                </span>
                <button type="button" className="link" onClick={() => onOpenSegment(r.key)} aria-label={`Open segment ${r.key}`}>
                  {r.name || r.key}
                </button>
                <span className="mono muted">{r.key}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
