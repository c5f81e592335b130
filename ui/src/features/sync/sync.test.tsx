import { EditorView } from '@codemirror/view';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../lib/backend/backend';
import type { FakeRemote } from '../../test/fake-remote';
import { startFakeRemote } from '../../test/fake-remote';
import { addRemote, openSegment, renderApp } from '../../test/render';

type User = ReturnType<typeof renderApp>['user'];

/** The badge a segment shows for `remote` in the segment list. */
async function badgeOf(user: User, option: RegExp, remote = 'origin') {
  await user.click(screen.getByRole('button', { name: 'Segments' }));
  const row = await within(screen.getByRole('listbox', { name: 'Segments' })).findByRole('option', { name: option });
  return within(row).getByRole('img', { name: new RegExp(`^${remote}: `) });
}

/** Waits for the badge to say `state` (badges follow the sync status, which is fetched again after each run). */
async function expectBadge(user: User, option: RegExp, state: string) {
  await expect.poll(async () => (await badgeOf(user, option)).textContent).toBe(state);
}

function setEditor(textbox: HTMLElement, text: string) {
  const view = EditorView.findFromDOM(textbox);
  act(() => view?.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

async function syncPanel(user: User) {
  await user.click(screen.getByRole('button', { name: 'Remotes' }));
  return screen.getByRole('region', { name: 'Sync' });
}

/** A segment as the remote holds it, read through its API. */
async function onRemote(remote: FakeRemote, key: string) {
  return (await remote.request('GET', `/v1/projects/${remote.projectId}/segments/${key}`)) as { description: string };
}

/** The same field edited here and, through its API, on the remote: another user's overlapping edit. */
async function conflictOn(backend: Backend, remote: FakeRemote, key: string, mine: string, theirs: string) {
  await backend.updateSegment(key, { ...(await backend.getSegment(key)), description: mine });
  await remote.request('PUT', `/v1/projects/${remote.projectId}/segments/${key}`, { description: theirs });
}

const NORTH_AMERICA = /^North America \(/;

describe('sync with a projects remote', () => {
  it('shows no badges without remotes, then previews, pushes with progress and tracks local changes', async () => {
    const remote = await startFakeRemote('projects');
    const { user, backend } = renderApp();
    const list = await screen.findByRole('listbox', { name: 'Segments' });
    await within(list).findByRole('option', { name: NORTH_AMERICA });
    expect(within(list).queryAllByRole('img')).toEqual([]);

    await addRemote(user, { name: 'origin', baseUrl: remote.baseUrl, projectId: remote.projectId, token: remote.token });
    await screen.findByRole('listitem', { name: 'Remote origin' });
    await expectBadge(user, NORTH_AMERICA, 'Not on remote');
    const badge = await badgeOf(user, NORTH_AMERICA);
    expect(badge).toHaveAccessibleName('origin: Not on remote');
    // the option is described by its badges
    expect(screen.getByRole('option', { name: NORTH_AMERICA })).toHaveAccessibleDescription('origin: Not on remote');

    // the dry run, as Rust plans it: creates in order, with request lines, diffs, exact bodies; refusals named
    const plan = await backend.previewPush('origin');
    expect(plan.changes.map((c) => c.op)).toContain('create');
    expect(plan.refused.map((r) => r.key)).toContain('enterprise-users'); // a nested group: projects rules are flat
    let panel = await syncPanel(user);
    await user.click(within(panel).getByRole('button', { name: 'Preview push' }));
    const preview = await within(panel).findByRole('region', { name: 'Push preview' });
    const planned = await within(preview).findByRole('list', { name: 'Planned changes' });
    expect(within(planned).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(
      plan.changes.map((c) => `Create ${c.key}`),
    );
    const create = within(planned).getByRole('listitem', { name: 'Create north-america' });
    expect(create).toHaveTextContent(`POST /v1/projects/${remote.projectId}/segments`);
    const diffs = within(create).getByRole('table', { name: 'Field changes of north-america' });
    expect(within(diffs).getByRole('row', { name: /^name/ })).toHaveTextContent('none"North America"');
    expect(within(create).getByLabelText('Request body of north-america')).toHaveTextContent('"key": "north-america"');
    const refused = within(preview).getByRole('list', { name: 'Refused by the remote' });
    for (const r of plan.refused) {
      expect(refused).toHaveTextContent(r.key);
      expect(refused).toHaveTextContent(r.message);
    }
    expect(await remote.segments()).toEqual([]);

    // the first push asks first, with the preview's counts
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    const confirm = await screen.findByRole('dialog', { name: 'First push to “origin”' });
    expect(confirm).toHaveTextContent(
      `${plan.changes.length} segments to create, ${plan.refused.length} can't be pushed (they stay here)`,
    );
    await user.click(within(confirm).getByRole('button', { name: 'Push to remote' }));
    const report = await within(panel).findByRole('region', { name: 'Sync report' });
    expect(within(report).getByRole('status')).toHaveTextContent(
      `Pushed to origin: ${plan.changes.length} created, ${plan.refused.length} refused.`,
    );
    const progress = within(panel).getByRole('progressbar', { name: 'Sync progress' });
    const total = progress.getAttribute('max');
    expect(Number(total)).toBeGreaterThanOrEqual(plan.changes.length);
    expect(progress).toHaveAttribute('value', total);
    // what became of them, not "Pushed 9 of 9" when some were refused
    expect(panel).toHaveTextContent(`${plan.changes.length} pushed, ${plan.refused.length} refused`);
    // a refusal waits for an edit; it is no failed attempt
    const outboxRow = (key: string) =>
      within(within(panel).getByRole('list', { name: 'Outbox' })).getByText(key, { selector: 'code' }).closest('li');
    await expect.poll(() => within(panel).getByRole('list', { name: 'Outbox' }).textContent).not.toContain('Create north-america');
    expect(outboxRow('enterprise-users')).toHaveTextContent(
      "Waits for an edit: Can't sync to origin (the projects API): rule 2 is a nested group, and the projects API has no groups",
    );
    expect(within(panel).getByRole('list', { name: 'Outbox' })).not.toHaveTextContent('Failed');
    expect(within(report).getByRole('list', { name: 'Refused' })).toHaveTextContent('enterprise-users');
    expect((await remote.segments()).map((s) => s.key).sort()).toEqual(plan.changes.map((c) => c.key).sort());
    // the preview follows: only the refused ones are left
    await expect.poll(() => within(preview).queryByRole('list', { name: 'Planned changes' })).toBeNull();

    await expectBadge(user, NORTH_AMERICA, 'In sync');
    await expectBadge(user, /Enterprise Users \(enterprise-users\)/, "Can't push");

    // the editor says so while editing, in the words push uses; removing the group clears it
    await openSegment(user, /Enterprise Users \(enterprise-users\)/);
    const readiness = await screen.findByRole('region', { name: 'Sync to remotes' });
    await expect
      .poll(() => readiness.textContent)
      .toContain("Can't sync to origin (the projects API): rule 2 is a nested group, and the projects API has no groups");
    await user.click(screen.getByRole('button', { name: 'Remove group 2' }));
    await expect.poll(() => screen.getByRole('region', { name: 'Sync to remotes' }).textContent).toContain('Can sync to origin');
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    await user.click(await screen.findByRole('button', { name: 'Discard all changes' }));

    // an edit in the editor is a local change for the remote
    await openSegment(user, NORTH_AMERICA);
    const description = screen.getByRole('textbox', { name: 'Description' });
    await user.clear(description);
    await user.type(description, 'Changed here');
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await screen.findByText('Saved “North America”');
    await expectBadge(user, NORTH_AMERICA, 'Local changes');

    panel = await syncPanel(user);
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('1 updated');
    expect((await onRemote(remote, 'north-america')).description).toBe('Changed here');
    await expectBadge(user, NORTH_AMERICA, 'In sync');
  });

  it('files overlapping edits as a conflict and resolves it with Keep mine, Take theirs or an edit', async () => {
    const remote = await startFakeRemote('projects');
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: NORTH_AMERICA });
    await addRemote(user, { name: 'origin', baseUrl: remote.baseUrl, projectId: remote.projectId, token: remote.token });
    await screen.findByRole('listitem', { name: 'Remote origin' });
    const panel = await syncPanel(user);
    await within(panel).findByRole('button', { name: 'Push' });
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await user.click(await screen.findByRole('button', { name: 'Push to remote' }));
    await within(panel).findByRole('region', { name: 'Sync report' });

    const base = (await backend.getSegment('north-america')).description;
    await conflictOn(backend, remote, 'north-america', 'Mine', 'Theirs');
    await conflictOn(backend, remote, 'mobile-v2', 'Mine too', 'Theirs too');
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('2 conflicts');
    await expectBadge(user, NORTH_AMERICA, 'Conflict');

    // open it from the report: three columns, the conflicting field marked
    await syncPanel(user);
    const report = await within(panel).findByRole('region', { name: 'Sync report' });
    await user.click(await within(report).findByRole('button', { name: 'Open conflict north-america' }));
    let dialog = await screen.findByRole('dialog', { name: 'Conflict on “north-america” with origin' });
    await waitFor(() => expect(dialog).toHaveAccessibleDescription('Both sides changed it. Marked fields differ: description.'));
    const baseColumn = await within(dialog).findByRole('region', { name: 'Base' });
    const mine = within(dialog).getByRole('region', { name: 'Mine' });
    const theirs = within(dialog).getByRole('region', { name: 'Theirs' });
    expect(baseColumn).toHaveTextContent(`"description": "${base}"`);
    expect(mine.querySelector('mark')).toHaveTextContent('"description": "Mine"');
    expect(theirs.querySelector('mark')).toHaveTextContent('"description": "Theirs"');
    expect(theirs).toHaveTextContent('"name": "North America"');
    await user.click(within(dialog).getByRole('button', { name: 'Keep mine' }));
    await screen.findByText('Kept your version of “north-america”; the next push sends it.');
    expect(screen.queryByRole('dialog')).toBeNull();
    await expectBadge(user, NORTH_AMERICA, 'Local changes');

    // Take theirs, from the conflicts list
    await syncPanel(user);
    // (the sync status is fetched again when the page shows: wait for it)
    const conflicts = await within(panel).findByRole('list', { name: 'Conflicts' });
    await expect.poll(() => within(conflicts).getAllByRole('listitem').length).toBe(1);
    await user.click(within(conflicts).getByRole('button', { name: 'Open conflict mobile-v2' }));
    dialog = await screen.findByRole('dialog', { name: 'Conflict on “mobile-v2” with origin' });
    await within(dialog).findByRole('region', { name: 'Theirs' });
    await user.click(within(dialog).getByRole('button', { name: 'Take theirs' }));
    await screen.findByText('Took the remote\'s version of “mobile-v2”.');
    expect((await backend.getSegment('mobile-v2')).description).toBe('Theirs too');
    await expectBadge(user, /Mobile app 2\.x/, 'In sync');

    await user.click(screen.getByRole('button', { name: 'Remotes' }));
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('1 updated');
    expect((await onRemote(remote, 'north-america')).description).toBe('Mine');
    expect(await within(panel).findByText('No conflicts.')).toBeInTheDocument();

    // Edit…: a version of my own, saved here and kept
    await conflictOn(backend, remote, 'north-america', 'Mine again', 'Theirs again');
    await user.click(within(panel).getByRole('button', { name: 'Pull' }));
    await expect.poll(() => within(panel).getByRole('region', { name: 'Sync report' }).textContent).toContain('Pulled from origin: 1 conflict');
    await user.click(await within(await within(panel).findByRole('list', { name: 'Conflicts' })).findByRole('button', { name: 'Open conflict north-america' }));
    dialog = await screen.findByRole('dialog', { name: /north-america/ });
    await within(dialog).findByRole('region', { name: 'Mine' });
    await user.click(within(dialog).getByRole('button', { name: 'Edit…' }));
    const editor = within(dialog).getByRole('textbox', { name: 'Resolved segment JSON' });
    expect(editor).toHaveTextContent('"description": "Mine again"');
    setEditor(editor, '{"key": "north-america", "name": "NA", "rules": [');
    expect(await within(dialog).findByText(/That isn't valid JSON yet/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Save and keep' })).toBeDisabled();
    const edited = { ...(await backend.getSegment('north-america')), description: 'Both, edited' };
    setEditor(editor, JSON.stringify(edited));
    await user.click(within(dialog).getByRole('button', { name: 'Save and keep' }));
    await screen.findByText('Saved your edit of “north-america”; the next push sends it.');
    expect((await backend.getSegment('north-america')).description).toBe('Both, edited');
    await user.click(within(panel).getByRole('button', { name: 'Push' }));
    await expect.poll(async () => (await onRemote(remote, 'north-america')).description).toBe('Both, edited');
    await expectBadge(user, NORTH_AMERICA, 'In sync');
  });
});
