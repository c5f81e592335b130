import { render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { openBridge } from '../../test/bridge';
import { addStylesheets } from '../../test/stylesheets';
import { TraceTree } from './TraceTree';

let removeStyles = () => {};
afterEach(() => removeStyles());

describe('what-if trace rows', () => {
  it('show one status each, coloured by that row alone', async () => {
    removeStyles = addStylesheets('app/app.css', 'features/what-if/what-if.css');
    const backend = openBridge();
    // none of (plan is free, seats > 10): the first condition matches, so the segment doesn't
    const draft = {
      key: 'not-free',
      name: 'Not free',
      description: '',
      match_type: 'none',
      rules: [
        { attribute: 'plan', operator: 'eq', values: ['free'] },
        { attribute: 'seats', operator: 'gt', values: [10] },
      ],
    };
    const explanation = await backend.explainDraft(draft, { plan: 'free' });
    const { getByRole } = render(<TraceTree trace={explanation.trace} operators={await backend.listOperators()} />);
    const trace = getByRole('list', { name: 'Evaluation trace' });

    const rows = [
      { name: "Segment: doesn't match", matched: false },
      { name: 'Condition 1: matches', matched: true },
      { name: "Condition 2: doesn't match", matched: false },
    ];
    for (const { name, matched } of rows) {
      const row = within(trace).getByRole('listitem', { name });
      const own = row.querySelector(':scope > .trace-row')!;
      const statuses = own.querySelectorAll('.trace-status');
      expect(statuses).toHaveLength(1);
      expect(statuses[0]).toHaveTextContent(matched ? /^Matches$/ : /^Doesn't match$/);
      // no engine words beside it
      expect(row.querySelector(':scope > .trace-row')?.textContent).not.toMatch(/passed|failed|Matched/);
      const colour = matched ? 'var(--pass)' : 'var(--fail)';
      expect(getComputedStyle(statuses[0]).color).toBe(colour);
      expect(getComputedStyle(own.querySelector('.trace-icon')!).color).toBe(colour);
    }

    // the matching condition sits in a failing group, and nothing of it turns the failing colour
    const passing = within(trace).getByRole('listitem', { name: 'Condition 1: matches' });
    for (const el of [passing, ...passing.querySelectorAll('*')]) {
      const style = getComputedStyle(el);
      expect(style.color).not.toBe('var(--fail)');
      expect(style.backgroundColor).not.toBe('var(--fail-soft)');
    }
    // the failing condition says why in its detail line, as a plain explanation
    expect(within(trace).getByRole('listitem', { name: "Condition 2: doesn't match" })).toHaveTextContent('Actual: not set · This attribute is missing');
  });
});
