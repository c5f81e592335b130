import type { WarehouseDialect } from '../../lib/backend/bindings';

/** The warehouses "Copy SQL" writes for, in the order the picker shows them. */
export const WAREHOUSE_DIALECTS: readonly WarehouseDialect[] = ['postgres', 'duckdb', 'spark', 'trino', 'bigquery', 'snowflake'];

/** Each warehouse by its product name. */
export const WAREHOUSE_LABELS: Record<WarehouseDialect, string> = {
  postgres: 'PostgreSQL',
  duckdb: 'DuckDB',
  spark: 'Spark SQL',
  trino: 'Trino',
  bigquery: 'BigQuery',
  snowflake: 'Snowflake',
};

export function isWarehouseDialect(value: string | null | undefined): value is WarehouseDialect {
  return WAREHOUSE_DIALECTS.includes(value as WarehouseDialect);
}
