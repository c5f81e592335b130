import type { Backend } from './backend';
import type {
  Explanation,
  ImportReport,
  JsonValue,
  OperatorInfo,
  Persona,
  Revision,
  RevisionAction,
  Segment,
  SegmentMatch,
  SegmentSummary,
  ValidationIssue,
} from './bindings';
import { ipcError } from './errors';
import { evaluateRules, explainRules, validateDraft, validateKey } from './mock-engine';
import { MOCK_OPERATORS } from './operators';
import { canonicalSegment, collectAttributes, countConditions, isGroup, isMatchType } from '../segments';

const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

type Stored = { segment: Segment; updated_at: string };

export type MockBackendOptions = {
  /** Seed demo segments, revisions and personas (default true). */
  seed?: boolean;
  /** Extra generated segments, to try the list with thousands of rows. */
  bulkSegments?: number;
  /** Artificial latency per call in ms (default 0). */
  latencyMs?: number;
  author?: string;
};

export const DEMO_SEGMENTS: Segment[] = [
  {
    key: 'beta-testers',
    name: 'Beta testers',
    description: 'Staff and customers who opted in to beta features.',
    match_type: 'any',
    rules: [
      { attribute: 'email', operator: 'ends_with', values: ['@acme.com'], case_insensitive: true },
      { attribute: 'beta_opt_in', operator: 'eq', values: [true] },
    ],
  },
  {
    key: 'eu-customers',
    name: 'EU paying customers',
    description: 'Paying customers located in the EU.',
    match_type: 'all',
    rules: [
      { attribute: 'country', operator: 'in', values: ['DE', 'FR', 'ES', 'IT', 'NL'] },
      { attribute: 'plan', operator: 'neq', values: ['free'] },
    ],
  },
  {
    key: 'power-users',
    name: 'Power users',
    description: 'Very active users on a paid team plan.',
    match_type: 'all',
    rules: [
      { attribute: 'sessions_last_30d', operator: 'gte', values: [20] },
      {
        match_type: 'any',
        rules: [
          { attribute: 'plan', operator: 'in', values: ['pro', 'enterprise'] },
          { attribute: 'seats', operator: 'gt', values: [10] },
        ],
      },
    ],
  },
  {
    key: 'ios-17-plus',
    name: 'iOS app 17+',
    description: 'iOS users on app version 17.0.0 or newer.',
    match_type: 'all',
    rules: [
      { attribute: 'platform', operator: 'eq', values: ['ios'] },
      { attribute: 'app_version', operator: 'semver_gte', values: ['17.0.0'] },
    ],
  },
  {
    key: 'eu-power-users',
    name: 'EU power users',
    description: 'EU paying customers who are also power users.',
    match_type: 'all',
    rules: [
      { attribute: 'user', operator: 'in_segment', values: ['eu-customers'] },
      { attribute: 'user', operator: 'in_segment', values: ['power-users'] },
    ],
  },
];

export const DEMO_PERSONAS: { name: string; context: JsonValue }[] = [
  {
    name: 'German pro user',
    context: {
      key: 'user-123',
      email: 'anna@example.de',
      country: 'DE',
      plan: 'pro',
      seats: 3,
      sessions_last_30d: 42,
      platform: 'ios',
      app_version: '17.2.0',
    },
  },
  {
    name: 'US free user',
    context: {
      key: 'user-456',
      email: 'bob@example.com',
      country: 'US',
      plan: 'free',
      seats: 1,
      sessions_last_30d: 3,
      platform: 'android',
      app_version: '16.4.1',
    },
  },
];

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

  constructor(options: MockBackendOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.author = options.author ?? 'you';
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

  private write(key: string, segment: Segment | null, action: RevisionAction, author = this.author): Revision {
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
    return rev;
  }

  private keys(): Set<string> {
    return new Set(this.segments.keys());
  }

  private lookup = (key: string): Segment | undefined => this.segments.get(key)?.segment;

  private assertValid(draft: Segment, pathPrefix = ''): void {
    const keys = this.keys();
    keys.add(draft.key);
    const issues = validateDraft(draft as unknown as JsonValue, keys).map((i) => ({
      ...i,
      path: pathPrefix + i.path,
    }));
    if (issues.length > 0) {
      throw ipcError('validation', `${issues.length} problem(s) in segment "${draft.key}"`, issues);
    }
  }

  private get(key: string): Stored {
    const s = this.segments.get(key);
    if (!s) throw ipcError('not_found', `segment "${key}" not found`);
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

  async createSegment(draft: Segment): Promise<Segment> {
    await this.tick();
    if (this.segments.has(draft.key)) {
      throw ipcError('conflict', `segment "${draft.key}" already exists`, [
        { path: 'key', code: 'duplicate_key', message: `A segment with key "${draft.key}" already exists.` },
      ]);
    }
    this.assertValid(draft);
    this.write(draft.key, draft, 'create');
    return clone(this.get(draft.key).segment);
  }

  async updateSegment(key: string, draft: Segment): Promise<Segment> {
    await this.tick();
    this.get(key);
    if (draft.key !== key) {
      throw ipcError('validation', 'the key of a segment cannot be changed', [
        { path: 'key', code: 'key_mismatch', message: `The key must stay "${key}".` },
      ]);
    }
    this.assertValid(draft);
    this.write(key, draft, 'update');
    return clone(this.get(key).segment);
  }

  async deleteSegment(key: string): Promise<Revision> {
    await this.tick();
    this.get(key);
    const users = this.referencedBy(key);
    if (users.length > 0) {
      throw ipcError('reference', `segment "${key}" is used by ${users.join(', ')}`);
    }
    return clone(this.write(key, null, 'delete'));
  }

  async duplicateSegment(key: string, newKey: string): Promise<Segment> {
    await this.tick();
    const src = this.get(key).segment;
    const keyIssues = validateKey(newKey);
    if (keyIssues.length > 0) throw ipcError('validation', 'invalid key', keyIssues);
    if (this.segments.has(newKey)) {
      throw ipcError('conflict', `segment "${newKey}" already exists`, [
        { path: 'key', code: 'duplicate_key', message: `A segment with key "${newKey}" already exists.` },
      ]);
    }
    const copy: Segment = { ...clone(src), key: newKey, name: `${src.name} (copy)` };
    this.write(newKey, copy, 'create');
    return clone(this.get(newKey).segment);
  }

  async validateSegment(draft: JsonValue): Promise<ValidationIssue[]> {
    await this.tick();
    const keys = this.keys();
    return validateDraft(draft, keys);
  }

  async explainDraft(draft: JsonValue, context: JsonValue): Promise<Explanation> {
    await this.tick();
    if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) {
      throw ipcError('validation', 'draft must be an object', [
        { path: '', code: 'invalid_type', message: 'A segment must be a JSON object.' },
      ]);
    }
    const seg = draft as unknown as Segment;
    const matchType = isMatchType(seg.match_type) ? seg.match_type : 'all';
    const key = typeof seg.key === 'string' ? seg.key : '';
    const trace = explainRules(matchType, Array.isArray(seg.rules) ? seg.rules : [], '', context, this.lookup, [key]);
    return { key, matched: trace.matched, trace };
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
    this.write(key, snapshot, 'restore');
    return clone(this.get(key).segment);
  }

  async listPersonas(): Promise<Persona[]> {
    await this.tick();
    return clone([...this.personas].sort((a, b) => a.name.localeCompare(b.name)));
  }

  async savePersona(name: string, context: JsonValue): Promise<Persona> {
    await this.tick();
    if (name.trim() === '') {
      throw ipcError('validation', 'persona name is empty', [
        { path: 'name', code: 'required', message: 'Give the persona a name.' },
      ]);
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
    if (text.length > MAX_IMPORT_BYTES) throw ipcError('too_large', 'import is larger than 5 MiB');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw ipcError('invalid_json', e instanceof Error ? e.message : 'invalid JSON');
    }
    let list: unknown[];
    let prefix: (i: number) => string;
    if (Array.isArray(parsed)) {
      list = parsed;
      prefix = (i) => `[${i}].`;
    } else if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { segments?: unknown }).segments)) {
      list = (parsed as { segments: unknown[] }).segments;
      prefix = (i) => `segments[${i}].`;
    } else if (typeof parsed === 'object' && parsed !== null && 'key' in parsed) {
      list = [parsed];
      prefix = () => '';
    } else {
      throw ipcError('validation', 'unrecognised import format', [
        { path: '', code: 'invalid_format', message: 'Expected a segment, a list of segments or {"segments": [...]}.' },
      ]);
    }
    const keys = this.keys();
    for (const item of list) {
      if (typeof item === 'object' && item !== null && typeof (item as Segment).key === 'string') keys.add((item as Segment).key);
    }
    const issues = list.flatMap((item, i) =>
      validateDraft(item as JsonValue, keys).map((issue) => ({ ...issue, path: prefix(i) + issue.path })),
    );
    if (issues.length > 0) throw ipcError('validation', `${issues.length} problem(s) in the import`, issues);
    const report: ImportReport = { created: [], updated: [] };
    for (const item of list as Segment[]) {
      const seg: Segment = { ...item, description: item.description ?? '' };
      (this.segments.has(seg.key) ? report.updated : report.created).push(seg.key);
      this.write(seg.key, seg, 'import');
    }
    return report;
  }

  async exportSegments(): Promise<string> {
    await this.tick();
    const segments = [...this.segments.values()].map((s) => s.segment).sort((a, b) => a.key.localeCompare(b.key));
    return JSON.stringify({ version: 1, segments }, null, 2);
  }
}
