import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { useToast } from '../../shared/ui/toast';
import { formatCount, shareOf } from '../populations/format';
import { WarehouseError } from './WarehouseError';
import { WarehouseSettingsForm } from './WarehouseSettingsForm';

type Props = {
  /** The saved segment to count; null for a new one. */
  savedKey: string | null;
  /** The draft differs from what is saved: the count is of the saved version. */
  dirty: boolean;
};

/** "0.21 s", "1.4 s", "12 s". */
function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds.toLocaleString('en-US', { maximumFractionDigits: seconds < 10 ? 2 : 0 })} s`;
}

/**
 * The saved segment counted by the user's PostgreSQL warehouse: the count, the query it ran
 * and how long it took, or what went wrong (by the error's code) and what to do. The
 * connection settings sit beside it, open until a warehouse is set up.
 */
export function WarehouseCount({ savedKey, dirty }: Props) {
  const backend = useBackend();
  const toast = useToast();
  const settings = useQuery({ queryKey: queryKeys.warehouseSettings(), queryFn: () => backend.warehouseSettings() });
  const configured = settings.data ?? null;
  const [editing, setEditing] = useState(false);
  const showForm = editing || (settings.isSuccess && configured === null);
  const count = useMutation({ mutationFn: (key: string) => backend.countInWarehouse([key]) });
  // The answer shown is for the segment asked about; another segment's is never shown here.
  const result = count.data && count.variables === savedKey ? count.data : null;
  const counted = result?.segments[0] ?? null;
  const refused = result?.refused[0] ?? null;
  const error = count.error && count.variables === savedKey ? toIpcError(count.error) : null;

  return (
    <section className="warehouse-count" aria-label="Count in your warehouse">
      <h3 className="section-title">Count in your warehouse</h3>
      {configured ? (
        <p className="hint">
          Runs the PostgreSQL query on <span className="mono">{configured.table}</span> at{' '}
          <span className="mono">{configured.url}</span>.
        </p>
      ) : (
        settings.isSuccess && <p className="hint">Set up your PostgreSQL warehouse below to count this segment there.</p>
      )}
      {savedKey === null && <p className="hint">Save the segment to count it in the warehouse.</p>}
      {savedKey !== null && dirty && (
        <p className="warehouse-unsaved" role="note">
          This counts the saved version: your unsaved changes are not in it.
        </p>
      )}
      <div className="warehouse-actions">
        <Button
          variant="primary"
          aria-label="Count in warehouse"
          disabled={savedKey === null || configured === null || count.isPending}
          onClick={() => savedKey && count.mutate(savedKey)}
        >
          {count.isPending ? 'Counting…' : 'Count in warehouse'}
        </Button>
        <Button aria-label="Warehouse connection settings" aria-expanded={showForm} onClick={() => setEditing(!showForm)}>
          Connection…
        </Button>
      </div>
      {counted && result && (
        <div className="warehouse-result">
          <p role="status" aria-label="Warehouse count">
            {formatCount(counted.matched)} of {formatCount(result.rows)} users ({shareOf(counted.matched, result.rows)}) · counted in{' '}
            {formatDuration(counted.duration_ms)}
          </p>
          <pre className="sql-block" aria-label="Query run on the warehouse" tabIndex={0}>
            <code>{counted.query}</code>
          </pre>
        </div>
      )}
      {refused && (
        <p className="sql-refused" role="note" aria-label="Why the warehouse can't count it">
          <strong>This warehouse can't count this segment exactly.</strong> Why: {refused.reason}
        </p>
      )}
      <WarehouseError error={error} onDismiss={() => count.reset()} />
      {showForm && (
        <WarehouseSettingsForm
          saved={configured}
          onSaved={() => {
            setEditing(false);
            count.reset();
            toast.show({ message: 'Warehouse connection saved', tone: 'success' });
          }}
        />
      )}
    </section>
  );
}
