import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { RemoteInfo } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { ConflictDialog } from './ConflictDialog';
import { PushPreviewView } from './PushPreviewView';
import { useSyncStatus } from './queries';
import { ConflictList, OutboxList } from './StatusLists';
import { SyncProgressBar } from './SyncProgressBar';
import { SyncReportView } from './SyncReportView';
import { useFirstPushConfirmation } from './useFirstPushConfirmation';
import { useSyncRun } from './useSyncRun';
import './sync.css';

type Props = {
  remotes: RemoteInfo[];
  /** The remote shown; null when there are none. */
  remote: string | null;
  onSelect: (name: string) => void;
  onLocalChanges: (keys: string[]) => void;
};

/** Pull, preview and push one remote; its outbox and conflicts. */
export function SyncPanel({ remotes, remote, onSelect, onLocalChanges }: Props) {
  const selectId = useId();
  return (
    <section className="sync-panel" aria-label="Sync">
      <div className="sync-panel-head">
        <h2 className="pane-title">Sync</h2>
        {remotes.length > 0 && (
          <div className="field field-inline">
            <label htmlFor={selectId}>Remote</label>
            <select id={selectId} aria-label="Remote" value={remote ?? ''} onChange={(e) => onSelect(e.target.value)}>
              {remotes.map((r) => (
                <option key={r.name} value={r.name}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {remote === null ? (
        <p className="muted">Add a remote to pull its segments or push yours.</p>
      ) : (
        // Keyed: another remote starts with its own run, preview and dialog state.
        <RemoteSync key={remote} remote={remote} onLocalChanges={onLocalChanges} />
      )}
    </section>
  );
}

function RemoteSync({ remote, onLocalChanges }: { remote: string; onLocalChanges: (keys: string[]) => void }) {
  const backend = useBackend();
  const status = useSyncStatus(remote);
  const run = useSyncRun(remote, onLocalChanges);
  const [previewOpen, setPreviewOpen] = useState(false);
  const preview = useQuery({
    queryKey: queryKeys.syncPreview(remote),
    queryFn: () => backend.previewPush(remote),
    enabled: previewOpen,
    staleTime: 0,
  });
  const [conflictKey, setConflictKey] = useState<string | null>(null);
  const confirmFirstPush = useFirstPushConfirmation(remote, status.data);
  const push = async () => {
    if (await confirmFirstPush()) run.start('push');
  };

  return (
    <>
      <div className="sync-actions">
        <Button onClick={() => run.start('pull')} disabled={run.running} aria-label="Pull">
          Pull
        </Button>
        <Button onClick={() => (previewOpen ? void preview.refetch() : setPreviewOpen(true))} disabled={run.running} aria-label="Preview push">
          Preview push
        </Button>
        <Button variant="primary" onClick={() => void push()} disabled={run.running} aria-label="Push">
          Push
        </Button>
      </div>
      <SyncProgressBar run={run} />
      <ErrorBanner error={run.error} action={run.kind === 'pull' ? 'Pull failed' : 'Push failed'} showMessage onDismiss={run.dismissError} />
      {run.report && run.kind && <SyncReportView report={run.report} kind={run.kind} onOpenConflict={setConflictKey} />}
      {previewOpen && (
        <PushPreviewView
          preview={preview.data}
          loading={preview.isFetching}
          error={preview.error ? toIpcError(preview.error) : null}
          onClose={() => setPreviewOpen(false)}
        />
      )}
      <ErrorBanner error={status.error ? toIpcError(status.error) : null} action="Couldn't load the sync status" showMessage />
      {status.data && (
        <>
          <ConflictList conflicts={status.data.conflicts} onOpen={setConflictKey} />
          <OutboxList pending={status.data.pending} />
        </>
      )}
      {conflictKey && (
        <ConflictDialog
          remote={remote}
          segmentKey={conflictKey}
          onClose={() => setConflictKey(null)}
          onLocalChange={(key) => onLocalChanges([key])}
        />
      )}
    </>
  );
}
