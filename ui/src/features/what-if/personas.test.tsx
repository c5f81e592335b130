import { EditorView } from '@codemirror/view';
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openSegment, renderApp } from '../../test/render';

function setEditor(label: string, text: string) {
  const view = EditorView.findFromDOM(screen.getByRole('textbox', { name: label }));
  act(() => view?.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

describe('personas', () => {
  it('saves the current context as a persona and uses it from the Personas page', async () => {
    const { user, backend } = renderApp();
    // mobile-v2: platform is ios or android, app_version at least 2.0.0
    await openSegment(user, /Mobile app 2\.x/);
    setEditor('Context JSON', '{"platform": "ios", "app_version": "1.9.0"}');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe(
      'Not matched',
    );
    const c2 = within(screen.getByRole('list', { name: 'Evaluation trace' })).getByRole('listitem', { name: "Condition 2: doesn't match" });
    expect(c2).toHaveTextContent('Actual: "1.9.0"');

    await user.click(screen.getByRole('button', { name: 'Save as persona' }));
    await user.type(screen.getByRole('textbox', { name: 'Persona name' }), 'Old iPhone');
    await user.click(screen.getByRole('button', { name: 'Save persona' }));
    await screen.findByText('Saved persona “Old iPhone”');
    expect((await backend.listPersonas()).map((p) => p.name)).toContain('Old iPhone');
    await expect.poll(() => (screen.getByRole('combobox', { name: 'Persona' }) as HTMLSelectElement).selectedOptions[0]?.textContent).toBe(
      'Old iPhone',
    );

    setEditor('Context JSON', '{"platform": "ios"');
    // The engine's reading says where: JSON.parse gives no position in WebKit.
    expect(await screen.findByText(/The context is not valid JSON: EOF while parsing an object at line 1 column 18/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Personas' }));
    const card = await screen.findByRole('listitem', { name: 'Persona Enterprise admin in the US' });
    await user.click(within(card).getByRole('button', { name: 'Use persona Enterprise admin in the US' }));
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe('Matched');
  });

  it('reports import problems in plain words and imports valid files', async () => {
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    await user.click(screen.getByRole('button', { name: 'Import segments' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import segments' });
    const text = within(dialog).getByRole('textbox', { name: 'Import JSON' });
    await user.click(text);
    await user.paste('{not json');
    // Nothing can be imported, and the engine says where the file goes wrong.
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent("Can't import this file");
    expect(alert).toHaveTextContent('line 1 column 2');
    expect(within(dialog).getByRole('button', { name: 'Start import' })).toBeDisabled();

    await user.clear(text);
    const file = new File(
      [JSON.stringify([{ key: 'imported', name: 'Imported', description: '', match_type: 'all', rules: [{ attribute: 'a', operator: 'exists', values: [] }] }])],
      'segments.json',
      { type: 'application/json' },
    );
    await user.upload(within(dialog).getByLabelText('Import file'), file);
    await expect.poll(() => (text as HTMLTextAreaElement).value).toContain('"imported"');
    // Before anything is written: what the file holds and what the import will do with it.
    expect(await within(dialog).findByRole('status', { name: 'Import preview' })).toHaveTextContent('This file has 1 segment: 1 new.');
    expect(within(dialog).getByRole('listitem', { name: 'Segment 1, Imported: new' })).toBeInTheDocument();
    expect(await backend.listSegments()).not.toContainEqual(expect.objectContaining({ key: 'imported' }));
    await user.click(within(dialog).getByRole('button', { name: 'Start import' }));
    expect(await within(dialog).findByRole('status', { name: 'Import result' })).toHaveTextContent(
      'Imported 1 segments: 1 created, 0 updated, 0 unchanged.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Close import' }));
    expect(await screen.findByRole('option', { name: 'Imported (imported)' })).toBeInTheDocument();
  });

  it('previews an import item by item and marks the ones it refuses, numbered from 1', async () => {
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    await user.click(screen.getByRole('button', { name: 'Import segments' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import segments' });
    const beta = await backend.getSegment('beta-testers');
    const file = {
      segments: [
        { ...beta, name: 'Beta Testers (EU)' },
        { key: 'fresh', name: 'Fresh', rules: [{ attribute: 'a', operator: 'exists' }] },
        { key: 'broken', name: 'Broken', rules: [{ attribute: 'seats', operator: 'gte', values: [1] }, { attribute: 'plan', operator: 'in', values: [] }] },
      ],
    };
    await user.click(within(dialog).getByRole('textbox', { name: 'Import JSON' }));
    await user.paste(JSON.stringify(file));
    expect(await within(dialog).findByRole('status', { name: 'Import preview' })).toHaveTextContent(
      'This file has 3 segments: 1 new, 1 replacing a saved one, 1 with problems.',
    );
    const broken = within(dialog).getByRole('listitem', { name: 'Segment 3, Broken: has problems' });
    expect(broken).toHaveClass('is-refuse');
    // the problem is at rule 2 (the second rule), not "rules[1]"
    expect(broken).toHaveTextContent('rule 2 · values: needs at least one value');
    expect(within(dialog).getByRole('listitem', { name: 'Segment 1, Beta Testers (EU): replaces the saved one' })).not.toHaveClass('is-refuse');
    expect(within(dialog).getByRole('button', { name: 'Start import' })).toBeDisabled();
    expect((await backend.getSegment('beta-testers')).name).toBe('Beta Testers');
  });
});
