import type { Backend } from './backend';
import type {
  ConflictView,
  Explanation,
  ImportReport,
  IpcError,
  JsonValue,
  NewRemote,
  OperatorInfo,
  Persona,
  PushPreview,
  RemoteInfo,
  Revision,
  RevisionAction,
  Segment,
  SegmentMatch,
  SegmentSummary,
  SyncProgress,
  SyncReport,
  SyncStatus,
  Take,
  ValidationIssue,
} from './bindings';
import { ipcError } from './errors';
import { evaluateRules, explainRules, parseDraft, referenceIssues, validateDraft } from './mock-engine';
import { DEMO_PERSONAS, DEMO_SEGMENTS } from './mock-demo';
import { MockSync } from './mock-sync';
import type { MockSyncOptions, RemoteHandle } from './mock-sync';
import type { LocalSegments } from './mock-sync-state';
import { MOCK_OPERATORS } from './operators';
import { canonicalSegment, collectAttributes, countConditions, isGroup, jsonEqual } from '../segments';

const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** A `validation` IpcError, worded like the Rust one ("path: message; …"). */
function validationError(issues: ValidationIssue[]): IpcError {
  const text = issues
    .map((i) => `${i.segment ? `segment "${i.segment}": ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`)
    .join('; ');
  return ipcError('validation', text, issues);
}

/** A taken key: in Rust a store error (`conflict`, no details), not a validation issue. */
function conflict(key: string): IpcError {
  return ipcError('conflict', `a segment "${key}" already exists; choose another key or update that segment`);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

type Stored = { segment: Segment; updated_at: string };

export { DEMO_PERSONAS, DEMO_SEGMENTS } from './mock-demo';
export type { RemoteHandle } from './mock-sync';

export type MockBackendOptions = MockSyncOptions & {
  /** Seed demo segments, revisions and personas (default true). */
  seed?: boolean;
  /** Extra generated segments, to try the list with thousands of rows. */
  bulkSegments?: number;
  /** Artificial latency per call in ms (default 0). */
  latencyMs?: number;
  author?: string;
};

/**
 * In-memory Backend for tests and for `npm run dev` in a plain browser.
 * Implements real behaviour for CRUD, revisions, personas, validation and a
 * simplified evaluator. Every value handed out is a copy.
 */
export class MockBackend implements Backend {
  private segments = new Map<string, Stored>();
  private revisions: Revision[] = [];
  private personas: Persona[] = [];
  private nextRevisionId = 1;
  private nextPersonaId = 1;
  private clock = Date.parse('2025-01-06T09:00:00Z');
  private readonly latencyMs: number;
  private readonly author: string;
  private readonly sync: MockSync;

  constructor(options: MockBackendOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.author = options.author ?? 'you';
    this.sync = new MockSync(this.localSegments(), options, () => this.tick());
    if (options.seed ?? true) {
      for (const s of DEMO_SEGMENTS) this.write(s.key, s, 'create', 'demo');
      // one edit so the history view has something to compare
      const power = clone(DEMO_SEGMENTS[2]);
      power.rules[0] = { attribute: 'sessions_last_30d', operator: 'gte', values: [15] };
      this.write(power.key, power, 'update', 'demo');
      this.write(DEMO_SEGMENTS[2].key, DEMO_SEGMENTS[2], 'update', 'demo');
      for (const p of DEMO_PERSONAS) this.upsertPersona(p.name, p.context);
    }
    for (let i = 0; i < (options.bulkSegments ?? 0); i++) {
      const n = String(i).padStart(5, '0');
      const countries = ['US', 'DE', 'FR', 'JP', 'BR'];
      this.segments.set(`bulk-${n}`, {
        segment: {
          key: `bulk-${n}`,
          name: `Generated segment ${n}`,
          description: 'Generated to exercise the list with many rows.',
          match_type: i % 3 === 0 ? 'any' : 'all',
          rules: [
            { attribute: 'country', operator: 'eq', values: [countries[i % countries.length]] },
            { attribute: `custom_${i % 50}`, operator: 'gt', values: [i % 100] },
          ],
        },
        updated_at: new Date(this.clock - i * 60_000).toISOString(),
      });
    }
  }

  // ------------------------------------------------------------ internals

  private now(): string {
    this.clock += 61_000;
    return new Date(this.clock).toISOString();
  }

  private async tick(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
  }

  /** Every change goes through here; `remote` names the remote it came from (the others get it queued). */
  private write(key: string, segment: Segment | null, action: RevisionAction, author = this.author, remote?: string): Revision {
    const previous = this.segments.get(key)?.segment ?? null;
    const at = this.now();
    const current = segment ? canonicalSegment(clone(segment)) : null;
    if (current) this.segments.set(current.key, { segment: current, updated_at: at });
    else this.segments.delete(key);
    const rev: Revision = {
      id: this.nextRevisionId++,
      segment_key: key,
      action,
      author,
      created_at: at,
      previous: previous ? clone(previous) : null,
      current: current ? clone(current) : null,
    };
    this.revisions.push(rev);
    this.sync.enqueue(key, remote);
    return rev;
  }

  /** The local side of the sync: the segments, and writes that came from a remote. */
  private localSegments(): LocalSegments {
    return {
      keys: () => [...this.segments.keys()].sort(),
      get: (key) => {
        const stored = this.segments.get(key);
        return stored ? clone(stored.segment) : undefined;
      },
      applyFromRemote: (remote, key, segment) => {
        const current = this.segments.get(key)?.segment;
        const author = `remote:${remote}`;
        if (segment) {
          if (current && jsonEqual(canonicalSegment(current), canonicalSegment(segment))) return;
          this.assertReferences([segment]);
          this.write(key, segment, current ? 'update' : 'create', author, remote);
        } else if (current) {
          this.assertNotReferenced(key);
          this.write(key, null, 'delete', author, remote);
        }
      },
      saveEdited: (key, draft) => {
        if (this.segments.has(key)) this.update(key, draft);
        else this.create(draft);
      },
    };
  }

  private lookup = (key: string): Segment | undefined => this.segments.get(key)?.segment;

  /** The draft as a canonical segment, or a `validation` error listing every problem. */
  private parse(draft: unknown): Segment {
    const { segment, issues } = parseDraft(draft as JsonValue);
    if (!segment) throw validationError(issues);
    return segment;
  }

  /** References of `changed` (checked together with the stored segments). */
  private assertReferences(changed: Segment[]): void {
    const issues = referenceIssues(changed, this.lookup);
    if (issues.length > 0) throw validationError(issues);
  }

  private get(key: string): Stored {
    const s = this.segments.get(key);
    if (!s) throw ipcError('not_found', `no segment "${key}" exists`);
    return s;
  }

  private referencedBy(key: string): string[] {
    const out: string[] = [];
    const refers = (rules: Segment['rules']): boolean =>
      rules.some((r) =>
        isGroup(r)
          ? refers(r.rules)
          : (r.operator === 'in_segment' || r.operator === 'not_in_segment') && r.values.includes(key),
      );
    for (const [k, { segment }] of this.segments) if (k !== key && refers(segment.rules)) out.push(k);
    return out;
  }

  private upsertPersona(name: string, context: JsonValue): Persona {
    const at = this.now();
    const existing = this.personas.find((p) => p.name === name);
    if (existing) {
      existing.context = clone(context);
      existing.updated_at = at;
      return clone(existing);
    }
    const p: Persona = { id: this.nextPersonaId++, name, context: clone(context), updated_at: at };
    this.personas.push(p);
    return clone(p);
  }

  // ------------------------------------------------------------ Backend

  async listSegments(): Promise<SegmentSummary[]> {
    await this.tick();
    return [...this.segments.values()].map(({ segment, updated_at }) => ({
      key: segment.key,
      name: segment.name,
      description: segment.description,
      match_type: segment.match_type,
      condition_count: countConditions(segment.rules),
      attributes: [...collectAttributes(segment.rules)].sort(),
      updated_at,
    }));
  }

  async getSegment(key: string): Promise<Segment> {
    await this.tick();
    return clone(this.get(key).segment);
  }

  /** As in Rust: parse, then a taken key is a `conflict` (not a validation issue), then references. */
  private create(draft: unknown): Segment {
    const segment = this.parse(draft);
    if (this.segments.has(segment.key)) throw conflict(segment.key);
    this.assertReferences([segment]);
    this.write(segment.key, segment, 'create');
    return clone(this.get(segment.key).segment);
  }

  async createSegment(draft: Segment): Promise<Segment> {
    await this.tick();
    return this.create(draft);
  }

  async updateSegment(key: string, draft: Segment): Promise<Segment> {
    await this.tick();
    return this.update(key, draft);
  }

  private update(key: string, draft: unknown): Segment {
    const segment = this.parse(draft);
    if (segment.key !== key) {
      throw validationError([
        {
          path: 'key',
          code: 'key_changed',
          message: `A segment's key cannot change (it is "${key}"); duplicate it under the new key instead.`,
        },
      ]);
    }
    const current = this.get(key).segment;
    if (jsonEqual(canonicalSegment(current), canonicalSegment(segment))) return clone(current);
    this.assertReferences([segment]);
    this.write(key, segment, 'update');
    return clone(this.get(key).segment);
  }

  async deleteSegment(key: string): Promise<Revision> {
    await this.tick();
    this.get(key);
    this.assertNotReferenced(key);
    return clone(this.write(key, null, 'delete'));
  }

  private assertNotReferenced(key: string): void {
    const users = this.referencedBy(key);
    if (users.length > 0) {
      throw ipcError('reference', `segment "${key}" is referenced by ${users.join(', ')}; remove those in_segment references first`);
    }
  }

  async duplicateSegment(key: string, newKey: string): Promise<Segment> {
    await this.tick();
    const src = this.get(key).segment;
    return this.create({ ...clone(src), key: newKey, name: `${src.name} (copy)` });
  }

  async validateSegment(draft: JsonValue): Promise<ValidationIssue[]> {
    await this.tick();
    return validateDraft(draft, this.lookup);
  }

  async explainDraft(draft: JsonValue, context: JsonValue): Promise<Explanation> {
    await this.tick();
    if (typeof context !== 'object' || context === null || Array.isArray(context)) {
      throw validationError([
        { path: 'context', code: 'wrong_type', message: 'The context must be a JSON object such as {"plan": "pro"}.' },
      ]);
    }
    // As in Rust: only a valid draft (references included) can be evaluated.
    const seg = this.parse(draft);
    this.assertReferences([seg]);
    const lookup = (k: string) => (k === seg.key ? seg : this.lookup(k));
    const trace = explainRules(seg.match_type, seg.rules, '', context, lookup, [seg.key]);
    return { key: seg.key, matched: trace.matched, trace };
  }

  async evaluateAll(context: JsonValue): Promise<SegmentMatch[]> {
    await this.tick();
    return [...this.segments.values()]
      .map(({ segment }) => ({
        key: segment.key,
        name: segment.name,
        matched: evaluateRules(segment.match_type, segment.rules, context, this.lookup, [segment.key]),
      }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  async listRevisions(key: string): Promise<Revision[]> {
    await this.tick();
    return clone(this.revisions.filter((r) => r.segment_key === key).reverse());
  }

  async restoreRevision(key: string, revisionId: number): Promise<Segment> {
    await this.tick();
    const rev = this.revisions.find((r) => r.id === revisionId && r.segment_key === key);
    if (!rev) throw ipcError('not_found', `revision ${revisionId} of "${key}" not found`);
    const snapshot = rev.current ?? rev.previous;
    if (!snapshot) throw ipcError('not_found', `revision ${revisionId} has no content`);
    this.assertReferences([snapshot]);
    this.write(key, snapshot, 'restore');
    return clone(this.get(key).segment);
  }

  async listPersonas(): Promise<Persona[]> {
    await this.tick();
    return clone([...this.personas].sort((a, b) => a.name.localeCompare(b.name)));
  }

  async savePersona(name: string, context: JsonValue): Promise<Persona> {
    await this.tick();
    if (name.trim() === '' || [...name.trim()].length > 200) {
      throw ipcError('validation', 'a persona needs a name of 1 to 200 characters');
    }
    if (typeof context !== 'object' || context === null || Array.isArray(context)) {
      throw ipcError('validation', 'the context must be a JSON object');
    }
    return this.upsertPersona(name.trim(), context);
  }

  async deletePersona(id: number): Promise<void> {
    await this.tick();
    const i = this.personas.findIndex((p) => p.id === id);
    if (i < 0) throw ipcError('not_found', `persona ${id} not found`);
    this.personas.splice(i, 1);
  }

  async listOperators(): Promise<OperatorInfo[]> {
    await this.tick();
    return clone(MOCK_OPERATORS);
  }

  async importSegments(text: string): Promise<ImportReport> {
    await this.tick();
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > MAX_IMPORT_BYTES) {
      const message = `the import file is ${bytes} bytes; the limit is ${MAX_IMPORT_BYTES} bytes`;
      throw ipcError('too_large', message, [{ path: '', code: 'too_large', message }]);
    }
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(text) as JsonValue;
    } catch (e) {
      const message = `the import file is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
      throw ipcError('invalid_json', message, [{ path: '', code: 'invalid_json', message }]);
    }
    // A segment, an array of segments, or {"segments": [...]} / {"data": [...]}; paths are "[i].…".
    let list: JsonValue[];
    if (Array.isArray(parsed)) {
      list = parsed;
    } else if (typeof parsed === 'object' && parsed !== null) {
      const { segments, data } = parsed;
      list = Array.isArray(segments) ? segments : segments === undefined && Array.isArray(data) ? data : [parsed];
    } else {
      throw validationError([
        { path: '', code: 'wrong_type', message: 'Expected a segment, an array of segments, or {"segments": [...]}.' },
      ]);
    }
    const segments: Segment[] = [];
    const issues: ValidationIssue[] = [];
    list.forEach((item, i) => {
      const result = parseDraft(item);
      if (result.segment) segments.push(result.segment);
      for (const issue of result.issues) issues.push({ ...issue, path: issue.path ? `[${i}].${issue.path}` : `[${i}]` });
    });
    if (issues.length > 0) throw validationError(issues);
    const seen = new Set<string>();
    for (const s of segments) {
      if (seen.has(s.key)) throw conflict(s.key);
      seen.add(s.key);
    }
    this.assertReferences(segments);
    // all or nothing: everything is checked before anything is written
    const report: ImportReport = { created: [], updated: [], unchanged: [] };
    for (const seg of segments) {
      const existing = this.segments.get(seg.key)?.segment;
      if (existing && jsonEqual(canonicalSegment(existing), canonicalSegment(seg))) {
        report.unchanged.push(seg.key);
        continue;
      }
      (existing ? report.updated : report.created).push(seg.key);
      this.write(seg.key, seg, 'import');
    }
    return report;
  }

  async exportSegments(): Promise<string> {
    await this.tick();
    const segments = [...this.segments.values()].map((s) => s.segment).sort((a, b) => a.key.localeCompare(b.key));
    return JSON.stringify(segments, null, 2);
  }

  /** In a browser, a download of the export; the name stands in for the app's file path. */
  async saveExport(): Promise<string> {
    const text = await this.exportSegments();
    const name = `segments-${new Date().toISOString().slice(0, 10)}.json`;
    if (typeof URL.createObjectURL === 'function') {
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    }
    return name;
  }

  // ------------------------------------------------------------ remotes and sync (mock-sync.ts)

  async listRemotes(): Promise<RemoteInfo[]> {
    await this.tick();
    return this.sync.listRemotes();
  }

  async addRemote(remote: NewRemote): Promise<RemoteInfo> {
    await this.tick();
    return this.sync.addRemote(remote);
  }

  async removeRemote(name: string): Promise<RemoteInfo> {
    await this.tick();
    return this.sync.removeRemote(name);
  }

  async replaceToken(name: string, token: string): Promise<RemoteInfo> {
    await this.tick();
    return this.sync.replaceToken(name, token);
  }

  async testRemote(name: string): Promise<number> {
    await this.tick();
    return this.sync.testRemote(name);
  }

  async syncStatus(remote: string): Promise<SyncStatus> {
    await this.tick();
    return this.sync.status(remote);
  }

  async previewPush(remote: string): Promise<PushPreview> {
    await this.tick();
    return clone(this.sync.preview(remote));
  }

  async pullRemote(remote: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
    await this.tick();
    return this.sync.pull(remote, onProgress);
  }

  async pushRemote(remote: string, onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
    await this.tick();
    return this.sync.push(remote, onProgress);
  }

  async getConflict(remote: string, key: string): Promise<ConflictView> {
    await this.tick();
    return this.sync.conflict(remote, key);
  }

  async resolveConflict(remote: string, key: string, take: Take, edited: JsonValue | null = null): Promise<void> {
    await this.tick();
    this.sync.resolve(remote, key, take, edited);
  }

  /**
   * Another client of the simulated remote `name` (tests, demos): read, edit, add or remove
   * its copies, or change the token it accepts.
   */
  remote(name: string): RemoteHandle {
    return this.sync.remoteHandle(name);
  }
}
