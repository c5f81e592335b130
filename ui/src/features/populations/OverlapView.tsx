import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { Audience, StoredPopulation } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { heatShade } from '../../shared/ui/palette';
import { CountingStatus } from './CountingStatus';
import { formatCount, shareOf } from './format';
import { useAudience } from './queries';

const MIN = 2;
const MAX = 8;

/** Users in both segments of each pair, for 2 to 8 segments picked by their checkboxes. */
export function OverlapView({ population }: { population: StoredPopulation }) {
  const backend = useBackend();
  const qc = useQueryClient();
  const segments = useQuery({ queryKey: queryKeys.segments(), queryFn: () => backend.listSegments() });
  const [picked, setPicked] = useState<string[]>([]);
  const [stopped, setStopped] = useState(false);
  const keys = useMemo(() => [...picked].sort(), [picked]);
  const ready = keys.length >= MIN && keys.length <= MAX;
  const audience = useAudience(population.id, keys, true, ready);
  const error = audience.error ? toIpcError(audience.error) : null;

  const toggle = (key: string, on: boolean) => {
    setStopped(false);
    setPicked((p) => (on ? [...p, key] : p.filter((k) => k !== key)));
  };

  return (
    <section className="overlap-section" aria-label="Segment overlap">
      <h3 className="section-title">Overlap between segments</h3>
      <p className="hint">Pick {MIN} to {MAX} segments to see how many users are in both of each pair.</p>
      <fieldset className="overlap-picker">
        <legend className="sr-only">Segments to compare</legend>
        {(segments.data ?? []).map((s) => {
          const checked = picked.includes(s.key);
          return (
            <label key={s.key} className="check">
              <input
                type="checkbox"
                aria-label={`Compare ${s.name || s.key}`}
                checked={checked}
                disabled={!checked && picked.length >= MAX}
                onChange={(e) => toggle(s.key, e.target.checked)}
              />
              {s.name || s.key}
            </label>
          );
        })}
      </fieldset>
      {ready && (
        <CountingStatus
          what="overlap"
          running={audience.isFetching}
          stopped={stopped && !audience.isFetching && !audience.data}
          onCancel={() => {
            setStopped(true);
            void qc.cancelQueries({ queryKey: queryKeys.audience(population.id, keys, true) });
          }}
          onRetry={() => {
            setStopped(false);
            void audience.refetch();
          }}
        />
      )}
      <ErrorBanner error={error} action="Couldn't count the overlap" showMessage />
      {ready && audience.data && <OverlapMatrix audience={audience.data} keys={keys} />}
    </section>
  );
}

/**
 * The matrix: a row and a column per segment; each cell the users in both, and what share
 * of the row's segment that is (the diagonal is the segment itself). Shaded by that share.
 */
export function OverlapMatrix({ audience, keys }: { audience: Audience; keys: readonly string[] }) {
  const byKey = new Map(audience.segments.map((s) => [s.key, s]));
  const rows = keys.map((k) => byKey.get(k)).filter((s) => s !== undefined);
  const both = (a: string, b: string): number => {
    if (a === b) return byKey.get(a)?.matched ?? 0;
    const pair = audience.overlaps.find((o) => (o.a === a && o.b === b) || (o.a === b && o.b === a));
    return pair?.both ?? 0;
  };
  const name = (key: string) => byKey.get(key)?.name || key;
  return (
    <div className="overlap-matrix-wrap">
      <table className="overlap-matrix" aria-label="Overlap matrix">
        <caption>
          Users in both segments. The percentage is the share of the row’s segment that is also in the column’s.
        </caption>
        <thead>
          <tr>
            <td className="overlap-corner">
              <span className="overlap-axis-row">Users in ↓</span>
              <span className="overlap-axis-col">also in →</span>
            </td>
            {rows.map((s) => (
              <th key={s.key} scope="col">
                {s.name || s.key}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">
                {row.name || row.key}
                <span className="muted overlap-row-total"> {formatCount(row.matched)} users</span>
              </th>
              {rows.map((col) => {
                const count = both(row.key, col.key);
                const share = row.matched > 0 ? count / row.matched : 0;
                const shade = heatShade(share);
                return (
                  <td
                    key={col.key}
                    className={row.key === col.key ? 'is-self' : undefined}
                    style={{ background: shade.background, color: shade.color }}
                    aria-label={`${name(row.key)} and ${name(col.key)}: ${formatCount(count)} users, ${shareOf(count, row.matched)} of ${name(row.key)}`}
                  >
                    <span className="overlap-count">{formatCount(count)}</span>
                    <span className="overlap-share">{shareOf(count, row.matched)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
