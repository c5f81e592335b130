import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openSegment, renderApp } from '../test/render';

describe('unsaved-changes guard', () => {
  it('asks before leaving a dirty draft and respects the answer', async () => {
    const { user } = renderApp();
    await openSegment(user, /Beta Testers/);
    const name = await screen.findByRole('textbox', { name: 'Segment name' });
    await user.type(name, ' (edited)');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();

    // switching to another segment asks first; "Keep editing" stays
    await user.click(screen.getByRole('option', { name: /^North America \(/ }));
    let dialog = await screen.findByRole('dialog', { name: 'Save your changes?' });
    expect(dialog).toHaveTextContent('“Beta Testers (edited)” has changes that are not saved.');
    expect(within(dialog).getAllByRole('button').map((b) => b.textContent)).toEqual(['Keep editing', 'Discard and continue', 'Save and continue']);
    await user.click(within(dialog).getByRole('button', { name: 'Keep editing' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Segment name' })).toHaveValue('Beta Testers (edited)');

    // Ctrl+N asks too; Escape cancels
    await user.keyboard('{Control>}n{/Control}');
    await screen.findByRole('dialog', { name: 'Save your changes?' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Segment name' })).toHaveValue('Beta Testers (edited)');

    // "Discard and continue" switches and drops the edit
    await user.click(screen.getByRole('option', { name: /^North America \(/ }));
    dialog = await screen.findByRole('dialog', { name: 'Save your changes?' });
    await user.click(within(dialog).getByRole('button', { name: 'Discard and continue' }));
    await expect.poll(() => (screen.getByRole('textbox', { name: 'Segment name' }) as HTMLInputElement).value).toBe(
      'North America',
    );

    // a clean draft switches without asking (once it has loaded: a busy machine may still be opening it)
    await screen.findByText('Saved', {}, { timeout: 10_000 });
    await user.click(screen.getByRole('option', { name: /Beta Testers/ }));
    await expect.poll(() => (screen.getByRole('textbox', { name: 'Segment name' }) as HTMLInputElement).value).toBe('Beta Testers');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('saves and continues, or stays when the save is refused', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta Testers/);
    const name = await screen.findByRole('textbox', { name: 'Segment name' });
    await user.type(name, ' (EU)');
    await user.click(screen.getByRole('option', { name: /^North America \(/ }));
    let dialog = await screen.findByRole('dialog', { name: 'Save your changes?' });
    await user.click(within(dialog).getByRole('button', { name: 'Save and continue' }));
    await expect.poll(() => (screen.getByRole('textbox', { name: 'Segment name' }) as HTMLInputElement).value).toBe('North America');
    expect((await backend.getSegment('beta-testers')).name).toBe('Beta Testers (EU)');

    // a draft the engine refuses is not left behind: the save error shows and the draft stays
    await screen.findByText('Saved', {}, { timeout: 10_000 });
    await user.clear(screen.getByRole('combobox', { name: 'Condition 1 attribute' }));
    await user.click(screen.getByRole('option', { name: /Mobile app 2\.x/ }));
    dialog = await screen.findByRole('dialog', { name: 'Save your changes?' });
    await user.click(within(dialog).getByRole('button', { name: 'Save and continue' }));
    expect(await screen.findByText(/Couldn't save/)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Segment name' })).toHaveValue('North America');
    expect((await backend.getSegment('north-america')).rules).toHaveLength(1);
  });

  it('deletes with confirmation and undoes from the toast', async () => {
    const { user } = renderApp();
    await openSegment(user, /Mobile app 2\.x/);
    await user.click(await screen.findByRole('button', { name: 'Delete segment' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete “Mobile app 2.x”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Yes, delete' }));
    await expect.poll(() => screen.queryByRole('option', { name: /Mobile app 2\.x/ })).toBeNull();
    expect(screen.getByText('No segment open')).toBeInTheDocument();

    // meanwhile another segment is being edited: undo restores, but still asks before switching
    await openSegment(user, /Beta Testers/);
    await user.type(await screen.findByRole('textbox', { name: 'Segment name' }), '!');
    await user.click(screen.getByRole('button', { name: 'Undo delete' }));
    expect(await screen.findByRole('option', { name: /Mobile app 2\.x/ })).toBeInTheDocument();
    await user.click(within(await screen.findByRole('dialog', { name: 'Save your changes?' })).getByRole('button', {
      name: 'Discard and continue',
    }));
    await expect.poll(() => (screen.queryByRole('textbox', { name: 'Segment name' }) as HTMLInputElement | null)?.value).toBe(
      'Mobile app 2.x',
    );
  });

  it('lists the segments that use one before any delete, and offers none', async () => {
    const { user, backend } = renderApp();
    // enterprise-north-america is "in segment enterprise-users"
    await openSegment(user, /Enterprise Users \(enterprise-users\)/);
    await user.click(await screen.findByRole('button', { name: 'Delete segment' }));
    const dialog = await screen.findByRole('dialog', { name: '“Enterprise Users” is in use' });
    expect(within(dialog).queryByRole('button', { name: 'Yes, delete' })).toBeNull();
    const users = within(dialog).getByRole('list', { name: 'Segments that use it' });
    expect(within(users).getAllByRole('button').map((b) => b.textContent)).toEqual(['enterprise-north-america']);
    await user.click(within(users).getByRole('button', { name: 'Open enterprise-north-america' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await expect.poll(() => (screen.getByRole('textbox', { name: 'Segment key' }) as HTMLInputElement).value).toBe(
      'enterprise-north-america',
    );
    expect((await backend.getSegment('enterprise-users')).key).toBe('enterprise-users');
  });

  it('restores a deleted segment from "Recently deleted" after the toast is gone', async () => {
    const { user, backend } = renderApp();
    await backend.deleteSegment('mobile-v2');
    await expect.poll(async () => (await backend.listSegments()).some((s) => s.key === 'mobile-v2')).toBe(false);
    await user.click(await screen.findByRole('button', { name: 'Recently deleted' }));
    const dialog = await screen.findByRole('dialog', { name: 'Recently deleted' });
    const list = await within(dialog).findByRole('list', { name: 'Deleted segments' });
    await within(list).findByText('Mobile app 2.x');
    await user.click(within(list).getByRole('button', { name: 'Restore mobile-v2' }));
    expect(await screen.findByRole('option', { name: /Mobile app 2\.x/ })).toBeInTheDocument();
    await expect.poll(() => (screen.queryByRole('textbox', { name: 'Segment name' }) as HTMLInputElement | null)?.value).toBe(
      'Mobile app 2.x',
    );
    expect((await backend.getSegment('mobile-v2')).name).toBe('Mobile app 2.x');
  });

  it('focuses search with / and Ctrl+K', async () => {
    const { user } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    const search = screen.getByRole('searchbox', { name: 'Search segments' });
    await user.keyboard('/');
    await expect.poll(() => document.activeElement).toBe(search);
    await user.click(document.body);
    await user.keyboard('{Control>}k{/Control}');
    await expect.poll(() => document.activeElement).toBe(search);
  });
});
