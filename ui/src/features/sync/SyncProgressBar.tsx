import type { SyncRun } from './useSyncRun';

/**
 * The run's progress: a <progress> named "Sync progress" fed by the backend's done/total,
 * indeterminate until the first report. It stays at its last value after the run, so the
 * result ("5 of 5") can still be read.
 */
export function SyncProgressBar({ run }: { run: SyncRun }) {
  const { kind, progress, running } = run;
  if (!kind || (!running && !progress)) return null;
  const verb = kind === 'pull' ? (running ? 'Pulling' : 'Pulled') : running ? 'Pushing' : 'Pushed';
  const text = progress
    ? `${verb} ${progress.done} of ${progress.total}${running && progress.key ? `: ${progress.key}` : ''}`
    : `${verb}…`;
  return (
    <div className="sync-progress">
      {progress && progress.total > 0 ? (
        <progress aria-label="Sync progress" value={progress.done} max={progress.total} />
      ) : (
        <progress aria-label="Sync progress" />
      )}
      <span className="sync-progress-text" aria-live="polite">
        {text}
      </span>
    </div>
  );
}
