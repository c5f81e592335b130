import type { AttributeProfile, AttributeType, JsonValue } from '../../lib/backend/bindings';

/** What the rule builder needs of an attribute's profile. */
type Profile = Pick<AttributeProfile, 'name' | 'types' | 'top_values'>;

/** What the rule builder suggests as you type, learnt from the populations' files and the personas. */
export type Suggestions = {
  /** Per attribute: its type and example values, as the attribute list shows them. */
  hints: Map<string, string>;
  /** Per attribute: its most frequent values, offered in the value field. */
  values: Map<string, string[]>;
  /** Attributes that only ever hold true or false (offered "is true" / "is false"). */
  booleans: Set<string>;
};

export const NO_SUGGESTIONS: Suggestions = { hints: new Map(), values: new Map(), booleans: new Set() };

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'number',
  boolean: 'yes/no',
  array: 'list',
  object: 'group of fields',
  null: 'empty',
};

function shown(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Suggestions from every population's detected attributes (the first population wins a tie). */
export function suggestionsFrom(populations: readonly { attributes: readonly Profile[] }[]): Suggestions {
  const hints = new Map<string, string>();
  const values = new Map<string, string[]>();
  const booleans = new Set<string>();
  for (const p of populations) {
    for (const a of p.attributes) {
      if (hints.has(a.name)) continue;
      if (a.types.some((t) => t === 'boolean') && a.types.every((t) => t === 'boolean' || t === 'null')) booleans.add(a.name);
      const types = a.types.filter((t) => t !== 'null').map((t) => TYPE_WORDS[t] ?? t);
      const examples = a.top_values.slice(0, 3).map((t) => shown(t.value));
      hints.set(a.name, [types.join(' or '), examples.length ? `e.g. ${examples.join(', ')}` : ''].filter(Boolean).join(' · '));
      if (a.top_values.length) values.set(a.name, a.top_values.map((t) => shown(t.value)));
    }
  }
  return { hints, values, booleans };
}

function jsonType(value: JsonValue): AttributeType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/**
 * Profiles of the attributes a few saved contexts (the personas) hold, by dotted path: their
 * types and their values, most frequent first. A population's profile comes from the Rust
 * reader over whole files; a handful of personas needs no more than a count.
 */
export function profilesOf(contexts: readonly JsonValue[]): Profile[] {
  const seen = new Map<string, { types: Map<AttributeType, number>; values: Map<string, { value: JsonValue; count: number }> }>();
  const visit = (value: JsonValue, path: string) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
      return;
    }
    if (!path) return;
    const entry = seen.get(path) ?? { types: new Map(), values: new Map() };
    seen.set(path, entry);
    const type = jsonType(value);
    entry.types.set(type, (entry.types.get(type) ?? 0) + 1);
    if (type === 'array') return;
    const id = JSON.stringify(value);
    const known = entry.values.get(id);
    entry.values.set(id, { value, count: (known?.count ?? 0) + 1 });
  };
  for (const context of contexts) visit(context, '');
  const byCount = <T>(m: Map<T, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  return [...seen].map(([name, e]) => ({
    name,
    types: byCount(e.types),
    top_values: [...e.values.values()].sort((a, b) => b.count - a.count).slice(0, 10),
  }));
}
