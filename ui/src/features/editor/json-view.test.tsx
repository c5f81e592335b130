import { EditorView } from '@codemirror/view';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { IpcError } from '../../lib/backend/bindings';
import { openBridge } from '../../test/bridge';
import { openSegment, renderApp } from '../../test/render';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function replaceDoc(label: string, text: string) {
  const content = screen.getByRole('textbox', { name: label });
  const view = EditorView.findFromDOM(content);
  if (!view) throw new Error(`no CodeMirror view for ${label}`);
  act(() => {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  });
  return view;
}

describe('JSON view', () => {
  it('shows the draft and pushes valid edits into the builder', async () => {
    const backend = openBridge();
    // (CodeMirror renders only the lines in view: the flag must be near the top)
    const saved = await backend.getSegment('beta-testers');
    await backend.updateSegment('beta-testers', {
      ...saved,
      rules: [{ attribute: 'email', operator: 'not_contains', values: ['@segmentstudio.dev'], case_insensitive: true }, saved.rules[0]],
    });
    const { user } = renderApp(backend);
    await openSegment(user, /Beta Testers/);
    await user.click(await screen.findByRole('tab', { name: 'JSON' }));
    const content = await screen.findByRole('textbox', { name: 'Segment JSON' });
    expect(content.textContent).toContain('"key": "beta-testers"');
    expect(content.textContent).toContain('"case_insensitive": true');

    // invalid JSON is kept as text with the engine's own message; the builder keeps the
    // last valid version
    const broken = '{ "key": "beta-testers", ';
    const refusal = await backend.parseDraft(broken).then(
      () => null,
      (e: IpcError) => e,
    );
    expect(refusal?.code).toBe('invalid_json');
    replaceDoc('Segment JSON', broken);
    expect(await screen.findByText(new RegExp(escapeRegExp(refusal?.message ?? '?')))).toBeInTheDocument();

    const edited = {
      key: 'beta-testers',
      name: 'Beta Testers v2',
      description: '',
      match_type: 'all',
      rules: [{ match_type: 'none', rules: [{ attribute: 'country', operator: 'in', values: ['US', 'CA'] }] }],
    };
    replaceDoc('Segment JSON', JSON.stringify(edited, null, 2));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Segment name' })).toHaveValue('Beta Testers v2'));
    expect(screen.queryByText(/the builder keeps the last valid version/)).not.toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Rules' }));
    expect(screen.getByRole('combobox', { name: 'Group 1 match type' })).toHaveValue('none');
    expect(screen.getByRole('combobox', { name: 'Condition 1.1 attribute' })).toHaveValue('country');
    expect(screen.getByRole('combobox', { name: 'Match type' })).toHaveValue('all');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();

    // builder edits show up in JSON
    await user.selectOptions(screen.getByRole('combobox', { name: 'Match type' }), 'any');
    await user.click(screen.getByRole('tab', { name: 'JSON' }));
    expect((await screen.findByRole('textbox', { name: 'Segment JSON' })).textContent).toContain('"match_type": "any"');
  });
});

describe('JSON view on the engine', () => {
  it('reads a vendor format into the canonical segment, as saving would', async () => {
    const backend = openBridge();
    const { user } = renderApp(backend);
    await openSegment(user, /Beta Testers/);
    await user.click(await screen.findByRole('tab', { name: 'JSON' }));
    await screen.findByRole('textbox', { name: 'Segment JSON' });
    // EdgeFlags' shape: `conditions` with `property` and a single `value`.
    replaceDoc(
      'Segment JSON',
      JSON.stringify({ key: 'beta-testers', name: 'From EdgeFlags', conditions: [{ property: 'country', operator: 'equals', value: 'US' }] }),
    );
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Segment name' })).toHaveValue('From EdgeFlags'));
    await user.click(screen.getByRole('tab', { name: 'Rules' }));
    expect(screen.getByRole('combobox', { name: 'Condition 1 attribute' })).toHaveValue('country');
  });
});
