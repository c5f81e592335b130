import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { Segment, WarehouseDialect } from '../../lib/backend/bindings';
import { Button } from '../../shared/ui/Button';
import { copyText } from './copy-text';
import { WAREHOUSE_DIALECTS, WAREHOUSE_LABELS } from './dialects';
import { DEFAULT_TABLE, useSqlChoice } from './sql-choice';
import { useWarehouseSql } from './useWarehouseSql';
import './warehouse.css';

type Props = {
  segment: Segment;
  /** Below the SQL: the count on the warehouse (saved segments only). */
  children?: ReactNode;
};

/** The outcome of the last copy, and of which query: "Copied" is about that query only. */
type Copied = { query: string; ok: boolean } | null;

/**
 * The editor's SQL tab: the draft's count query for a warehouse, as `segments sql` writes it
 * (Rust's compiler, with the stored segments it references inlined), to copy into the
 * warehouse's own console. A dialect that cannot express the draft exactly says why instead.
 */
export function SqlPanel({ segment, children }: Props) {
  const id = useId();
  const { dialect, table, choose } = useSqlChoice();
  const { sql, error, busy } = useWarehouseSql(segment, dialect, table);
  const [lastCopy, setLastCopy] = useState<Copied>(null);
  const query = sql?.kind === 'count' ? sql.query : null;
  const copied = lastCopy && lastCopy.query === query ? lastCopy.ok : null;

  const tableIssue = error?.code === 'validation' ? error.details.find((d) => d.path === 'table') : undefined;
  const draftProblem = error && !tableIssue ? error : null;

  const copy = async () => {
    if (!query) return;
    setLastCopy({ query, ok: await copyText(query) });
  };

  return (
    <section className="sql-panel" aria-label="Warehouse SQL" aria-busy={busy}>
      <p className="hint">
        How many users are in this segment, counted by your warehouse: the same answer as the app, on one row per user with
        a text column per attribute.
      </p>
      <div className="sql-controls">
        <div className="field">
          <label htmlFor={`${id}-dialect`}>Warehouse</label>
          <select
            id={`${id}-dialect`}
            aria-label="SQL dialect"
            value={dialect}
            onChange={(e) => choose({ dialect: e.target.value as WarehouseDialect })}
          >
            {WAREHOUSE_DIALECTS.map((d) => (
              <option key={d} value={d}>
                {WAREHOUSE_LABELS[d]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-table`}>Table</label>
          <input
            id={`${id}-table`}
            aria-label="Table name"
            className="mono"
            value={table}
            placeholder={DEFAULT_TABLE}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => choose({ table: e.target.value })}
            {...(tableIssue ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-table-issue` } : {})}
          />
        </div>
        <div className="sql-copy">
          <Button variant="primary" onClick={() => void copy()} disabled={!query || busy} aria-label="Copy SQL">
            Copy SQL
          </Button>
          <span className="sql-copied" role="status" aria-label="Copy result">
            {copied === true && 'Copied'}
            {copied === false && "Couldn't copy. Select the query and copy it."}
          </span>
        </div>
      </div>
      {tableIssue && (
        <p id={`${id}-table-issue`} className="field-issue" role="alert">
          {tableIssue.message}
        </p>
      )}
      {draftProblem && (
        <p className="sql-problem" role="note" aria-label="Why there is no SQL">
          {draftProblem.code === 'validation' || draftProblem.code === 'invalid_json'
            ? 'Fix the problems in the rules to see the SQL.'
            : draftProblem.message}
        </p>
      )}
      {!draftProblem && !tableIssue && sql?.kind === 'refused' && (
        <p className="sql-refused" role="note" aria-label="Why there is no SQL">
          <strong>No {WAREHOUSE_LABELS[dialect]} SQL for this segment.</strong> Why: {sql.reason}
        </p>
      )}
      {!draftProblem && !tableIssue && sql?.kind === 'count' && (
        <pre className="sql-block" aria-label="Count query" tabIndex={0}>
          <code>{sql.query}</code>
        </pre>
      )}
      {children}
    </section>
  );
}
