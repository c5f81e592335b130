// Custom react-querybuilder controls: every control has a stable, unique
// accessible name derived from its position ("Condition 2.1 operator"), shows
// validation issues for its exact field, and a what-if pass/fail marker.
import { useState } from 'react';
import type { ChangeEvent, ClipboardEvent, InputHTMLAttributes, KeyboardEvent, ReactNode } from 'react';
import type {
  ActionProps,
  CombinatorSelectorProps,
  FieldSelectorProps,
  OperatorSelectorProps,
  ShiftActionsProps,
  ValueEditorProps,
} from 'react-querybuilder';
import type { JsonValue, OperatorInfo, TraceNode, ValueKind } from '../../lib/backend/bindings';
import { MATCH_TYPES, MATCH_TYPE_LABELS, jsonEqual, rulePathLabel } from '../../lib/segments';
import { FieldIssues } from '../../shared/ui/FieldIssues';
import { builderContext } from './builder-context';
import type { BuilderRule } from './convert';
import { normaliseValues } from './convert';
import { elementIdFor } from './issues';
import type { LocatedIssue } from './issues';
import {
  DATE_ONLY,
  codecFor,
  coerceValues,
  formatScalar,
  parseScalar,
  splitEntries,
  supportsCaseInsensitive,
} from './values';
import type { ValueCodec } from './values';

// ------------------------------------------------------------------ helpers

function conditionName(path: readonly number[]): string {
  return `Condition ${rulePathLabel(path)}`;
}

function groupName(path: readonly number[]): string {
  return path.length === 0 ? 'Segment' : `Group ${rulePathLabel(path)}`;
}

function a11yInvalid(id: string, issues: readonly LocatedIssue[]) {
  return issues.length > 0 ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-issues` } : {};
}

function TraceMark({ node, name }: { node: TraceNode | undefined; name: string }) {
  if (!node) return null;
  const text = node.matched ? 'matches' : 'does not match';
  const title = node.kind === 'condition' ? node.message : `${name} ${text} the what-if context`;
  return (
    <span
      className={`trace-mark ${node.matched ? 'is-pass' : 'is-fail'}`}
      role="img"
      aria-label={`${name} ${text} the what-if context`}
      title={title}
    >
      {node.matched ? '✓' : '✗'}
    </span>
  );
}

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

// ------------------------------------------------------------------ actions

type ActionKind = 'addRule' | 'addGroup' | 'removeRule' | 'removeGroup' | 'cloneRule' | 'cloneGroup';

function actionName(kind: ActionKind, path: readonly number[]): string {
  const root = path.length === 0;
  switch (kind) {
    case 'addRule':
      return root ? 'Add condition' : `Add condition to ${groupName(path).toLowerCase()}`;
    case 'addGroup':
      return root ? 'Add group' : `Add group to ${groupName(path).toLowerCase()}`;
    case 'removeRule':
      return `Remove ${conditionName(path).toLowerCase()}`;
    case 'removeGroup':
      return `Remove ${groupName(path).toLowerCase()}`;
    case 'cloneRule':
      return `Duplicate ${conditionName(path).toLowerCase()}`;
    case 'cloneGroup':
      return `Duplicate ${groupName(path).toLowerCase()}`;
  }
}

const CopyIcon = (
  <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
    <rect x="5" y="5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
    <path d="M3 11V3.5A1.5 1.5 0 0 1 4.5 2H11" fill="none" stroke="currentColor" strokeWidth="1.5" />
  </svg>
);

const ACTION_TEXT: Record<ActionKind, ReactNode> = {
  addRule: '+ Condition',
  addGroup: '+ Group',
  removeRule: '✕',
  removeGroup: '✕',
  cloneRule: CopyIcon,
  cloneGroup: CopyIcon,
};

function makeAction(kind: ActionKind) {
  function Action(props: ActionProps) {
    const name = actionName(kind, props.path);
    const isAdd = kind === 'addRule' || kind === 'addGroup';
    return (
      <button
        type="button"
        className={`btn btn-sm ${isAdd ? 'btn-secondary' : 'btn-ghost'} rqb-action rqb-action-${kind}`}
        aria-label={name}
        title={name}
        disabled={props.disabled}
        onClick={(e) => props.handleOnClick(e)}
      >
        {ACTION_TEXT[kind]}
      </button>
    );
  }
  Action.displayName = `${kind}Action`;
  return Action;
}

export const AddRuleAction = makeAction('addRule');
export const AddGroupAction = makeAction('addGroup');
export const RemoveRuleAction = makeAction('removeRule');
export const RemoveGroupAction = makeAction('removeGroup');
export const CloneRuleAction = makeAction('cloneRule');
export const CloneGroupAction = makeAction('cloneGroup');

export function ShiftActions(props: ShiftActionsProps) {
  const isGroup = 'rules' in props.ruleOrGroup;
  const name = (isGroup ? groupName(props.path) : conditionName(props.path)).toLowerCase();
  return (
    <span className="shift-actions">
      <button
        type="button"
        className="btn btn-sm btn-ghost"
        aria-label={`Move ${name} up`}
        title={`Move ${name} up`}
        disabled={props.disabled || props.shiftUpDisabled}
        onClick={(e) => props.shiftUp(e)}
      >
        ↑
      </button>
      <button
        type="button"
        className="btn btn-sm btn-ghost"
        aria-label={`Move ${name} down`}
        title={`Move ${name} down`}
        disabled={props.disabled || props.shiftDownDisabled}
        onClick={(e) => props.shiftDown(e)}
      >
        ↓
      </button>
    </span>
  );
}

// ------------------------------------------------------------------ attribute

/** The attribute given to in_segment / not_in_segment conditions when the person left it empty. */
export const SEGMENT_ATTRIBUTE = 'segment';

export function FieldSelector(props: FieldSelectorProps) {
  const ctx = builderContext(props.context);
  const rule = props.rule as BuilderRule;
  const info = ctx.operatorMap.get(rule.operator);
  const id = elementIdFor(props.path, 'attribute');
  const issues = ctx.issues.at(props.path, 'attribute');
  const name = conditionName(props.path);
  return (
    <span className="rule-field">
      <TraceMark node={ctx.traceAt(props.path)} name={name} />
      <input
        id={id}
        className="attr-input"
        type="text"
        aria-label={`${name} attribute`}
        placeholder={info?.value_kind === 'segment' ? `attribute, e.g. ${SEGMENT_ATTRIBUTE}` : 'attribute, e.g. country'}
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

  const onChange = (e: ChangeEvent<HTMLSelectElement>) => {
    const next = ctx.operatorMap.get(e.target.value);
    const values = coerceValues(normaliseValues(rule.value), next);
    ctx.patch(props.path, {
      operator: e.target.value,
      value: values,
      case_insensitive: supportsCaseInsensitive(next) ? rule.case_insensitive : undefined,
      // in_segment / not_in_segment test no context attribute, but a condition needs one
      ...(next?.value_kind === 'segment' && rule.field.trim() === '' ? { field: SEGMENT_ATTRIBUTE } : {}),
    });
  };

  return (
    <span className="rule-operator">
      <select
        id={id}
        aria-label={`${conditionName(props.path)} operator`}
        value={rule.operator}
        disabled={props.disabled}
        onChange={onChange}
        {...a11yInvalid(id, issues)}
      >
        {!known && <option value={rule.operator}>{rule.operator || 'Choose…'}</option>}
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

// ------------------------------------------------------------------ values

type BufferedProps = {
  value: JsonValue | undefined;
  codec: ValueCodec;
  onValue: (v: JsonValue | undefined) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/**
 * A text input that keeps what the person typed ("1.", "01") while storing
 * the parsed JSON value, and only re-formats when the value changes elsewhere.
 */
function BufferedInput({ value, codec, onValue, ...rest }: BufferedProps) {
  const [text, setText] = useState(() => codec.format(value));
  const [seen, setSeen] = useState<JsonValue | undefined>(value);
  if (!jsonEqual(seen, value)) {
    setSeen(value);
    if (!jsonEqual(codec.parse(text), value)) setText(codec.format(value));
  }
  return (
    <input
      type="text"
      {...rest}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onValue(codec.parse(e.target.value));
      }}
    />
  );
}

type ChipsProps = {
  id: string;
  name: string;
  values: JsonValue[];
  codec: ValueCodec;
  issues: readonly LocatedIssue[];
  disabled?: boolean;
  placeholder?: string;
  onChange: (values: JsonValue[]) => void;
};

/** Multi-value editor: type and press Enter or comma to add; paste "a, b, c" to add several. */
function ChipsInput({ id, name, values, codec, issues, disabled, placeholder, onChange }: ChipsProps) {
  const [text, setText] = useState('');
  const badIndexes = new Set(issues.map((i) => i.parsed?.valueIndex).filter((i): i is number => i != null));

  const commit = (raw: string) => {
    const entries = raw.includes(',') || raw.includes('\n') ? splitEntries(raw) : [raw];
    const parsed = entries.map((e) => codec.parse(e)).filter((v): v is JsonValue => v !== undefined);
    if (parsed.length > 0) onChange([...values, ...parsed]);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      if (text.trim() !== '') {
        e.preventDefault();
        commit(text);
      } else if (e.key === 'Enter') {
        e.preventDefault();
      }
    } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData('text');
    if (/[,\n]/.test(pasted)) {
      e.preventDefault();
      commit(text + pasted);
    }
  };

  return (
    <span className={`chips${issues.length > 0 ? ' is-invalid' : ''}`}>
      <ul className="chip-list" aria-label={`${name} values list`}>
        {values.map((v, i) => {
          const shown = codec.format(v);
          return (
            <li key={`${i}-${shown}`} className={`chip${badIndexes.has(i) ? ' is-invalid' : ''}`} data-type={typeof v}>
              <span>{shown}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove value ${shown} from ${name.toLowerCase()}`}
                disabled={disabled}
                onClick={() => onChange(values.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <input
        id={id}
        type="text"
        className="chip-input"
        aria-label={`${name} values`}
        placeholder={values.length === 0 ? (placeholder ?? 'Type a value, press Enter') : 'add…'}
        value={text}
        disabled={disabled}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={() => text.trim() !== '' && commit(text)}
        {...a11yInvalid(id, issues)}
      />
    </span>
  );
}

const PLACEHOLDER: Partial<Record<ValueKind, string>> = {
  number: 'number',
  semver: '1.2.3',
  regex: '^pattern$',
  string: 'text',
  scalar: 'value',
  date: 'YYYY-MM-DD',
};

function SingleValue({
  id,
  name,
  info,
  value,
  issues,
  disabled,
  segmentKeys,
  onChange,
}: {
  id: string;
  name: string;
  info: OperatorInfo | undefined;
  value: JsonValue | undefined;
  issues: readonly LocatedIssue[];
  disabled?: boolean;
  segmentKeys: string[];
  onChange: (values: JsonValue[]) => void;
}) {
  const kind: ValueKind = info?.value_kind ?? 'scalar';
  const common = { id, 'aria-label': `${name} value`, disabled, ...a11yInvalid(id, issues) };
  const set = (v: JsonValue | undefined) => onChange(v === undefined ? [] : [v]);

  if (kind === 'segment') {
    const current = typeof value === 'string' ? value : '';
    const options = segmentKeys.includes(current) || current === '' ? segmentKeys : [current, ...segmentKeys];
    return (
      <select {...common} value={current} onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)}>
        <option value="">Choose a segment…</option>
        {options.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    );
  }
  if (kind === 'date' && (value === undefined || (typeof value === 'string' && DATE_ONLY.test(value)))) {
    return (
      <input
        {...common}
        type="date"
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => set(e.target.value === '' ? undefined : e.target.value)}
      />
    );
  }
  return (
    <BufferedInput
      {...common}
      className={`value-input value-${kind}`}
      inputMode={kind === 'number' ? 'decimal' : undefined}
      placeholder={PLACEHOLDER[kind]}
      title={kind === 'scalar' ? 'Text, a number, true or false. Wrap in "quotes" to force text.' : undefined}
      spellCheck={false}
      autoComplete="off"
      value={value}
      codec={codecFor(kind)}
      onValue={set}
    />
  );
}

export function ValueEditor(props: ValueEditorProps) {
  const ctx = builderContext(props.context);
  const rule = props.rule as BuilderRule;
  const info = ctx.operatorMap.get(rule.operator);
  const kind: ValueKind = info?.value_kind ?? 'scalar';
  const multi = info?.multi ?? true;
  const values = normaliseValues(rule.value);
  const name = conditionName(props.path);
  const id = elementIdFor(props.path, 'values');
  const issues = ctx.issues.at(props.path, 'values');
  const ciId = elementIdFor(props.path, 'case_insensitive');
  const ciIssues = ctx.issues.at(props.path, 'case_insensitive');
  const setValues = (vs: JsonValue[]) => props.handleOnChange(vs);

  if (kind === 'none') {
    return (
      <span className="rule-value">
        <span className="muted">no value needed</span>
        <FieldIssues id={`${id}-issues`} issues={issues} />
      </span>
    );
  }

  let editor: ReactNode;
  if (kind === 'segment' && multi) {
    const current = values.filter((v): v is string => typeof v === 'string');
    editor = (
      <select
        id={id}
        multiple
        aria-label={`${name} values`}
        value={current}
        disabled={props.disabled}
        onChange={(e) => setValues([...e.target.selectedOptions].map((o) => o.value))}
        {...a11yInvalid(id, issues)}
      >
        {[...new Set([...current, ...ctx.segmentKeys])].map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    );
  } else if (multi) {
    const codec = kind === 'scalar' ? { parse: parseScalar, format: formatScalar } : codecFor(kind);
    editor = (
      <ChipsInput
        id={id}
        name={name}
        values={values}
        codec={codec}
        issues={issues}
        disabled={props.disabled}
        placeholder={PLACEHOLDER[kind] ? `${PLACEHOLDER[kind]}, press Enter` : undefined}
        onChange={setValues}
      />
    );
  } else {
    editor = (
      <SingleValue
        id={id}
        name={name}
        info={info}
        value={values[0]}
        issues={issues}
        disabled={props.disabled}
        segmentKeys={ctx.segmentKeys}
        onChange={(vs) => setValues(values.length > 1 ? [...vs, ...values.slice(1)] : vs)}
      />
    );
  }

  return (
    <span className="rule-value">
      {editor}
      {supportsCaseInsensitive(info) && (
        <label className="ci-toggle" title="Ignore upper/lower case when comparing text">
          <input
            id={ciId}
            type="checkbox"
            aria-label={`${name} case-insensitive`}
            checked={rule.case_insensitive === true}
            disabled={props.disabled}
            onChange={(e) => ctx.patch(props.path, { case_insensitive: e.target.checked ? true : undefined })}
            {...a11yInvalid(ciId, ciIssues)}
          />
          <span aria-hidden="true">Aa</span>
        </label>
      )}
      <FieldIssues id={`${id}-issues`} issues={issues} />
      <FieldIssues id={`${ciId}-issues`} issues={ciIssues} />
    </span>
  );
}
