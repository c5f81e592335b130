import { describe, expect, it } from 'vitest';
import type { Condition, JsonValue, TraceReason } from './bindings';
import engineCases from './engine-cases.json';
import { explainCondition } from './mock-engine';

/** Written by the Rust engine (`cargo xtask bindings`): its verdicts on a grid of cases. */
type EngineCase = { condition: Condition; context: JsonValue; matched: boolean; reason: TraceReason };
const cases = (engineCases as { cases: unknown[] }).cases as EngineCase[];

describe('the mock engine agrees with the Rust engine', () => {
  it('has cases to replay', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it('gives the same verdict and reason for every case', () => {
    const disagreements = cases
      .map((c) => {
        const node = explainCondition(c.condition, 'rules[0]', c.context, () => undefined, []);
        const got = node.kind === 'condition' ? { matched: node.matched, reason: node.reason } : null;
        return { case: c, got };
      })
      .filter(({ case: c, got }) => got?.matched !== c.matched || got?.reason !== c.reason)
      .map(({ case: c, got }) => ({
        condition: c.condition,
        context: c.context,
        rust: { matched: c.matched, reason: c.reason },
        mock: got,
      }));
    expect(disagreements).toEqual([]);
  });
});
