import type { IpcError, IpcErrorCode, ValidationIssue } from './bindings';

function isIssue(v: unknown): v is ValidationIssue {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ValidationIssue).path === 'string' &&
    typeof (v as ValidationIssue).message === 'string'
  );
}

export function isIpcError(e: unknown): e is IpcError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as IpcError).code === 'string' &&
    typeof (e as IpcError).message === 'string'
  );
}

/** Normalises whatever a backend call rejected with into an IpcError. */
export function toIpcError(e: unknown): IpcError {
  if (isIpcError(e)) {
    const details = Array.isArray(e.details) ? e.details.filter(isIssue) : [];
    return { code: e.code, message: e.message, details };
  }
  if (typeof e === 'string') {
    // Tauri rejects with a string when a command panics or is missing.
    return { code: 'internal', message: e, details: [] };
  }
  if (e instanceof Error) return { code: 'internal', message: e.message, details: [] };
  return { code: 'internal', message: String(e), details: [] };
}

export function ipcError(code: IpcErrorCode, message: string, details: ValidationIssue[] = []): IpcError {
  return { code, message, details };
}

/**
 * The problems to show at fields for a failed save: the error's details, plus,
 * for a `conflict` (a taken key, which the backend reports without details), the
 * conflict itself at the `key` field.
 */
export function fieldIssuesOf(error: IpcError | null | undefined): ValidationIssue[] {
  if (!error) return [];
  if (error.code === 'conflict' && !error.details.some((d) => d.path === 'key')) {
    return [...error.details, { path: 'key', code: 'conflict', message: error.message }];
  }
  return error.details;
}
