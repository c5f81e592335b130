import type { JsonValue, OperatorInfo, Segment } from '../../lib/backend/bindings';
import { isGroup } from '../../lib/segments';

/** The kinds of value the context form offers, in a PM's words. */
export type FieldType = 'text' | 'number' | 'yes/no' | 'list' | 'empty';

export const FIELD_TYPES: readonly { type: FieldType; label: string }[] = [
  { type: 'text', label: 'Text' },
  { type: 'number', label: 'Number' },
  { type: 'yes/no', label: 'Yes/no' },
  { type: 'list', label: 'List' },
  { type: 'empty', label: 'Empty' },
];

/** One row of the form: an attribute, whether the context sets it, and its value's type. */
export type ContextField = {
  path: string;
  /** The context's value; undefined when the context does not set the attribute. */
  value: JsonValue | undefined;
  type: FieldType;
  /** The segment tests this attribute (the row is offered even while it is not set). */
  used: boolean;
};

type JsonObject = { [key: string]: JsonValue };

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function typeOf(value: JsonValue): FieldType {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'yes/no';
  return 'text';
}

/**
 * The attributes a segment's conditions test, each with the type its values suggest (a
 * number for "at least", yes/no for "is true"). Segment references test no attribute.
 */
export function attributesUsed(segment: Pick<Segment, 'rules'>, operators: readonly OperatorInfo[]): Map<string, FieldType> {
  const kinds = new Map(operators.map((o) => [o.operator, o.value_kind]));
  const used = new Map<string, FieldType>();
  const walk = (rules: Segment['rules']) => {
    for (const rule of rules) {
      if (isGroup(rule)) {
        walk(rule.rules);
        continue;
      }
      const kind = kinds.get(rule.operator);
      if (kind === 'segment' || !rule.attribute || used.has(rule.attribute)) continue;
      const first = rule.values[0];
      used.set(rule.attribute, kind === 'number' ? 'number' : kind === 'scalar' && first !== undefined ? typeOf(first) : 'text');
    }
  };
  walk(segment.rules);
  return used;
}

/** The leaves of a context: its attributes with a value that is not a group of fields, by dotted path. */
function leaves(context: JsonObject, prefix: string, out: Map<string, JsonValue>) {
  for (const [k, v] of Object.entries(context)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (isObject(v) && Object.keys(v).length > 0) leaves(v, path, out);
    else out.set(path, v);
  }
}

/** The value at an attribute path, read as the engine reads it: a literal key first, then nested fields. */
export function valueAt(context: JsonObject, path: string): JsonValue | undefined {
  if (Object.hasOwn(context, path)) return context[path];
  let node: JsonValue | undefined = context;
  for (const part of path.split('.')) {
    if (!isObject(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** The form's rows: the attributes the segment uses first (in rule order), then the rest of the context. */
export function contextFields(context: JsonObject, used: ReadonlyMap<string, FieldType>): ContextField[] {
  const rows: ContextField[] = [];
  for (const [path, type] of used) {
    const value = valueAt(context, path);
    rows.push({ path, value, type: value === undefined ? type : typeOf(value), used: true });
  }
  const rest = new Map<string, JsonValue>();
  leaves(context, '', rest);
  for (const [path, value] of rest) {
    if (!used.has(path)) rows.push({ path, value, type: typeOf(value), used: false });
  }
  return rows;
}

/** A copy of the context with the attribute set (undefined removes it), at the literal key when there is one, else nested. */
export function withValue(context: JsonObject, path: string, value: JsonValue | undefined): JsonObject {
  const copy = structuredClone(context);
  if (Object.hasOwn(copy, path) || !path.includes('.')) {
    if (value === undefined) delete copy[path];
    else copy[path] = value;
    return copy;
  }
  const parts = path.split('.');
  const last = parts.pop() as string;
  const parents: JsonObject[] = [copy];
  let node: JsonObject = copy;
  for (const part of parts) {
    const next = node[part];
    if (!isObject(next)) {
      if (value === undefined) return copy;
      if (next !== undefined) {
        // A field that holds a value, not a group: the attribute can only be a literal key.
        copy[path] = value;
        return copy;
      }
      node[part] = {};
    }
    node = node[part] as JsonObject;
    parents.push(node);
  }
  if (value !== undefined) {
    node[last] = value;
    return copy;
  }
  delete node[last];
  // Groups left empty by the removal go too, so the JSON keeps no `"address": {}`.
  for (let i = parts.length - 1; i >= 0 && Object.keys(parents[i + 1]).length === 0; i--) delete parents[i][parts[i]];
  return copy;
}

/** The text a value shows in its field. */
export function fieldText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export type Parsed = { ok: true; value: JsonValue } | { ok: false; problem: string };

/**
 * The typed value a field's text holds, or what is wrong with it. A list's items are text,
 * unless the list it replaces held only numbers and every item still reads as one.
 */
export function parseField(type: FieldType, text: string, previous?: JsonValue): Parsed {
  switch (type) {
    case 'text':
      return { ok: true, value: text };
    case 'number': {
      const t = text.trim();
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, problem: 'Enter a number, like 42 or 9.5' };
    }
    case 'yes/no':
      return text === 'true' || text === 'false' ? { ok: true, value: text === 'true' } : { ok: false, problem: 'Choose yes or no' };
    case 'list': {
      const items = text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const numbers = Array.isArray(previous) && previous.length > 0 && previous.every((v) => typeof v === 'number');
      const asNumbers = items.map(Number);
      return { ok: true, value: numbers && asNumbers.every(Number.isFinite) ? asNumbers : items };
    }
    case 'empty':
      return { ok: true, value: null };
  }
}

/** The value a field gets when its type is changed: the old value carried over where it means the same. */
export function convert(value: JsonValue | undefined, type: FieldType): JsonValue {
  const text = fieldText(value);
  switch (type) {
    case 'text':
      return text;
    case 'number': {
      const parsed = parseField('number', text);
      return parsed.ok ? parsed.value : 0;
    }
    case 'yes/no':
      return value === true || text === 'true';
    case 'list':
      return Array.isArray(value) ? value : text === '' ? [] : [value as JsonValue];
    case 'empty':
      return null;
  }
}
