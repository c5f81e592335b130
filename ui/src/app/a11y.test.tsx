import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openSegment, renderApp } from '../test/render';

const ROLES = ['button', 'textbox', 'searchbox', 'combobox', 'listbox', 'option', 'checkbox', 'tab', 'spinbutton', 'radio', 'link'] as const;

function expectAllNamed() {
  const unnamed: string[] = [];
  for (const role of ROLES) {
    for (const el of screen.queryAllByRole(role)) {
      try {
        expect(el).toHaveAccessibleName();
      } catch {
        unnamed.push(`${role}: ${el.outerHTML.slice(0, 120)}`);
      }
    }
  }
  expect(unnamed).toEqual([]);
}

describe('accessible names', () => {
  it('every control in every view has a name', async () => {
    const { user } = renderApp();
    await openSegment(user, /Power users \(power-users\)/);
    await screen.findByRole('combobox', { name: 'Condition 2.1 operator' });
    await user.click(screen.getByRole('button', { name: 'Add group' }));
    await user.click(screen.getByRole('button', { name: 'Evaluate against all segments' }));
    await screen.findByRole('list', { name: 'Results for all segments' });
    expectAllNamed();

    // operators with other value editors: date, segment, none, number, regex
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'before');
    expect(screen.getByLabelText('Condition 3.1 value')).toHaveAttribute('type', 'date');
    expect(screen.getByRole('combobox', { name: 'Condition 3.1 attribute' })).toHaveValue('');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'in_segment');
    // a segment reference needs an attribute too: it defaults to "segment"
    expect(screen.getByRole('combobox', { name: 'Condition 3.1 attribute' })).toHaveValue('segment');
    // in_segment takes several segments
    const segSelect = screen.getByRole('listbox', { name: 'Condition 3.1 values' });
    expect(within(segSelect).queryByRole('option', { name: 'power-users' })).toBeNull(); // not itself
    await user.selectOptions(segSelect, ['beta-testers', 'eu-customers']);
    expect(within(segSelect).getByRole('option', { name: 'eu-customers' })).toHaveProperty('selected', true);
    // ...but an attribute the person typed is kept
    const attribute = screen.getByRole('combobox', { name: 'Condition 3.1 attribute' });
    await user.clear(attribute);
    await user.type(attribute, 'member');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'not_in_segment');
    expect(attribute).toHaveValue('member');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'exists');
    expect(screen.queryByLabelText('Condition 3.1 value')).toBeNull();
    expect(screen.queryByRole('checkbox', { name: 'Condition 3.1 case-insensitive' })).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'matches');
    expect(screen.getByRole('checkbox', { name: 'Condition 3.1 case-insensitive' })).toBeInTheDocument();
    expectAllNamed();

    await user.click(screen.getByRole('tab', { name: 'History' }));
    await screen.findByRole('table', { name: 'Revision diff' });
    expectAllNamed();

    await user.click(screen.getByRole('tab', { name: 'JSON' }));
    await screen.findByRole('textbox', { name: 'Segment JSON' });
    expectAllNamed();

    await user.click(screen.getByRole('button', { name: 'Duplicate segment' }));
    await screen.findByRole('dialog', { name: 'Duplicate “power-users”' });
    expectAllNamed();
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Personas' }));
    await screen.findByRole('listitem', { name: 'Persona German pro user' });
    expectAllNamed();
  });

  it('duplicates under a new key and reports a taken key at the field', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta testers/);
    await user.click(await screen.findByRole('button', { name: 'Duplicate segment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Duplicate “beta-testers”' });
    const key = within(dialog).getByRole('textbox', { name: 'New segment key' });
    expect(key).toHaveValue('beta-testers-copy');
    await user.clear(key);
    await user.type(key, 'eu-customers');
    await user.click(within(dialog).getByRole('button', { name: 'Create duplicate' }));
    // the backend reports a taken key as a `conflict` error (no details); the dialog shows it at the field
    expect(
      await within(dialog).findByText('a segment "eu-customers" already exists; choose another key or update that segment'),
    ).toBeInTheDocument();
    expect(key).toHaveAttribute('aria-invalid', 'true');
    await user.clear(key);
    await user.type(key, 'beta-2{Enter}');
    await expect.poll(() => screen.queryByRole('dialog')).toBeNull();
    expect(await screen.findByRole('option', { name: 'Beta testers (copy) (beta-2)' })).toHaveAttribute('aria-selected', 'true');
    expect((await backend.getSegment('beta-2')).rules).toHaveLength(2);
  });
});
