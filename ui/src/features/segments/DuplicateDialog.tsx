import { useState } from 'react';
import type { IpcError } from '../../lib/backend/bindings';
import { fieldIssuesOf } from '../../lib/backend/errors';
import { Button } from '../../shared/ui/Button';
import { Dialog } from '../../shared/ui/Dialog';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { FieldIssues } from '../../shared/ui/FieldIssues';

type Props = {
  sourceKey: string;
  dirty: boolean;
  pending: boolean;
  error: IpcError | null;
  onSubmit: (newKey: string) => void;
  onClose: () => void;
};

export function DuplicateDialog({ sourceKey, dirty, pending, error, onSubmit, onClose }: Props) {
  const [key, setKey] = useState(`${sourceKey}-copy`);
  const keyIssues = fieldIssuesOf(error).filter((d) => d.path === 'key');
  return (
    <Dialog
      title={`Duplicate “${sourceKey}”`}
      description={
        dirty
          ? 'The copy is made from the saved version. Your unsaved changes are not included.'
          : 'Creates a copy with the same rules under a new key.'
      }
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose} aria-label="Cancel duplicate">
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="duplicate-form" disabled={pending || key.trim() === ''} aria-label="Create duplicate">
            {pending ? 'Duplicating…' : 'Create duplicate'}
          </Button>
        </>
      }
    >
      <form
        id="duplicate-form"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(key.trim());
        }}
      >
        <div className="field">
          <label htmlFor="duplicate-key">New key</label>
          <input
            id="duplicate-key"
            className="mono"
            aria-label="New segment key"
            data-autofocus
            value={key}
            spellCheck={false}
            onChange={(e) => setKey(e.target.value)}
            {...(keyIssues.length > 0 ? { 'aria-invalid': true, 'aria-describedby': 'duplicate-key-issues' } : {})}
          />
          <FieldIssues id="duplicate-key-issues" issues={keyIssues} />
        </div>
      </form>
      <ErrorBanner error={error} action="Couldn't duplicate" showDetails={false} />
    </Dialog>
  );
}
