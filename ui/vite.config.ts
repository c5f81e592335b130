import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Tauri loads the built files from disk with a strict CSP (`default-src 'self'`):
// relative asset URLs, no remote assets, no eval.
export default defineConfig({
  base: './',
  plugins: [react()],
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
    testTimeout: 30000,
    // generous waits: the machine may be busy with a Rust build
    expect: { poll: { timeout: 4000 } },
    pool: 'threads',
    maxWorkers: 2,
  },
});
