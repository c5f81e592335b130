import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { ImportReport } from '../../lib/backend/bindings';
import { useDebouncedValue } from '../../shared/ui/hooks';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { Dialog } from '../../shared/ui/Dialog';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { JsonEditor } from '../../shared/ui/JsonEditor';
import { useToast } from '../../shared/ui/toast';
import { ImportPreviewList, count, importable } from './ImportPreviewList';
import './import-export.css';

/** "2 created, 1 updated, 3 unchanged" */
function reportSummary(r: ImportReport): string {
  return `${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged`;
}

const PREVIEW_DEBOUNCE_MS = 300;

function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (r: ImportReport) => void }) {
  const backend = useBackend();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const fileId = useId();
  const debounced = useDebouncedValue(text, PREVIEW_DEBOUNCE_MS);
  // What the file would do, before anything is written: the same parse and checks as the import.
  const preview = useQuery({
    queryKey: queryKeys.importPreview(debounced),
    queryFn: () => backend.previewImport(debounced),
    enabled: debounced.trim() !== '',
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
  const run = useMutation({
    // Raw text goes to the backend, which knows every accepted format.
    mutationFn: (t: string) => backend.importSegments(t),
    onSuccess: onImported,
  });
  const report = run.data;
  const current = debounced === text && text.trim() !== '' ? preview : null;
  const ready = current?.data !== undefined && importable(current.data) && !run.isPending;
  const toImport = current?.data?.items.filter((i) => i.action === 'create' || i.action === 'update').length ?? 0;

  return (
    <Dialog
      title="Import segments"
      className="dialog-wide"
      description="Choose a JSON file or paste its contents. You see what it will create and replace before anything is written; a replaced segment's history keeps its previous version."
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose} aria-label="Close import">
            Close
          </Button>
          <Button variant="primary" disabled={!ready} onClick={() => run.mutate(text)} aria-label="Start import">
            {run.isPending ? 'Importing…' : toImport > 0 ? `Import ${count(toImport, 'segment')}` : 'Import'}
          </Button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={fileId}>JSON file</label>
        <input
          id={fileId}
          type="file"
          accept=".json,application/json,text/plain"
          aria-label="Import file"
          data-autofocus
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            setFileName(file.name);
            setText(await file.text());
            run.reset();
          }}
        />
        {fileName && <span className="hint">Loaded {fileName}</span>}
      </div>
      <label className="block-label" htmlFor="import-json">
        Or paste JSON
      </label>
      <textarea
        id="import-json"
        className="mono import-text"
        aria-label="Import JSON"
        rows={8}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          run.reset();
        }}
        placeholder='{"segments": [ … ]}'
      />
      {current?.isFetching && !current.data && <p className="muted">Reading the file…</p>}
      <ErrorBanner error={current?.error ? toIpcError(current.error) : null} action="Can't import this file" showMessage />
      {current?.data && !report && <ImportPreviewList preview={current.data} />}
      <ErrorBanner error={run.error ? toIpcError(run.error) : null} action="Import failed" />
      {report && (
        <div className="import-report" role="status" aria-label="Import result">
          <strong>
            Imported {report.created.length + report.updated.length + report.unchanged.length} segments:{' '}
            {reportSummary(report)}.
          </strong>
          {report.created.length > 0 && <p>Created: {report.created.join(', ')}</p>}
          {report.updated.length > 0 && <p>Updated: {report.updated.join(', ')}</p>}
          {report.unchanged.length > 0 && <p>Unchanged: {report.unchanged.join(', ')}</p>}
        </div>
      )}
    </Dialog>
  );
}

function ExportDialog({ onClose }: { onClose: () => void }) {
  const backend = useBackend();
  const toast = useToast();
  const exp = useQuery({ queryKey: queryKeys.export(), queryFn: () => backend.exportSegments(), staleTime: 0, gcTime: 0, retry: false });
  const text = exp.data ?? '';

  const [savedTo, setSavedTo] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const download = async () => {
    setSaveError(null);
    try {
      const path = await backend.saveExport();
      setSavedTo(path);
      toast.show({ message: `Exported to ${path}`, tone: 'success' });
    } catch (e) {
      setSaveError(e);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast.show({ message: 'Export copied to the clipboard', tone: 'success' });
    } catch {
      toast.show({ message: "Couldn't copy automatically. Select the text and copy it.", tone: 'error' });
    }
  };

  return (
    <Dialog
      title="Export segments"
      className="dialog-wide"
      description="All segments as JSON. Keep it as a backup or import it into another workspace."
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose} aria-label="Close export">
            Close
          </Button>
          <Button onClick={copy} disabled={!exp.data} aria-label="Copy export">
            Copy
          </Button>
          <Button variant="primary" onClick={() => void download()} disabled={!exp.data} aria-label="Download export">
            Save to file
          </Button>
        </>
      }
    >
      <ErrorBanner error={exp.error ? toIpcError(exp.error) : null} action="Export failed" />
      <ErrorBanner error={saveError ? toIpcError(saveError) : null} action="Couldn't save the export" />
      {savedTo && (
        <p role="status" aria-label="Export saved to">
          Saved to <code>{savedTo}</code>
        </p>
      )}
      {exp.isPending && <p className="muted">Preparing export…</p>}
      {exp.data !== undefined && <JsonEditor value={text} ariaLabel="Exported JSON" readOnly maxHeight="50vh" />}
    </Dialog>
  );
}

/** Top-bar buttons that open the import / export dialogs. */
export function ImportExportButtons({ onImported }: { onImported?: (r: ImportReport) => void }) {
  const [open, setOpen] = useState<'import' | 'export' | null>(null);
  const qc = useQueryClient();
  const toast = useToast();
  return (
    <>
      <Button size="sm" onClick={() => setOpen('import')} aria-label="Import segments">
        Import
      </Button>
      <Button size="sm" onClick={() => setOpen('export')} aria-label="Export segments">
        Export
      </Button>
      {open === 'import' && (
        <ImportDialog
          onClose={() => setOpen(null)}
          onImported={(r) => {
            void qc.invalidateQueries({ queryKey: queryKeys.segments() });
            void qc.invalidateQueries({ queryKey: queryKeys.allRevisions() });
            void qc.invalidateQueries({ queryKey: queryKeys.allSync() });
            toast.show({ message: `Imported: ${reportSummary(r)}`, tone: 'success' });
            onImported?.(r);
          }}
        />
      )}
      {open === 'export' && <ExportDialog onClose={() => setOpen(null)} />}
    </>
  );
}
