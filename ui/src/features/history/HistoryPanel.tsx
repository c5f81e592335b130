import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { Revision, RevisionAction, Segment } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { prettySegment } from '../../lib/segments';
import { absoluteTime, relativeTime } from '../../lib/time';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { changeCount, sideBySide } from './diff';
import './history.css';

const ACTION_LABELS: Record<RevisionAction, string> = {
  create: 'Created',
  update: 'Edited',
  delete: 'Deleted',
  restore: 'Restored',
  import: 'Imported',
};

function text(segment: Segment | null): string {
  return segment ? prettySegment(segment) : '';
}

/** The revision's changes in words ("removed FR from country; description set"). */
function changeSummary(r: Revision): string {
  if (r.changes.length > 0) return r.changes.join('; ');
  if (r.previous === null) return 'created';
  if (r.current === null) return 'deleted';
  return 'no change to the rules';
}

type Props = {
  segmentKey: string;
  onRestore: (revision: Revision) => void;
  restoring: boolean;
};

/** Revision list, side-by-side diff of two revisions (or of one revision's change), restore. */
export function HistoryPanel({ segmentKey, onRestore, restoring }: Props) {
  const backend = useBackend();
  const revisions = useQuery({ queryKey: queryKeys.revisions(segmentKey), queryFn: () => backend.listRevisions(segmentKey) });
  const [picked, setPicked] = useState<number[]>([]);
  // The rule-level summary leads; the JSON diff is the second view (always, for two).
  const [jsonPicked, setShowJson] = useState(false);

  const list = revisions.data ?? [];
  const valid = picked.filter((id) => list.some((r) => r.id === id));
  const selected = valid.length > 0 ? valid : list.length > 0 ? [list[0].id] : [];

  const toggle = (id: number) =>
    setPicked(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id].slice(-2));

  let title = '';
  let before = '';
  let after = '';
  if (selected.length === 2) {
    const [a, b] = selected
      .map((id) => list.find((r) => r.id === id))
      .filter((r): r is Revision => r !== undefined)
      .sort((x, y) => x.id - y.id);
    if (a && b) {
      title = `Revision #${a.id} → #${b.id}`;
      before = text(a.current ?? a.previous);
      after = text(b.current ?? b.previous);
    }
  } else if (selected.length === 1) {
    const r = list.find((x) => x.id === selected[0]);
    if (r) {
      title = `Changes in revision #${r.id} (${ACTION_LABELS[r.action] ?? r.action})`;
      before = text(r.previous);
      after = text(r.current);
    }
  }
  const rows = title ? sideBySide(before, after) : [];
  const single = selected.length === 1 ? list.find((x) => x.id === selected[0]) : undefined;
  const showJson = jsonPicked || selected.length === 2;

  return (
    <div className="history">
      <ErrorBanner error={revisions.error ? toIpcError(revisions.error) : null} action="Couldn't load history" />
      {revisions.isLoading && <p className="muted">Loading history…</p>}
      <p className="hint">Tick one revision to see what it changed, or two to compare them.</p>
      <ol className="revision-list" aria-label="Revisions">
        {list.map((r, i) => (
          <li key={r.id} className={`revision${selected.includes(r.id) ? ' is-selected' : ''}`}>
            <label className="check">
              <input
                type="checkbox"
                aria-label={`Compare revision ${r.id}`}
                checked={selected.includes(r.id)}
                onChange={() => toggle(r.id)}
              />
              <span className="revision-id">#{r.id}</span>
            </label>
            <span className={`action-badge action-${r.action}`}>{ACTION_LABELS[r.action] ?? r.action}</span>
            <span className="revision-meta">
              by {r.author} · <span title={absoluteTime(r.created_at)}>{relativeTime(r.created_at)}</span>
            </span>
            <span className="revision-changes" aria-label={`What revision ${r.id} changed`}>
              {changeSummary(r)}
            </span>
            {i === 0 && r.action !== 'delete' ? (
              <span className="muted current-tag">current</span>
            ) : (
              <Button
                size="sm"
                onClick={() => onRestore(r)}
                disabled={restoring || (r.current ?? r.previous) === null}
                aria-label={`Restore revision ${r.id}`}
              >
                Restore
              </Button>
            )}
          </li>
        ))}
      </ol>

      {title && (
        <div className="diff">
          <h3 className="diff-title">
            {title} <span className="muted">· {changeCount(rows)} changed lines</span>{' '}
            <Button size="sm" aria-expanded={showJson} onClick={() => setShowJson(!showJson)} aria-label="JSON diff">
              {showJson ? 'Hide the JSON diff' : 'Show the JSON diff'}
            </Button>
          </h3>
          {!showJson && single && (
            <ul className="change-list" aria-label="Changes">
              {(single.changes.length > 0 ? single.changes : [changeSummary(single)]).map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          )}
          {showJson && (<table className="diff-table" aria-label="Revision diff">
            <colgroup>
              <col className="diff-ln" />
              <col />
              <col className="diff-ln" />
              <col />
            </colgroup>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  <td className="diff-ln">{row.left?.line ?? ''}</td>
                  <td className={`diff-cell ${row.left ? `is-${row.left.kind}` : 'is-empty'}`}>
                    {row.left && (
                      <>
                        {row.left.kind === 'removed' && <span className="sr-only">removed: </span>}
                        <code>{row.left.text}</code>
                      </>
                    )}
                  </td>
                  <td className="diff-ln">{row.right?.line ?? ''}</td>
                  <td className={`diff-cell ${row.right ? `is-${row.right.kind}` : 'is-empty'}`}>
                    {row.right && (
                      <>
                        {row.right.kind === 'added' && <span className="sr-only">added: </span>}
                        <code>{row.right.text}</code>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>)}
        </div>
      )}
    </div>
  );
}
