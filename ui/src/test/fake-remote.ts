/**
 * Node only: a fake hosted segments API (`fake-remote`, tests/remotes) serving real HTTP
 * on 127.0.0.1, for the sync tests. A test reads and edits it through the API itself,
 * with the token the server issued, as another user of that remote would.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { binaryPath, REPO_ROOT } from '../../bridge-process';
import type { Dialect } from '../lib/backend/bindings';
import { closeAfterTest } from './bridge';

export type FakeRemote = {
  dialect: Dialect;
  /** The base URL a remote of this dialect is added with. */
  baseUrl: string;
  /** The project the server knows (a remote of edgeflags takes none). */
  projectId: string;
  /** A token with every right the dialect has. */
  token: string;
  /** A request to the API under `baseUrl`, with the token; resolves to the parsed body (null when empty). */
  request(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Every segment the server holds, as its listing API answers them. */
  segments(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
};

/** Where each dialect lists its segments, relative to the base URL. */
function listingPath(dialect: Dialect, projectId: string): string {
  if (dialect === 'projects') return `/v1/projects/${projectId}/segments?limit=100`;
  if (dialect === 'krafter') return `/flags/segments?project_id=${projectId}`;
  return '/api/v1/segments?limit=100';
}

type Started = { dialect: Dialect; base_url: string; project_id: string; token: string };

/** Starts a fake remote of `dialect`; it is closed after the test. */
export async function startFakeRemote(dialect: Dialect): Promise<FakeRemote> {
  const child = spawn(binaryPath('fake-remote'), [dialect], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => {});
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const started = await new Promise<Started>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line) as Started));
    void exited.then(() => reject(new Error(`fake-remote ${dialect} exited before it started: ${stderr}`)));
  });

  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${started.base_url}${path}`, {
      method,
      headers: { authorization: `Bearer ${started.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };

  return closeAfterTest({
    dialect,
    baseUrl: started.base_url,
    projectId: started.project_id,
    token: started.token,
    request,
    async segments() {
      const listing = (await request('GET', listingPath(dialect, started.project_id))) as
        | Record<string, unknown>[]
        | { data: Record<string, unknown>[] };
      return Array.isArray(listing) ? listing : listing.data;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  });
}
