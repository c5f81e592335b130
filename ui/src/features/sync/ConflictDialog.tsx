import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useBackend } from '../../lib/backend/backend';
import type { ConflictView, JsonValue, Take } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { canonicalSegment, prettyJson } from '../../lib/segments';
import { queryKeys } from '../../lib/query-keys';
import { Button } from '../../shared/ui/Button';
import { Dialog } from '../../shared/ui/Dialog';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { JsonEditor } from '../../shared/ui/JsonEditor';
import { useToast } from '../../shared/ui/toast';
import { ConflictDocument } from './ConflictDocument';
import { invalidateAfterSync } from './queries';

type Choice = { take: Take; edited: JsonValue | null };

function describe(view: ConflictView): string {
  if (view.deleted === 'here') return 'You deleted this segment here; it was changed on the remote.';
  if (view.deleted === 'there') return 'The remote deleted this segment; you changed it here.';
  const both = view.base === null ? 'Both sides created this segment independently' : 'Both sides changed it';
  return `${both}. Marked fields differ: ${view.fields.join(', ')}.`;
}

function startingText(view: ConflictView): string {
  const doc = view.mine ?? view.theirs ?? view.base;
  return doc ? prettyJson(canonicalSegment(doc)) : '{}';
}

type Parsed = { ok: true; value: JsonValue } | { ok: false; message: string };

function parse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (e) {
    return { ok: false, message: `That isn't valid JSON yet: ${e instanceof Error ? e.message : String(e)}` };
  }
}

type Props = {
  remote: string;
  segmentKey: string;
  onClose: () => void;
  /** The local segment changed (taken from the remote, or saved from the editor). */
  onLocalChange: (key: string) => void;
};

/** Base, mine and theirs side by side; keep mine, take theirs, or edit a version and keep that. */
export function ConflictDialog({ remote, segmentKey, onClose, onLocalChange }: Props) {
  const backend = useBackend();
  const qc = useQueryClient();
  const toast = useToast();
  const hintId = useId();
  const view = useQuery({
    queryKey: queryKeys.conflict(remote, segmentKey),
    queryFn: () => backend.getConflict(remote, segmentKey),
    staleTime: 0,
    gcTime: 0,
  });
  const [editing, setEditing] = useState<string | null>(null);
  const parsed = editing === null ? null : parse(editing);

  const resolve = useMutation({
    mutationFn: ({ take, edited }: Choice) => backend.resolveConflict(remote, segmentKey, take, edited),
    onSuccess: (_, { take, edited }) => {
      invalidateAfterSync(qc);
      void qc.invalidateQueries({ queryKey: queryKeys.segment(segmentKey) });
      if (take === 'theirs' || edited !== null) onLocalChange(segmentKey);
      const message =
        edited !== null
          ? `Saved your edit of “${segmentKey}”; the next push sends it.`
          : take === 'mine'
            ? `Kept your version of “${segmentKey}”; the next push sends it.`
            : `Took the remote's version of “${segmentKey}”.`;
      toast.show({ message, tone: 'success' });
      onClose();
    },
  });
  const data = view.data;
  const busy = resolve.isPending || !data;

  const actions =
    editing === null ? (
      <>
        <Button onClick={onClose} aria-label="Close conflict">
          Close
        </Button>
        <Button disabled={busy} onClick={() => data && setEditing(startingText(data))} aria-label="Edit…">
          Edit…
        </Button>
        <Button disabled={busy} onClick={() => resolve.mutate({ take: 'theirs', edited: null })} aria-label="Take theirs">
          Take theirs
        </Button>
        <Button variant="primary" disabled={busy} onClick={() => resolve.mutate({ take: 'mine', edited: null })} aria-label="Keep mine">
          Keep mine
        </Button>
      </>
    ) : (
      <>
        <Button onClick={() => setEditing(null)} aria-label="Cancel editing">
          Cancel editing
        </Button>
        <Button
          variant="primary"
          disabled={busy || !parsed?.ok}
          aria-label="Save and keep"
          onClick={() => parsed?.ok && resolve.mutate({ take: 'mine', edited: parsed.value })}
        >
          Save and keep
        </Button>
      </>
    );

  return (
    <Dialog
      title={`Conflict on “${segmentKey}” with ${remote}`}
      description={data ? describe(data) : undefined}
      className="dialog-conflict"
      onClose={onClose}
      actions={actions}
    >
      <ErrorBanner error={view.error ? toIpcError(view.error) : null} action="Couldn't open the conflict" showMessage />
      {view.isPending && <p className="muted">Loading the three versions…</p>}
      {data && (
        <div className="conflict-columns">
          <ConflictDocument title="Base" subtitle="last agreed" document={data.base} fields={data.fields} absent="None: both sides created this segment independently." />
          <ConflictDocument title="Mine" subtitle="this database" document={data.mine} fields={data.fields} absent="Deleted here." />
          <ConflictDocument title="Theirs" subtitle={`remote “${remote}”`} document={data.theirs} fields={data.fields} absent="Deleted on the remote." />
        </div>
      )}
      {editing !== null && (
        <div className="conflict-edit">
          <span className="block-label">Your version (saved here, then sent by the next push)</span>
          <JsonEditor value={editing} onChange={setEditing} ariaLabel="Resolved segment JSON" minHeight="180px" maxHeight="40vh" invalid={parsed?.ok === false} describedBy={parsed?.ok === false ? hintId : undefined} />
          {parsed?.ok === false && (
            <p id={hintId} className="field-issue">
              {parsed.message}
            </p>
          )}
        </div>
      )}
      <ErrorBanner error={resolve.error ? toIpcError(resolve.error) : null} action="Couldn't resolve the conflict" showMessage onDismiss={() => resolve.reset()} />
    </Dialog>
  );
}
