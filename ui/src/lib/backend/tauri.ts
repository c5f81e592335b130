import { Channel, invoke } from '@tauri-apps/api/core';
import type { Backend } from './backend';
import type {
  Commands,
  ConflictView,
  Explanation,
  ImportReport,
  JsonValue,
  NewRemote,
  OperatorInfo,
  Persona,
  PushPreview,
  RemoteInfo,
  Revision,
  Segment,
  SegmentMatch,
  SegmentSummary,
  SyncProgress,
  SyncReport,
  SyncStatus,
  Take,
  ValidationIssue,
} from './bindings';
import { toIpcError } from './errors';

/** A Tauri command's name, as in the generated `Commands` map. */
export type Command = keyof Commands;
/** A command's arguments; exactly `{}` for a command without any (the generated `{ }` would accept any value). */
export type CommandArgs<K extends Command> = keyof Commands[K]['args'] extends never
  ? Record<string, never>
  : Commands[K]['args'];
export type CommandResult<K extends Command> = Commands[K]['result'];

/**
 * Invokes a Tauri command. Name, arguments and result are typed by the
 * `Commands` map generated from the Rust commands, so a wrong command name or
 * argument fails `tsc`. Rejects with an `IpcError`.
 */
export async function call<K extends Command>(command: K, args: CommandArgs<K>): Promise<CommandResult<K>> {
  try {
    return await invoke<CommandResult<K>>(command, args);
  } catch (e) {
    throw toIpcError(e);
  }
}

/** Backend over Tauri IPC. */
export class TauriBackend implements Backend {
  listSegments(): Promise<SegmentSummary[]> {
    return call('list_segments', {});
  }
  getSegment(key: string): Promise<Segment> {
    return call('get_segment', { key });
  }
  createSegment(draft: Segment): Promise<Segment> {
    return call('create_segment', { draft });
  }
  updateSegment(key: string, draft: Segment): Promise<Segment> {
    return call('update_segment', { key, draft });
  }
  deleteSegment(key: string): Promise<Revision> {
    return call('delete_segment', { key });
  }
  duplicateSegment(key: string, newKey: string): Promise<Segment> {
    return call('duplicate_segment', { key, newKey });
  }
  validateSegment(draft: JsonValue): Promise<ValidationIssue[]> {
    return call('validate_segment', { draft });
  }
  explainDraft(draft: JsonValue, context: JsonValue): Promise<Explanation> {
    return call('explain_draft', { draft, context });
  }
  evaluateAll(context: JsonValue): Promise<SegmentMatch[]> {
    return call('evaluate_all', { context });
  }
  listRevisions(key: string): Promise<Revision[]> {
    return call('list_revisions', { key });
  }
  restoreRevision(key: string, revisionId: number): Promise<Segment> {
    return call('restore_revision', { key, revisionId });
  }
  listPersonas(): Promise<Persona[]> {
    return call('list_personas', {});
  }
  savePersona(name: string, context: JsonValue): Promise<Persona> {
    return call('save_persona', { name, context });
  }
  async deletePersona(id: number): Promise<void> {
    await call('delete_persona', { id });
  }
  listOperators(): Promise<OperatorInfo[]> {
    return call('list_operators', {});
  }
  importSegments(text: string): Promise<ImportReport> {
    return call('import_segments', { text });
  }
  exportSegments(): Promise<string> {
    return call('export_segments', {});
  }
  saveExport(): Promise<string> {
    return call('save_export', {});
  }
  listRemotes(): Promise<RemoteInfo[]> {
    return call('list_remotes', {});
  }
  addRemote(remote: NewRemote): Promise<RemoteInfo> {
    return call('add_remote', { remote });
  }
  removeRemote(name: string): Promise<RemoteInfo> {
    return call('remove_remote', { name });
  }
  replaceToken(name: string, token: string): Promise<RemoteInfo> {
    return call('replace_token', { name, token });
  }
  testRemote(name: string): Promise<number> {
    return call('test_remote', { name });
  }
  syncStatus(remote: string): Promise<SyncStatus> {
    return call('sync_status', { remote });
  }
  previewPush(remote: string): Promise<PushPreview> {
    return call('preview_push', { remote });
  }
  pullRemote(remote: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
    return call('pull_remote', { remote, progress: progressChannel(onProgress) });
  }
  pushRemote(remote: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
    return call('push_remote', { remote, progress: progressChannel(onProgress) });
  }
  getConflict(remote: string, key: string): Promise<ConflictView> {
    return call('get_conflict', { remote, key });
  }
  async resolveConflict(remote: string, key: string, take: Take, edited: JsonValue | null = null): Promise<void> {
    await call('resolve_conflict', { remote, key, take, edited });
  }
}

/** A channel the Rust side reports sync progress on. The handler is set before the channel is sent, so no message is missed. */
function progressChannel(onProgress: (p: SyncProgress) => void): Channel<SyncProgress> {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  return channel;
}
