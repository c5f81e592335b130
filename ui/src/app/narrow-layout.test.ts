// @vitest-environment node
// jsdom has no layout and no media queries, so this reads the stylesheets: under ~1200px the
// workspace has two columns with the what-if panel below the editor, and rule rows wrap. (The
// e2e suite's screenshot at 1024×700 checks the result.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const css = (file: string) => readFileSync(path.join(import.meta.dirname, '..', file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

function declarations(block: string, selector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    if (!m[1].split(',').some((s) => s.trim() === selector)) continue;
    for (const d of m[2].matchAll(/([\w-]+)\s*:\s*([^;]+)/g)) out[d[1]] = d[2].trim();
  }
  return out;
}

function mediaBlocks(text: string): { maxWidth: number; body: string }[] {
  return [...text.matchAll(/@media\s*\(max-width:\s*(\d+)px\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}/g)].map((m) => ({
    maxWidth: Number(m[1]),
    body: m[2],
  }));
}

describe('a narrow window (1024×700)', () => {
  it('stacks the what-if panel below the editor under ~1200px', () => {
    const narrow = mediaBlocks(css('app/shell.css')).filter((b) => b.maxWidth >= 1024 && b.maxWidth < 1280);
    const stacked = narrow.find((b) => declarations(b.body, '.what-if-pane')['grid-column'] === '2');
    expect(stacked, 'a max-width media query that moves the what-if pane under the editor').toBeDefined();
    const workspace = declarations(stacked!.body, '.workspace');
    expect(workspace['grid-template-columns'].split(/\s+(?![^(]*\))/)).toHaveLength(2);
    expect(workspace['grid-template-rows']).toBeDefined();
    expect(declarations(stacked!.body, '.workspace > .segment-list')['grid-row']).toBe('1 / span 2');
  });

  it('wraps rule rows, the editor header and trace rows instead of overflowing', () => {
    expect(declarations(css('features/editor/rule-builder.css'), '.rule-builder .rule')['flex-wrap']).toBe('wrap');
    expect(declarations(css('features/editor/editor.css'), '.editor-header')['flex-wrap']).toBe('wrap');
    expect(declarations(css('features/editor/editor.css'), '.editor-actions')['flex-wrap']).toBe('wrap');
    expect(declarations(css('features/what-if/what-if.css'), '.trace-row')['flex-wrap']).toBe('wrap');
  });
});
