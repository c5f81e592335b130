import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WarehouseSql } from '../../lib/backend/bindings';
import { openSegment, renderApp } from '../../test/render';

/*
 * "Copy SQL" on the real compiler: every query and refusal asserted here is what Rust's
 * `segments-sql` answers for the same draft, dialect and table, read through the backend.
 */

function countQuery(sql: WarehouseSql): string {
  if (sql.kind !== 'count') throw new Error(`expected a query, the compiler refused: ${sql.reason}`);
  return sql.query;
}

async function openSqlTab(user: ReturnType<typeof renderApp>['user']) {
  await user.click(screen.getByRole('tab', { name: 'SQL' }));
  return screen.findByRole('region', { name: 'Warehouse SQL' });
}

beforeEach(() => localStorage.clear());

describe('the SQL tab', () => {
  it('shows the count query of the chosen dialect and table, and copies it', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta Testers/);
    const panel = await openSqlTab(user);
    const saved = await backend.getSegment('beta-testers');

    const postgres = countQuery(await backend.warehouseSql(saved, 'postgres', 'users'));
    expect(postgres).toMatch(/^SELECT count\(\*\) FROM "users" WHERE /);
    expect(await within(panel).findByLabelText('Count query')).toHaveTextContent(postgres, { normalizeWhitespace: false });

    await user.selectOptions(within(panel).getByRole('combobox', { name: 'SQL dialect' }), 'Spark SQL');
    const spark = countQuery(await backend.warehouseSql(saved, 'spark', 'users'));
    expect(spark).not.toBe(postgres);
    await waitFor(() => expect(within(panel).getByLabelText('Count query').textContent).toBe(spark));

    const table = within(panel).getByRole('textbox', { name: 'Table name' });
    expect(table).toHaveValue('users');
    await user.clear(table);
    await user.type(table, 'analytics.people');
    const qualified = countQuery(await backend.warehouseSql(saved, 'spark', 'analytics.people'));
    expect(qualified).toContain('FROM `analytics`.`people` WHERE');
    await waitFor(() => expect(within(panel).getByLabelText('Count query').textContent).toBe(qualified));

    await user.click(within(panel).getByRole('button', { name: 'Copy SQL' }));
    expect(await within(panel).findByRole('status', { name: 'Copy result' })).toHaveTextContent('Copied');
    expect(await navigator.clipboard.readText()).toBe(qualified);

    // the choice is the same for the next segment
    await openSegment(user, /Paying customers/);
    const next = await openSqlTab(user);
    expect(within(next).getByRole('combobox', { name: 'SQL dialect' })).toHaveValue('spark');
    const paying = countQuery(await backend.warehouseSql(await backend.getSegment('not-free'), 'spark', 'analytics.people'));
    await waitFor(() => expect(within(next).getByLabelText('Count query').textContent).toBe(paying));
    expect(within(next).getByRole('status', { name: 'Copy result' })).toHaveTextContent('');
  });

  it("says why a dialect can't have the segment, in the compiler's words, instead of SQL", async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Mobile app 2\.x/);
    const panel = await openSqlTab(user);
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'SQL dialect' }), 'Snowflake');

    const answer = await backend.warehouseSql(await backend.getSegment('mobile-v2'), 'snowflake', 'users');
    if (answer.kind !== 'refused') throw new Error(`expected Snowflake to refuse semver_gte on a text column, got ${answer.query}`);
    const note = await within(panel).findByRole('note', { name: 'Why there is no SQL' });
    expect(note.textContent).toBe(`No Snowflake SQL for this segment. Why: ${answer.reason}`);
    expect(within(panel).queryByLabelText('Count query')).toBeNull();
    expect(within(panel).getByRole('button', { name: 'Copy SQL' })).toBeDisabled();
  });

  it('shows a table name the compiler refuses at the field', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta Testers/);
    const panel = await openSqlTab(user);
    const table = within(panel).getByRole('textbox', { name: 'Table name' });
    await user.clear(table);
    await user.type(table, 'analytics..users');

    const refusal = await backend.warehouseSql(await backend.getSegment('beta-testers'), 'postgres', 'analytics..users').then(
      () => {
        throw new Error('expected the backend to refuse the table name');
      },
      (e: unknown) => e as { code: string; details: { path: string; message: string }[] },
    );
    expect(refusal.code).toBe('validation');
    expect(refusal.details[0].path).toBe('table');
    expect(await within(panel).findByRole('alert')).toHaveTextContent(refusal.details[0].message);
    expect(table).toHaveAttribute('aria-invalid', 'true');
    expect(within(panel).getByRole('button', { name: 'Copy SQL' })).toBeDisabled();
  });
});
