import type { AttributeProfile, JsonValue } from '../../lib/backend/bindings';

/** What the rule builder suggests as you type, learnt from the populations' files. */
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
export function suggestionsFrom(populations: readonly { attributes: AttributeProfile[] }[]): Suggestions {
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
