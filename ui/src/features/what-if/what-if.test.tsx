import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openSegment, renderApp } from '../../test/render';

describe('what-if panel', () => {
  it('evaluates the draft live and explains the failing condition', async () => {
    const { user } = renderApp();
    await openSegment(user, /EU paying customers/);

    // default context is a German pro user
    const verdict = await screen.findByRole('status', { name: 'Evaluation result' });
    await expect.poll(() => verdict.textContent).toBe('Matched');

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Persona' }), 'US free user');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe('Not matched');

    const trace = screen.getByRole('list', { name: 'Evaluation trace' });
    const c1 = within(trace).getByRole('listitem', { name: 'Condition 1: failed' });
    expect(c1).toHaveClass('is-fail');
    expect(c1).toHaveTextContent('country');
    expect(c1).toHaveTextContent('is one of');
    expect(c1).toHaveTextContent('Actual: "US"');
    expect(c1).toHaveTextContent('No value matched');
    const c2 = within(trace).getByRole('listitem', { name: 'Condition 2: failed' });
    expect(c2).toHaveTextContent('Excluded by “not”');
    expect(within(trace).getByRole('listitem', { name: 'Segment: failed' })).toBeInTheDocument();

    // the builder marks the same conditions
    expect(screen.getByRole('img', { name: 'Condition 1 does not match the what-if context' })).toBeInTheDocument();

    // editing the draft re-evaluates without saving: add US to the list, allow free plans
    await user.type(screen.getByRole('textbox', { name: 'Condition 1 values' }), 'US{Enter}');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Condition 2 operator' }), 'exists');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent, { timeout: 3000 }).toBe(
      'Matched',
    );
    expect(within(screen.getByRole('list', { name: 'Evaluation trace' })).getByRole('listitem', { name: 'Condition 1: passed' })).toHaveClass(
      'is-pass',
    );
  });

  it('evaluates a context against all saved segments', async () => {
    const { user } = renderApp();
    await screen.findByRole('option', { name: /Beta testers/ });
    await user.click(screen.getByRole('button', { name: 'Evaluate against all segments' }));
    const results = await screen.findByRole('list', { name: 'Results for all segments' });
    expect(screen.getByRole('status', { name: 'All segments summary' })).toHaveTextContent('4 of 5 saved segments match');
    expect(within(results).getByRole('listitem', { name: 'Beta testers (beta-testers): not matched' })).toBeInTheDocument();
    await user.click(within(results).getByRole('button', { name: 'Open segment ios-17-plus' }));
    await expect.poll(() => (screen.queryByRole('textbox', { name: 'Segment name' }) as HTMLInputElement | null)?.value).toBe(
      'iOS app 17+',
    );
  });
});
