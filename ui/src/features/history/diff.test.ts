import { describe, expect, it } from 'vitest';
import { changeCount, sideBySide } from './diff';

describe('side-by-side diff', () => {
  it('pairs changed lines and keeps line numbers per side', () => {
    const rows = sideBySide('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect(rows).toEqual([
      { left: { line: 1, text: 'a', kind: 'same' }, right: { line: 1, text: 'a', kind: 'same' } },
      { left: { line: 2, text: 'b', kind: 'removed' }, right: { line: 2, text: 'B', kind: 'added' } },
      { left: { line: 3, text: 'c', kind: 'same' }, right: { line: 3, text: 'c', kind: 'same' } },
      { left: null, right: { line: 4, text: 'd', kind: 'added' } },
    ]);
    expect(changeCount(rows)).toBe(2);
  });

  it('handles creation (empty before)', () => {
    const rows = sideBySide('', '{\n}');
    expect(rows.every((r) => r.left === null && r.right?.kind === 'added')).toBe(true);
  });
});
