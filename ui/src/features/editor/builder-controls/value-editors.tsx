// The value side of a condition: one editor per operator value kind, plus the
// case-insensitive toggle where the operator supports it.
import { useState } from 'react';
import type { ClipboardEvent, InputHTMLAttributes, KeyboardEvent, ReactNode } from 'react';
import type { ValueEditorProps } from 'react-querybuilder';
import type { JsonValue, OperatorInfo, ValueKind } from '../../../lib/backend/bindings';
import { jsonEqual } from '../../../lib/segments';
import { FieldIssues } from '../../../shared/ui/FieldIssues';
import { builderContext } from '../builder-context';
import type { BuilderRule } from '../convert';
import { normaliseValues } from '../convert';
import { elementIdFor } from '../issues';
import type { LocatedIssue } from '../issues';
import { DATE_ONLY, codecFor, formatScalar, parseScalar, splitEntries, supportsCaseInsensitive } from '../values';
import type { ValueCodec } from '../values';
import { a11yInvalid, conditionName } from './accessible-names';
import { booleanChoiceOf } from './boolean-choices';
import { SegmentPicker } from './SegmentPicker';

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
  /** A datalist of suggested values. */
  list?: string;
  onChange: (values: JsonValue[]) => void;
};

/** Multi-value editor: type and press Enter or comma to add; paste "a, b, c" to add several. */
function ChipsInput({ id, name, values, codec, issues, disabled, placeholder, list, onChange }: ChipsProps) {
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
        list={list}
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
  list,
  onChange,
}: {
  id: string;
  name: string;
  info: OperatorInfo | undefined;
  value: JsonValue | undefined;
  issues: readonly LocatedIssue[];
  disabled?: boolean;
  /** A datalist of suggested values. */
  list?: string;
  onChange: (values: JsonValue[]) => void;
}) {
  const kind: ValueKind = info?.value_kind ?? 'scalar';
  const common = { id, 'aria-label': `${name} value`, disabled, ...a11yInvalid(id, issues) };
  const set = (v: JsonValue | undefined) => onChange(v === undefined ? [] : [v]);

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
      list={list}
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

  if (kind === 'none' || booleanChoiceOf(rule)) {
    // nothing to type: the operator says it all ("exists", "is true")
    return (
      <span className="rule-value">
        {kind === 'none' && <span className="muted">no value needed</span>}
        <FieldIssues id={`${id}-issues`} issues={issues} />
      </span>
    );
  }

  let editor: ReactNode;
  if (kind === 'segment') {
    editor = (
      <SegmentPicker
        id={id}
        label={multi ? `${name} values` : `${name} value`}
        conditionName={name}
        selected={values.filter((v): v is string => typeof v === 'string')}
        multi={multi}
        segments={ctx.segments}
        disabled={props.disabled}
        invalid={a11yInvalid(id, issues)}
        onChange={setValues}
      />
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
        list={ctx.valueListId(rule.field)}
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
        list={ctx.valueListId(rule.field)}
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
