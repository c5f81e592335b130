import type { ConflictSummary, PendingChange } from '../../lib/backend/bindings';
import { Button } from '../../shared/ui/Button';
import { OP_LABELS } from './labels';

/** Local changes not yet pushed, in the order a push sends them. */
export function OutboxList({ pending }: { pending: PendingChange[] }) {
  const waiting = pending.filter((p) => p.op !== null).length;
  return (
    <div className="sync-section">
      <h3 className="section-title">
        Outbox <span className="muted">({waiting} to send)</span>
      </h3>
      {pending.length === 0 ? (
        <p className="muted">Nothing waiting to be pushed.</p>
      ) : (
        <ul className="outbox" aria-label="Outbox">
          {pending.map((p) => (
            <li key={p.key}>
              <span className={`op-tag op-${p.op ?? 'none'}`}>{p.op ? OP_LABELS[p.op] : 'Nothing to send'}</span> <code>{p.key}</code>
              {p.refused ? (
                <span className="outbox-refused"> Waits for an edit: {p.refused}</span>
              ) : p.attempts > 0 && (
                <span className="outbox-error">
                  {' '}
                  Failed {p.attempts} {p.attempts === 1 ? 'time' : 'times'}
                  {p.last_error ? `: ${p.last_error}` : ''}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function conflictText(c: ConflictSummary): string {
  if (c.deleted === 'here') return 'Deleted here, changed on the remote.';
  if (c.deleted === 'there') return 'Deleted on the remote, changed here.';
  return `Both sides changed: ${c.fields.join(', ')}.`;
}

/** Segments waiting for the user to choose between the two versions. */
export function ConflictList({ conflicts, onOpen }: { conflicts: ConflictSummary[]; onOpen: (key: string) => void }) {
  return (
    <div className="sync-section">
      <h3 className="section-title">
        Conflicts <span className="muted">({conflicts.length})</span>
      </h3>
      {conflicts.length === 0 ? (
        <p className="muted">No conflicts.</p>
      ) : (
        <ul className="conflict-list" aria-label="Conflicts">
          {conflicts.map((c) => (
            <li key={c.key}>
              <code>{c.key}</code> {conflictText(c)}{' '}
              <Button size="sm" variant="primary" onClick={() => onOpen(c.key)} aria-label={`Open conflict ${c.key}`}>
                Open conflict
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
