import type { KeyMessage, SyncReport } from '../../lib/backend/bindings';
import { Button } from '../../shared/ui/Button';
import { reportSummary } from './labels';
import type { SyncKind } from './labels';

function Keys({ label, keys }: { label: string; keys: string[] }) {
  if (keys.length === 0) return null;
  return (
    <p>
      {label}: {keys.join(', ')}
    </p>
  );
}

function Messages({ title, items }: { title: string; items: KeyMessage[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h4 className="report-heading">{title}</h4>
      <ul className="key-messages" aria-label={title}>
        {items.map((m) => (
          <li key={m.key}>
            <code>{m.key}</code> {m.message}
          </li>
        ))}
      </ul>
    </>
  );
}

/** What the last pull or push did; refusals and failures with the backend's words, conflicts with a way to open them. */
export function SyncReportView({ report, kind, onOpenConflict }: { report: SyncReport; kind: SyncKind; onOpenConflict: (key: string) => void }) {
  const title = kind === 'pull' ? `Pulled from ${report.remote}` : `Pushed to ${report.remote}`;
  return (
    <section className="sync-report" aria-label="Sync report">
      <p role="status" className="sync-report-summary">
        <strong>
          {title}: {reportSummary(report)}.
        </strong>{' '}
        <span className="muted">
          {report.requests} {report.requests === 1 ? 'request' : 'requests'}, {report.retries} {report.retries === 1 ? 'retry' : 'retries'}.
        </span>
      </p>
      <Keys label="Created" keys={report.created} />
      <Keys label="Updated" keys={report.updated} />
      <Keys label="Deleted" keys={report.deleted} />
      <Keys label="Linked (already equal)" keys={report.linked} />
      <Keys label="Merged (changes on both sides fitted together)" keys={report.merged} />
      {report.missing_on_remote.length > 0 && (
        <p>
          Missing on the remote (kept here: a listing without them is not enough to delete): {report.missing_on_remote.join(', ')}
        </p>
      )}
      <Messages title="Refused" items={report.refused} />
      <Messages title="Failed" items={report.failed} />
      {report.conflicts.length > 0 && (
        <>
          <h4 className="report-heading">Conflicts</h4>
          <ul className="report-conflicts" aria-label="Conflicts in this run">
            {report.conflicts.map((key) => (
              <li key={key}>
                <code>{key}</code> changed on both sides.{' '}
                <Button size="sm" onClick={() => onOpenConflict(key)} aria-label={`Open conflict ${key}`}>
                  Open conflict
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
