import type { Backend } from './backend';
import { backendOver } from './backend';
import type { BridgeAnswer } from './bridge-protocol';
import { readAnswer, separateListener } from './bridge-protocol';
import { ipcError, toIpcError } from './errors';

/**
 * The backend of `npm run dev` in a plain browser: each call is a `POST /__bridge`
 * to the Vite dev server, which runs it on the real Rust core through
 * `segments-bridge` (see ui/bridge-plugin.ts) and answers with the call's lines as
 * NDJSON: progress lines, then the outcome.
 */
export function httpBridgeBackend(url = '/__bridge'): Backend {
  return backendOver(async (command, namedArgs) => {
    const { args, listener } = separateListener(namedArgs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command, args }),
      });
    } catch (e) {
      throw ipcError('internal', `the dev server did not answer ${command}: ${toIpcError(e).message}`);
    }
    if (!response.body) throw ipcError('internal', `the dev server answered ${command} without a body (${response.status})`);

    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      buffered += value ?? '';
      const lines = buffered.split('\n');
      buffered = done ? '' : (lines.pop() ?? '');
      for (const line of lines) {
        if (!line.trim()) continue;
        const outcome = readAnswer(JSON.parse(line) as BridgeAnswer, listener);
        if (!outcome.done) continue;
        void reader.cancel();
        if (outcome.ok) return outcome.value;
        throw outcome.error;
      }
      if (done) break;
    }
    throw ipcError('internal', `the dev server's answer to ${command} ended without a result (${response.status})`);
  });
}
