import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openSegment, renderApp } from '../../test/render';

describe('inline validation', () => {
  it('shows a bad number at the exact value field and in the summary', async () => {
    const { user } = renderApp();
    await openSegment(user, /Power users \(power-users\)/);
    expect(await screen.findByRole('textbox', { name: 'Segment name' })).toHaveValue('Power users');

    // power-users: rules[1] is a group; its 2nd condition is "seats gt 10"
    const value = screen.getByRole('textbox', { name: 'Condition 2.2 value' });
    expect(value).toHaveValue('10');
    await user.clear(value);
    await user.type(value, 'lots');

    const message = '"lots" is not a number.';
    // (an intermediate "Enter a value." may show while typing; wait for the final state)
    await waitFor(() => expect(value).toHaveAccessibleDescription(message), { timeout: 3000 });
    expect(value).toHaveAttribute('aria-invalid', 'true');
    // the message is rendered next to that control, inside the same rule
    const rule = value.closest('.rule') as HTMLElement;
    expect(within(rule).getByText(message)).toBeInTheDocument();
    expect(rule).toHaveClass('has-issues');
    // ...and nowhere else in the builder
    expect(screen.getByRole('textbox', { name: 'Condition 1 value' })).not.toHaveAttribute('aria-invalid');

    const summary = screen.getByRole('region', { name: 'Validation issues' });
    expect(summary).toHaveTextContent('1 problem to fix');
    const jump = within(summary).getByRole('button', { name: `Condition 2.2 · value 1: ${message}` });
    await user.click(value.ownerDocument.body);
    await user.click(jump);
    expect(value).toHaveFocus();

    // fixing it clears the error
    await user.clear(value);
    await user.type(value, '12');
    await expect.poll(() => value.getAttribute('aria-invalid'), { timeout: 3000 }).toBe(null);
    expect(await within(summary).findByText('✓ No problems found')).toBeInTheDocument();
  });

  it('flags an empty group and a missing attribute', async () => {
    const { user } = renderApp();
    await openSegment(user, /Beta testers/);
    await user.click(await screen.findByRole('button', { name: 'Add group' }));
    await user.click(screen.getByRole('button', { name: 'Remove condition 3.1' }));
    const groupType = screen.getByRole('combobox', { name: 'Group 3 match type' });
    await waitFor(
      () => expect(groupType).toHaveAccessibleDescription('This group is empty. Add a condition or remove the group.'),
      { timeout: 3000 },
    );

    await user.clear(screen.getByRole('combobox', { name: 'Condition 1 attribute' }));
    expect(await screen.findByText('Enter the attribute to check, e.g. country.')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Validation issues' })).toHaveTextContent('2 problems to fix');
  });
});
