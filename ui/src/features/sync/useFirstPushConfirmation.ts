import { useBackend } from '../../lib/backend/backend';
import type { PushPreview, SyncStatus } from '../../lib/backend/bindings';
import { useConfirm } from '../../shared/ui/confirm';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "4 segments to create, 1 to update, 2 already there, 3 can't be pushed (they stay here)". */
export function firstPushCounts(p: PushPreview): string {
  const creates = p.changes.filter((c) => c.op === 'create').length;
  const updates = p.changes.filter((c) => c.op === 'update').length;
  const parts = [
    plural(creates, 'segment to create', 'segments to create'),
    updates > 0 && `${updates} to update`,
    p.linked.length > 0 && `${p.linked.length} already there`,
    p.refused.length > 0 && `${p.refused.length} can't be pushed (they stay here)`,
    p.conflicts.length > 0 && plural(p.conflicts.length, 'conflict', 'conflicts'),
  ].filter((part): part is string => typeof part === 'string');
  return parts.join(', ');
}

/**
 * Before the first push to a remote (nothing here is on it yet), asks with the preview's
 * counts: the first push is the one that writes a whole database to a company's server.
 * Resolves true when the push should go ahead. A preview that fails (remote unreachable)
 * asks nothing: the push reports the same error.
 */
export function useFirstPushConfirmation(remote: string, status: SyncStatus | undefined): () => Promise<boolean> {
  const backend = useBackend();
  const confirm = useConfirm();
  const first =
    status !== undefined &&
    status.pending.length > 0 &&
    status.segments.every((s) => s.state === 'not_on_remote' || s.state === 'cant_push');
  return async () => {
    if (!first) return true;
    let preview: PushPreview;
    try {
      preview = await backend.previewPush(remote);
    } catch {
      return true;
    }
    return confirm({
      title: `First push to “${remote}”`,
      message: `Nothing here is on “${remote}” yet. This push sends: ${firstPushCounts(preview)}.`,
      confirmLabel: 'Push to remote',
    });
  };
}
