import { invoke } from '@tauri-apps/api/core';
import type { Backend } from './backend';
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
import { toIpcError } from './errors';

/** Backend over Tauri IPC. Command names are the snake_case method names. */
export class TauriBackend implements Backend {
  private async call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
    try {
      return await invoke<T>(command, args);
    } catch (e) {
      throw toIpcError(e);
    }
  }

  listSegments(): Promise<SegmentSummary[]> {
    return this.call('list_segments');
  }
  getSegment(key: string): Promise<Segment> {
    return this.call('get_segment', { key });
  }
  createSegment(draft: Segment): Promise<Segment> {
    return this.call('create_segment', { draft });
  }
  updateSegment(key: string, draft: Segment): Promise<Segment> {
    return this.call('update_segment', { key, draft });
  }
  deleteSegment(key: string): Promise<Revision> {
    return this.call('delete_segment', { key });
  }
  duplicateSegment(key: string, newKey: string): Promise<Segment> {
    return this.call('duplicate_segment', { key, newKey });
  }
  validateSegment(draft: JsonValue): Promise<ValidationIssue[]> {
    return this.call('validate_segment', { draft });
  }
  explainDraft(draft: JsonValue, context: JsonValue): Promise<Explanation> {
    return this.call('explain_draft', { draft, context });
  }
  evaluateAll(context: JsonValue): Promise<SegmentMatch[]> {
    return this.call('evaluate_all', { context });
  }
  listRevisions(key: string): Promise<Revision[]> {
    return this.call('list_revisions', { key });
  }
  restoreRevision(key: string, revisionId: number): Promise<Segment> {
    return this.call('restore_revision', { key, revisionId });
  }
  listPersonas(): Promise<Persona[]> {
    return this.call('list_personas');
  }
  savePersona(name: string, context: JsonValue): Promise<Persona> {
    return this.call('save_persona', { name, context });
  }
  async deletePersona(id: number): Promise<void> {
    await this.call<unknown>('delete_persona', { id });
  }
  listOperators(): Promise<OperatorInfo[]> {
    return this.call('list_operators');
  }
  importSegments(text: string): Promise<ImportReport> {
    return this.call('import_segments', { text });
  }
  exportSegments(): Promise<string> {
    return this.call('export_segments');
  }
}
