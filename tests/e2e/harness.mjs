// Runs the real Segment Studio app under Xvfb, driven through tauri-driver and
// WebKitWebDriver, on a fresh temporary database.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const target = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
export const appBinary = process.env.SEGMENT_STUDIO_APP ?? path.join(target, 'debug/segment-studio');
export const cliBinary = process.env.SEGMENTS_CLI ?? path.join(target, 'debug/segments');
const fakeRemoteBinary = path.join(target, 'debug/fake-remote');
export const outputDir = path.join(root, 'tests/output/e2e');
const driverPort = 4444;

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve();
      });
      socket.on('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

function stop(child) {
  // SIGTERM, never SIGKILL: a killed tauri-driver leaves WebKitWebDriver holding its port.
  if (child && child.exitCode === null) child.kill('SIGTERM');
}

/** Starts Xvfb (when there is no display), tauri-driver and a WebDriver session of the app. */
export async function launch() {
  mkdirSync(outputDir, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'segment-studio-e2e-'));
  const db = path.join(dataDir, 'segments.sqlite3');
  const exportDir = path.join(dataDir, 'exports');
  const logDir = path.join(dataDir, 'logs');
  // Tokens go to user-only files in the temp folder, never to the keyring of whoever runs this.
  const env = {
    ...process.env,
    SEGMENTS_DB: db,
    SEGMENTS_EXPORT_DIR: exportDir,
    SEGMENTS_CREDENTIALS: 'file',
    SEGMENTS_CREDENTIALS_DIR: path.join(dataDir, 'credentials'),
    SEGMENTS_LOG_DIR: logDir,
  };
  let xvfb = null;
  if (!process.env.DISPLAY) {
    // -displayfd makes Xvfb pick a free display and write its number once it accepts clients.
    xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1000x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
    });
    env.DISPLAY = await new Promise((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000);
      xvfb.stdio[3].on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) {
          clearTimeout(timer);
          resolve(`:${text.trim()}`);
        }
      });
      xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
    });
  }
  const cargoInstalled = path.join(process.env.HOME ?? '', '.cargo/bin/tauri-driver');
  const tauriDriver = process.env.TAURI_DRIVER ?? (existsSync(cargoInstalled) ? cargoInstalled : 'tauri-driver');
  const driver = spawn(tauriDriver, ['--port', String(driverPort)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(driverPort, 20_000);
  const browser = await remote({
    hostname: '127.0.0.1',
    port: driverPort,
    logLevel: 'warn',
    capabilities: {
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: appBinary },
    },
  });
  return {
    browser,
    db,
    exportDir,
    logDir,
    display: env.DISPLAY,
    async close() {
      await browser.deleteSession().catch(() => {});
      stop(driver);
      await new Promise((r) => setTimeout(r, 500));
      stop(xvfb);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `segments` CLI on the app's database: what is really stored. */
export function cli(db, ...args) {
  return JSON.parse(execFileSync(cliBinary, ['--db', db, ...args], { encoding: 'utf8' }));
}

/** A screenshot of the whole X display (the real window, decorations and all). */
export function screenshotDisplay(display, file) {
  // The screen is larger than the window (the window-size test grows it to 1440×900); the
  // window sits at the top left at its default 1280×800.
  execFileSync('import', ['-display', display, '-window', 'root', '-crop', '1280x800+0+0', '+repage', file]);
}

/**
 * A fake hosted segments API (tests/remotes) on 127.0.0.1, speaking `dialect` exactly as its
 * API page documents. Resolves to `{ base_url, project_id, token, stop() }`.
 */
export function startFakeRemote(dialect) {
  const child = spawn(fakeRemoteBinary, [dialect], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the fake remote did not start within 10 s')), 10_000);
    child.stdout.on('data', (chunk) => {
      text += chunk;
      if (text.includes('\n')) {
        clearTimeout(timer);
        const info = JSON.parse(text.split('\n')[0]);
        // Closing its stdin stops it.
        resolve({ ...info, stop: () => child.stdin.end() });
      }
    });
    child.on('exit', (code) => reject(new Error(`the fake remote exited (${code})`)));
  });
}

/**
 * What is cut off or overlaps in the window as it is now: elements wider than the window,
 * a page that scrolls sideways, and the editor and the what-if panel covering each other.
 */
export async function layoutProblems(browser) {
  return browser.execute(() => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px in ${width}px`);
    }
    const visible = (e) => e && e.getClientRects().length > 0;
    for (const e of document.querySelectorAll('button, input, select, textarea, [role="tab"], h2, h3')) {
      if (!visible(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.right > width + 1 || r.left < -1) problems.push(`${e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40)} is cut off (${Math.round(r.left)}–${Math.round(r.right)} of ${width})`);
    }
    // The pane that scrolls the editor: the editor itself may be taller than what shows of it.
    const editor = document.querySelector('.editor-pane');
    const whatIf = document.querySelector('[aria-label="What-if"]');
    if (visible(editor) && visible(whatIf)) {
      const a = editor.getBoundingClientRect();
      const b = whatIf.getBoundingClientRect();
      const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      if (overlap) problems.push('the editor and the what-if panel overlap');
    }
    return problems;
  });
}
