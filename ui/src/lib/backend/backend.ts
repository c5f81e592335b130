import { createContext, useContext } from 'react';
import type {
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

/**
 * Everything the UI needs from the backend. Every method is async and rejects
 * with an `IpcError` (see bindings.ts); use `toIpcError` to normalise unknown
 * rejections.
 */
export interface Backend {
  listSegments(): Promise<SegmentSummary[]>;
  getSegment(key: string): Promise<Segment>;
  createSegment(draft: Segment): Promise<Segment>;
  updateSegment(key: string, draft: Segment): Promise<Segment>;
  /** Returns the delete revision so the UI can undo by re-creating `previous`. */
  deleteSegment(key: string): Promise<Revision>;
  duplicateSegment(key: string, newKey: string): Promise<Segment>;
  validateSegment(draft: JsonValue): Promise<ValidationIssue[]>;
  explainDraft(draft: JsonValue, context: JsonValue): Promise<Explanation>;
  evaluateAll(context: JsonValue): Promise<SegmentMatch[]>;
  /** Newest first. */
  listRevisions(key: string): Promise<Revision[]>;
  restoreRevision(key: string, revisionId: number): Promise<Segment>;
  listPersonas(): Promise<Persona[]>;
  savePersona(name: string, context: JsonValue): Promise<Persona>;
  deletePersona(id: number): Promise<void>;
  listOperators(): Promise<OperatorInfo[]>;
  /** Raw file text in any accepted format; parsing happens in the backend. */
  importSegments(text: string): Promise<ImportReport>;
  exportSegments(): Promise<string>;
  /** Writes the export to a new file (the downloads folder in the app) and returns its path. */
  saveExport(): Promise<string>;

  // Remotes and sync (see the doc comments on the types in bindings.ts).
  listRemotes(): Promise<RemoteInfo[]>;
  /** The token goes in here once and never comes back; `RemoteInfo` says where it is kept. */
  addRemote(remote: NewRemote): Promise<RemoteInfo>;
  removeRemote(name: string): Promise<RemoteInfo>;
  /** Stores a new token for an existing remote (after a 401, or a rotated key); it never comes back either. */
  replaceToken(name: string, token: string): Promise<RemoteInfo>;
  /** Lists the remote once; resolves to how many segments it has. */
  testRemote(name: string): Promise<number>;
  syncStatus(remote: string): Promise<SyncStatus>;
  /** The dry run of a push: sends nothing. */
  previewPush(remote: string): Promise<PushPreview>;
  pullRemote(remote: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport>;
  pushRemote(remote: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport>;
  getConflict(remote: string, key: string): Promise<ConflictView>;
  /** `edited` (with take 'mine'): save that document locally first, then keep it. */
  resolveConflict(remote: string, key: string, take: Take, edited?: JsonValue | null): Promise<void>;
}

export const BackendContext = createContext<Backend | null>(null);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend() must be used inside <BackendContext value={backend}>');
  return backend;
}
