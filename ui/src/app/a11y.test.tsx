import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IpcError } from '../lib/backend/bindings';
import { startFakeRemote } from '../test/fake-remote';
import { addRemote, openSegment, renderApp } from '../test/render';

const ROLES = ['button', 'textbox', 'searchbox', 'combobox', 'listbox', 'option', 'checkbox', 'tab', 'spinbutton', 'radio', 'link', 'progressbar', 'img'] as const;

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
    await openSegment(user, /Enterprise Users \(enterprise-users\)/);
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
    // a segment reference tests no attribute: no field for it
    expect(screen.queryByRole('combobox', { name: 'Condition 3.1 attribute' })).toBeNull();
    // in_segment takes several segments, picked from a searchable list of names
    const segSearch = screen.getByRole('combobox', { name: 'Condition 3.1 values' });
    await user.click(segSearch);
    const segOptions = screen.getByRole('listbox', { name: 'Segments for condition 3.1' });
    expect(within(segOptions).queryByRole('option', { name: 'Enterprise Users (enterprise-users)' })).toBeNull(); // not itself
    await user.click(within(segOptions).getByRole('option', { name: 'Beta Testers (beta-testers)' }));
    expectAllNamed();
    await user.click(within(screen.getByRole('listbox', { name: 'Segments for condition 3.1' })).getByRole('option', { name: 'North America (north-america)' }));
    expect(within(screen.getByRole('list', { name: 'Condition 3.1 segments' })).getAllByRole('listitem')).toHaveLength(2);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'not_in_segment');
    expect(screen.getByRole('combobox', { name: 'Condition 3.1 values' })).toBeInTheDocument();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'exists');
    expect(screen.queryByLabelText('Condition 3.1 value')).toBeNull();
    // the attribute field is back, without the placeholder attribute a segment reference had
    expect(screen.getByRole('combobox', { name: 'Condition 3.1 attribute' })).toHaveValue('');
    expect(screen.queryByRole('checkbox', { name: 'Condition 3.1 case-insensitive' })).toBeNull();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 3.1 operator' }), 'matches');
    expect(screen.getByRole('checkbox', { name: 'Condition 3.1 case-insensitive' })).toBeInTheDocument();
    expectAllNamed();

    await user.click(screen.getByRole('tab', { name: 'History' }));
    await user.click(await screen.findByRole('button', { name: 'JSON diff' }));
    await screen.findByRole('table', { name: 'Revision diff' });
    expectAllNamed();

    await user.click(screen.getByRole('tab', { name: 'JSON' }));
    await screen.findByRole('textbox', { name: 'Segment JSON' });
    expectAllNamed();

    await user.click(screen.getByRole('button', { name: 'Duplicate segment' }));
    await screen.findByRole('dialog', { name: 'Duplicate “enterprise-users”' });
    expectAllNamed();
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Personas' }));
    await screen.findByRole('listitem', { name: 'Persona Free user in Germany' });
    expectAllNamed();
  });

  it('every control on the Remotes page and in the conflict view has a name', async () => {
    const remote = await startFakeRemote('projects');
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    await addRemote(user, { name: 'origin', baseUrl: remote.baseUrl, projectId: remote.projectId, token: remote.token });
    const card = await screen.findByRole('listitem', { name: 'Remote origin' });
    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    await within(card).findByRole('status', { name: 'Connection to origin' });
    await user.click(within(card).getByRole('button', { name: 'Replace token' }));
    within(card).getByLabelText('New token for origin');
    await user.click(screen.getByRole('button', { name: 'Preview push' }));
    await screen.findByRole('list', { name: 'Planned changes' });
    await user.click(screen.getByRole('button', { name: 'Push' }));
    await screen.findByRole('dialog', { name: 'First push to “origin”' });
    expectAllNamed();
    await user.click(screen.getByRole('button', { name: 'Push to remote' }));
    await screen.findByRole('region', { name: 'Sync report' });
    expectAllNamed();

    // the same field edited here and, through the remote's API, there
    await backend.updateSegment('north-america', { ...(await backend.getSegment('north-america')), name: 'Mine' });
    await remote.request('PUT', `/v1/projects/${remote.projectId}/segments/north-america`, { name: 'Theirs' });
    await user.click(screen.getByRole('button', { name: 'Push' }));
    const conflicts = await screen.findByRole('list', { name: 'Conflicts' });
    await user.click(within(conflicts).getByRole('button', { name: 'Open conflict north-america' }));
    const dialog = await screen.findByRole('dialog', { name: 'Conflict on “north-america” with origin' });
    await within(dialog).findByRole('region', { name: 'Theirs' });
    expectAllNamed();
    await user.click(within(dialog).getByRole('button', { name: 'Edit…' }));
    await within(dialog).findByRole('textbox', { name: 'Resolved segment JSON' });
    expectAllNamed();
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Segments' }));
    await screen.findByRole('img', { name: 'origin: Conflict' });
    expectAllNamed();
  });

  it('duplicates under a new key and reports a taken key at the field', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta Testers/);
    await user.click(await screen.findByRole('button', { name: 'Duplicate segment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Duplicate “beta-testers”' });
    const key = within(dialog).getByRole('textbox', { name: 'New segment key' });
    expect(key).toHaveValue('beta-testers-copy');
    await user.clear(key);
    await user.type(key, 'north-america');
    await user.click(within(dialog).getByRole('button', { name: 'Create duplicate' }));
    // the backend reports a taken key as a `conflict` error (no details); the dialog shows it at the field
    const taken = (await backend.duplicateSegment('beta-testers', 'north-america').catch((e: unknown) => e)) as IpcError;
    expect(taken).toMatchObject({ code: 'conflict', details: [] });
    expect(await within(dialog).findByText(taken.message)).toBeInTheDocument();
    expect(key).toHaveAttribute('aria-invalid', 'true');
    await user.clear(key);
    await user.type(key, 'beta-2{Enter}');
    await expect.poll(() => screen.queryByRole('dialog')).toBeNull();
    expect(await screen.findByRole('option', { name: 'Beta Testers (copy) (beta-2)' })).toHaveAttribute('aria-selected', 'true');
    expect((await backend.getSegment('beta-2')).rules).toHaveLength(2);
  });
});
