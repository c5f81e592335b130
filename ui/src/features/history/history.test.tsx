import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../lib/backend/mock';
import { openSegment, renderApp } from '../../test/render';

describe('history', () => {
  it('diffs revisions side by side and restores one', async () => {
    const backend = new MockBackend();
    const { user } = renderApp(backend);
    await openSegment(user, /Power users \(power-users\)/);
    await user.click(await screen.findByRole('tab', { name: 'History' }));

    const list = await screen.findByRole('list', { name: 'Revisions' });
    expect(await within(list).findAllByRole('listitem')).toHaveLength(3);
    // newest is selected by default: it changed 15 → 20
    let diff = screen.getByRole('table', { name: 'Revision diff' });
    expect(within(diff).getByText('removed:').parentElement).toHaveTextContent('15');
    expect(within(diff).getByText('added:').parentElement).toHaveTextContent('20');

    // revision ids are global; rows are newest first: [update 15→20, update 20→15, create 20]
    const rows = within(list).getAllByRole('listitem');
    const ids = rows.map((r) => Number(/#(\d+)/.exec(r.textContent ?? '')?.[1]));
    expect(ids[0]).toBeGreaterThan(ids[1]);
    // compare the creation with the edit to 15: newest is unticked by ticking two others
    await user.click(within(rows[2]).getByRole('checkbox', { name: `Compare revision ${ids[2]}` }));
    await user.click(within(rows[1]).getByRole('checkbox', { name: `Compare revision ${ids[1]}` }));
    expect(within(rows[0]).getByRole('checkbox')).not.toBeChecked();
    expect(screen.getByText(`Revision #${ids[2]} → #${ids[1]}`)).toBeInTheDocument();
    diff = screen.getByRole('table', { name: 'Revision diff' });
    expect(within(diff).getByText('removed:').parentElement).toHaveTextContent('20');
    expect(within(diff).getByText('added:').parentElement).toHaveTextContent('15');

    await user.click(within(list).getByRole('button', { name: `Restore revision ${ids[1]}` }));
    await screen.findByText(`Restored revision #${ids[1]}`);
    expect((await backend.getSegment('power-users')).rules[0]).toEqual({
      attribute: 'sessions_last_30d',
      operator: 'gte',
      values: [15],
    });
    await expect.poll(() => within(screen.getByRole('list', { name: 'Revisions' })).getAllByRole('listitem').length).toBe(4);
    expect(within(screen.getByRole('list', { name: 'Revisions' })).getAllByRole('listitem')[0]).toHaveTextContent('Restored');

    await user.click(screen.getByRole('tab', { name: 'Rules' }));
    expect(screen.getByRole('textbox', { name: 'Condition 1 value' })).toHaveValue('15');
    expect(screen.getByText('Saved')).toBeInTheDocument();
  });
});
