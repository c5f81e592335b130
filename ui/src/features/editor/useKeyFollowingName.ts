import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useBackend } from '../../lib/backend/backend';
import { queryKeys } from '../../lib/query-keys';
import type { Draft } from './draft';
import { segmentField } from './edited-fields';

/** A new segment's key follows its name until the key is typed by hand. */
export function keyFollowsName(d: Draft): boolean {
  return d.originalKey === null && !d.edited.includes(segmentField('key'));
}

/**
 * Keeps a new segment's key derived from its name, by the engine (the derivation a pull uses
 * for remote segments without a key), so the app and a pull agree on "Über fans" → "uber-fans".
 */
export function useKeyFollowingName(draft: Draft, onDraftChange: (updater: (d: Draft) => Draft) => void): void {
  const backend = useBackend();
  const name = draft.name;
  const derived = useQuery({
    queryKey: queryKeys.keyFromName(name),
    queryFn: () => backend.keyFromName(name),
    enabled: keyFollowsName(draft),
    staleTime: Infinity,
  });
  const key = derived.data;
  // Applied once per answer, not on every render: an update also clears the save error.
  const change = useRef(onDraftChange);
  useEffect(() => {
    change.current = onDraftChange;
  });
  useEffect(() => {
    if (key === undefined) return;
    // The answer for an older name, or after the key was typed, changes nothing.
    change.current((d) => (keyFollowsName(d) && d.name === name && d.key !== key ? { ...d, key } : d));
  }, [key, name]);
}
