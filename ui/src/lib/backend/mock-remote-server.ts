import type { Dialect, Segment } from './bindings';
import { encode } from './mock-dialects';
import type { JsonObject } from './mock-dialects';

/** A failed HTTP exchange before the sync puts it in words; `status` null means no answer at all. */
export class HttpFailure {
  constructor(
    readonly status: number | null,
    readonly detail: string,
  ) {}
}

/** A segment as the remote's API returns it: its id, its key (Krafter has none), and the stored object. */
export type RemoteCopy = { id: string; key: string | null; name: string; object: JsonObject; version: string };

/**
 * A hosted segments API in memory: it keeps exactly the bodies the sync sends (in the
 * dialect's shape), checks the bearer token, and counts requests. Several remotes with the
 * same dialect, URL and project share one server, as they would share the real one.
 *
 * A host ending in `.invalid` never resolves (RFC 2606), so it stands for an unreachable server.
 */
export class SimulatedRemote {
  /** The token it accepts; null until the first request, whose token is then the right one (a token made for it). */
  acceptedToken: string | null;
  requests = 0;
  private readonly copies = new Map<string, JsonObject>();
  private nextId = 1;
  private clock = Date.parse('2025-03-01T08:00:00Z');

  constructor(
    readonly dialect: Dialect,
    readonly baseUrl: string,
    readonly projectId: string | null,
    acceptedToken: string | null,
  ) {
    this.acceptedToken = acceptedToken;
  }

  // ------------------------------------------------------------ the API, one request per call

  list(token: string): RemoteCopy[] {
    this.request(token);
    return [...this.copies.keys()].map((id) => this.copy(id));
  }

  get(token: string, id: string): RemoteCopy | null {
    this.request(token);
    return this.copies.has(id) ? this.copy(id) : null;
  }

  create(token: string, body: JsonObject): RemoteCopy {
    this.request(token);
    return this.copy(this.insert(body));
  }

  update(token: string, id: string, body: JsonObject): RemoteCopy {
    this.request(token);
    const current = this.copies.get(id);
    if (!current) throw new HttpFailure(404, `no segment "${id}"`);
    this.copies.set(id, { ...current, ...structuredClone(body), updated_at: this.stamp() });
    return this.copy(id);
  }

  delete(token: string, id: string): void {
    this.request(token);
    if (!this.copies.delete(id)) throw new HttpFailure(404, `no segment "${id}"`);
  }

  // ------------------------------------------------------------ someone else at work on the remote (no token needed)

  /** Writes `segment` over the copy `id` (or creates it) as another client of the API would. */
  write(id: string | null, segment: Segment): string {
    const current = id === null ? undefined : this.copies.get(id);
    const encoded = encode(this.dialect, segment, this.projectId, current !== undefined);
    if (!encoded.ok) throw new Error(`the remote cannot hold this segment: ${encoded.problems.join('; ')}`);
    if (!current || id === null) return this.insert(encoded.body);
    this.copies.set(id, { ...current, ...encoded.body, updated_at: this.stamp() });
    return id;
  }

  erase(id: string): void {
    this.copies.delete(id);
  }

  ids(): string[] {
    return [...this.copies.keys()];
  }

  peek(id: string): RemoteCopy | null {
    return this.copies.has(id) ? this.copy(id) : null;
  }

  // ------------------------------------------------------------ internals

  private request(token: string): void {
    this.requests += 1;
    if (new URL(this.baseUrl).hostname.endsWith('.invalid')) throw new HttpFailure(null, 'the host name does not resolve');
    this.acceptedToken ??= token;
    if (token !== this.acceptedToken) throw new HttpFailure(401, 'invalid or expired token');
  }

  /** Stores a new segment; Krafter assigns ids, the others use the key. */
  private insert(body: JsonObject): string {
    const id = this.dialect === 'krafter' ? `seg_${String(this.nextId++).padStart(4, '0')}` : String(body.key);
    if (this.copies.has(id)) throw new HttpFailure(409, `a segment with key "${id}" already exists`);
    const at = this.stamp();
    this.copies.set(id, { ...(this.dialect === 'krafter' ? { id } : {}), ...structuredClone(body), created_at: at, updated_at: at });
    return id;
  }

  private stamp(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  private copy(id: string): RemoteCopy {
    const object = structuredClone(this.copies.get(id)!);
    const key = this.dialect === 'krafter' ? null : String(object.key);
    const name = typeof object.name === 'string' ? object.name : (key ?? id);
    return { id, key, name, object, version: String(object.updated_at) };
  }
}
