import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openBridge } from '../../test/bridge';
import { renderApp } from '../../test/render';

describe('segment list', () => {
  it('lists segments and filters by key, name and attribute', async () => {
    const { user } = renderApp();
    const list = await screen.findByRole('listbox', { name: 'Segments' });
    await within(list).findByRole('option', { name: /Beta Testers/ });
    expect(within(list).getAllByRole('option')).toHaveLength(7);
    expect(screen.getByRole('status', { name: 'Segment count' })).toHaveTextContent('7 segments');

    const search = screen.getByRole('searchbox', { name: 'Search segments' });
    await user.type(search, 'app_version'); // attribute
    expect(await within(list).findAllByRole('option')).toHaveLength(1);
    expect(within(list).getByRole('option')).toHaveAccessibleName('Mobile app 2.x (mobile-v2)');

    await user.clear(search);
    await user.type(search, 'ENTERPRISE-'); // key, case-insensitive
    await expect.poll(() => within(list).queryAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual([
      'Enterprise Users (enterprise-users)',
      'Enterprise users in North America (enterprise-north-america)',
    ]);

    await user.clear(search);
    await user.type(search, 'nothing-like-this');
    expect(await screen.findByText(/No segments match/)).toBeInTheDocument();
    expect(within(list).queryAllByRole('option')).toHaveLength(0);
  });

  it("describes each segment's logic as the rule builder shows it", async () => {
    renderApp();
    const list = await screen.findByRole('listbox', { name: 'Segments' });
    const row = async (name: RegExp) => within(list).findByRole('option', { name });
    // enterprise-users: all of (plan, any of (seats, email))
    await waitFor(async () => expect(await row(/^Enterprise Users/)).toHaveTextContent('All of 2 rules · 1 group · email, plan, seats'));
    await waitFor(async () => expect(await row(/Paying customers/)).toHaveTextContent('None of 1 rule · plan'));
    await waitFor(async () => expect(await row(/^North America/)).toHaveTextContent('All of 1 rule · address.country'));
    expect(list).not.toHaveTextContent(/conditions?\b/);
  });

  it('sorts and stays virtualized with thousands of segments', async () => {
    const backend = openBridge();
    const bulk = Array.from({ length: 10_000 }, (_, i) => {
      const n = String(i).padStart(5, '0');
      return { key: `bulk-${n}`, name: `Bulk ${n}`, rules: [{ attribute: 'n', operator: 'eq', values: [i] }] };
    });
    expect((await backend.importSegments(JSON.stringify(bulk))).created).toHaveLength(10_000);
    const { user } = renderApp(backend);
    const list = await screen.findByRole('listbox', { name: 'Segments' });
    await within(list).findAllByRole('option');
    expect(screen.getByRole('status', { name: 'Segment count' })).toHaveTextContent('10007 segments');
    // only a window of rows is in the DOM
    expect(within(list).getAllByRole('option').length).toBeLessThan(40);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort segments' }), 'conditions');
    const first = within(list).getAllByRole('option')[0];
    expect(first).toHaveAttribute('aria-posinset', '1');
    expect(first).toHaveAccessibleName('Enterprise Users (enterprise-users)');

    await user.type(screen.getByRole('searchbox', { name: 'Search segments' }), 'bulk-09999');
    await expect.poll(() => within(list).queryAllByRole('option').length).toBe(1);
  });
});
