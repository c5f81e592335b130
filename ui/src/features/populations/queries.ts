import { useQuery } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import type { Backend } from '../../lib/backend/backend';
import type { StoredPopulation } from '../../lib/backend/bindings';
import { queryKeys } from '../../lib/query-keys';
import { usePopulationSelection } from './selection';

let runCounter = 0;

/** A fresh id for a cancellable run (an add, a count, an impact). */
export function newRunId(what: string): string {
  runCounter += 1;
  return `${what}-${Date.now().toString(36)}-${runCounter}`;
}

/**
 * Runs `start(run)` as a cancellable run: when `signal` aborts (TanStack Query cancelled the
 * query, or its key changed), the backend is told to stop that run.
 */
export function withCancel<T>(backend: Backend, what: string, signal: AbortSignal, start: (run: string) => Promise<T>): Promise<T> {
  const run = newRunId(what);
  signal.addEventListener('abort', () => void backend.cancelRun(run).catch(() => false), { once: true });
  return start(run);
}

export function usePopulations() {
  const backend = useBackend();
  return useQuery({ queryKey: queryKeys.populations(), queryFn: () => backend.listPopulations() });
}

/** The chosen population, if it still exists (a removed one reads as none). */
export function useSelectedPopulation(): {
  populations: StoredPopulation[];
  selected: StoredPopulation | null;
  choose: (id: string | null) => void;
  loading: boolean;
} {
  const { populationId, choose } = usePopulationSelection();
  const populations = usePopulations();
  const list = populations.data ?? [];
  return {
    populations: list,
    selected: list.find((p) => p.id === populationId) ?? null,
    choose,
    loading: populations.isLoading,
  };
}

/** The audience of every saved segment (or of `keys`, with overlaps) in a population. */
export function useAudience(populationId: string | null, keys: readonly string[], overlap: boolean, enabled = true) {
  const backend = useBackend();
  return useQuery({
    queryKey: queryKeys.audience(populationId, keys, overlap),
    queryFn: ({ signal }) =>
      withCancel(backend, 'audience', signal, (run) => backend.populationAudience(populationId ?? '', [...keys], overlap, run)),
    enabled: enabled && populationId !== null,
    staleTime: 0,
  });
}
