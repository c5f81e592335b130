// Times as people read them, in the system's language and format (`locale` undefined = the
// system locale; tests pass one).

/** "3 minutes ago", "yesterday", or a date, for list rows and revisions. */
export function relativeTime(iso: string, now: number = Date.now(), locale?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const ago = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const s = Math.round((now - t) / 1000);
  if (s < 45) return ago.format(0, 'second');
  const m = Math.round(s / 60);
  if (m < 60) return ago.format(-m, 'minute');
  const h = Math.round(m / 60);
  if (h < 24) return ago.format(-h, 'hour');
  const d = Math.round(h / 24);
  if (d < 7) return ago.format(-d, 'day');
  return new Date(t).toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The date and time, e.g. for a tooltip. */
export function absoluteTime(iso: string, locale?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}
