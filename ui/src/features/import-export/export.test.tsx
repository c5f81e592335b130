import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openBridge } from '../../test/bridge';
import { renderApp } from '../../test/render';

async function download(user: ReturnType<typeof renderApp>['user']) {
  await user.click(screen.getByRole('button', { name: 'Export segments' }));
  const dialog = await screen.findByRole('dialog', { name: 'Export segments' });
  const button = within(dialog).getByRole('button', { name: 'Download export' });
  await expect.poll(() => (button as HTMLButtonElement).disabled).toBe(false);
  await user.click(button);
  return dialog;
}

describe('export', () => {
  it('shows the export and saves it to a file through the backend', async () => {
    const backend = openBridge();
    const { user } = renderApp(backend);
    const dialog = await download(user);
    const saved = await within(dialog).findByRole('status', { name: 'Export saved to' });
    // the bridge writes into its own export folder, as the app writes into Downloads
    const file = /Saved to (.+\.json)/.exec(saved.textContent ?? '')?.[1] ?? '';
    expect(path.dirname(file)).toBe(path.join(backend.dir, 'exports'));
    const exported = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    expect(JSON.stringify(exported)).toContain('"enterprise-users"');
    expect(exported).toEqual(JSON.parse(await backend.exportSegments()));
  });

  it('says why when the file cannot be written', async () => {
    const backend = openBridge();
    // a file where the export folder should be: Rust cannot create the folder
    writeFileSync(path.join(backend.dir, 'exports'), 'in the way');
    const { user } = renderApp(backend);
    const dialog = await download(user);
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent("Couldn't save the export");
    expect(alert).toHaveTextContent('Code: file');
    await expect(backend.saveExport()).rejects.toMatchObject({ code: 'file' });
  });
});
