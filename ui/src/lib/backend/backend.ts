import { createContext, useContext } from 'react';
import type {
  Explanation,
  ImportReport,
  JsonValue,
  OperatorInfo,
  Persona,
  Revision,
  Segment,
  SegmentMatch,
  SegmentSummary,
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
}

export const BackendContext = createContext<Backend | null>(null);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend() must be used inside <BackendContext value={backend}>');
  return backend;
}
