/** Numbers as people read them: "48,210", "4.8%", "85,000 users/s". */

const COUNT = new Intl.NumberFormat('en-US');
const SHARE = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const RATE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return COUNT.format(n);
}

/** A share from 0 to 1 as a percentage; a tiny non-zero share is "<0.1%", not "0%". */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  return SHARE.format(share);
}

/** `part` of `whole` as a percentage (0% of nothing). */
export function shareOf(part: number, whole: number): string {
  return formatShare(whole > 0 ? part / whole : 0);
}

export function formatRate(perSecond: number): string {
  return `${RATE.format(perSecond)} users/s`;
}

/** "48,210 · 4.8%": a bar's label. */
export function countAndShare(count: number, share: number): string {
  return `${formatCount(count)} · ${formatShare(share)}`;
}

/**
 * An estimate rounded to what its margin allows: 48,213 ± 900 reads "48,200 ± 900". Showing
 * more digits than the margin would promise a precision the sample does not have.
 */
export function formatEstimate(value: number, margin: number): string {
  const step = margin >= 10 ? 10 ** Math.floor(Math.log10(margin)) : 1;
  return `≈ ${formatCount(Math.round(value / step) * step)} ± ${formatCount(margin)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const FORMAT_LABELS: Record<string, string> = { csv: 'CSV', ndjson: 'NDJSON', parquet: 'Parquet' };

export function formatKind(kind: { format: string; gzip: boolean }): string {
  const name = FORMAT_LABELS[kind.format] ?? kind.format;
  return kind.gzip ? `${name} (gzip)` : name;
}
