import type { ChangeOp, SyncBadge, SyncReport } from '../../lib/backend/bindings';

export const BADGE_LABELS: Record<SyncBadge, string> = {
  in_sync: 'In sync',
  local_changes: 'Local changes',
  conflict: 'Conflict',
  not_on_remote: 'Not on remote',
  cant_push: "Can't push",
};

export const OP_LABELS: Record<ChangeOp, string> = { create: 'Create', update: 'Update', delete: 'Delete' };

export type SyncKind = 'pull' | 'push';

function count(n: number, one: string, many = one): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 created, 1 conflict, 2 refused": only what happened; "nothing to do" when nothing did. */
export function reportSummary(r: SyncReport): string {
  const parts = [
    r.created.length && count(r.created.length, 'created'),
    r.updated.length && count(r.updated.length, 'updated'),
    r.deleted.length && count(r.deleted.length, 'deleted'),
    r.linked.length && count(r.linked.length, 'linked'),
    r.merged.length && count(r.merged.length, 'merged'),
    r.conflicts.length && count(r.conflicts.length, 'conflict', 'conflicts'),
    r.refused.length && count(r.refused.length, 'refused'),
    r.failed.length && count(r.failed.length, 'failed'),
    r.missing_on_remote.length && count(r.missing_on_remote.length, 'missing on the remote'),
  ].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? parts.join(', ') : 'nothing to do, already in sync';
}

/** The local segments a run changed: a pull writes what it created, updated or merged; a push only what it merged. */
export function locallyChanged(r: SyncReport, kind: SyncKind): string[] {
  return kind === 'pull' ? [...r.created, ...r.updated, ...r.merged] : [...r.merged];
}

/** Whether the run left anything for the user. */
export function needsAttention(r: SyncReport): boolean {
  return r.conflicts.length + r.refused.length + r.failed.length > 0;
}
