// Text <-> JSON value conversion for the value editors. Pure and unit-tested.
import type { JsonValue, OperatorInfo, ValueKind } from '../../lib/backend/bindings';

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** "42" → 42; "4x" stays the raw string so validation can point at it. Empty → undefined. */
export function parseNumberish(text: string): JsonValue | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (NUMBER.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n)) return n;
  }
  return s;
}

/**
 * Free-form scalar: true/false → boolean, numbers → number, "quoted" → string,
 * anything else → string. Empty → undefined.
 */
export function parseScalar(text: string): JsonValue | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      const v: unknown = JSON.parse(s);
      if (typeof v === 'string') return v;
    } catch {
      /* fall through: treat as text */
    }
  }
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (NUMBER.test(s)) {
    const n = Number(s);
    if (Number.isFinite(n)) return n;
  }
  return s;
}

/** Inverse of parseScalar: strings that would parse as something else are shown quoted. */
export function formatScalar(v: JsonValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return parseScalar(v) === v ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

function parseText(text: string): JsonValue | undefined {
  return text === '' ? undefined : text;
}

function formatText(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function formatNumberish(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export type ValueCodec = {
  parse: (text: string) => JsonValue | undefined;
  format: (v: JsonValue | undefined) => string;
};

export function codecFor(kind: ValueKind): ValueCodec {
  switch (kind) {
    case 'number':
      return { parse: parseNumberish, format: formatNumberish };
    case 'scalar':
      return { parse: parseScalar, format: formatScalar };
    default:
      return { parse: parseText, format: formatText };
  }
}

/** Whether the "case-insensitive" flag means something for this operator (the backend says so). */
export function supportsCaseInsensitive(info: OperatorInfo | undefined): boolean {
  return info?.case_insensitive === true;
}

/** Adapt a rule's values when its operator changes (none → [], single → first value). */
export function coerceValues(values: JsonValue[], info: OperatorInfo | undefined): JsonValue[] {
  if (!info) return values;
  if (info.value_kind === 'none') return [];
  if (!info.multi) return values.slice(0, 1);
  return values;
}

/** Split pasted text like "US, CA\nMX" into separate entries. */
export function splitEntries(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
