import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../lib/backend/mock';
import { addRemote, renderApp } from '../../test/render';

const URL = 'https://segments.example.com';

describe('remotes page', () => {
  it('adds a remote, says where its token is kept, tests the connection and removes it', async () => {
    const backend = new MockBackend();
    const { user } = renderApp(backend);
    await screen.findByRole('option', { name: /Beta testers/ });
    const form = await addRemote(user, { name: 'origin', baseUrl: URL, projectId: 'p1', token: 's3cret' });

    expect(await within(form).findByRole('status', { name: 'Added remote' })).toHaveTextContent(
      'Added “origin”. Its token is kept in the OS keyring.',
    );
    // the token is cleared once sent, and never shown again
    expect(within(form).getByLabelText('Token')).toHaveValue('');
    expect(within(form).getByLabelText('Token')).toHaveAttribute('type', 'password');
    const card = await screen.findByRole('listitem', { name: 'Remote origin' });
    expect(card).toHaveTextContent('Projects API');
    expect(card).toHaveTextContent(URL);
    expect(card).toHaveTextContent('p1');
    expect(card).toHaveTextContent('Its token is kept in the OS keyring.');
    expect(document.body.textContent).not.toContain('s3cret');

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

  it('shows the backend message near the form, and the file note without a keyring', async () => {
    const { user } = renderApp(new MockBackend({ keyring: false }));
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
    expect(alert).toHaveTextContent("Couldn't add the remote");
    expect(alert).toHaveTextContent(`the remote name "my remote" must be 1 to 64 letters, digits, '.', '_' or '-'`);
    expect(alert).toHaveTextContent('Code: validation');
    // after a refusal the token stays typed in, for a fix and retry
    expect(within(form).getByLabelText('Token')).toHaveValue('token');

    await user.clear(within(form).getByLabelText('Remote name'));
    await user.type(within(form).getByLabelText('Remote name'), 'krafter-prod');
    await user.click(within(form).getByRole('button', { name: 'Add remote' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('a krafter remote needs a project id');
    await user.type(within(form).getByLabelText('Project ID'), 'proj-7');
    await user.click(within(form).getByRole('button', { name: 'Add remote' }));
    const added = await within(form).findByRole('status', { name: 'Added remote' });
    expect(added).toHaveTextContent('(readable only by you), because no keyring service is running');
    expect(within(form).queryByRole('alert')).toBeNull();
    expect(await screen.findByRole('listitem', { name: 'Remote krafter-prod' })).toHaveTextContent('no keyring service is running');
  });

  it('shows a refused token with its code and message as they are', async () => {
    const { user } = renderApp(new MockBackend({ remoteTokens: { [URL]: 'the-right-one' } }));
    await addRemote(user, { name: 'origin', baseUrl: URL, projectId: 'p1', token: 'wrong' });
    const card = await screen.findByRole('listitem', { name: 'Remote origin' });
    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    const alert = await within(card).findByRole('alert');
    expect(alert).toHaveTextContent('Connection failed');
    expect(alert).toHaveTextContent(
      'the remote "origin" refused the token (401 Unauthorized: invalid or expired token); it is wrong, expired or revoked.',
    );
    expect(alert).toHaveTextContent('Code: unauthorized');

    // a pull fails as a whole, with the same words
    await user.click(screen.getByRole('button', { name: 'Pull' }));
    const sync = screen.getByRole('region', { name: 'Sync' });
    expect(await within(sync).findByRole('alert')).toHaveTextContent('Pull failed');
    expect(within(sync).getByRole('alert')).toHaveTextContent('Code: unauthorized');
  });

  it('replaces a refused token in place, and shows why a token is refused', async () => {
    const { user } = renderApp(new MockBackend({ remoteTokens: { [URL]: 'the-right-one' } }));
    await addRemote(user, { name: 'origin', baseUrl: URL, projectId: 'p1', token: 'wrong' });
    const card = await screen.findByRole('listitem', { name: 'Remote origin' });
    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent('refused the token (401 Unauthorized');
    expect(within(card).getByRole('alert')).toHaveTextContent('with "Replace token" on the Remotes page');

    const toggle = within(card).getByRole('button', { name: 'Replace token' });
    expect(within(card).queryByLabelText('New token for origin')).toBeNull();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const field = within(card).getByLabelText('New token for origin');
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveFocus();

    // an empty token is refused with the backend's words, and nothing is stored
    await user.click(within(card).getByRole('button', { name: 'Save token' }));
    const refused = (await within(card).findAllByRole('alert')).find((a) => a.textContent?.includes("Couldn't replace the token"));
    expect(refused).toHaveTextContent('the token is empty');
    expect(refused).toHaveTextContent('Code: credential');

    await user.type(field, 'the-right-one');
    await user.click(within(card).getByRole('button', { name: 'Save token' }));
    expect(await screen.findByRole('status', { name: 'Notifications' })).toHaveTextContent(
      'Replaced the token of “origin”. It is kept in the OS keyring.',
    );
    await expect.poll(() => within(card).queryByLabelText('New token for origin')).toBeNull();
    expect(within(card).queryByRole('alert')).toBeNull(); // the old 401 and the refusal are gone
    expect(document.body.textContent).not.toContain('the-right-one');

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
    const { user } = renderApp(new MockBackend());
    await addRemote(user, { name: 'down', dialect: 'edgeflags', baseUrl: 'https://segments.invalid', token: 't' });
    const card = await screen.findByRole('listitem', { name: 'Remote down' });
    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    const alert = await within(card).findByRole('alert');
    expect(alert).toHaveTextContent('cannot reach https://segments.invalid');
    expect(alert).toHaveTextContent('Code: network');
  });
});
