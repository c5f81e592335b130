import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IpcError } from '../../lib/backend/bindings';
import { renderApp } from '../../test/render';

describe('creating a segment through the rule builder', () => {
  it('builds conditions, a nested group, and saves', async () => {
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });

    await user.click(screen.getByRole('button', { name: 'New segment' }));
    // the key follows the name
    await user.type(await screen.findByRole('textbox', { name: 'Segment name' }), 'VIP users');
    // (derived by the engine, as a pull derives keys from names)
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Segment key' })).toHaveValue('vip-users'));
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'Big paying teams');

    // Condition 1: plan is one of pro, enterprise
    await user.type(screen.getByRole('combobox', { name: 'Condition 1 attribute' }), 'plan');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 1 operator' }), 'in');
    const values = screen.getByRole('textbox', { name: 'Condition 1 values' });
    await user.type(values, 'pro{Enter}enterprise{Enter}');
    expect(within(screen.getByRole('list', { name: 'Condition 1 values list' })).getAllByRole('listitem')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Remove value enterprise from condition 1' }));
    await user.type(values, 'enterprise,');

    // A nested group: any of (seats > 10, email ends with @acme.com case-insensitively)
    await user.click(screen.getByRole('button', { name: 'Add group' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Group 2 match type' }), 'any');
    await user.type(screen.getByRole('combobox', { name: 'Condition 2.1 attribute' }), 'seats');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 2.1 operator' }), 'gt');
    await user.type(screen.getByRole('textbox', { name: 'Condition 2.1 value' }), '10');
    await user.click(screen.getByRole('button', { name: 'Add condition to group 2' }));
    await user.type(screen.getByRole('combobox', { name: 'Condition 2.2 attribute' }), 'email');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 2.2 operator' }), 'ends_with');
    await user.type(screen.getByRole('textbox', { name: 'Condition 2.2 value' }), '@ACME.com');
    await user.click(screen.getByRole('checkbox', { name: 'Condition 2.2 case-insensitive' }));

    // Reorder: move the group above condition 1, then back
    await user.click(screen.getByRole('button', { name: 'Move group 2 up' }));
    expect(screen.getByRole('combobox', { name: 'Condition 1.1 attribute' })).toHaveValue('seats');
    await user.click(screen.getByRole('button', { name: 'Move group 1 down' }));
    expect(screen.getByRole('combobox', { name: 'Condition 1 attribute' })).toHaveValue('plan');

    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    await screen.findByText('✓ No problems found');

    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await screen.findByText('Saved “VIP users”');
    expect(await screen.findByRole('option', { name: 'VIP users (vip-users)' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByText('Saved')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Segment key' })).toHaveAttribute('readonly');

    expect(await backend.getSegment('vip-users')).toEqual({
      key: 'vip-users',
      name: 'VIP users',
      description: 'Big paying teams',
      match_type: 'all',
      rules: [
        { attribute: 'plan', operator: 'in', values: ['pro', 'enterprise'] },
        {
          match_type: 'any',
          rules: [
            { attribute: 'seats', operator: 'gt', values: [10] },
            { attribute: 'email', operator: 'ends_with', values: ['@ACME.com'], case_insensitive: true },
          ],
        },
      ],
    });
  });

  it('fills the key from the name until it is edited, and shows no problem before a field is edited', async () => {
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    await user.keyboard('{Control>}n{/Control}');
    const name = await screen.findByRole('textbox', { name: 'Segment name' });
    await waitFor(() => expect(name).toHaveFocus());
    const key = screen.getByRole('textbox', { name: 'Segment key' });
    const attribute = screen.getByRole('combobox', { name: 'Condition 1 attribute' });

    // the empty form has problems for the engine, but none is shown yet
    const problems = await backend.validateSegment({ key: '', name: '', description: '', match_type: 'all', rules: [{ attribute: '', operator: 'eq', values: [] }] });
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['key', 'rules[0].attribute']));
    await user.type(name, 'Über fans: 2026 Q1!');
    await waitFor(() => expect(key).toHaveValue('uber-fans-2026-q1'));
    expect(await screen.findByText('Unsaved changes')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 600)); // past the validation debounce
    expect(screen.queryByRole('region', { name: 'Validation issues' })).toBeNull();
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(0);

    // a field shows its problem once edited
    await user.type(attribute, 'x');
    await user.clear(attribute);
    await waitFor(() => expect(attribute).toHaveAttribute('aria-invalid', 'true'));
    expect(within(screen.getByRole('region', { name: 'Validation issues' })).getAllByRole('button')).toHaveLength(1);

    // a key edited by hand no longer follows the name
    await user.clear(key);
    await user.type(key, 'fans');
    await user.type(name, ' again');
    await new Promise((r) => setTimeout(r, 300)); // the engine's answer for the new name changes nothing
    expect(key).toHaveValue('fans');
    expect(name).toHaveValue('Über fans: 2026 Q1! again');
  });

  it('shows the backend conflict at the key field', async () => {
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    await user.keyboard('{Control>}n{/Control}');
    const name = await screen.findByRole('textbox', { name: 'Segment name' });
    await waitFor(() => expect(name).toHaveFocus());
    await user.type(name, 'Again');
    const key = screen.getByRole('textbox', { name: 'Segment key' });
    await waitFor(() => expect(key).toHaveValue('again'));
    await user.clear(key);
    await user.type(key, 'beta-testers');
    await user.type(screen.getByRole('combobox', { name: 'Condition 1 attribute' }), 'plan');
    await user.type(screen.getByRole('textbox', { name: 'Condition 1 value' }), 'pro');
    await user.keyboard('{Control>}s{/Control}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't save: that key is already taken");
    expect(alert).toHaveTextContent('Code: conflict');
    // the words are the store's: a taken key is a `conflict` without details, shown at the key field
    const taken = (await backend.createSegment(await backend.getSegment('beta-testers')).catch((e: unknown) => e)) as IpcError;
    expect(taken).toMatchObject({ code: 'conflict', details: [] });
    expect(screen.getByRole('textbox', { name: 'Segment key' })).toHaveAccessibleDescription(taken.message);
  });
});
