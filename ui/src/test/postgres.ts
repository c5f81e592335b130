/**
 * Node only: a throwaway PostgreSQL cluster (Debian's server, as the Rust warehouse tests
 * use: tests/postgres), in a temp folder on a free port of 127.0.0.1, with scram-sha-256
 * password logins, for the app's "Count in warehouse" tests. Stopped and removed after the
 * test (see bridge.ts: closeAfterTest). As root, the server runs as `postgres` via runuser,
 * since PostgreSQL refuses to run as root.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closeAfterTest } from './bridge';

export const SUPERUSER = 'postgres';

export type Cluster = {
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: no password, that goes to the keyring. */
  url: string;
  /** Runs SQL as the superuser; the output unaligned, without headers. */
  sql(text: string): string;
  close(): Promise<void>;
};

const asRoot = process.getuid?.() === 0;

function binDir(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (!newest) throw new Error('PostgreSQL is not installed: `.ci/run` installs Debian\'s `postgresql` package');
  return path.join('/usr/lib/postgresql', newest, 'bin');
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const [command, all] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  return execFileSync(command, all, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A port nothing listens on now: bound, then closed. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Starts a cluster whose superuser logs in with `password`; it is stopped after the test. */
export async function startCluster(password: string): Promise<Cluster> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'segments-ui-pg-'));
  chmodSync(dir, 0o755);
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=scram-sha-256', '--pwfile', pwfile, '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`;
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', 'start']);
  return closeAfterTest({
    port,
    url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    sql(text: string) {
      const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-d', 'postgres', '-c', text];
      return execFileSync(path.join(bin, 'psql'), args, { encoding: 'utf8', env: { ...process.env, PGPASSWORD: password } }).trim();
    },
    async close() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
}
