import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Group, Segment } from '../../lib/backend/bindings';
import { openBridge } from '../../test/bridge';
import { openSegment, renderApp } from '../../test/render';

/** enterprise-users with its seat threshold (rules[1].rules[0]) set to `seats`. */
function withSeats(segment: Segment, seats: number): Segment {
  const group = segment.rules[1] as Group;
  return {
    ...segment,
    rules: [segment.rules[0], { ...group, rules: [{ attribute: 'seats', operator: 'gte', values: [seats] }, group.rules[1]] }],
  };
}

describe('history', () => {
  it('diffs revisions side by side and restores one', async () => {
    const backend = openBridge();
    // the demo data is seeded with 50 seats; two edits make three revisions: 50, 40, 50 again
    const seeded = await backend.getSegment('enterprise-users');
    await backend.updateSegment('enterprise-users', withSeats(seeded, 40));
    await backend.updateSegment('enterprise-users', withSeats(seeded, 50));
    const { user } = renderApp(backend);
    await openSegment(user, /Enterprise Users \(enterprise-users\)/);
    await user.click(await screen.findByRole('tab', { name: 'History' }));

    const list = await screen.findByRole('list', { name: 'Revisions' });
    expect(await within(list).findAllByRole('listitem')).toHaveLength(3);
    // newest is selected by default: it changed 40 → 50, said in the builder's words first
    const [newest] = within(list).getAllByRole('listitem');
    expect(within(newest).getByLabelText(/What revision \d+ changed/)).toHaveTextContent('seats at least 40 → 50 in group 2');
    expect(within(screen.getByRole('list', { name: 'Changes' })).getByRole('listitem')).toHaveTextContent(
      'seats at least 40 → 50 in group 2',
    );
    expect(screen.queryByRole('table', { name: 'Revision diff' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'JSON diff' }));
    let diff = screen.getByRole('table', { name: 'Revision diff' });
    expect(within(diff).getByText('removed:').parentElement).toHaveTextContent('40');
    expect(within(diff).getByText('added:').parentElement).toHaveTextContent('50');

    // rows are newest first: [update 40→50, update 50→40, the seeded 50]
    const rows = within(list).getAllByRole('listitem');
    const ids = rows.map((r) => Number(/#(\d+)/.exec(r.textContent ?? '')?.[1]));
    expect(ids[0]).toBeGreaterThan(ids[1]);
    // compare the seeded revision with the edit to 40: newest is unticked by ticking two others
    await user.click(within(rows[2]).getByRole('checkbox', { name: `Compare revision ${ids[2]}` }));
    await user.click(within(rows[1]).getByRole('checkbox', { name: `Compare revision ${ids[1]}` }));
    expect(within(rows[0]).getByRole('checkbox')).not.toBeChecked();
    expect(screen.getByText(`Revision #${ids[2]} → #${ids[1]}`)).toBeInTheDocument();
    diff = screen.getByRole('table', { name: 'Revision diff' });
    expect(within(diff).getByText('removed:').parentElement).toHaveTextContent('50');
    expect(within(diff).getByText('added:').parentElement).toHaveTextContent('40');

    await user.click(within(list).getByRole('button', { name: `Restore revision ${ids[1]}` }));
    await screen.findByText(`Restored revision #${ids[1]}`);
    expect(((await backend.getSegment('enterprise-users')).rules[1] as Group).rules[0]).toEqual({
      attribute: 'seats',
      operator: 'gte',
      values: [40],
    });
    await expect.poll(() => within(screen.getByRole('list', { name: 'Revisions' })).getAllByRole('listitem').length).toBe(4);
    expect(within(screen.getByRole('list', { name: 'Revisions' })).getAllByRole('listitem')[0]).toHaveTextContent('Restored');

    await user.click(screen.getByRole('tab', { name: 'Rules' }));
    expect(screen.getByRole('textbox', { name: 'Condition 2.1 value' })).toHaveValue('40');
    expect(screen.getByText('Saved')).toBeInTheDocument();
  });
});
