import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { segmentsBridge } from './bridge-plugin.ts';

// Tauri loads the built files from disk with a strict CSP (`default-src 'self'`):
// relative asset URLs, no remote assets, no eval.
export default defineConfig({
  base: './',
  // segmentsBridge: `npm run dev` in a plain browser runs on the real Rust core (POST /__bridge)
  plugins: [react(), segmentsBridge()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 60000,
    // generous waits: every call runs on the real core in a child process, and the machine may be busy with a Rust build
    expect: { poll: { timeout: 10000 } },
    pool: 'threads',
    maxWorkers: 2,
  },
});
