import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Vitest runs with `css: false`, so components' CSS imports add nothing to jsdom. This adds the
 * real files (paths relative to `ui/src`), so `getComputedStyle` follows their cascade. jsdom does
 * not resolve custom properties: a colour reads back as written, e.g. `var(--pass)`.
 */
export function addStylesheets(...files: string[]): () => void {
  const styles = files.map((file) => {
    const style = document.createElement('style');
    style.textContent = readFileSync(path.join(import.meta.dirname, '..', file), 'utf8');
    document.head.append(style);
    return style;
  });
  return () => styles.forEach((s) => s.remove());
}
