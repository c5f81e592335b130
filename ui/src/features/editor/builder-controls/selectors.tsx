// The group-header match type, the attribute and the operator controls; each
// shows validation issues for its exact field.
import type { ChangeEvent } from 'react';
import type { CombinatorSelectorProps, FieldSelectorProps, OperatorSelectorProps } from 'react-querybuilder';
import type { ValueKind } from '../../../lib/backend/bindings';
import { MATCH_TYPES, MATCH_TYPE_LABELS } from '../../../lib/segments';
import { FieldIssues } from '../../../shared/ui/FieldIssues';
import { builderContext } from '../builder-context';
import type { BuilderRule } from '../convert';
import { normaliseValues } from '../convert';
import { elementIdFor } from '../issues';
import { coerceValues, supportsCaseInsensitive } from '../values';
import { a11yInvalid, conditionName, groupName } from './accessible-names';
import { BOOLEAN_CHOICES, booleanChoiceByOption, booleanChoiceOf } from './boolean-choices';
import { TraceMark } from './TraceMark';

// ------------------------------------------------------------------ group header

export function CombinatorSelector(props: CombinatorSelectorProps) {
  const ctx = builderContext(props.context);
  const isRoot = props.path.length === 0;
  const id = elementIdFor(props.path, 'match_type');
  const issues = [...ctx.issues.at(props.path, 'match_type'), ...ctx.issues.at(props.path, 'rules')];
  const label = isRoot ? 'Match type' : `${groupName(props.path)} match type`;
  return (
    <span className="group-head">
      <TraceMark node={ctx.traceAt(props.path)} name={groupName(props.path)} />
      {isRoot && <span className="group-head-text">Matches when</span>}
      <select
        id={id}
        className="combinator-select"
        aria-label={label}
        value={props.value ?? 'all'}
        disabled={props.disabled}
        onChange={(e) => props.handleOnChange(e.target.value)}
        {...a11yInvalid(id, issues)}
      >
        {MATCH_TYPES.map((m) => (
          <option key={m} value={m}>
            {MATCH_TYPE_LABELS[m]}
          </option>
        ))}
      </select>
      <span className="group-head-text">{isRoot ? 'these conditions' : 'these'}</span>
      <FieldIssues id={`${id}-issues`} issues={issues} />
    </span>
  );
}

// ------------------------------------------------------------------ attribute

/** The attribute given to in_segment / not_in_segment conditions when the person left it empty. */
const SEGMENT_ATTRIBUTE = 'segment';

export function FieldSelector(props: FieldSelectorProps) {
  const ctx = builderContext(props.context);
  const rule = props.rule as BuilderRule;
  const info = ctx.operatorMap.get(rule.operator);
  const id = elementIdFor(props.path, 'attribute');
  const issues = ctx.issues.at(props.path, 'attribute');
  const name = conditionName(props.path);
  if (info?.value_kind === 'segment') {
    // in_segment / not_in_segment test no attribute of the context: nothing to fill in here
    return (
      <span className="rule-field">
        <TraceMark node={ctx.traceAt(props.path)} name={name} />
        <span className="rule-field-text">The person is</span>
        <FieldIssues id={`${id}-issues`} issues={issues} />
      </span>
    );
  }
  return (
    <span className="rule-field">
      <TraceMark node={ctx.traceAt(props.path)} name={name} />
      <input
        id={id}
        className="attr-input"
        type="text"
        aria-label={`${name} attribute`}
        placeholder="attribute, e.g. country"
        list={ctx.attributeListId}
        autoComplete="off"
        spellCheck={false}
        value={rule.field}
        title={rule.field || undefined}
        disabled={props.disabled}
        onChange={(e) => props.handleOnChange(e.target.value)}
        {...a11yInvalid(id, issues)}
      />
      <FieldIssues id={`${id}-issues`} issues={issues} />
    </span>
  );
}

// ------------------------------------------------------------------ operator

const KIND_GROUPS: { label: string; kinds: ValueKind[] }[] = [
  { label: 'Values', kinds: ['scalar'] },
  { label: 'Text', kinds: ['string', 'regex'] },
  { label: 'Numbers', kinds: ['number'] },
  { label: 'Presence', kinds: ['none'] },
  { label: 'Versions', kinds: ['semver'] },
  { label: 'Dates', kinds: ['date'] },
  { label: 'Segments', kinds: ['segment'] },
];

export function OperatorSelector(props: OperatorSelectorProps) {
  const ctx = builderContext(props.context);
  const rule = props.rule as BuilderRule;
  const id = elementIdFor(props.path, 'operator');
  const issues = ctx.issues.at(props.path, 'operator');
  const known = ctx.operatorMap.has(rule.operator);
  const groups = KIND_GROUPS.map((g) => ({
    label: g.label,
    ops: ctx.operators.filter((o) => g.kinds.includes(o.value_kind)),
  })).filter((g) => g.ops.length > 0);
  const grouped = new Set(groups.flatMap((g) => g.ops.map((o) => o.operator)));
  const others = ctx.operators.filter((o) => !grouped.has(o.operator));

  const choice = booleanChoiceOf(rule);
  const offerBooleans = choice !== undefined || ctx.isBoolean(rule.field);

  const onChange = (e: ChangeEvent<HTMLSelectElement>) => {
    const picked = booleanChoiceByOption(e.target.value);
    if (picked) {
      ctx.patch(props.path, { operator: 'eq', value: [picked.value], case_insensitive: undefined });
      return;
    }
    const next = ctx.operatorMap.get(e.target.value);
    // leaving "is true" for "equals": start from no value, or it would read back as "is true"
    const values = choice && e.target.value === 'eq' ? [] : coerceValues(normaliseValues(rule.value), next);
    ctx.patch(props.path, {
      operator: e.target.value,
      value: values,
      case_insensitive: supportsCaseInsensitive(next) ? rule.case_insensitive : undefined,
      // in_segment / not_in_segment test no context attribute, but a condition needs one
      ...(next?.value_kind === 'segment' && rule.field.trim() === '' ? { field: SEGMENT_ATTRIBUTE } : {}),
      // ...and leaving them, that placeholder attribute means nothing
      ...(next?.value_kind !== 'segment' && ctx.operatorMap.get(rule.operator)?.value_kind === 'segment' && rule.field === SEGMENT_ATTRIBUTE
        ? { field: '' }
        : {}),
    });
  };

  return (
    <span className="rule-operator">
      <select
        id={id}
        aria-label={`${conditionName(props.path)} operator`}
        value={choice?.option ?? rule.operator}
        disabled={props.disabled}
        onChange={onChange}
        {...a11yInvalid(id, issues)}
      >
        {!known && <option value={rule.operator}>{rule.operator || 'Choose…'}</option>}
        {offerBooleans && (
          <optgroup label="Yes / no">
            {BOOLEAN_CHOICES.map((c) => (
              <option key={c.option} value={c.option}>
                {c.label}
              </option>
            ))}
          </optgroup>
        )}
        {groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.ops.map((o) => (
              <option key={o.operator} value={o.operator}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
        {others.map((o) => (
          <option key={o.operator} value={o.operator}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldIssues id={`${id}-issues`} issues={issues} />
    </span>
  );
}
