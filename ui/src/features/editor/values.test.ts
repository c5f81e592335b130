import { beforeAll, describe, expect, it } from 'vitest';
import type { OperatorInfo } from '../../lib/backend/bindings';
import { openBridge } from '../../test/bridge';
import { coerceValues, formatScalar, parseNumberish, parseScalar, splitEntries } from './values';

// The engine's operator catalogue, as the app gets it.
let operators: OperatorInfo[] = [];
beforeAll(async () => {
  const bridge = openBridge({ empty: true });
  operators = await bridge.listOperators();
  await bridge.close();
});

const op = (name: string) => {
  const info = operators.find((o) => o.operator === name);
  if (!info) throw new Error(`the engine has no operator ${name}`);
  return info;
};

describe('value parsing', () => {
  it('parses scalars and formats them back losslessly', () => {
    expect(parseScalar(' DE ')).toBe('DE');
    expect(parseScalar('42')).toBe(42);
    expect(parseScalar('-1.5e3')).toBe(-1500);
    expect(parseScalar('true')).toBe(true);
    expect(parseScalar('"42"')).toBe('42');
    expect(parseScalar('')).toBeUndefined();
    for (const v of ['DE', '42', 'true', ' padded', '"quoted"', 42, false, 0.5]) {
      expect(parseScalar(formatScalar(v))).toEqual(v);
    }
  });

  it('keeps non-numeric text for number fields so validation can flag it', () => {
    expect(parseNumberish('10')).toBe(10);
    expect(parseNumberish('1.')).toBe(1);
    expect(parseNumberish('abc')).toBe('abc');
    expect(parseNumberish('  ')).toBeUndefined();
  });

  it('adapts values when the operator changes', () => {
    expect(coerceValues(['a', 'b'], op('eq'))).toEqual(['a']);
    expect(coerceValues(['a', 'b'], op('in'))).toEqual(['a', 'b']);
    expect(coerceValues(['a'], op('exists'))).toEqual([]);
  });

  it('splits pasted lists', () => {
    expect(splitEntries('US, CA\nMX,,')).toEqual(['US', 'CA', 'MX']);
  });
});
