import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { SyncProgress } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { useToast } from '../../shared/ui/toast';
import { invalidateAfterSync } from './queries';
import { locallyChanged, needsAttention, reportSummary } from './labels';
import type { SyncKind } from './labels';

/**
 * A pull or push of one remote: its progress as the backend reports it (over a Tauri
 * channel), then its report or error. The last run stays on screen until the next.
 */
export function useSyncRun(remote: string, onLocalChanges: (keys: string[]) => void) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const [progress, setProgress] = useState<SyncProgress | null>(null);

  const run = useMutation({
    onMutate: () => setProgress(null),
    mutationFn: (kind: SyncKind) =>
      kind === 'pull' ? backend.pullRemote(remote, setProgress) : backend.pushRemote(remote, setProgress),
    // Even a failed run may have written some segments before it stopped.
    onSettled: () => invalidateAfterSync(qc),
    onSuccess: (report, kind) => {
      onLocalChanges(locallyChanged(report, kind));
      const verb = kind === 'pull' ? `Pulled from “${remote}”` : `Pushed to “${remote}”`;
      toast.show({ message: `${verb}: ${reportSummary(report)}`, tone: needsAttention(report) ? 'info' : 'success' });
    },
  });

  return {
    kind: run.variables ?? null,
    progress,
    running: run.isPending,
    report: run.data ?? null,
    error: run.error ? toIpcError(run.error) : null,
    start: (kind: SyncKind) => run.mutate(kind),
    dismissError: () => run.reset(),
  };
}

export type SyncRun = ReturnType<typeof useSyncRun>;
