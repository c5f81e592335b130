// @vitest-environment node
// WCAG AA for text (4.5:1) across every stylesheet: each rule's text colour against its own
// background, or, without one, against the backgrounds it is drawn on (the panels and the page,
// or the dark top bar and toasts). Custom properties are resolved from :root; translucent colours
// are blended over what is beneath them.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Rgba = [number, number, number, number];
type Rule = { file: string; selector: string; decls: Record<string, string> };

const SRC = path.join(import.meta.dirname, '..');
const DARK_BAR = /\.topbar|\.nav-item|\.brand|\.toast/;

function stylesheets(): Rule[] {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.css'));
  return files.flatMap((file) => {
    const css = readFileSync(path.join(SRC, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/@media[^{]*\{([\s\S]*?\})\s*\}/g, '$1');
    return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
      file,
      selector: m[1].trim().replace(/\s+/g, ' '),
      decls: Object.fromEntries([...m[2].matchAll(/([\w-]+)\s*:\s*([^;]+)/g)].map((d) => [d[1], d[2].trim()])),
    }));
  });
}

function colourParser(vars: Record<string, string>) {
  return (value: string | undefined): Rgba | null => {
    if (!value) return null;
    let v = value;
    for (let i = 0; i < 5 && v.includes('var('); i++) v = v.replace(/var\((--[\w-]+)\)/g, (_, name: string) => vars[name] ?? '');
    const hex = /#([0-9a-f]{6}|[0-9a-f]{3})\b/i.exec(v)?.[1];
    if (hex) {
      const h = hex.length === 3 ? [...hex].map((x) => x + x).join('') : hex;
      return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)).concat(1) as Rgba;
    }
    const rgb = /rgba?\(([^)]+)\)/.exec(v)?.[1];
    if (rgb) {
      const [r, g, b, a = 1] = rgb.split(/[\s,/]+/).filter(Boolean).map(Number);
      return [r, g, b, a];
    }
    if (/\bwhite\b/.test(v)) return [255, 255, 255, 1];
    return null;
  };
}

const over = (top: Rgba, below: Rgba): Rgba => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat(1) as Rgba;
const channel = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
const luminance = (c: Rgba) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
function contrast(text: Rgba, background: Rgba): number {
  const [a, b] = [luminance(over(text, background)), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

describe('text contrast', () => {
  const rules = stylesheets();
  const vars = Object.assign({}, ...rules.filter((r) => r.selector === ':root').map((r) => r.decls)) as Record<string, string>;
  const colour = colourParser(vars);

  it('meets 4.5:1 for every text colour on the backgrounds it is drawn on', () => {
    const page = { panel: colour('var(--panel)')!, page: colour('var(--bg)')!, 'panel-2': colour('var(--panel-2)')! };
    const failing: string[] = [];
    for (const rule of rules) {
      const text = colour(rule.decls.color);
      if (!text) continue;
      const beneath: Record<string, Rgba> = DARK_BAR.test(rule.selector) ? { 'dark bar': colour('#1d2330')! } : page;
      const own = colour(rule.decls.background ?? rule.decls['background-color']);
      for (const [name, below] of Object.entries(beneath)) {
        const background = own ? over(own, below) : below;
        const ratio = contrast(text, background);
        if (ratio < 4.5) failing.push(`${rule.file} ${rule.selector}: ${ratio.toFixed(2)} on ${own ? 'its own background over ' : ''}${name}`);
      }
    }
    expect(rules.length).toBeGreaterThan(100);
    expect(failing).toEqual([]);
  });

  it('meets 4.5:1 for the shared text colours on the shared soft backgrounds (badges, chips, banners)', () => {
    const failing: string[] = [];
    for (const text of ['--text', '--muted', '--accent', '--pass', '--fail', '--danger'])
      for (const bg of ['--panel', '--bg', '--panel-2', '--pass-soft', '--fail-soft', '--danger-soft', '--accent-soft', '--warn-soft']) {
        const ratio = contrast(colour(vars[text])!, colour(vars[bg])!);
        if (ratio < 4.5) failing.push(`${text} on ${bg}: ${ratio.toFixed(2)}`);
      }
    expect(failing).toEqual([]);
  });

  it('fades no text with opacity, except disabled controls', () => {
    const faded = rules.filter((r) => r.decls.opacity && Number(r.decls.opacity) < 1 && !/disabled/.test(r.selector));
    expect(faded.map((r) => `${r.file} ${r.selector}`)).toEqual([]);
  });
});
