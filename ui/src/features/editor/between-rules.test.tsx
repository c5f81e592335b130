import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openSegment, renderApp } from '../../test/render';

const words = (root: HTMLElement) => within(root).queryAllByRole('separator').map((s) => s.textContent);

describe('the rule builder between sibling rows', () => {
  it("shows each group's match type word, following the group's select", async () => {
    const { user } = renderApp();
    // enterprise-users: all of (plan, any of (seats, email))
    await openSegment(user, /Enterprise Users \(enterprise-users\)/);
    const builder = (await screen.findByRole('combobox', { name: 'Match type' })).closest('.rule-builder') as HTMLElement;
    // one word between plan and the group, one between seats and email
    expect(words(builder)).toEqual(['AND', 'OR']);
    expect(screen.getByRole('separator', { name: 'OR' }).nextElementSibling).toContainElement(
      screen.getByRole('combobox', { name: 'Condition 2.2 attribute' }),
    );

    await user.selectOptions(screen.getByRole('combobox', { name: 'Group 2 match type' }), 'none');
    expect(words(builder)).toEqual(['AND', 'NOT-ANY']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Match type' }), 'any');
    expect(words(builder)).toEqual(['OR', 'NOT-ANY']);
    // read-only: nothing to tab to
    for (const s of within(builder).getAllByRole('separator')) expect(within(s).queryByRole('combobox')).toBeNull();
  });
});
