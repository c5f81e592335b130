import { useQuery } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import { queryKeys } from '../../lib/query-keys';

export function useRemotes() {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.remotes(), queryFn: () => backend.listRemotes() });
}

export function useSyncStatus(remote: string) {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.syncStatus(remote), queryFn: () => backend.syncStatus(remote) });
}

/** After a pull, a push or a resolution: local segments and their history may have changed too. */
export function invalidateAfterSync(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: queryKeys.allSync() });
  void qc.invalidateQueries({ queryKey: queryKeys.segments() });
  void qc.invalidateQueries({ queryKey: queryKeys.allRevisions() });
  void qc.invalidateQueries({ queryKey: queryKeys.allValidations() });
}
