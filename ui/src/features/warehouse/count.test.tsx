import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IpcError } from '../../lib/backend/bindings';
import { friendlyError } from '../../shared/ui/friendly-errors';
import { freePort, startCluster } from '../../test/postgres';
import { openSegment, renderApp } from '../../test/render';

/*
 * "Count in warehouse" on the real core: the connection is saved through the backend (the
 * password goes to the test bridge's credentials folder), and the count talks to a real TCP
 * port. The messages asserted are Rust's, read through the backend.
 */

async function refusal(call: Promise<unknown>): Promise<IpcError> {
  return call.then(
    () => {
      throw new Error('expected the backend to refuse');
    },
    (e: unknown) => e as IpcError,
  );
}

beforeEach(() => localStorage.clear());

/** Saves the warehouse connection through the SQL tab's form. */
async function connect(user: ReturnType<typeof renderApp>['user'], section: HTMLElement, url: string, password: string) {
  const form = await within(section).findByRole('form', { name: 'Warehouse connection' });
  await user.type(within(form).getByLabelText('Warehouse URL'), url);
  await user.clear(within(form).getByLabelText('Warehouse table'));
  await user.type(within(form).getByLabelText('Warehouse table'), 'users');
  await user.type(within(form).getByLabelText('Warehouse password'), password);
  await user.click(within(form).getByRole('button', { name: 'Save warehouse connection' }));
  await expect.poll(() => within(section).queryByRole('form', { name: 'Warehouse connection' })).toBeNull();
}

/** Users as a CSV load gives them (every column text, NULL where missing): the tricky values of beta-testers' rules. */
const USERS: Record<string, string | null>[] = [
  { key: 'u1', beta_optin: 'true', email: 'ann@example.com' },
  { key: 'u2', beta_optin: 'true', email: 'bob@segmentstudio.dev' },
  { key: 'u3', beta_optin: 'false', email: 'cy@example.com' },
  { key: 'u4', beta_optin: null, email: 'di@example.com' },
  { key: 'u5', beta_optin: 'true', email: null },
  { key: 'u6', beta_optin: 'TRUE', email: 'ed@example.com' },
  { key: 'u7', beta_optin: 'true', email: 'FAY@SEGMENTSTUDIO.DEV' },
  { key: 'u8', beta_optin: '1', email: 'gus@example.com' },
];

const literal = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

describe('count in warehouse', () => {
  it('saves the connection without ever showing the password, and says an unreachable warehouse is unreachable', async () => {
    const port = await freePort();
    const password = 'correct-horse-battery';
    const { user, backend, queryClient } = renderApp();
    await openSegment(user, /Beta Testers/);
    await user.click(screen.getByRole('tab', { name: 'SQL' }));
    const section = await screen.findByRole('region', { name: 'Count in your warehouse' });
    expect(within(section).getByRole('button', { name: 'Count in warehouse' })).toBeDisabled();

    // no warehouse yet: the connection form is open
    await connect(user, section, `postgres://analyst@127.0.0.1:${port}/analytics`, password);

    const saved = await backend.warehouseSettings();
    expect(saved).toMatchObject({ url: `postgres://analyst@127.0.0.1:${port}/analytics`, table: 'users', password: 'file' });
    expect(JSON.stringify(saved)).not.toContain(password);
    expect(section).toHaveTextContent(saved!.url);

    // reopened, the form says the password is saved and shows none
    await user.click(within(section).getByRole('button', { name: 'Warehouse connection settings' }));
    const again = await within(section).findByRole('form', { name: 'Warehouse connection' });
    expect(within(again).getByLabelText('Warehouse password')).toHaveValue('');
    expect(again).toHaveTextContent('Password saved');
    await user.click(within(section).getByRole('button', { name: 'Warehouse connection settings' }));

    await user.click(within(section).getByRole('button', { name: 'Count in warehouse' }));
    const alert = await within(section).findByRole('alert', { name: 'Warehouse count failed' });
    const error = await refusal(backend.countInWarehouse(['beta-testers']));
    expect(error.code).toBe('warehouse_unreachable');
    expect(alert).toHaveTextContent(friendlyError(error).title);
    expect(alert).toHaveTextContent(error.message);
    expect(alert).toHaveTextContent('Code: warehouse_unreachable');

    expect(document.body.textContent).not.toContain(password);
    const cached = JSON.stringify([
      queryClient.getMutationCache().getAll().map((m) => m.state),
      queryClient.getQueryCache().getAll().map((q) => q.state),
    ]);
    expect(cached).not.toContain(password);
  });

  it('counts the saved version and says so while the draft has unsaved changes', async () => {
    const { user } = renderApp();
    await openSegment(user, /Beta Testers/);
    await user.type(screen.getByRole('textbox', { name: 'Segment name' }), ' (edited)');
    await user.click(screen.getByRole('tab', { name: 'SQL' }));
    const section = await screen.findByRole('region', { name: 'Count in your warehouse' });
    expect(within(section).getByRole('note')).toHaveTextContent('This counts the saved version: your unsaved changes are not in it.');
  });

  it("counts the saved segment on a real PostgreSQL: the engine's count, the query it ran and its duration", async () => {
    const password = 'pg-secret-for-this-test';
    const cluster = await startCluster(password);
    cluster.sql('CREATE TABLE users (key text, beta_optin text, email text)');
    cluster.sql(`INSERT INTO users VALUES ${USERS.map((u) => `(${literal(u.key)}, ${literal(u.beta_optin)}, ${literal(u.email)})`).join(', ')}`);
    const { user, backend } = renderApp();

    // what the engine says of each user (as a context: missing where NULL)
    let expected = 0;
    for (const u of USERS) {
      const context = Object.fromEntries(Object.entries(u).filter(([, v]) => v !== null));
      const results = await backend.evaluateAll(context);
      if (results.find((r) => r.key === 'beta-testers')?.matched) expected += 1;
    }
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(USERS.length);

    await openSegment(user, /Beta Testers/);
    await user.click(screen.getByRole('tab', { name: 'SQL' }));
    const section = await screen.findByRole('region', { name: 'Count in your warehouse' });
    await connect(user, section, cluster.url, password);
    await user.click(within(section).getByRole('button', { name: 'Count in warehouse' }));

    const status = await within(section).findByRole('status', { name: 'Warehouse count' });
    expect(status).toHaveTextContent(new RegExp(`^${expected} of ${USERS.length} users \\(\\d+(\\.\\d)?%\\) · counted in [\\d.]+ s$`));
    const counts = await backend.countInWarehouse(['beta-testers']);
    expect(counts.rows).toBe(USERS.length);
    expect(counts.segments[0].matched).toBe(expected);
    expect(within(section).getByLabelText('Query run on the warehouse').textContent).toBe(counts.segments[0].query);
    // the query it ran counts the same rows when run by hand
    expect(cluster.sql(counts.segments[0].query)).toBe(String(expected));
  });
});
