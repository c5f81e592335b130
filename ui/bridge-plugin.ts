/**
 * Node only: a Vite dev-server plugin that runs the app's real commands for a plain
 * browser. It starts one `segments-bridge` on the first call and serves
 * `POST /__bridge` with `{command, args}`, answering with that call's lines as NDJSON
 * (progress lines, then `{"ok": …}` or `{"error": …}`); see src/lib/backend/bridge-http.ts.
 */
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Plugin } from 'vite';
import { BridgeProcess } from './bridge-process.ts';
import type { BridgeAnswer } from './src/lib/backend/bridge-protocol.ts';

export type BridgePluginOptions = {
  /** The database; default `$SEGMENTS_DB`, else ui/.dev/segments.sqlite3 (seeded with the demo data when new). */
  db?: string;
};

const BODY_LIMIT = 64 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > BODY_LIMIT) reject(new Error('the call is larger than 64 MiB'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** A bridge call as the browser posts it, or why it is not one. */
function parseCall(body: string): { command: string; args: Record<string, unknown> } | string {
  try {
    const call = JSON.parse(body) as { command?: unknown; args?: unknown };
    if (typeof call.command !== 'string') return 'the body must be {"command": string, "args": object}';
    const args = call.args ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) return '"args" must be an object';
    return { command: call.command, args: args as Record<string, unknown> };
  } catch (e) {
    return `the body is not JSON: ${(e as Error).message}`;
  }
}

function answerLine(res: ServerResponse, answer: BridgeAnswer) {
  res.write(`${JSON.stringify(answer)}\n`);
}

export function segmentsBridge(options: BridgePluginOptions = {}): Plugin {
  let bridge: BridgeProcess | null = null;

  // Started on the first call, so `vite build` and Vitest (which load this config) never start one.
  const running = (uiRoot: string): BridgeProcess => {
    if (bridge) return bridge;
    const db = options.db ?? process.env.SEGMENTS_DB ?? path.join(uiRoot, '.dev', 'segments.sqlite3');
    const dataDir = path.dirname(db);
    mkdirSync(dataDir, { recursive: true });
    bridge = new BridgeProcess({
      db,
      exportDir: path.join(dataDir, 'exports'),
      credentialsDir: path.join(dataDir, 'credentials'),
      repoRoot: path.resolve(uiRoot, '..'),
    });
    return bridge;
  };

  return {
    name: 'segments-bridge',
    apply: 'serve',
    configureServer(server) {
      server.httpServer?.on('close', () => void bridge?.close());
      server.middlewares.use('/__bridge', (req, res, next) => {
        if (req.method !== 'POST') return next();
        res.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
        const fail = (status: number, message: string) => {
          res.statusCode = status;
          answerLine(res, { error: { code: 'internal', message, details: [] } });
          res.end();
        };
        readBody(req).then(
          (body) => {
            const call = parseCall(body);
            if (typeof call === 'string') return fail(400, call);
            let bridgeProcess: BridgeProcess;
            try {
              bridgeProcess = running(server.config.root);
            } catch (e) {
              // Most likely the binary is not built: the message says how to build it.
              return fail(500, (e as Error).message);
            }
            bridgeProcess.send(call.command, call.args, (answer) => {
              answerLine(res, answer);
              if (!('progress' in answer)) res.end();
            });
          },
          (e: Error) => fail(413, e.message),
        );
      });
    },
  };
}
