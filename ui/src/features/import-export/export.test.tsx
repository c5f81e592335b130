import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { MockBackend } from '../../lib/backend/mock';
import { renderApp } from '../../test/render';

describe('export', () => {
  it('shows the export and saves it to a file through the backend', async () => {
    const backend = new MockBackend();
    const save = vi.spyOn(backend, 'saveExport').mockResolvedValue('/home/pm/Downloads/segments-2026-11-21.json');
    const { user } = renderApp(backend);
    await user.click(screen.getByRole('button', { name: 'Export segments' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export segments' });
    const exported = JSON.parse(await backend.exportSegments()) as { key: string }[];
    expect(exported.length).toBeGreaterThan(0);

    const download = within(dialog).getByRole('button', { name: 'Download export' });
    await expect.poll(() => (download as HTMLButtonElement).disabled).toBe(false);
    await user.click(download);
    expect(save).toHaveBeenCalledOnce();
    expect(await within(dialog).findByRole('status', { name: 'Export saved to' })).toHaveTextContent(
      'Saved to /home/pm/Downloads/segments-2026-11-21.json',
    );
  });

  it('says why when the file cannot be written', async () => {
    const backend = new MockBackend();
    vi.spyOn(backend, 'saveExport').mockRejectedValue({ code: 'file', message: 'cannot write /x: denied', details: [] });
    const { user } = renderApp(backend);
    await user.click(screen.getByRole('button', { name: 'Export segments' }));
    const dialog = await screen.findByRole('dialog', { name: 'Export segments' });
    const download = within(dialog).getByRole('button', { name: 'Download export' });
    await expect.poll(() => (download as HTMLButtonElement).disabled).toBe(false);
    await user.click(download);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Code: file');
  });
});
