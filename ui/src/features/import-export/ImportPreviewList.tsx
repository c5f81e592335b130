import { useEffect, useRef } from 'react';
import type { ImportAction, ImportPreview } from '../../lib/backend/bindings';
import { pathInWords } from '../../lib/segments';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';

const ACTION_WORDS: Record<ImportAction, string> = {
  create: 'New',
  update: 'Replaces the saved one',
  unchanged: 'Same as saved',
  refuse: 'Has problems',
};

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "4 segments: 1 new, 1 replacing a saved one, 1 the same as saved, 1 with problems" */
function previewSummary(p: ImportPreview): string {
  const n = (a: ImportAction) => p.items.filter((i) => i.action === a).length;
  const parts = [
    n('create') && `${n('create')} new`,
    n('update') && `${n('update')} replacing ${n('update') === 1 ? 'a saved one' : 'saved ones'}`,
    n('unchanged') && `${n('unchanged')} the same as saved`,
    n('refuse') && `${n('refuse')} with problems`,
  ].filter(Boolean);
  return `${count(p.items.length, 'segment')}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function importable(p: ImportPreview): boolean {
  return p.items.length > 0 && p.problems.length === 0 && p.items.every((i) => i.action !== 'refuse');
}

/** Every item of the file and what the import will do with it; refused items are marked, with their problems. */
export function ImportPreviewList({ preview }: { preview: ImportPreview }) {
  const firstRefused = useRef<HTMLLIElement>(null);
  const refused = preview.items.find((i) => i.action === 'refuse')?.position;
  useEffect(() => firstRefused.current?.scrollIntoView?.({ block: 'nearest' }), [refused]);
  return (
    <div className="import-preview">
      <p role="status" aria-label="Import preview">
        <strong>This file has {previewSummary(preview)}.</strong>{' '}
        {importable(preview) ? 'Nothing is written until you import.' : 'Fix the marked segments in the file, then import: an import lands whole or not at all.'}
      </p>
      <ErrorBanner error={preview.problems.length ? { code: 'validation', message: 'The segments conflict with each other', details: preview.problems } : null} action="Can't import" />
      <ol className="import-items" aria-label="Segments in the file">
        {preview.items.map((item) => {
          const label = item.name || item.key || 'Unnamed';
          const refusedItem = item.action === 'refuse';
          return (
            <li
              key={item.position}
              ref={item.position === refused ? firstRefused : undefined}
              className={`import-item is-${item.action}`}
              aria-label={`Segment ${item.position}, ${label}: ${ACTION_WORDS[item.action].toLowerCase()}`}
            >
              <span className="import-position">{item.position}</span>
              <span className="import-name">
                {label}
                {item.key && item.name && <span className="mono muted"> {item.key}</span>}
              </span>
              <span className={`badge import-action is-${item.action}`}>{ACTION_WORDS[item.action]}</span>
              {refusedItem && item.issues.length > 0 && (
                <ul className="import-issues">
                  {item.issues.map((issue, i) => (
                    <li key={`${issue.path}-${i}`}>
                      {issue.path && <span className="issue-location">{pathInWords(issue.path)}: </span>}
                      {issue.message}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
