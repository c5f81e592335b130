import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import type { Backend } from './lib/backend/backend';
import { httpBridgeBackend } from './lib/backend/bridge-http';
import { tauriBackend } from './lib/backend/tauri';

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

/**
 * Tauri IPC inside the desktop app; in a plain browser (`npm run dev`) the same Rust
 * commands through the dev server's bridge (ui/bridge-plugin.ts), on the database in
 * `$SEGMENTS_DB` or ui/.dev/segments.sqlite3.
 */
function createBackend(): Backend {
  if (window.__TAURI_INTERNALS__) return tauriBackend();
  return httpBridgeBackend();
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <App backend={createBackend()} />
  </StrictMode>,
);
