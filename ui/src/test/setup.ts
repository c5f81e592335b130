import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { closeEverything } from './bridge';

// generous: every call runs on the real core in a child process (see vite.config.ts)
configure({ asyncUtilTimeout: 10000 });

afterEach(async () => {
  cleanup();
  // every bridge and fake remote the test started
  await closeEverything();
});

// The rest is for jsdom; a `// @vitest-environment node` test has no DOM.
if (typeof HTMLElement !== 'undefined') {
  // jsdom has no layout. The virtualized list needs a viewport size to render rows.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get() {
      return 800;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get() {
      return 300;
    },
  });

  // CodeMirror measures text through Range rects, which jsdom lacks.
  const emptyRect = (): DOMRect =>
    ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) }) as DOMRect;
  if (!Range.prototype.getBoundingClientRect) Range.prototype.getBoundingClientRect = emptyRect;
  if (!Range.prototype.getClientRects) {
    Range.prototype.getClientRects = () =>
      ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  }
}
