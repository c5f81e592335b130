import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { Explanation, IpcError, JsonValue, Segment } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { canonicalSegment } from '../../lib/segments';
import { queryKeys } from '../../lib/query-keys';
import { useDebouncedValue } from '../../shared/ui/hooks';

const EXPLAIN_DEBOUNCE_MS = 250;

type ContextParse = { ok: true; value: JsonValue } | { ok: false; message: string };

export function parseContext(text: string): ContextParse {
  try {
    const value = JSON.parse(text) as JsonValue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, message: 'The context must be a JSON object, like {"plan": "pro"}.' };
    }
    return { ok: true, value };
  } catch {
    // The engine's message, with the line and the column, replaces this one (see useExplain).
    return { ok: false, message: "The context isn't valid JSON yet." };
  }
}

/** The engine's message once it has one ("The context is not valid JSON: expected `,` or `}` at line 3 column 5"). */
function contextProblemText(fallback: string, engine: string | null | undefined): string {
  return engine ? engine.charAt(0).toUpperCase() + engine.slice(1) : fallback;
}

export type ExplainState = {
  explanation: Explanation | null;
  error: IpcError | null;
  /** Immediate (not debounced) problem with the context text. */
  contextError: string | null;
  /** A request is running or an edit is waiting for the debounce. */
  busy: boolean;
};

/** Re-evaluates the draft against the context (debounced) on every edit of either. */
export function useExplain(segment: Segment | null, contextText: string): ExplainState {
  const backend = useBackend();
  const draftJson = segment ? JSON.stringify(canonicalSegment(segment)) : null;
  const debouncedDraft = useDebouncedValue(draftJson, EXPLAIN_DEBOUNCE_MS);
  const debouncedContext = useDebouncedValue(contextText, EXPLAIN_DEBOUNCE_MS);
  const immediate = useMemo(() => parseContext(contextText), [contextText]);
  const parsed = useMemo(() => parseContext(debouncedContext), [debouncedContext]);

  // JSON.parse says nothing of where the text goes wrong in every WebView: the engine's own
  // reading (the one every evaluation uses) names the line and the column.
  const problem = useQuery({
    queryKey: queryKeys.contextProblem(debouncedContext),
    queryFn: () =>
      backend.parseContext(debouncedContext).then(
        () => null,
        (e: unknown) => toIpcError(e).message,
      ),
    enabled: !parsed.ok,
    staleTime: Infinity,
    retry: false,
  });

  const query = useQuery({
    queryKey: queryKeys.explanation(debouncedDraft, parsed.ok ? JSON.stringify(parsed.value) : null),
    queryFn: () => backend.explainDraft(JSON.parse(debouncedDraft ?? 'null') as JsonValue, parsed.ok ? parsed.value : null),
    enabled: debouncedDraft !== null && parsed.ok,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
  });

  return {
    explanation: segment && parsed.ok ? (query.data ?? null) : null,
    error: query.error ? toIpcError(query.error) : null,
    contextError: immediate.ok ? null : contextProblemText(immediate.message, contextText === debouncedContext ? problem.data : undefined),
    busy: query.isFetching || draftJson !== debouncedDraft || contextText !== debouncedContext,
  };
}
