import { EditorView } from '@codemirror/view';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Segment, TraceNode } from '../../lib/backend/bindings';
import { openSegment, renderApp } from '../../test/render';
import { REASON_LABELS, traceStatus } from '../what-if/TraceTree';

/*
 * The editor on the real engine. How a call reaches Rust: the component calls a
 * `Backend` method (built by backendOver from the generated COMMAND_ARGS) → the test's
 * bridge transport (src/test/bridge.ts) writes one JSON line to `segments-bridge`'s
 * stdin → `ipc::dispatch` (src-tauri/src/ipc.rs) → the same command function Tauri
 * calls (src-tauri/src/commands/) → segments-studio / segments-sync → segments-store → the
 * engine. Nothing in TypeScript validates or evaluates: the messages and reasons asserted
 * here are read from Rust.
 */

function setEditor(label: string, text: string) {
  const view = EditorView.findFromDOM(screen.getByRole('textbox', { name: label }));
  act(() => view?.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function conditions(node: TraceNode): Extract<TraceNode, { kind: 'condition' }>[] {
  return node.kind === 'group' ? node.children.flatMap(conditions) : [node];
}

describe('the editor on the Rust engine', () => {
  it("shows the engine's message at the field of an invalid regex, and the engine's trace for a context", async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta Testers/);

    // beta-testers: condition 2 is "email does not contain @segmentstudio.dev"; make it an unclosed regex
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 2 operator' }), 'matches');
    const value = screen.getByRole('textbox', { name: 'Condition 2 value' });
    await user.clear(value);
    await user.type(value, '(unclosed');

    const saved = await backend.getSegment('beta-testers');
    const draft = (pattern: string): Segment => ({
      ...saved,
      rules: [saved.rules[0], { attribute: 'email', operator: 'matches', values: [pattern] }],
    });
    const [issue] = await backend.validateSegment(draft('(unclosed'));
    expect(issue).toMatchObject({ path: 'rules[1].values[0]', code: 'invalid_regex' });
    // the regex crate's message spans lines: compare it whatever the whitespace
    const message = new RegExp(`^${issue.message.trim().split(/\s+/).map(escapeRegExp).join('\\s+')}$`);
    await waitFor(() => expect(value).toHaveAccessibleDescription(message));
    expect(value).toHaveAttribute('aria-invalid', 'true');
    expect(within(value.closest('.rule') as HTMLElement).getByText(message)).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Validation issues' })).toHaveTextContent('1 problem to fix');

    // a valid pattern clears it; then a context typed in the what-if panel is explained by the engine
    await user.clear(value);
    await user.type(value, '@segmentstudio');
    await expect.poll(() => value.getAttribute('aria-invalid')).toBe(null);
    const context = { email: 'pm@segmentstudio.dev', beta_optin: false };
    setEditor('Context JSON', JSON.stringify(context));

    const explanation = await backend.explainDraft(draft('@segmentstudio'), context);
    const expected = explanation.matched ? 'Matched' : 'Not matched';
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe(expected);
    const traced = conditions(explanation.trace);
    expect(traced).toHaveLength(2);
    // (the panel re-explains after a debounce: wait until it shows this context's trace)
    await waitFor(() => {
      const trace = screen.getByRole('list', { name: 'Evaluation trace' });
      for (const [i, node] of traced.entries()) {
        const item = within(trace).getByRole('listitem', { name: `Condition ${i + 1}: ${traceStatus(node.matched).toLowerCase()}` });
        expect(item).toHaveAttribute('data-reason', node.reason);
        if (node.reason !== 'matched') expect(item).toHaveTextContent(REASON_LABELS[node.reason]);
        // the reason in the engine's words, as explain.rs writes them
        if (node.message) expect(item).toHaveTextContent(node.message);
      }
    });
    // beta_optin false fails the first condition; the regex matches the second
    expect(traced.map((n) => n.matched)).toEqual([false, true]);
  });
});
