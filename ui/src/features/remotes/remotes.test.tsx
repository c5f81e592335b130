import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IpcError } from '../../lib/backend/bindings';
import { startFakeRemote } from '../../test/fake-remote';
import { addRemote, renderApp } from '../../test/render';

const URL = 'https://segments.example.com';

/** What a call rejected with: the IpcError exactly as Rust sent it. */
async function refusal(call: Promise<unknown>): Promise<IpcError> {
  return call.then(
    () => {
      throw new Error('expected the backend to refuse');
    },
    (e: unknown) => e as IpcError,
  );
}

describe('remotes page', () => {
  it('adds a remote, says where its token is kept, tests the connection and removes it', async () => {
    const remote = await startFakeRemote('projects');
    const { user, backend, queryClient } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    const form = await addRemote(user, { name: 'origin', baseUrl: remote.baseUrl, projectId: remote.projectId, token: remote.token });

    const added = await within(form).findByRole('status', { name: 'Added remote' });
    // the tests keep tokens in files (--credentials-dir): the note is the backend's
    const [info] = await backend.listRemotes();
    expect(info.credential).toBe('file');
    expect(added).toHaveTextContent(`Added “origin”. Its token is kept ${info.credentialNote}.`);
    // the token is cleared once sent, and never shown again
    expect(within(form).getByLabelText('Token')).toHaveValue('');
    expect(within(form).getByLabelText('Token')).toHaveAttribute('type', 'password');
    const card = await screen.findByRole('listitem', { name: 'Remote origin' });
    expect(card).toHaveTextContent('Projects API');
    expect(card).toHaveTextContent(info.baseUrl);
    expect(card).toHaveTextContent(remote.projectId);
    expect(card).toHaveTextContent(`Its token is kept ${info.credentialNote}.`);
    expect(document.body.textContent).not.toContain(remote.token);
    // nor kept in the query library's mutation state (variables, data, errors)
    const mutations = queryClient.getMutationCache().getAll();
    expect(mutations.length).toBeGreaterThan(0);
    expect(JSON.stringify(mutations.map((m) => m.state))).not.toContain(remote.token);

    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    expect(await within(card).findByRole('status', { name: 'Connection to origin' })).toHaveTextContent(
      'Connected: 0 segments on the remote',
    );

    await user.click(within(card).getByRole('button', { name: 'Remove remote' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove remote “origin”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, remove' }));
    await expect.poll(() => screen.queryByRole('listitem', { name: 'Remote origin' })).toBeNull();
    expect(await backend.listRemotes()).toEqual([]);
    expect(screen.getByText('No remotes yet. Add one below.')).toBeInTheDocument();
  });

  it('shows the backend message near the form', async () => {
    const { user, backend } = renderApp();
    // Project ID is asked only of the dialects that have projects
    await user.click(screen.getByRole('button', { name: 'Remotes' }));
    const form = await screen.findByRole('form', { name: 'New remote' });
    await user.selectOptions(within(form).getByLabelText('Dialect'), 'edgeflags');
    expect(within(form).queryByLabelText('Project ID')).toBeNull();
    await user.selectOptions(within(form).getByLabelText('Dialect'), 'krafter');
    expect(within(form).getByLabelText('Project ID')).toBeInTheDocument();

    await user.type(within(form).getByLabelText('Remote name'), 'my remote');
    await user.type(within(form).getByLabelText('Base URL'), URL);
    await user.type(within(form).getByLabelText('Token'), 'token');
    await user.click(within(form).getByRole('button', { name: 'Add remote' }));
    const alert = await within(form).findByRole('alert');
    const badName = await refusal(
      backend.addRemote({ name: 'my remote', dialect: 'krafter', baseUrl: URL, projectId: null, token: 'token' }),
    );
    expect(badName.code).toBe('validation');
    expect(alert).toHaveTextContent("Couldn't add the remote");
    expect(alert).toHaveTextContent(badName.message);
    expect(alert).toHaveTextContent('Code: validation');
    // after a refusal the token stays typed in, for a fix and retry
    expect(within(form).getByLabelText('Token')).toHaveValue('token');

    await user.clear(within(form).getByLabelText('Remote name'));
    await user.type(within(form).getByLabelText('Remote name'), 'krafter-prod');
    await user.click(within(form).getByRole('button', { name: 'Add remote' }));
    const noProject = await refusal(
      backend.addRemote({ name: 'krafter-prod', dialect: 'krafter', baseUrl: URL, projectId: null, token: 'token' }),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(noProject.message);
    await user.type(within(form).getByLabelText('Project ID'), 'proj-7');
    await user.click(within(form).getByRole('button', { name: 'Add remote' }));
    const added = await within(form).findByRole('status', { name: 'Added remote' });
    const [info] = await backend.listRemotes();
    expect(info).toMatchObject({ name: 'krafter-prod', dialect: 'krafter', projectId: 'proj-7' });
    expect(added).toHaveTextContent(info.credentialNote);
    expect(within(form).queryByRole('alert')).toBeNull();
    expect(await screen.findByRole('listitem', { name: 'Remote krafter-prod' })).toHaveTextContent(info.credentialNote);
  });

  it('shows a refused token with its code and message as they are', async () => {
    const remote = await startFakeRemote('projects');
    const { user, backend } = renderApp();
    await addRemote(user, { name: 'origin', baseUrl: remote.baseUrl, projectId: remote.projectId, token: 'wrong' });
    const card = await screen.findByRole('listitem', { name: 'Remote origin' });
    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    const alert = await within(card).findByRole('alert');
    const refused = await refusal(backend.testRemote('origin'));
    expect(refused.code).toBe('unauthorized');
    expect(alert).toHaveTextContent('Connection failed');
    expect(alert).toHaveTextContent(refused.message);
    expect(alert).toHaveTextContent('Code: unauthorized');

    // a pull fails as a whole, with the same words
    await user.click(screen.getByRole('button', { name: 'Pull' }));
    const sync = screen.getByRole('region', { name: 'Sync' });
    expect(await within(sync).findByRole('alert')).toHaveTextContent('Pull failed');
    expect(within(sync).getByRole('alert')).toHaveTextContent('Code: unauthorized');
  });

  it('replaces a refused token in place, and shows why a token is refused', async () => {
    const remote = await startFakeRemote('projects');
    const { user, backend } = renderApp();
    await addRemote(user, { name: 'origin', baseUrl: remote.baseUrl, projectId: remote.projectId, token: 'wrong' });
    const card = await screen.findByRole('listitem', { name: 'Remote origin' });
    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent('Code: unauthorized');

    const toggle = within(card).getByRole('button', { name: 'Replace token' });
    expect(within(card).queryByLabelText('New token for origin')).toBeNull();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const field = within(card).getByLabelText('New token for origin');
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveFocus();

    // an empty token is refused with the backend's words, and nothing is stored
    await user.click(within(card).getByRole('button', { name: 'Save token' }));
    const empty = await refusal(backend.replaceToken('origin', ''));
    expect(empty.code).toBe('credential');
    // (the card still shows the 401 alert: wait for the refusal's own)
    const shown = await waitFor(() => {
      const alert = within(card).getAllByRole('alert').find((a) => a.textContent?.includes("Couldn't replace the token"));
      if (!alert) throw new Error('no refusal shown yet');
      return alert;
    });
    expect(shown).toHaveTextContent(empty.message);
    expect(shown).toHaveTextContent('Code: credential');

    await user.type(field, remote.token);
    await user.click(within(card).getByRole('button', { name: 'Save token' }));
    const [info] = await backend.listRemotes();
    expect(await screen.findByRole('status', { name: 'Notifications' })).toHaveTextContent(
      `Replaced the token of “origin”. It is kept ${info.credentialNote}.`,
    );
    await expect.poll(() => within(card).queryByLabelText('New token for origin')).toBeNull();
    expect(within(card).queryByRole('alert')).toBeNull(); // the old 401 and the refusal are gone
    expect(document.body.textContent).not.toContain(remote.token);

    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    expect(await within(card).findByRole('status', { name: 'Connection to origin' })).toHaveTextContent(
      'Connected: 0 segments on the remote',
    );

    // Cancel hides the field and forgets what was typed
    await user.click(within(card).getByRole('button', { name: 'Replace token' }));
    await user.type(within(card).getByLabelText('New token for origin'), 'half typed');
    await user.click(within(card).getByRole('button', { name: 'Cancel replacing token' }));
    expect(within(card).queryByLabelText('New token for origin')).toBeNull();
    await user.click(within(card).getByRole('button', { name: 'Replace token' }));
    expect(within(card).getByLabelText('New token for origin')).toHaveValue('');
  });

  it('reports an unreachable remote as a network error', async () => {
    const { user, backend } = renderApp();
    // nothing listens on port 9: the connection is refused (and retried with backoff, hence the long waits)
    const down = 'http://127.0.0.1:9';
    await addRemote(user, { name: 'down', dialect: 'edgeflags', baseUrl: down, token: 't' });
    const card = await screen.findByRole('listitem', { name: 'Remote down' });
    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    const unreachable = refusal(backend.testRemote('down'));
    const alert = await within(card).findByRole('alert', undefined, { timeout: 20_000 });
    const { code, message } = await unreachable;
    expect(code).toBe('network');
    expect(alert).toHaveTextContent(message);
    expect(alert).toHaveTextContent('Code: network');
  });
});
