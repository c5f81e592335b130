import { diffLines } from 'diff';

type DiffCell = { line: number; text: string; kind: 'same' | 'removed' | 'added' };
type DiffRow = { left: DiffCell | null; right: DiffCell | null };

function lines(value: string): string[] {
  const trimmed = value.endsWith('\n') ? value.slice(0, -1) : value;
  return trimmed.split('\n');
}

/** Side-by-side rows of a line diff; removed/added runs are paired up on the same rows. */
export function sideBySide(before: string, after: string): DiffRow[] {
  const parts = diffLines(before, after);
  const rows: DiffRow[] = [];
  let l = 1;
  let r = 1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part.removed) {
      const removed = lines(part.value);
      const next = parts[i + 1];
      const added = next?.added ? lines(next.value) : [];
      if (next?.added) i++;
      const n = Math.max(removed.length, added.length);
      for (let k = 0; k < n; k++) {
        rows.push({
          left: k < removed.length ? { line: l++, text: removed[k], kind: 'removed' } : null,
          right: k < added.length ? { line: r++, text: added[k], kind: 'added' } : null,
        });
      }
    } else if (part.added) {
      for (const text of lines(part.value)) rows.push({ left: null, right: { line: r++, text, kind: 'added' } });
    } else {
      for (const text of lines(part.value)) {
        rows.push({ left: { line: l++, text, kind: 'same' }, right: { line: r++, text, kind: 'same' } });
      }
    }
  }
  return rows;
}

export function changeCount(rows: DiffRow[]): number {
  return rows.filter((row) => row.left?.kind !== 'same' || row.right?.kind !== 'same').length;
}
