import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import type { IpcError, JsonValue, Segment, WarehouseDialect, WarehouseSql } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { canonicalSegment } from '../../lib/segments';
import { useDebouncedValue } from '../../shared/ui/hooks';

const SQL_DEBOUNCE_MS = 200;

export type WarehouseSqlState = {
  /** The query for the draft as it is now, or the dialect's refusal; the last one while an edit is compiled. */
  sql: WarehouseSql | null;
  error: IpcError | null;
  /** An edit, a dialect or a table not compiled yet. */
  busy: boolean;
};

/** The draft's count query in `dialect` over `table`, compiled by Rust's `segments-sql` as it is edited. */
export function useWarehouseSql(segment: Segment, dialect: WarehouseDialect, table: string): WarehouseSqlState {
  const backend = useBackend();
  const request = JSON.stringify([canonicalSegment(segment), dialect, table]);
  const debounced = useDebouncedValue(request, SQL_DEBOUNCE_MS);
  const query = useQuery({
    queryKey: queryKeys.warehouseSql(debounced),
    queryFn: () => {
      const [draft, d, t] = JSON.parse(debounced) as [JsonValue, WarehouseDialect, string];
      return backend.warehouseSql(draft, d, t);
    },
    placeholderData: keepPreviousData,
    retry: false,
  });
  const current = request === debounced && !query.isPlaceholderData;
  return {
    sql: query.error ? null : (query.data ?? null),
    error: query.error && current ? toIpcError(query.error) : null,
    busy: !current || query.isFetching,
  };
}
