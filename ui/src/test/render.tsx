import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App, createQueryClient } from '../app/App';
import type { Backend } from '../lib/backend/backend';
import { openBridge } from './bridge';

/** Renders the app on `backend`: by default a fresh bridge to the real Rust core, on the Rust demo data. */
export function renderApp(backend: Backend = openBridge()) {
  const user = userEvent.setup({ delay: null });
  const queryClient = createQueryClient();
  const utils = render(<App backend={backend} queryClient={queryClient} />);
  return { user, backend, queryClient, ...utils };
}

/** Click a segment in the list by (part of) its accessible name and wait for the editor. */
export async function openSegment(user: ReturnType<typeof userEvent.setup>, name: RegExp) {
  const list = await screen.findByRole('listbox', { name: 'Segments' });
  const option = await within(list).findByRole('option', { name });
  await user.click(option);
  await screen.findByRole('region', { name: 'Segment editor' });
  return option;
}

/** Opens the Remotes page and adds a remote through its form (Project ID only for the dialects that have one). */
export async function addRemote(
  user: ReturnType<typeof userEvent.setup>,
  remote: { name: string; dialect?: string; baseUrl: string; projectId?: string; token: string },
) {
  await user.click(screen.getByRole('button', { name: 'Remotes' }));
  const form = await screen.findByRole('form', { name: 'New remote' });
  await user.type(within(form).getByLabelText('Remote name'), remote.name);
  if (remote.dialect) await user.selectOptions(within(form).getByLabelText('Dialect'), remote.dialect);
  await user.type(within(form).getByLabelText('Base URL'), remote.baseUrl);
  if (remote.projectId !== undefined) await user.type(within(form).getByLabelText('Project ID'), remote.projectId);
  await user.type(within(form).getByLabelText('Token'), remote.token);
  await user.click(within(form).getByRole('button', { name: 'Add remote' }));
  return form;
}
