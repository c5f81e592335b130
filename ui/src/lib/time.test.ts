// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { absoluteTime, relativeTime } from './time';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('times shown in the UI', () => {
  it("are in the locale's words and formats", () => {
    expect(relativeTime(ago(10), NOW, 'en-US')).toBe('now');
    expect(relativeTime(ago(3 * 60), NOW, 'en-US')).toBe('3 minutes ago');
    expect(relativeTime(ago(3 * 60), NOW, 'de-DE')).toBe('vor 3 Minuten');
    expect(relativeTime(ago(26 * 3600), NOW, 'de-DE')).toBe('gestern');
    expect(relativeTime(ago(3 * 86400), NOW, 'fr-FR')).toBe('il y a 3 jours');
    expect(relativeTime('2026-01-02T08:00:00Z', NOW, 'de-DE')).toBe('2. Jan. 2026');
    expect(relativeTime('2026-01-02T08:00:00Z', NOW, 'en-GB')).toBe('2 Jan 2026');
    expect(absoluteTime('2026-01-02T08:00:00Z', 'de-DE')).toMatch(/^02\.01\.2026, \d\d:00$/);
  });

  it('follow the system locale by default', () => {
    const system = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    expect(relativeTime(ago(3 * 60), NOW)).toBe(system.format(-3, 'minute'));
    const date = new Date('2026-01-02T08:00:00Z');
    expect(absoluteTime(date.toISOString())).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date));
  });
});
