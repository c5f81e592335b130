import { useQuery } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';

/**
 * Query keys of the sync views. Everything under `['sync']` (status, preview) depends on
 * both the local segments and the remote, so it is invalidated after any of: a segment
 * edit, an import, a pull, a push, a resolved conflict, a remote added or removed.
 */
export const syncKeys = {
  all: ['sync'] as const,
  status: (remote: string) => ['sync', 'status', remote] as const,
  preview: (remote: string) => ['sync', 'preview', remote] as const,
  // Outside ['sync'] on purpose: refetching a conflict that was just resolved would only fail.
  conflict: (remote: string, key: string) => ['conflict', remote, key] as const,
};

export const REMOTES_KEY = ['remotes'] as const;

export function useRemotes() {
  const backend = useBackend();
  return useQuery({ queryKey: REMOTES_KEY, queryFn: () => backend.listRemotes() });
}

export function useSyncStatus(remote: string) {
  const backend = useBackend();
  return useQuery({ queryKey: syncKeys.status(remote), queryFn: () => backend.syncStatus(remote) });
}

/** After a pull, a push or a resolution: local segments and their history may have changed too. */
export function invalidateAfterSync(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: syncKeys.all });
  void qc.invalidateQueries({ queryKey: ['segments'] });
  void qc.invalidateQueries({ queryKey: ['revisions'] });
  void qc.invalidateQueries({ queryKey: ['validate'] });
}
