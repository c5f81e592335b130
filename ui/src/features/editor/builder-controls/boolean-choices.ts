// "is true" / "is false" in the operator list: a presentation of `eq` with the value true or false,
// not operators of their own. Choosing "is true" writes operator eq with values [true]; a condition
// read back as eq [true] shows "is true".
import type { JsonValue } from '../../../lib/backend/bindings';
import type { BuilderRule } from '../convert';
import { normaliseValues } from '../convert';

export type BooleanChoice = { option: string; label: string; value: boolean };

export const BOOLEAN_CHOICES: readonly BooleanChoice[] = [
  { option: 'eq:true', label: 'is true', value: true },
  { option: 'eq:false', label: 'is false', value: false },
];

/** The choice a condition shows as, if it is eq with exactly one true/false value. */
export function booleanChoiceOf(rule: BuilderRule): BooleanChoice | undefined {
  const values: JsonValue[] = normaliseValues(rule.value);
  if (rule.operator !== 'eq' || values.length !== 1 || typeof values[0] !== 'boolean') return undefined;
  return BOOLEAN_CHOICES.find((c) => c.value === values[0]);
}

export function booleanChoiceByOption(option: string): BooleanChoice | undefined {
  return BOOLEAN_CHOICES.find((c) => c.option === option);
}
