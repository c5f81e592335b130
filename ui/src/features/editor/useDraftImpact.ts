import { useEffect, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { DraftImpact, IpcError, JsonValue, Segment } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { canonicalSegment } from '../../lib/segments';
import { useDebouncedValue } from '../../shared/ui/hooks';
import { newRunId } from '../populations/queries';

/** Edits closer together than this are one edit. */
export const IMPACT_DEBOUNCE_MS = 150;

export type DraftImpactState = {
  /** The latest answer for the current draft: the exact count once it is in, the sample's estimate before. */
  impact: DraftImpact | null;
  /** The draft the answer is for (canonical JSON), to explain its example users against. */
  draftJson: string | null;
  /** Counting (an estimate or the exact pass) or an edit waiting for the debounce. */
  busy: boolean;
  error: IpcError | null;
};

const IDLE: DraftImpactState = { impact: null, draftJson: null, busy: false, error: null };

/**
 * What the draft does to the population, as it is edited: after each pause in typing, a
 * quick estimate from the population's sample, then the exact count over the whole file.
 * A newer edit cancels the run in flight, and an answer for an older draft is never shown.
 * Nothing here waits on the backend, so typing never blocks.
 */
export function useDraftImpact(populationId: string | null, savedKey: string | null, segment: Segment | null): DraftImpactState {
  const backend = useBackend();
  const draftJson = segment ? JSON.stringify(canonicalSegment(segment)) : null;
  const debounced = useDebouncedValue(draftJson, IMPACT_DEBOUNCE_MS);
  // `scope` is the population and saved segment the answer is about, `request` that and the draft.
  const [state, setState] = useState<DraftImpactState & { scope: string | null; request: string | null }>({
    ...IDLE,
    scope: null,
    request: null,
  });
  const scope = `${populationId ?? ''}\n${savedKey ?? ''}`;
  const request = `${scope}\n${debounced ?? ''}`;

  useEffect(() => {
    if (!populationId || debounced === null) return;
    let current = true;
    let inFlight: string | null = null;
    const draft = JSON.parse(debounced) as JsonValue;
    const ask = async (exact: boolean) => {
      inFlight = newRunId(exact ? 'impact-exact' : 'impact-estimate');
      const run = inFlight;
      try {
        return await backend.draftImpact(populationId, savedKey, draft, exact, run);
      } finally {
        if (inFlight === run) inFlight = null;
      }
    };
    void (async () => {
      setState((s) => ({ ...s, busy: true, request }));
      try {
        const estimate = await ask(false);
        if (!current) return;
        setState({ impact: estimate, draftJson: debounced, busy: estimate.estimate, error: null, scope, request });
        // A small population is counted exactly at once: no second pass.
        if (!estimate.estimate) return;
        const exact = await ask(true);
        if (!current) return;
        setState({ impact: exact, draftJson: debounced, busy: false, error: null, scope, request });
      } catch (e) {
        if (!current) return;
        const error = toIpcError(e);
        setState((s) => ({ ...s, busy: false, error: error.code === 'cancelled' ? null : error, request }));
      }
    })();
    return () => {
      current = false;
      if (inFlight) void backend.cancelRun(inFlight).catch(() => false);
    };
  }, [backend, populationId, savedKey, debounced, scope, request]);

  if (!populationId || draftJson === null) return IDLE;
  // While a newer draft is counted, the last answer for the same population and segment stays up.
  const sameScope = state.scope === scope;
  return {
    impact: sameScope ? state.impact : null,
    draftJson: sameScope ? state.draftJson : null,
    busy: state.busy || draftJson !== debounced || state.request !== request,
    error: state.request === request ? state.error : null,
  };
}
