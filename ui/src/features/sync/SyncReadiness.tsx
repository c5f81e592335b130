import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import type { JsonValue, Segment } from '../../lib/backend/bindings';
import { canonicalSegment } from '../../lib/segments';
import { queryKeys } from '../../lib/query-keys';
import { useDebouncedValue } from '../../shared/ui/hooks';
import { useRemotes } from './queries';
import './sync.css';

const READINESS_DEBOUNCE_MS = 250;

/**
 * Whether the draft, as it is now, can be pushed to each remote, and why not, in the
 * words push itself would use (the check is Rust's `sync::readiness`, the one push runs).
 * Shown while editing, so a refusal is seen before a push, not after. Nothing without
 * remotes.
 */
export function SyncReadiness({ segment }: { segment: Segment }) {
  const backend = useBackend();
  const remotes = useRemotes();
  const json = JSON.stringify(canonicalSegment(segment));
  const debounced = useDebouncedValue(json, READINESS_DEBOUNCE_MS);
  const hasRemotes = (remotes.data ?? []).length > 0;
  const query = useQuery({
    queryKey: queryKeys.syncReadiness(debounced),
    queryFn: () => backend.syncReadiness(JSON.parse(debounced) as JsonValue),
    enabled: hasRemotes,
    placeholderData: keepPreviousData,
    retry: false,
  });
  if (!hasRemotes || !query.data || query.data.length === 0) return null;
  const blocked = query.data.filter((r) => r.problems.length > 0);
  return (
    <section className={`sync-readiness ${blocked.length > 0 ? 'has-problems' : 'is-clear'}`} aria-label="Sync to remotes">
      <ul>
        {query.data.map((r) => (
          <li key={r.remote} className={r.problems.length > 0 ? 'is-blocked' : 'is-ok'}>
            <span aria-hidden="true">{r.problems.length > 0 ? '⚠' : '✓'}</span> {r.summary}
          </li>
        ))}
      </ul>
    </section>
  );
}
