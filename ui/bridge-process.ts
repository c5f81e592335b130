/**
 * Node only (Vitest and the Vite dev server; never imported by browser code): runs
 * `segments-bridge`, the app's real commands over JSON lines on stdio
 * (src-tauri/src/bridge.rs), and routes its answer lines back to the call they belong to.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BridgeAnswer } from './src/lib/backend/bridge-protocol.ts';

/** The repository root (this file is in ui/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BINARIES = {
  'segments-bridge': { env: 'SEGMENTS_BRIDGE', build: 'cargo build -p segment-studio --bin segments-bridge' },
  'fake-remote': { env: 'FAKE_REMOTE', build: 'cargo build -p fake-remotes --bin fake-remote' },
} as const;

/** Where a binary is (`$SEGMENTS_BRIDGE`/`$FAKE_REMOTE`, else target/debug); throws how to build it when it is missing. */
export function binaryPath(name: keyof typeof BINARIES, repoRoot = REPO_ROOT): string {
  const { env, build } = BINARIES[name];
  const target = process.env.CARGO_TARGET_DIR ?? path.join(repoRoot, 'target');
  const binary = process.env[env] ?? path.join(target, 'debug', name);
  if (!existsSync(binary)) {
    throw new Error(`${name} is not built (looked for ${binary}). Build it with \`${build}\` in ${repoRoot}, or set $${env}.`);
  }
  return binary;
}

export type BridgeStart = {
  db: string;
  /** Start on an empty database instead of the Rust demo data. */
  empty?: boolean;
  exportDir: string;
  /** Remote tokens go to files here: a test or the dev server never touches a keyring. */
  credentialsDir: string;
  /** Where target/ is; default the checkout this file is in. */
  repoRoot?: string;
};

type Pending = (answer: BridgeAnswer) => void;

/** One running `segments-bridge`; calls run concurrently, each answer line goes to its call. */
export class BridgeProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly exited: Promise<void>;
  private nextId = 1;
  private stderr = '';
  private closed = false;

  constructor(start: BridgeStart) {
    const args = ['--db', start.db, '--export-dir', start.exportDir, '--credentials-dir', start.credentialsDir];
    if (start.empty) args.push('--empty');
    const repoRoot = start.repoRoot ?? REPO_ROOT;
    this.child = spawn(binaryPath('segments-bridge', repoRoot), args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    // A write after the process is gone must fail the call, not the test run.
    this.child.stdin.on('error', () => {});
    createInterface({ input: this.child.stdout }).on('line', (line) => this.route(line));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.closed = true;
        const message = `segments-bridge exited (${signal ?? `code ${code}`}) before answering${this.stderr ? `: ${this.stderr.trim()}` : ''}`;
        for (const deliver of this.pending.values()) deliver({ error: { code: 'internal', message, details: [] } });
        this.pending.clear();
        resolve();
      });
    });
  }

  /** Sends a call; `deliver` gets each of its answer lines (without the id), the last one `ok` or `error`. */
  send(command: string, args: Record<string, unknown>, deliver: Pending): void {
    if (this.closed) {
      deliver({ error: { code: 'internal', message: `segments-bridge is closed; cannot run ${command}`, details: [] } });
      return;
    }
    const id = this.nextId++;
    this.pending.set(id, deliver);
    this.child.stdin.write(`${JSON.stringify({ id, command, args })}\n`);
  }

  private route(line: string) {
    let message: BridgeAnswer & { id?: unknown };
    try {
      message = JSON.parse(line) as BridgeAnswer & { id?: unknown };
    } catch {
      this.stderr += `\n(not a JSON line on stdout: ${line.slice(0, 200)})`;
      return;
    }
    const { id, ...answer } = message;
    const deliver = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!deliver) {
      // Only a line the bridge could not parse has no id; ours are always well-formed.
      this.stderr += `\n(an answer for no pending call: ${line.slice(0, 200)})`;
      return;
    }
    if (!('progress' in answer)) this.pending.delete(id as number);
    deliver(answer as BridgeAnswer);
  }

  /** Closes stdin (the bridge finishes what it was asked, then exits) and waits for the exit. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.child.stdin.end();
    }
    const timer = setTimeout(() => this.child.kill('SIGTERM'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
