import { EditorView } from '@codemirror/view';
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openBridge } from '../../test/bridge';
import { openSegment, renderApp } from '../../test/render';

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

    // invalid JSON is kept as text, the builder keeps the last valid version
    replaceDoc('Segment JSON', '{ "key": "beta-testers", ');
    expect(await screen.findByText(/Not valid JSON yet/)).toBeInTheDocument();

    const edited = {
      key: 'beta-testers',
      name: 'Beta Testers v2',
      description: '',
      match_type: 'all',
      rules: [{ match_type: 'none', rules: [{ attribute: 'country', operator: 'in', values: ['US', 'CA'] }] }],
    };
    replaceDoc('Segment JSON', JSON.stringify(edited, null, 2));
    expect(screen.queryByText(/Not valid JSON yet/)).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Segment name' })).toHaveValue('Beta Testers v2');

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
