import type { SyncProgress } from '../../lib/backend/bindings';
import type { SyncKind } from './labels';
import type { SyncRun } from './useSyncRun';

/**
 * "Pushing 4 of 9: beta" while running; after, what became of them: "3 pushed, 6 refused"
 * (refused, failed and conflicted segments are not counted as pushed).
 */
export function progressText(kind: SyncKind, running: boolean, p: SyncProgress): string {
  if (running) return `${kind === 'pull' ? 'Pulling' : 'Pushing'} ${p.done} of ${p.total}${p.key ? `: ${p.key}` : ''}`;
  const done = p.done - p.refused - p.failed - p.conflicts;
  const parts = [
    `${done} ${kind === 'pull' ? 'pulled' : 'pushed'}`,
    p.refused > 0 && `${p.refused} refused`,
    p.failed > 0 && `${p.failed} failed`,
    p.conflicts > 0 && `${p.conflicts} ${p.conflicts === 1 ? 'conflict' : 'conflicts'}`,
  ].filter((part): part is string => typeof part === 'string');
  return parts.join(', ');
}

/**
 * The run's progress: a <progress> named "Sync progress" fed by the backend's done/total,
 * indeterminate until the first report. It stays at its last value after the run, so the
 * result ("3 pushed, 6 refused") can still be read.
 */
export function SyncProgressBar({ run }: { run: SyncRun }) {
  const { kind, progress, running } = run;
  if (!kind || (!running && !progress)) return null;
  const verb = kind === 'pull' ? 'Pulling' : 'Pushing';
  const text = progress ? progressText(kind, running, progress) : `${verb}…`;
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
