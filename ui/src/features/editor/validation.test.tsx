import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Group, Segment } from '../../lib/backend/bindings';
import { openSegment, renderApp } from '../../test/render';

/** The engine's message for `path` in `draft` (the test reads the words from Rust rather than copying them). */
async function messageAt(backend: ReturnType<typeof renderApp>['backend'], draft: Segment, path: string) {
  const issue = (await backend.validateSegment(draft)).find((i) => i.path === path);
  if (!issue) throw new Error(`the engine reports nothing at ${path}`);
  return issue.message;
}

describe('inline validation', () => {
  it('shows a bad number at the exact value field and in the summary', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Enterprise Users \(enterprise-users\)/);
    expect(await screen.findByRole('textbox', { name: 'Segment name' })).toHaveValue('Enterprise Users');

    // enterprise-users: rules[1] is a group; its 1st condition is "seats gte 50"
    const value = screen.getByRole('textbox', { name: 'Condition 2.1 value' });
    expect(value).toHaveValue('50');
    await user.clear(value);
    await user.type(value, 'lots');

    const saved = await backend.getSegment('enterprise-users');
    const group = saved.rules[1] as Group;
    const draft: Segment = {
      ...saved,
      rules: [saved.rules[0], { ...group, rules: [{ attribute: 'seats', operator: 'gte', values: ['lots'] }, group.rules[1]] }],
    };
    const message = await messageAt(backend, draft, 'rules[1].rules[0].values[0]');
    // (an intermediate message may show while typing; wait for the final state)
    await waitFor(() => expect(value).toHaveAccessibleDescription(message));
    expect(value).toHaveAttribute('aria-invalid', 'true');
    // the message is rendered next to that control, inside the same rule
    const rule = value.closest('.rule') as HTMLElement;
    expect(within(rule).getByText(message)).toBeInTheDocument();
    expect(rule).toHaveClass('has-issues');
    // ...and nowhere else in the builder
    expect(screen.getByRole('textbox', { name: 'Condition 1 value' })).not.toHaveAttribute('aria-invalid');

    const summary = screen.getByRole('region', { name: 'Validation issues' });
    expect(summary).toHaveTextContent('1 problem to fix');
    const jump = within(summary).getByRole('button', { name: `Condition 2.1 · value 1: ${message}` });
    await user.click(value.ownerDocument.body);
    await user.click(jump);
    expect(value).toHaveFocus();

    // fixing it clears the error
    await user.clear(value);
    await user.type(value, '12');
    await expect.poll(() => value.getAttribute('aria-invalid')).toBe(null);
    expect(await within(summary).findByText('✓ No problems found')).toBeInTheDocument();
  });

  it('flags an empty group and a missing attribute', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta Testers/);
    await user.click(await screen.findByRole('button', { name: 'Add group' }));
    await user.click(screen.getByRole('button', { name: 'Remove condition 3.1' }));

    const saved = await backend.getSegment('beta-testers');
    const emptyGroup: Segment = { ...saved, rules: [...saved.rules, { match_type: 'all', rules: [] }] };
    const groupType = screen.getByRole('combobox', { name: 'Group 3 match type' });
    const empty = await messageAt(backend, emptyGroup, 'rules[2].rules');
    await waitFor(() => expect(groupType).toHaveAccessibleDescription(empty));

    await user.clear(screen.getByRole('combobox', { name: 'Condition 1 attribute' }));
    const [first, ...rest] = emptyGroup.rules;
    const both: Segment = { ...emptyGroup, rules: [{ ...first, attribute: '' } as Segment['rules'][number], ...rest] };
    expect(await screen.findByText(await messageAt(backend, both, 'rules[0].attribute'))).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Validation issues' })).toHaveTextContent('2 problems to fix');
  });
});
