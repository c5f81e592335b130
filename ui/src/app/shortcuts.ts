import { useEffect, useEffectEvent } from 'react';

type ShortcutHandlers = {
  save: () => void;
  newSegment: () => void;
  focusSearch: () => void;
};

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** Ctrl/Cmd+S save, Ctrl/Cmd+N new segment, Ctrl/Cmd+K or "/" focus search. */
export function useGlobalShortcuts(handlers: ShortcutHandlers, enabled = true) {
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (!enabled || e.defaultPrevented) return;
    if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && !e.altKey && !e.shiftKey && key === 's') {
      e.preventDefault();
      handlers.save();
    } else if (mod && !e.altKey && !e.shiftKey && key === 'n') {
      e.preventDefault();
      handlers.newSegment();
    } else if (mod && !e.altKey && !e.shiftKey && key === 'k') {
      e.preventDefault();
      handlers.focusSearch();
    } else if (!mod && !e.altKey && e.key === '/' && !isEditable(e.target)) {
      e.preventDefault();
      handlers.focusSearch();
    }
  });

  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyDown(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
