import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App, createQueryClient } from '../app/App';
import { MockBackend } from '../lib/backend/mock';
import type { Backend } from '../lib/backend/backend';

export function renderApp(backend: Backend = new MockBackend()) {
  const user = userEvent.setup({ delay: null });
  const utils = render(<App backend={backend} queryClient={createQueryClient()} />);
  return { user, backend, ...utils };
}

/** Click a segment in the list by (part of) its accessible name and wait for the editor. */
export async function openSegment(user: ReturnType<typeof userEvent.setup>, name: RegExp) {
  const list = await screen.findByRole('listbox', { name: 'Segments' });
  const option = await within(list).findByRole('option', { name });
  await user.click(option);
  await screen.findByRole('region', { name: 'Segment editor' });
  return option;
}
