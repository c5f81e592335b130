/**
 * Node only: the backend the tests run on, the real Rust core through `segments-bridge`.
 *
 * A call goes: component → `Backend` method (backendOver) → this transport →
 * `segments-bridge` stdin → `ipc::dispatch` → the same command function Tauri calls →
 * segments-studio / segments-sync → segments-store → the engine. Each bridge gets its own
 * temp folder (database, exports, tokens), so a test starts from the Rust demo data and
 * leaves nothing behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BridgeProcess } from '../../bridge-process';
import type { Backend } from '../lib/backend/backend';
import { backendOver } from '../lib/backend/backend';
import { readAnswer, separateListener } from '../lib/backend/bridge-protocol';

export type BridgeBackend = Backend & {
  /** The bridge's temp folder: `segments.sqlite3`, `exports/`, `credentials/`. */
  readonly dir: string;
  /** Closes the bridge's stdin, waits for it to exit and removes its folder. */
  close(): Promise<void>;
};

/** Everything started by a test, closed after it (see setup.ts). */
const running = new Set<{ close(): Promise<void> }>();
const bridges = new WeakSet<object>();

/** Keeps `process` to be closed after the current test. */
export function closeAfterTest<T extends { close(): Promise<void> }>(process: T): T {
  running.add(process);
  return process;
}

/** Closes every bridge first (each finishes its calls, which may still talk to a fake remote), then the rest. */
export async function closeEverything(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(all.filter((p) => bridges.has(p)).map((p) => p.close()));
  await Promise.all(all.filter((p) => !bridges.has(p)).map((p) => p.close()));
}

/** A fresh bridge on its own database: the Rust demo data, or nothing with `empty`. */
export function openBridge(options: { empty?: boolean } = {}): BridgeBackend {
  const dir = mkdtempSync(path.join(tmpdir(), 'segments-ui-test-'));
  const bridge = new BridgeProcess({
    db: path.join(dir, 'segments.sqlite3'),
    empty: options.empty,
    exportDir: path.join(dir, 'exports'),
    credentialsDir: path.join(dir, 'credentials'),
  });
  const backend = backendOver(
    (command, namedArgs) =>
      new Promise((resolve, reject) => {
        const { args, listener } = separateListener(namedArgs);
        bridge.send(command, args, (answer) => {
          const outcome = readAnswer(answer, listener);
          if (!outcome.done) return;
          // The IpcError exactly as Rust sent it, so tests can branch on its code.
          if (outcome.ok) resolve(outcome.value);
          else reject(outcome.error);
        });
      }),
  );
  const close = async () => {
    running.delete(closable);
    await bridge.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const closable = Object.assign(backend, { dir, close });
  bridges.add(closable);
  return closeAfterTest(closable);
}
