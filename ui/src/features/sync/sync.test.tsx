import { EditorView } from '@codemirror/view';
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../lib/backend/mock';
import { addRemote, openSegment, renderApp } from '../../test/render';

const URL = 'https://segments.example.com';

type User = ReturnType<typeof renderApp>['user'];

/** The badge a segment shows for `remote` in the segment list. */
async function badgeOf(user: User, option: RegExp, remote = 'origin') {
  await user.click(screen.getByRole('button', { name: 'Segments' }));
  const row = await within(screen.getByRole('listbox', { name: 'Segments' })).findByRole('option', { name: option });
  return within(row).getByRole('img', { name: new RegExp(`^${remote}: `) });
}

function setEditor(textbox: HTMLElement, text: string) {
  const view = EditorView.findFromDOM(textbox);
  act(() => view?.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

async function syncPanel(user: User) {
  await user.click(screen.getByRole('button', { name: 'Remotes' }));
  return screen.getByRole('region', { name: 'Sync' });
}

describe('sync', () => {
  it('shows no badges without remotes, then previews, pushes with progress and tracks local changes', async () => {
    const backend = new MockBackend();
    const { user } = renderApp(backend);
    const list = await screen.findByRole('listbox', { name: 'Segments' });
    await within(list).findByRole('option', { name: /EU paying customers/ });
    expect(within(list).queryAllByRole('img')).toEqual([]);

    await addRemote(user, { name: 'origin', baseUrl: URL, projectId: 'p1', token: 't' });
    await screen.findByRole('listitem', { name: 'Remote origin' });
    const badge = await badgeOf(user, /EU paying customers/);
    expect(badge).toHaveTextContent(/^Not on remote$/);
    expect(badge).toHaveAccessibleName('origin: Not on remote');
    // the option is described by its badges
    expect(screen.getByRole('option', { name: /EU paying customers/ })).toHaveAccessibleDescription('origin: Not on remote');

    // the dry run: creates in order, with request lines, diffs, exact bodies; refusals named
    let panel = await syncPanel(user);
    await user.click(within(panel).getByRole('button', { name: 'Preview push' }));
    const preview = await within(panel).findByRole('region', { name: 'Push preview' });
    const planned = await within(preview).findByRole('list', { name: 'Planned changes' });
    expect(within(planned).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual([
      'Create eu-customers',
      'Create eu-power-users',
      'Create ios-17-plus',
    ]);
    const create = within(planned).getByRole('listitem', { name: 'Create eu-customers' });
    expect(create).toHaveTextContent('POST /v1/projects/p1/segments');
    const diffs = within(create).getByRole('table', { name: 'Field changes of eu-customers' });
    expect(within(diffs).getByRole('row', { name: /^name/ })).toHaveTextContent('none"EU paying customers"');
    expect(within(create).getByLabelText('Request body of eu-customers')).toHaveTextContent('"key": "eu-customers"');
    const refused = within(preview).getByRole('list', { name: 'Refused by the remote' });
    expect(refused).toHaveTextContent('beta-testers');
    expect(refused).toHaveTextContent('is case-insensitive, which the projects API cannot express');
    expect(backend.remote('origin').keys()).toEqual([]);

    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    const report = await within(panel).findByRole('region', { name: 'Sync report' });
    expect(within(report).getByRole('status')).toHaveTextContent('Pushed to origin: 3 created, 2 refused.');
    const progress = within(panel).getByRole('progressbar', { name: 'Sync progress' });
    expect(progress).toHaveAttribute('value', '5');
    expect(progress).toHaveAttribute('max', '5');
    expect(panel).toHaveTextContent('Pushed 5 of 5');
    expect(within(report).getByRole('list', { name: 'Refused' })).toHaveTextContent('power-users');
    // the preview follows: only the refused ones are left
    await expect.poll(() => within(preview).queryByRole('list', { name: 'Planned changes' })).toBeNull();
    expect(within(panel).getByRole('list', { name: 'Outbox' })).toHaveTextContent('Failed 1 time');

    expect(await badgeOf(user, /EU paying customers/)).toHaveTextContent(/^In sync$/);
    expect(await badgeOf(user, /Beta testers/)).toHaveTextContent(/^Not on remote$/);

    // an edit in the editor is a local change for the remote
    await openSegment(user, /EU paying customers/);
    const description = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(description);
    await user.type(description, 'Changed here');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await screen.findByText('Saved “EU paying customers”');
    await expect.poll(async () => (await badgeOf(user, /EU paying customers/)).textContent).toBe('Local changes');

    panel = await syncPanel(user);
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('1 updated');
    expect(backend.remote('origin').get('eu-customers')?.description).toBe('Changed here');
    await expect.poll(async () => (await badgeOf(user, /EU paying customers/)).textContent).toBe('In sync');
  });

  it('files overlapping edits as a conflict and resolves it with Keep mine, Take theirs or an edit', async () => {
    const backend = new MockBackend();
    const { user } = renderApp(backend);
    await screen.findByRole('option', { name: /EU paying customers/ });
    await addRemote(user, { name: 'origin', baseUrl: URL, projectId: 'p1', token: 't' });
    const panel = await syncPanel(user);
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await within(panel).findByRole('region', { name: 'Sync report' });

    // the same field changed here and on the remote
    const conflictOn = async (key: string, mine: string, theirs: string) => {
      await backend.updateSegment(key, { ...(await backend.getSegment(key)), description: mine });
      backend.remote('origin').edit(key, { description: theirs });
    };
    await conflictOn('eu-customers', 'Mine', 'Theirs');
    await conflictOn('ios-17-plus', 'Mine too', 'Theirs too');
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('2 conflicts');
    expect(await badgeOf(user, /EU paying customers/)).toHaveTextContent(/^Conflict$/);

    // open it from the report: three columns, the conflicting field marked
    await syncPanel(user);
    const report = within(panel).getByRole('region', { name: 'Sync report' });
    await user.click(within(report).getByRole('button', { name: 'Open conflict eu-customers' }));
    let dialog = await screen.findByRole('dialog', { name: 'Conflict on “eu-customers” with origin' });
    expect(dialog).toHaveAccessibleDescription('Both sides changed it. Marked fields differ: description.');
    const base = await within(dialog).findByRole('region', { name: 'Base' });
    const mine = within(dialog).getByRole('region', { name: 'Mine' });
    const theirs = within(dialog).getByRole('region', { name: 'Theirs' });
    expect(base).toHaveTextContent('"description": "Paying customers located in the EU."');
    expect(mine.querySelector('mark')).toHaveTextContent('"description": "Mine"');
    expect(theirs.querySelector('mark')).toHaveTextContent('"description": "Theirs"');
    expect(theirs).toHaveTextContent('"name": "EU paying customers"');
    await user.click(within(dialog).getByRole('button', { name: 'Keep mine' }));
    await screen.findByText('Kept your version of “eu-customers”; the next push sends it.');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await badgeOf(user, /EU paying customers/)).toHaveTextContent(/^Local changes$/);

    // Take theirs, from the conflicts list
    await syncPanel(user);
    const conflicts = within(panel).getByRole('list', { name: 'Conflicts' });
    expect(within(conflicts).getAllByRole('listitem')).toHaveLength(1);
    await user.click(within(conflicts).getByRole('button', { name: 'Open conflict ios-17-plus' }));
    dialog = await screen.findByRole('dialog', { name: 'Conflict on “ios-17-plus” with origin' });
    await within(dialog).findByRole('region', { name: 'Theirs' });
    await user.click(within(dialog).getByRole('button', { name: 'Take theirs' }));
    await screen.findByText('Took the remote\'s version of “ios-17-plus”.');
    expect((await backend.getSegment('ios-17-plus')).description).toBe('Theirs too');
    expect(await badgeOf(user, /iOS app 17\+/)).toHaveTextContent(/^In sync$/);

    await user.click(screen.getByRole('button', { name: 'Remotes' }));
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('1 updated');
    expect(backend.remote('origin').get('eu-customers')?.description).toBe('Mine');
    expect(within(panel).getByText('No conflicts.')).toBeInTheDocument();

    // Edit…: a version of my own, saved here and kept
    await conflictOn('eu-customers', 'Mine again', 'Theirs again');
    await user.click(within(panel).getByRole('button', { name: 'Pull' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('Pulled from origin: 1 conflict');
    await user.click(within(within(panel).getByRole('list', { name: 'Conflicts' })).getByRole('button', { name: 'Open conflict eu-customers' }));
    dialog = await screen.findByRole('dialog', { name: /eu-customers/ });
    await within(dialog).findByRole('region', { name: 'Mine' });
    await user.click(within(dialog).getByRole('button', { name: 'Edit…' }));
    const editor = within(dialog).getByRole('textbox', { name: 'Resolved segment JSON' });
    expect(editor).toHaveTextContent('"description": "Mine again"');
    setEditor(editor, '{"key": "eu-customers", "name": "EU", "rules": [');
    expect(await within(dialog).findByText(/That isn't valid JSON yet/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save and keep' })).toBeDisabled();
    const edited = { ...(await backend.getSegment('eu-customers')), description: 'Both, edited' };
    setEditor(editor, JSON.stringify(edited));
    await user.click(within(dialog).getByRole('button', { name: 'Save and keep' }));
    await screen.findByText('Saved your edit of “eu-customers”; the next push sends it.');
    expect((await backend.getSegment('eu-customers')).description).toBe('Both, edited');
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(() => backend.remote('origin').get('eu-customers')?.description).toBe('Both, edited');
    expect(await badgeOf(user, /EU paying customers/)).toHaveTextContent(/^In sync$/);
  });
});
