import { screen, waitFor, within } from '@testing-library/react';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../lib/backend/backend';
import { openBridge } from '../../test/bridge';
import { openSegment, renderApp } from '../../test/render';

/*
 * Populations on the real core: the files are read, profiled and counted by Rust
 * (segments-population through the bridge); nothing here counts anything itself.
 */

// Ten users. Pro: u1 u3 u4 u6 u10 (5). Germany: u1 u2 u6 u9 (4). Both: u1 u6 (2). Free: u2 u5 u7 (3).
const USERS_CSV = `key,country,plan
u1,DE,pro
u2,DE,free
u3,FR,pro
u4,US,pro
u5,US,free
u6,DE,pro
u7,FR,free
u8,US,enterprise
u9,DE,enterprise
u10,GB,pro
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fixture(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'segments-population-test-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function seedSegments(backend: Backend) {
  await backend.createSegment({
    key: 'pro-users',
    name: 'Pro users',
    description: '',
    match_type: 'all',
    rules: [{ attribute: 'plan', operator: 'eq', values: ['pro'] }],
  });
  await backend.createSegment({
    key: 'germany',
    name: 'Germany',
    description: '',
    match_type: 'all',
    rules: [{ attribute: 'country', operator: 'eq', values: ['DE'] }],
  });
}

type User = ReturnType<typeof renderApp>['user'];

async function addPopulation(user: User, file: string, name?: string) {
  await user.click(screen.getByRole('button', { name: 'Populations' }));
  const form = await screen.findByRole('form', { name: 'Add a population' });
  const pathField = within(form).getByRole('textbox', { name: 'File path' });
  await user.clear(pathField);
  await user.type(pathField, file);
  const nameField = within(form).getByRole('textbox', { name: 'Population name' });
  await user.clear(nameField);
  if (name) await user.type(nameField, name);
  await user.click(within(form).getByRole('button', { name: 'Add population' }));
  return form;
}

describe('populations', () => {
  it('adds a CSV file, lists it with its attributes, and charts the audience of each segment', async () => {
    const backend = openBridge({ empty: true });
    await seedSegments(backend);
    const { user } = renderApp(backend);
    const file = fixture('users.csv', USERS_CSV);
    await addPopulation(user, file, 'Customers');

    const list = await screen.findByRole('list', { name: 'Populations' });
    const card = await within(list).findByRole('listitem');
    expect(card).toHaveTextContent('Customers');
    expect(card).toHaveTextContent('CSV');
    expect(card).toHaveTextContent(file);
    expect(card).toHaveTextContent(/Users\s*10/);
    const stored = await backend.listPopulations();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: 'Customers', rows: 10, path: file });

    const attributes = screen.getByRole('table', { name: 'Attributes' });
    const plan = within(attributes).getByRole('rowheader', { name: 'plan' }).closest('tr') as HTMLElement;
    expect(plan).toHaveTextContent('text');
    expect(plan).toHaveTextContent('"pro" 50%');
    expect(plan).toHaveTextContent('"free" 30%');

    // the chart's numbers, from its table for screen readers and from the SVG labels
    const chart = await screen.findByRole('figure', { name: 'Users per segment in Customers' });
    const table = within(chart).getByRole('table');
    await waitFor(() => {
      expect(within(table).getByRole('row', { name: /Pro users/ })).toHaveTextContent('5 · 50%');
      expect(within(table).getByRole('row', { name: /Germany/ })).toHaveTextContent('4 · 40%');
    });
    expect(chart.textContent).toContain('users');

    // overlap: both segments picked, users in both
    const overlap = screen.getByRole('region', { name: 'Segment overlap' });
    await user.click(within(overlap).getByRole('checkbox', { name: 'Compare Pro users' }));
    await user.click(within(overlap).getByRole('checkbox', { name: 'Compare Germany' }));
    const matrix = await within(overlap).findByRole('table', { name: 'Overlap matrix' });
    const cell = await within(matrix).findByRole('cell', { name: /^Pro users and Germany: 2 users, 40% of Pro users$/ });
    expect(cell).toHaveTextContent('2');
    expect(within(matrix).getByRole('cell', { name: /^Germany and Pro users: 2 users, 50% of Germany$/ })).toBeInTheDocument();

    // remove it: the list is empty again, in the UI and in the store
    await user.click(within(card).getByRole('button', { name: 'Remove population Customers' }));
    await user.click(await screen.findByRole('button', { name: 'Yes, remove' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Populations' })).not.toBeInTheDocument());
    expect(await backend.listPopulations()).toEqual([]);
  });

  it('shows the audience in the editor, and what an edit gains and loses, with example users and their trace', async () => {
    const backend = openBridge({ empty: true });
    await seedSegments(backend);
    const { user } = renderApp(backend);
    await addPopulation(user, fixture('users.ndjson', USERS_CSV_AS_NDJSON));
    await screen.findByRole('list', { name: 'Populations' });

    await user.click(screen.getByRole('button', { name: 'Segments' }));
    await openSegment(user, /Pro users/);
    const strip = screen.getByRole('region', { name: 'Audience' });
    const size = within(strip).getByRole('status', { name: 'Audience size' });
    await waitFor(() => expect(size).toHaveTextContent('5 of 10 (50%) · +0 / −0 against the saved version'));

    // The file's attributes are suggested as you type, with their type and frequent values.
    const attribute = screen.getByRole('combobox', { name: 'Condition 1 attribute' });
    const attributeList = document.getElementById(attribute.getAttribute('list') ?? '');
    await waitFor(() => expect(attributeList?.querySelector('option[value="country"]')?.getAttribute('label')).toBe('text · e.g. DE, US, FR'));
    const value = screen.getByRole('combobox', { name: 'Condition 1 value' });
    const values = document.getElementById(value.getAttribute('list') ?? '');
    expect([...(values?.querySelectorAll('option') ?? [])].map((o) => o.getAttribute('value'))).toEqual(['pro', 'free', 'enterprise']);

    // plan = free: 3 users, of whom 3 are new and the 5 pro users are gone
    await user.clear(value);
    await user.type(value, 'free');
    await waitFor(() => expect(size).toHaveTextContent('3 of 10 (30%) · +3 / −5 against the saved version'));

    await user.click(within(strip).getByRole('button', { name: 'Show 3 users gained' }));
    const dialog = await screen.findByRole('dialog', { name: 'Users this change adds (3)' });
    const users = within(dialog).getByRole('list', { name: 'Users gained' });
    // (examples come in the order the file's chunks finish, not necessarily file order)
    const names = within(users).getAllByRole('listitem').map((li) => li.querySelector('strong')?.textContent);
    expect(names.sort()).toEqual(['u2', 'u5', 'u7']);
    await user.click(within(users).getByRole('button', { name: 'Why: u2' }));
    const trace = await within(dialog).findByRole('list', { name: 'Evaluation trace' });
    expect(within(trace).getByRole('listitem', { name: 'Condition 1: matches' })).toHaveTextContent('"free"');
    await user.click(within(dialog).getByRole('button', { name: 'Close example users' }));

    // the choice is remembered and can be switched off
    await user.selectOptions(within(strip).getByRole('combobox', { name: 'Audience population' }), '');
    await waitFor(() => expect(size).toHaveTextContent('Pick a population'));
  });

  it('cancels adding a big file: nothing is stored and the app stays usable', async () => {
    const backend = openBridge({ empty: true });
    const { user } = renderApp(backend);
    const lines = ['key,country,plan'];
    for (let i = 0; i < 300_000; i += 1) lines.push(`user-${i},${i % 3 === 0 ? 'DE' : 'US'},${i % 2 === 0 ? 'pro' : 'free'}`);
    const file = fixture('big.csv', `${lines.join('\n')}\n`);
    const form = await addPopulation(user, file, 'Big');

    // cancel once the read has started reporting
    await waitFor(() => expect(within(form).getByRole('status')).toHaveTextContent(/users read/), { timeout: 30000 });
    await user.click(within(form).getByRole('button', { name: 'Cancel adding population' }));
    await waitFor(() => expect(within(form).getByRole('status')).toHaveTextContent('Stopped. Nothing was added.'));
    expect(await backend.listPopulations()).toEqual([]);
    expect(screen.queryByRole('list', { name: 'Populations' })).not.toBeInTheDocument();

    // the form works again: a small file is added
    await addPopulation(user, fixture('small.csv', USERS_CSV), 'Small');
    await screen.findByRole('list', { name: 'Populations' });
    expect((await backend.listPopulations()).map((p) => p.name)).toEqual(['Small']);
  });
});

const USERS_CSV_AS_NDJSON = USERS_CSV.trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [key, country, plan] = line.split(',');
    return JSON.stringify({ key, country, plan });
  })
  .join('\n');
