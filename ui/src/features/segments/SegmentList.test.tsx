import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../lib/backend/mock';
import { renderApp } from '../../test/render';

describe('segment list', () => {
  it('lists segments and filters by key, name and attribute', async () => {
    const { user } = renderApp();
    const list = await screen.findByRole('listbox', { name: 'Segments' });
    await within(list).findByRole('option', { name: /Beta testers/ });
    expect(within(list).getAllByRole('option')).toHaveLength(5);
    expect(screen.getByRole('status', { name: 'Segment count' })).toHaveTextContent('5 segments');

    const search = screen.getByRole('searchbox', { name: 'Search segments' });
    await user.type(search, 'app_version'); // attribute
    expect(await within(list).findAllByRole('option')).toHaveLength(1);
    expect(within(list).getByRole('option')).toHaveAccessibleName('iOS app 17+ (ios-17-plus)');

    await user.clear(search);
    await user.type(search, 'EU-'); // key, case-insensitive
    await expect.poll(() => within(list).queryAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual([
      'EU paying customers (eu-customers)',
      'EU power users (eu-power-users)',
    ]);

    await user.clear(search);
    await user.type(search, 'nothing-like-this');
    expect(await screen.findByText(/No segments match/)).toBeInTheDocument();
    expect(within(list).queryAllByRole('option')).toHaveLength(0);
  });

  it('sorts and stays virtualized with thousands of segments', async () => {
    const { user } = renderApp(new MockBackend({ bulkSegments: 10_000 }));
    const list = await screen.findByRole('listbox', { name: 'Segments' });
    await within(list).findAllByRole('option');
    expect(screen.getByRole('status', { name: 'Segment count' })).toHaveTextContent('10005 segments');
    // only a window of rows is in the DOM
    expect(within(list).getAllByRole('option').length).toBeLessThan(40);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort segments' }), 'conditions');
    const first = within(list).getAllByRole('option')[0];
    expect(first).toHaveAttribute('aria-posinset', '1');
    expect(first).toHaveAccessibleName('Power users (power-users)');

    await user.type(screen.getByRole('searchbox', { name: 'Search segments' }), 'bulk-09999');
    await expect.poll(() => within(list).queryAllByRole('option').length).toBe(1);
  });
});
