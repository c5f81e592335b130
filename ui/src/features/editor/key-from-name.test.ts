import { describe, expect, it } from 'vitest';
import { openBridge } from '../../test/bridge';
import { keyFromName } from './key-from-name';

describe('keyFromName', () => {
  it('makes keys the engine accepts', async () => {
    const names = ['VIP users', 'Über fans: 2026 Q1!', '  -- Beta__Testers --  ', 'Ça va? Señor', 'x'.repeat(200), '2.x on iOS'];
    expect(names.map(keyFromName).slice(0, 4)).toEqual(['vip-users', 'uber-fans-2026-q1', 'beta-testers', 'ca-va-senor']);
    const backend = openBridge();
    for (const name of names) {
      const issues = await backend.validateSegment({ key: keyFromName(name), name, description: '', match_type: 'all', rules: [{ attribute: 'a', operator: 'exists', values: [] }] });
      expect(issues.filter((i) => i.path === 'key')).toEqual([]);
    }
  });
});
