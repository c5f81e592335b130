import type { IpcError } from './bindings';

/**
 * One answer line of `segments-bridge` (src-tauri/src/bridge.rs) for one call: any
 * number of progress lines, then exactly one `ok` or `error`. The process adds the
 * call's `id`; the dev server's `/__bridge` leaves it out (one call per request).
 */
export type BridgeAnswer = { progress: unknown } | { ok: unknown } | { error: IpcError };

/** A command's progress listener; the generated `Backend` types its step (`SyncProgress`, `ReadProgress`). */
export type ProgressListener = (progress: never) => void;

/**
 * The call's arguments as the bridge takes them, and its progress listener: a
 * function-valued argument is the listener, sent as a null placeholder (progress comes
 * back as lines, not through the argument).
 */
export function separateListener(args: Record<string, unknown>): {
  args: Record<string, unknown>;
  listener: ProgressListener | null;
} {
  let listener: ProgressListener | null = null;
  const sent = Object.fromEntries(
    Object.entries(args).map(([name, value]) => {
      if (typeof value !== 'function') return [name, value];
      listener = value as ProgressListener;
      return [name, null];
    }),
  );
  return { args: sent, listener };
}

/** What one answer line means for the call: more to come, or its outcome. */
export type Outcome = { done: false } | { done: true; ok: true; value: unknown } | { done: true; ok: false; error: IpcError };

/** Hands a progress line to the listener, or says how the call ended. */
export function readAnswer(answer: BridgeAnswer, listener: ProgressListener | null): Outcome {
  if ('progress' in answer) {
    // The step is the command's own type, as its Backend method promises the listener.
    (listener as ((p: unknown) => void) | null)?.(answer.progress);
    return { done: false };
  }
  if ('error' in answer) return { done: true, ok: false, error: answer.error };
  return { done: true, ok: true, value: answer.ok };
}
