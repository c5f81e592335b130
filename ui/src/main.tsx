import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import type { Backend } from './lib/backend/backend';
import { MockBackend } from './lib/backend/mock';
import { TauriBackend } from './lib/backend/tauri';

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

/**
 * TauriBackend inside the desktop app; MockBackend (in-memory, seeded with demo
 * data) in a plain browser for `npm run dev`. `?mockSegments=10000` adds
 * generated segments to try the list at scale.
 */
function createBackend(): Backend {
  if (window.__TAURI_INTERNALS__) return new TauriBackend();
  const bulk = Number(new URLSearchParams(window.location.search).get('mockSegments') ?? '0');
  return new MockBackend({ latencyMs: 40, bulkSegments: Number.isFinite(bulk) ? Math.min(bulk, 50_000) : 0 });
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <App backend={createBackend()} />
  </StrictMode>,
);
