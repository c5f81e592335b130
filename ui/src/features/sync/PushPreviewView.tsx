import type { IpcError, PushPreview } from '../../lib/backend/bindings';
import { prettyJson } from '../../lib/segments';
import { Button } from '../../shared/ui/Button';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { OP_LABELS } from './labels';

/** A diff value: `null` is "none" (nothing before a create, nothing after a delete); anything else as exact JSON. */
function DiffValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">none</span>;
  return <pre className="diff-value">{prettyJson(value)}</pre>;
}

type Props = {
  preview: PushPreview | undefined;
  loading: boolean;
  error: IpcError | null;
  onClose: () => void;
};

/** The dry run of a push: each request in order with its field diffs and exact body; what is refused or held back. Sends nothing. */
export function PushPreviewView({ preview, loading, error, onClose }: Props) {
  const empty = preview && preview.changes.length + preview.refused.length + preview.conflicts.length + preview.linked.length === 0;
  // Checked against the remote's current copies, or (offline) against the last sync.
  const beforeLabel = preview?.checked_remote ? 'Before (on the remote now)' : 'Before (remote as last synced)';
  return (
    <section className="push-preview" aria-label="Push preview" aria-busy={loading}>
      <div className="push-preview-head">
        <h3 className="section-title">Push preview</h3>
        <span className="hint">
          Nothing is sent until you push.{preview?.checked_remote ? ' Compared with what the remote holds now.' : ''}
        </span>
        <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close preview">
          ✕
        </Button>
      </div>
      <ErrorBanner error={error} action="Couldn't preview the push" showMessage />
      {loading && !preview && <p className="muted">Working out what a push would send…</p>}
      {empty && <p className="muted">Nothing to push: the remote already has every local change.</p>}
      {preview && preview.changes.length > 0 && (
        <ol className="planned-changes" aria-label="Planned changes">
          {preview.changes.map((c) => (
            <li key={`${c.op}-${c.key}`} className="planned-change" aria-label={`${OP_LABELS[c.op]} ${c.key}`}>
              <div className="planned-change-head">
                <span className={`op-tag op-${c.op}`}>{OP_LABELS[c.op]}</span>
                <strong className="mono">{c.key}</strong>
                <code className="request-line">{c.request}</code>
              </div>
              {c.merged && <p className="hint">The remote changed other fields since the last sync: this sends both sides' changes, merged, and keeps the merge here too.</p>}
              {c.summary.length > 0 && (
                <ul className="change-list" aria-label={`What changes in ${c.key}`}>
                  {c.summary.map((phrase, i) => (
                    <li key={i}>{phrase}</li>
                  ))}
                </ul>
              )}
              {c.diffs.length > 0 && (
                <table className="field-diffs" aria-label={`Field changes of ${c.key}`}>
                  <thead>
                    <tr>
                      <th scope="col">Field</th>
                      <th scope="col">{beforeLabel}</th>
                      <th scope="col">After (sent)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.diffs.map((d) => (
                      <tr key={d.field}>
                        <th scope="row" className="mono">
                          {d.field}
                        </th>
                        <td>
                          <DiffValue value={d.before} />
                        </td>
                        <td>
                          <DiffValue value={d.after} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {c.body !== null && c.body !== undefined && (
                <details className="request-body">
                  <summary>Exact request body</summary>
                  <pre aria-label={`Request body of ${c.key}`}>{prettyJson(c.body)}</pre>
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
      {preview && preview.linked.length > 0 && (
        <p className="muted" aria-label="Already on the remote">
          Already on the remote exactly, only linked: {preview.linked.join(', ')}
        </p>
      )}
      {preview && preview.refused.length > 0 && (
        <>
          <h4 className="report-heading">Refused: the remote cannot express these</h4>
          <ul className="key-messages" aria-label="Refused by the remote">
            {preview.refused.map((r) => (
              <li key={r.key}>
                <code>{r.key}</code> {r.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {preview && preview.conflicts.length > 0 && (
        <>
          <h4 className="report-heading">Held back by a conflict</h4>
          <ul className="key-messages" aria-label="Held back by a conflict">
            {preview.conflicts.map((key) => (
              <li key={key}>
                <code>{key}</code> waits until its conflict is resolved.
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
