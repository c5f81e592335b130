// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentsBridge } from '../../../bridge-plugin';
import { startFakeRemote } from '../../test/fake-remote';
import type { BridgeAnswer } from './bridge-protocol';
import type { IpcError, SyncProgress } from './bindings';
import { httpBridgeBackend } from './bridge-http';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let server: ViteDevServer;
let url: string;
let dir: string;

/** One call as the browser makes it: the NDJSON lines of the answer. */
async function post(body: unknown): Promise<{ status: number; type: string | null; lines: BridgeAnswer[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  const lines = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as BridgeAnswer);
  return { status: response.status, type: response.headers.get('content-type'), lines };
}

// The Vite dev server of `npm run dev`, with the bridge plugin, on its own database.
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'segments-dev-server-'));
  const port = await freePort();
  server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    logLevel: 'silent',
    plugins: [segmentsBridge({ db: path.join(dir, 'segments.sqlite3') })],
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  url = `http://127.0.0.1:${port}/__bridge`;
});

afterAll(async () => {
  // closing the dev server closes the bridge's stdin
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the dev server bridge (POST /__bridge)', () => {
  it('answers list_segments from the Rust demo data', async () => {
    const { status, type, lines } = await post({ command: 'list_segments', args: {} });
    expect(status).toBe(200);
    expect(type).toContain('application/x-ndjson');
    expect(lines).toHaveLength(1);
    const [answer] = lines as [{ ok: { key: string }[] }];
    expect(answer.ok.map((s) => s.key)).toContain('enterprise-users');
  });

  it("answers a refused draft with Rust's IpcError and its details", async () => {
    const { lines } = await post({
      command: 'create_segment',
      args: { draft: { key: 'Bad Key', name: 'x', rules: [{ attribute: 'seats', operator: 'gt', values: ['lots'] }] } },
    });
    expect(lines).toHaveLength(1);
    const { error } = lines[0] as { error: IpcError };
    expect(error.code).toBe('validation');
    expect(error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['key', 'rules[0].values[0]']));
  });

  it('refuses a body that is not a call', async () => {
    const { status, lines } = await post({ args: {} });
    expect(status).toBe(400);
    expect(lines).toEqual([{ error: expect.objectContaining({ code: 'internal' }) }]);
  });

  it('streams sync progress before the result, read by the browser backend', async () => {
    const backend = httpBridgeBackend(url);
    const remote = await startFakeRemote('projects');
    await backend.addRemote({
      name: 'dev-origin',
      dialect: 'projects',
      baseUrl: remote.baseUrl,
      projectId: remote.projectId,
      token: remote.token,
    });
    const progress: SyncProgress[] = [];
    const report = await backend.pushRemote('dev-origin', (p) => progress.push(p));
    expect(report.created.length).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.done).toBe(progress.at(-1)?.total);
    expect((await remote.segments()).map((s) => s.key)).toEqual(expect.arrayContaining(report.created));
    // an error comes back as the IpcError itself
    await expect(backend.getSegment('no-such-segment')).rejects.toMatchObject({ code: 'not_found' });
    await backend.removeRemote('dev-origin');
  });
});
