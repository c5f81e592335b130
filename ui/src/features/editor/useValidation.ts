import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import type { IpcError, JsonValue, Segment, ValidationIssue } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { canonicalSegment } from '../../lib/segments';
import { queryKeys } from '../../lib/query-keys';
import { useDebouncedValue } from '../../shared/ui/hooks';

const VALIDATE_DEBOUNCE_MS = 250;

/** Validates the draft with the backend (debounced) on every edit. */
export function useValidation(segment: Segment | null): {
  issues: ValidationIssue[];
  validating: boolean;
  error: IpcError | null;
} {
  const backend = useBackend();
  const json = segment ? JSON.stringify(canonicalSegment(segment)) : null;
  const debounced = useDebouncedValue(json, VALIDATE_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: queryKeys.validation(debounced),
    queryFn: () => backend.validateSegment(JSON.parse(debounced ?? 'null') as JsonValue),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 0,
  });
  return {
    issues: json === null ? [] : (query.data ?? []),
    validating: query.isFetching || json !== debounced,
    error: query.error ? toIpcError(query.error) : null,
  };
}
