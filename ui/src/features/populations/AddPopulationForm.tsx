import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { StoredPopulation, ReadProgress } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { useToast } from '../../shared/ui/toast';
import { formatBytes, formatCount, formatRate } from './format';
import { newRunId } from './queries';

type Props = { onAdded: (population: StoredPopulation) => void };

/**
 * Adds a population by the path of its file. Reading a big file takes seconds: the form
 * shows the users read so far and how fast, and Cancel stops the read (nothing is kept).
 */
export function AddPopulationForm({ onAdded }: Props) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const id = useId();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [progress, setProgress] = useState<ReadProgress | null>(null);
  const [stopped, setStopped] = useState(false);
  const run = useRef<string | null>(null);

  const add = useMutation({
    mutationFn: ({ path, name }: { path: string; name: string | null }) => {
      const id = newRunId('add');
      run.current = id;
      return backend.addPopulation(path, name, id, setProgress);
    },
    onMutate: () => {
      setProgress(null);
      setStopped(false);
    },
    onSettled: () => {
      run.current = null;
      void qc.invalidateQueries({ queryKey: queryKeys.populations() });
    },
    onSuccess: (info) => {
      setPath('');
      setName('');
      toast.show({ message: `Added “${info.name}”: ${formatCount(info.rows)} users`, tone: 'success' });
      onAdded(info);
    },
    onError: (e) => {
      if (toIpcError(e).code === 'cancelled') setStopped(true);
    },
  });

  const error = add.error ? toIpcError(add.error) : null;
  const running = add.isPending;
  const cancel = () => {
    if (run.current) void backend.cancelRun(run.current);
  };

  return (
    <form
      className="population-form"
      aria-label="Add a population"
      onSubmit={(e) => {
        e.preventDefault();
        if (!path.trim() || running) return;
        add.mutate({ path: path.trim(), name: name.trim() || null });
      }}
    >
      <h3 className="section-title">Add a population</h3>
      <p className="hint">
        A file of your users, one per row: CSV with a header row, NDJSON (one JSON object per line), Parquet, or a gzipped
        CSV / NDJSON.
      </p>
      <div className="field">
        <label htmlFor={`${id}-path`}>File path</label>
        <input
          id={`${id}-path`}
          aria-label="File path"
          className="mono"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/home/me/exports/users.csv"
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          disabled={running}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name (optional)</label>
        <input
          id={`${id}-name`}
          aria-label="Population name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. All customers, November"
          autoComplete="off"
          disabled={running}
        />
      </div>
      <div className="population-form-actions">
        <Button type="submit" variant="primary" disabled={running || !path.trim()} aria-label="Add population">
          {running ? 'Reading…' : 'Add population'}
        </Button>
        {running && (
          <Button onClick={cancel} aria-label="Cancel adding population">
            Cancel
          </Button>
        )}
      </div>
      {running && <ReadProgressBar progress={progress} />}
      {stopped && (
        <p className="population-stopped" role="status">
          Stopped. Nothing was added.
        </p>
      )}
      {error && error.code !== 'cancelled' && (
        <ErrorBanner error={error} action="Couldn't add the population" showMessage onDismiss={() => add.reset()} />
      )}
    </form>
  );
}

/** How far the read has got: bytes for the bar, users and speed in words. */
export function ReadProgressBar({ progress }: { progress: ReadProgress | null }) {
  return (
    <div className="read-progress">
      {progress && progress.total_bytes > 0 ? (
        <progress aria-label="Reading progress" value={progress.bytes_read} max={progress.total_bytes} />
      ) : (
        <progress aria-label="Reading progress" />
      )}
      <span className="read-progress-text" role="status" aria-live="polite">
        {progress
          ? `${formatCount(progress.rows)} users read · ${formatRate(progress.rows_per_second)} · ${formatBytes(progress.bytes_read)} of ${formatBytes(progress.total_bytes)}`
          : 'Opening the file…'}
      </span>
    </div>
  );
}
