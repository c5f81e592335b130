import { useQueries } from '@tanstack/react-query';
import type { UseQueryResult } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import type { SyncBadge, SyncStatus } from '../../lib/backend/bindings';
import { queryKeys } from '../../lib/query-keys';
import { useRemotes } from './queries';

export type RemoteBadge = { remote: string; state: SyncBadge };
export type BadgesByKey = ReadonlyMap<string, readonly RemoteBadge[]>;

const NO_BADGES: BadgesByKey = new Map();

// Module-level so TanStack Query can keep the combined result stable between renders.
function combine(results: UseQueryResult<SyncStatus>[]): BadgesByKey {
  const byKey = new Map<string, RemoteBadge[]>();
  for (const { data } of results) {
    if (!data) continue;
    for (const { key, state } of data.segments) {
      const list = byKey.get(key) ?? [];
      list.push({ remote: data.remote, state });
      byKey.set(key, list);
    }
  }
  return byKey.size === 0 ? NO_BADGES : byKey;
}

/**
 * Each segment's badge for every remote, from the remotes' sync status (shared with the
 * sync panel's queries). No remotes: an empty map, so the list shows no badges. A status
 * that fails to load shows no badge; the Remotes page shows the error.
 */
export function useSyncBadges(): BadgesByKey {
  const backend = useBackend();
  const remotes = useRemotes();
  return useQueries({
    queries: (remotes.data ?? []).map((r) => ({
      queryKey: queryKeys.syncStatus(r.name),
      queryFn: () => backend.syncStatus(r.name),
    })),
    combine,
  });
}
