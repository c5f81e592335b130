import { EditorView } from '@codemirror/view';
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openSegment, renderApp } from '../../test/render';

function setEditor(label: string, text: string) {
  const view = EditorView.findFromDOM(screen.getByRole('textbox', { name: label }));
  act(() => view?.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

const shownOperator = (name: string) => (screen.getByRole('combobox', { name }) as HTMLSelectElement).selectedOptions[0]?.textContent;

async function save(user: ReturnType<typeof renderApp>['user']) {
  await user.click(screen.getByRole('button', { name: 'Save segment' }));
  await screen.findByText(/^Saved “/);
}

describe('operators in the rule builder', () => {
  it('offers "is true" / "is false" for yes/no attributes, written as eq true/false', async () => {
    const { user, backend } = renderApp();
    // beta-testers: beta_optin eq [true], email not_contains "@segmentstudio.dev"
    await openSegment(user, /Beta Testers/);
    expect(shownOperator('Condition 1 operator')).toBe('is true');
    expect(screen.queryByLabelText('Condition 1 value')).toBeNull();
    expect(screen.queryByLabelText('Condition 1 values')).toBeNull();
    // a text attribute is not offered them
    expect(within(screen.getByRole('combobox', { name: 'Condition 2 operator' })).queryByRole('option', { name: 'is true' })).toBeNull();

    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 1 operator' }), 'is false');
    expect(shownOperator('Condition 1 operator')).toBe('is false');
    await save(user);
    expect((await backend.getSegment('beta-testers')).rules[0]).toEqual({ attribute: 'beta_optin', operator: 'eq', values: [false] });

    // back to a plain "equals": an empty value to fill in
    const eq = (await backend.listOperators()).find((o) => o.operator === 'eq')!;
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 1 operator' }), eq.label);
    expect(shownOperator('Condition 1 operator')).toBe(eq.label);
    expect(screen.getByLabelText(eq.multi ? 'Condition 1 values' : 'Condition 1 value')).toHaveValue('');

    // an attribute the what-if context holds true/false for is a yes/no attribute too
    setEditor('Context JSON', '{"vip": true}');
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    await user.type(screen.getByRole('combobox', { name: 'Condition 3 attribute' }), 'vip');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3 operator' }), 'is true');
    await user.type(screen.getByLabelText(eq.multi ? 'Condition 1 values' : 'Condition 1 value'), 'true');
    await save(user);
    expect((await backend.getSegment('beta-testers')).rules.slice(2)).toEqual([{ attribute: 'vip', operator: 'eq', values: [true] }]);
  });

  it('picks segments by name from a searchable list, with no attribute to fill in', async () => {
    const { user, backend } = renderApp();
    // enterprise-north-america: in_segment enterprise-users, in_segment north-america
    await openSegment(user, /enterprise-north-america/);
    expect(screen.queryByRole('combobox', { name: 'Condition 1 attribute' })).toBeNull();
    expect(within(screen.getByRole('list', { name: 'Condition 1 segments' })).getAllByRole('listitem').map((li) => li.firstChild?.textContent)).toEqual([
      'Enterprise Users',
    ]);

    const search = screen.getByRole('combobox', { name: 'Condition 1 values' });
    await user.type(search, 'amer');
    const options = screen.getByRole('listbox', { name: 'Segments for condition 1' });
    // not itself, not the one already chosen; the key as secondary text
    expect(within(options).getAllByRole('option').map((o) => o.getAttribute('aria-label'))).toEqual(['North America (north-america)']);
    expect(within(options).getByRole('option')).toHaveTextContent('North Americanorth-america');
    await user.keyboard('{Enter}');
    expect(within(screen.getByRole('list', { name: 'Condition 1 segments' })).getAllByRole('listitem')).toHaveLength(2);

    await user.click(screen.getByRole('button', { name: 'Remove segment Enterprise Users from condition 1' }));
    await user.type(search, 'BETA');
    await user.click(within(screen.getByRole('listbox', { name: 'Segments for condition 1' })).getByRole('option', { name: 'Beta Testers (beta-testers)' }));
    await save(user);
    expect((await backend.getSegment('enterprise-north-america')).rules[0]).toEqual({
      attribute: 'segment',
      operator: 'in_segment',
      values: ['north-america', 'beta-testers'],
    });
  });
});
