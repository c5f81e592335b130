import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { StoredPopulation } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { HorizontalBarChart } from '../../shared/ui/BarChart';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { CountingStatus } from './CountingStatus';
import { countAndShare, formatCount } from './format';
import { useAudience } from './queries';

const NO_KEYS: readonly string[] = [];

/** How many of the population's users each saved segment reaches, largest first. */
export function AudienceChart({ population }: { population: StoredPopulation }) {
  const qc = useQueryClient();
  const audience = useAudience(population.id, NO_KEYS, false);
  const [stopped, setStopped] = useState(false);
  const key = queryKeys.audience(population.id, NO_KEYS, false);
  const error = audience.error ? toIpcError(audience.error) : null;
  const data = audience.data;
  const bars = (data?.segments ?? [])
    .slice()
    .sort((a, b) => b.matched - a.matched || a.name.localeCompare(b.name))
    .map((s) => ({ id: s.key, label: s.name || s.key, value: s.matched, valueLabel: countAndShare(s.matched, s.share) }));

  return (
    <section className="audience-section" aria-label="Audience per segment">
      <h3 className="section-title">Audience per segment</h3>
      <p className="hint">
        How many of the {formatCount(population.rows)} users in “{population.name}” each saved segment reaches.
      </p>
      <CountingStatus
        what="audiences"
        running={audience.isFetching}
        stopped={stopped && !audience.isFetching && !data}
        onCancel={() => {
          setStopped(true);
          void qc.cancelQueries({ queryKey: key });
        }}
        onRetry={() => {
          setStopped(false);
          void audience.refetch();
        }}
      />
      <ErrorBanner error={error} action="Couldn't count the audiences" showMessage />
      {data && bars.length === 0 && <p className="muted">No saved segments yet.</p>}
      {data && bars.length > 0 && (
        <HorizontalBarChart
          data={bars}
          unit="users"
          title={`Users per segment in ${population.name}`}
          formatTick={(v) => formatCount(v)}
        />
      )}
    </section>
  );
}
