import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT } from '../../app/App';
import { openSegment, renderApp } from '../../test/render';

describe('what-if panel', () => {
  it('evaluates the draft live and explains the failing condition', async () => {
    const { user } = renderApp();
    // north-america: address.country is one of US, CA, MX
    await openSegment(user, /^North America \(/);

    // the default context has no address
    const verdict = await screen.findByRole('status', { name: 'Evaluation result' });
    await expect.poll(() => verdict.textContent).toBe('Not matched');
    expect(within(screen.getByRole('list', { name: 'Evaluation trace' })).getByRole('listitem', { name: "Condition 1: doesn't match" })).toHaveTextContent(
      'This attribute is missing',
    );

    await user.selectOptions(await screen.findByRole('combobox', { name: 'Persona' }), 'Enterprise admin in the US');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe('Matched');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Persona' }), 'Free user in Germany');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe('Not matched');
    const trace = screen.getByRole('list', { name: 'Evaluation trace' });
    const c1 = within(trace).getByRole('listitem', { name: "Condition 1: doesn't match" });
    expect(c1).toHaveClass('is-fail');
    expect(c1).toHaveTextContent('address.country');
    expect(c1).toHaveTextContent('is one of');
    expect(c1).toHaveTextContent('Actual: "DE"');
    expect(c1).toHaveTextContent('None of the listed values fit');
    expect(within(trace).getByRole('listitem', { name: "Segment: doesn't match" })).toBeInTheDocument();

    // the builder marks the same condition
    expect(screen.getByRole('img', { name: 'Condition 1 does not match the what-if context' })).toBeInTheDocument();

    // editing the draft re-evaluates without saving: add DE to the list
    await user.type(screen.getByRole('textbox', { name: 'Condition 1 values' }), 'DE{Enter}');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe(
      'Matched',
    );
    expect(within(screen.getByRole('list', { name: 'Evaluation trace' })).getByRole('listitem', { name: 'Condition 1: matches' })).toHaveClass(
      'is-pass',
    );
  });

  it('explains a "none of" segment: a matching condition excludes', async () => {
    const { user } = renderApp();
    // not-free: none of (plan is one of free, trial)
    await openSegment(user, /Paying customers/);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Persona' }), 'Free user in Germany');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe('Not matched');
    const trace = screen.getByRole('list', { name: 'Evaluation trace' });
    expect(within(trace).getByRole('listitem', { name: 'Condition 1: matches' })).toHaveTextContent('Actual: "free"');
    expect(within(trace).getByRole('listitem', { name: "Segment: doesn't match" })).toHaveTextContent('None of');
  });

  it('evaluates a context against all saved segments', async () => {
    const { user, backend } = renderApp();
    await screen.findByRole('option', { name: /Beta Testers/ });
    await user.click(screen.getByRole('button', { name: 'Evaluate against all segments' }));
    const results = await screen.findByRole('list', { name: 'Results for all segments' });
    const matches = await backend.evaluateAll(JSON.parse(DEFAULT_CONTEXT));
    const matched = matches.filter((m) => m.matched).length;
    expect(matched).toBeGreaterThan(0);
    expect(screen.getByRole('status', { name: 'All segments summary' })).toHaveTextContent(
      `${matched} of ${matches.length} saved segments match`,
    );
    expect(within(results).getByRole('listitem', { name: 'Beta Testers (beta-testers): not matched' })).toBeInTheDocument();
    expect(within(results).getByRole('listitem', { name: 'Mobile app 2.x (mobile-v2): matched' })).toBeInTheDocument();
    await user.click(within(results).getByRole('button', { name: 'Open segment mobile-v2' }));
    await expect.poll(() => (screen.queryByRole('textbox', { name: 'Segment name' }) as HTMLInputElement | null)?.value).toBe(
      'Mobile app 2.x',
    );
  });
});
