import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { Revision } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { absoluteTime, relativeTime } from '../../lib/time';
import { Button } from '../../shared/ui/Button';
import { Dialog } from '../../shared/ui/Dialog';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';

/** The name a deleted segment had, from its delete revision. */
function nameOf(r: Revision): string {
  return r.previous?.name || r.segment_key;
}

/**
 * "Recently deleted": every deleted segment, newest first, each restorable long after the
 * undo toast is gone (restoring its delete revision, recorded as a restore).
 */
export function RecentlyDeleted({ onRestored }: { onRestored: (key: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)} aria-label="Recently deleted">
        Recently deleted
      </Button>
      {open && (
        <DeletedDialog
          onClose={() => setOpen(false)}
          onRestored={(key) => {
            setOpen(false);
            onRestored(key);
          }}
        />
      )}
    </>
  );
}

function DeletedDialog({ onClose, onRestored }: { onClose: () => void; onRestored: (key: string) => void }) {
  const backend = useBackend();
  const qc = useQueryClient();
  const deleted = useQuery({ queryKey: queryKeys.deleted(), queryFn: () => backend.deletedSegments(), staleTime: 0 });
  const restore = useMutation({
    mutationFn: (r: Revision) => backend.restoreRevision(r.segment_key, r.id),
    onSuccess: (segment) => {
      void qc.invalidateQueries({ queryKey: queryKeys.segments() });
      void qc.invalidateQueries({ queryKey: queryKeys.deleted() });
      void qc.invalidateQueries({ queryKey: queryKeys.allSync() });
      onRestored(segment.key);
    },
  });
  const list = deleted.data ?? [];
  return (
    <Dialog
      title="Recently deleted"
      description="Restore brings a segment back as it was when it was deleted."
      onClose={onClose}
      actions={
        <Button data-autofocus onClick={onClose} aria-label="Close">
          Close
        </Button>
      }
    >
      <ErrorBanner error={deleted.error ? toIpcError(deleted.error) : restore.error ? toIpcError(restore.error) : null} action="Couldn't restore" showMessage />
      {deleted.isLoading && <p className="muted">Loading…</p>}
      {!deleted.isLoading && list.length === 0 && <p className="muted">Nothing has been deleted.</p>}
      <ul className="deleted-list" aria-label="Deleted segments">
        {list.map((r) => (
          <li key={r.id}>
            <span>
              <strong>{nameOf(r)}</strong> <code>{r.segment_key}</code>{' '}
              <span className="muted" title={absoluteTime(r.created_at)}>
                deleted {relativeTime(r.created_at)}
              </span>
            </span>
            <Button size="sm" onClick={() => restore.mutate(r)} disabled={restore.isPending} aria-label={`Restore ${r.segment_key}`}>
              Restore
            </Button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
