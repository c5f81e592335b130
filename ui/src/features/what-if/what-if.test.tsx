import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT } from '../../app/App';
import { openBridge } from '../../test/bridge';
import { openSegment, renderApp } from '../../test/render';

describe('what-if panel', () => {
  it('evaluates the draft live and explains the failing condition', async () => {
    const { user } = renderApp();
    // north-america: address.country is one of US, CA, MX
    await openSegment(user, /^North America \(/);

    // the default context is a user in Germany
    const verdict = await screen.findByRole('status', { name: 'Evaluation result' });
    await expect.poll(() => verdict.textContent).toBe('Not matched');
    expect(within(screen.getByRole('list', { name: 'Evaluation trace' })).getByRole('listitem', { name: "Condition 1: doesn't match" })).toHaveTextContent(
      'Actual: "DE"',
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

describe('the context as fields', () => {
  it('starts from a user in the personas\' one schema', async () => {
    const backend = openBridge();
    const schema = (context: unknown, prefix = ''): string[] =>
      Object.entries(context as Record<string, unknown>).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null && !Array.isArray(v) ? schema(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    const personas = await backend.listPersonas();
    expect(personas.length).toBeGreaterThan(0);
    for (const p of personas) expect(schema(p.context).sort()).toEqual(schema(JSON.parse(DEFAULT_CONTEXT)).sort());
  });

  it('offers the attributes the segment tests, typed, and writes the JSON', async () => {
    const { user } = renderApp();
    // enterprise-users: plan equals enterprise, and any of seats at least 50 / email ends with @acme.com
    await openSegment(user, /Enterprise Users \(enterprise-users\)/);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Persona' }), 'Free user in Germany');
    const fields = await screen.findByRole('table', { name: 'Context attributes' });
    await expect.poll(() => within(fields).getAllByRole('rowheader').map((h) => h.textContent?.replace(' · used', ''))).toEqual(
      expect.arrayContaining(['plan', 'seats', 'email', 'address.country']),
    );
    // the segment's attributes come first, in rule order
    expect(within(fields).getAllByRole('rowheader').slice(0, 3).map((h) => h.textContent)).toEqual(['plan · used', 'seats · used', 'email · used']);
    expect(within(fields).getByRole('combobox', { name: 'Type of seats' })).toHaveValue('number');

    const plan = within(fields).getByRole('textbox', { name: 'Value of plan' });
    await user.clear(plan);
    await user.type(plan, 'enterprise');
    const seats = within(fields).getByRole('textbox', { name: 'Value of seats' });
    await user.clear(seats);
    await user.type(seats, '12x');
    expect(within(fields).getByText('Enter a number, like 42 or 9.5')).toBeInTheDocument();
    await user.clear(seats);
    await user.type(seats, '75');
    await expect.poll(() => screen.getByRole('status', { name: 'Evaluation result' }).textContent).toBe('Matched');
    const json = JSON.parse(screen.getByRole('textbox', { name: 'Context JSON' }).textContent ?? '{}') as Record<string, unknown>;
    expect(json).toMatchObject({ plan: 'enterprise', seats: 75, address: { country: 'DE' } });

    // a nested attribute is written into its group; removing the last field drops the group
    await user.click(within(fields).getByRole('button', { name: 'Remove address.country from the context' }));
    await expect.poll(() => screen.getByRole('textbox', { name: 'Context JSON' }).textContent).not.toContain('address');
    // yes/no and a type change that keeps the value
    await user.selectOptions(within(fields).getByRole('combobox', { name: 'Type of seats' }), 'text');
    await expect.poll(() => screen.getByRole('textbox', { name: 'Context JSON' }).textContent).toContain('"seats": "75"');
    await user.selectOptions(within(fields).getByRole('combobox', { name: 'Value of beta_optin' }), 'true');
    await expect.poll(() => screen.getByRole('textbox', { name: 'Context JSON' }).textContent).toContain('"beta_optin": true');
  });

  it('edits and renames a saved persona', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /^North America \(/);
    await user.selectOptions(await screen.findByRole('combobox', { name: 'Persona' }), 'Free user in Germany');
    const fields = await screen.findByRole('table', { name: 'Context attributes' });
    const country = within(fields).getByRole('textbox', { name: 'Value of address.country' });
    await user.clear(country);
    await user.type(country, 'CA');
    const edited = await screen.findByRole('status', { name: 'Persona edited' });
    expect(edited).toHaveTextContent('The context differs from the saved “Free user in Germany”.');
    await user.click(within(edited).getByRole('button', { name: 'Update persona' }));
    await screen.findByText('Saved persona “Free user in Germany”');
    await expect.poll(async () => (await backend.listPersonas()).find((p) => p.name === 'Free user in Germany')?.context).toMatchObject({
      address: { country: 'CA' },
    });

    await user.click(screen.getByRole('button', { name: 'Rename persona' }));
    const rename = screen.getByRole('textbox', { name: 'New persona name' });
    await user.clear(rename);
    await user.type(rename, 'Free user in Canada{Enter}');
    await expect.poll(async () => (await backend.listPersonas()).map((p) => p.name)).toContain('Free user in Canada');
    expect((await backend.listPersonas()).map((p) => p.name)).not.toContain('Free user in Germany');
    await expect.poll(() => (screen.getByRole('combobox', { name: 'Persona' }) as HTMLSelectElement).selectedOptions[0]?.textContent).toBe(
      'Free user in Canada',
    );
    // a rename never takes another persona's name
    await user.click(screen.getByRole('button', { name: 'Rename persona' }));
    await user.clear(screen.getByRole('textbox', { name: 'New persona name' }));
    await user.type(screen.getByRole('textbox', { name: 'New persona name' }), 'Enterprise admin in the US{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('already named');
  });

  it('keeps the results for all segments fresh when a segment changes', async () => {
    const { user, backend } = renderApp();
    await openSegment(user, /Beta Testers/);
    await user.click(screen.getByRole('button', { name: 'Evaluate against all segments' }));
    const results = await screen.findByRole('list', { name: 'Results for all segments' });
    expect(within(results).getByRole('listitem', { name: 'Beta Testers (beta-testers): not matched' })).toBeInTheDocument();
    // beta-testers: beta_optin is true → drop that rule, save: the default context now matches
    await user.click(screen.getByRole('button', { name: 'Remove condition 1' }));
    await user.click(screen.getByRole('button', { name: 'Save segment' }));
    await screen.findByText('Saved “Beta Testers”');
    await expect.poll(() => within(screen.getByRole('list', { name: 'Results for all segments' })).queryByRole('listitem', { name: 'Beta Testers (beta-testers): matched' })).not.toBeNull();
    expect((await backend.getSegment('beta-testers')).rules).toHaveLength(1);
  });
});
